"""Decompression and element-count bombs of every format are refused quickly, and the app process stays
within its memory budget (measured from /proc: peak RSS growth while the bombs are read).

Budget stated here and in the README: reading any upload under the size cap adds at most
:data:`GROWTH_BUDGET_MB` to the process's peak resident memory.
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest

gradio_client = pytest.importorskip("gradio_client")
from gradio_client import handle_file  # noqa: E402

from tests.security.bombs import docx_bomb, html_bomb, pdf_bomb  # noqa: E402
from tests.ui_fixtures import (  # noqa: E402,F401
    admin_client,
    admin_server,
    gradio_temp_dir,
    ui_data_dir,
    ui_process,
    ui_server,
)

pytestmark = pytest.mark.integration

GROWTH_BUDGET_MB = 400  # generous: the bombs unpack to 1 GiB / millions of tags / 280 MiB
SECONDS_PER_BOMB = 30.0


def _mem_mb(pid: int) -> dict[str, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields


@pytest.mark.parametrize("kind", ["docx", "docx-lying-header", "html", "pdf"])
def test_bomb_is_refused_within_memory_budget(kind: str, admin_server: str, ui_server: str, ui_process,
                                              ui_data_dir: Path, tmp_path: Path) -> None:
    make = {"docx": lambda p: docx_bomb(p.with_suffix(".docx"), 1024),
            "docx-lying-header": lambda p: docx_bomb(p.with_suffix(".docx"), 300, declared_size=4096),
            "html": lambda p: html_bomb(p.with_suffix(".html")),
            "pdf": lambda p: pdf_bomb(p.with_suffix(".pdf"))}[kind]
    bomb = make(tmp_path / f"bomb-{kind}")
    assert bomb.stat().st_size < 20 * 1024 * 1024  # under the upload cap
    admin = admin_client(admin_server)
    before = _mem_mb(ui_process.pid)
    t0 = time.monotonic()
    out = admin.predict([handle_file(str(bomb))], False, api_name="/upload")
    elapsed = time.monotonic() - t0
    after = _mem_mb(ui_process.pid)
    name, status, clauses, message = out[0]["data"][0]
    assert status == "跳过" and clauses == 0, out[0]["data"]
    assert any(w in message for w in ("解压后内容过大", "结构过于复杂", "已损坏")), message
    assert elapsed < SECONDS_PER_BOMB, elapsed
    growth = after["VmHWM"] - before["VmHWM"]
    assert growth < GROWTH_BUDGET_MB, (kind, before, after)
    assert not (ui_data_dir / "uploads" / bomb.name).exists()  # a refused file is not kept …
    temp = gradio_temp_dir(ui_data_dir, ui_server)
    assert temp.is_dir()  # the upload went through it
    leftovers = [p for p in temp.rglob("*") if p.name == bomb.name]
    assert not leftovers, leftovers  # … and neither is Gradio's temp copy
