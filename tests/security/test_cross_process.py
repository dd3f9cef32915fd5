"""One index, one truth across processes: a document the CLI ingests into a running app's data
directory is found by the app — dense and lexical side alike — within :data:`VISIBLE_WITHIN`
seconds, with exactly the ranking a fresh CLI process gives; a CLI removal disappears the same way."""
from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

gradio_client = pytest.importorskip("gradio_client")
from gradio_client import Client  # noqa: E402

from tests.conftest import REPO  # noqa: E402
from tests.ui_fixtures import app_env, ui_data_dir, ui_server  # noqa: E402,F401

pytestmark = pytest.mark.integration

VISIBLE_WITHIN = 10.0  # seconds (the app compares active versions every POLICYBOT_INDEX_CHECK_SECONDS = 2 s)


def _cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], env=app_env(data_dir), cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def _ranking(rows: list[dict]) -> list[str]:
    return [r["clause_id"] for r in rows]


def _wait_for(predicate, seconds: float) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        if predicate():
            return time.monotonic() - t0
        time.sleep(0.3)
    raise AssertionError(f"not visible within {seconds} s")


def test_cli_ingest_is_seen_by_the_running_app_identically(ui_server: str, ui_data_dir: Path, tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:6]
    doc = tmp_path / f"cli-ingest-{tag}.txt"
    # A question that shares no rare term with the new document: found only through its meaning
    # (the dense side) as well as its words.
    doc.write_text(f"测试市{tag}计量服务办法\n第一条 为帮助小微企业校准测量仪器，市计量院提供上门检定服务{tag}。\n"
                   f"第二条 企业购置检测设备的，按投资额给予百分之二十的补助。\n第三条 本办法自发布之日起施行。\n",
                   encoding="utf-8")
    client = Client(ui_server, verbose=False, download_files=False)
    client.predict("质量认证帮扶", False, "", api_name="/lookup")  # the app has its index open
    ingest = _cli(ui_data_dir, "ingest", str(doc), "--quiet")
    assert ingest.returncode == 0, ingest.stderr
    try:
        waited = _wait_for(lambda: any(r["doc_id"] == doc.stem for r in
                                       client.predict(f"上门检定服务{tag}", False, "", api_name="/lookup")[1]),
                           VISIBLE_WITHIN)
        print(f"CLI ingest visible in the app after {waited:.1f} s")
        for question in (f"上门检定服务{tag}", "买检测设备有补贴吗", "小微企业仪器校准找谁"):
            _, rows = client.predict(question, False, "", api_name="/lookup")
            cli = _cli(ui_data_dir, "search", question, "--k", "20", "--json")
            assert cli.returncode == 0, cli.stderr
            assert _ranking(rows) == _ranking(json.loads(cli.stdout)["results"]), question
        _, rows = client.predict("小微企业仪器校准找谁", False, "", api_name="/lookup")
        assert doc.stem in [r["doc_id"] for r in rows[:5]], "the dense side knows the new document"
    finally:
        removed = _cli(ui_data_dir, "remove", doc.stem)
        assert removed.returncode == 0, removed.stderr
    _wait_for(lambda: not any(r["doc_id"] == doc.stem for r in
                              client.predict(f"上门检定服务{tag}", False, "", api_name="/lookup")[1]), VISIBLE_WITHIN)
