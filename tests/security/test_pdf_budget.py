"""A PDF is refused within its budget even when one page is the whole problem (issue 25, item 4).

The hostile files are generated here (:func:`tests.security.bombs.pdf_form_bomb`, ~2 KB): one page
drawing a form XObject 60,000 times, and forms nested six deep.  Budgets are counted *inside* the
page — every operator of every form drawn, the clock read while pypdf interprets — and reading runs
in a child process that is killed at the budget (+5 %), so no file holds the import worker longer.
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.readers import ReadLimits, UnreadableFileError, read_document, reading_limits
from ingest.readers.isolated import read_isolated
from tests.security.bombs import pdf_form_bomb, stubborn_reader
from tests.ui_fixtures import OUTPUT_DIR, admin_client, make_docx, start_app_process, stop_app_process

pytestmark = pytest.mark.integration

BUDGET = 5.0


def _refusal(path: Path, limits: ReadLimits) -> tuple[str, float]:
    started = time.monotonic()
    with reading_limits(limits), pytest.raises(UnreadableFileError) as err:
        read_document(path)
    return str(err.value), time.monotonic() - started


def test_a_form_drawn_60000_times_is_refused_within_its_budget(tmp_path: Path) -> None:
    bomb = pdf_form_bomb(tmp_path / "form-bomb.pdf")
    assert bomb.stat().st_size < 4096
    message, elapsed = _refusal(bomb, ReadLimits(max_seconds=BUDGET))
    assert "解析超时" in message, message
    assert elapsed <= BUDGET * 1.1, elapsed


def test_operators_inside_nested_forms_are_counted(tmp_path: Path) -> None:
    bomb = pdf_form_bomb(tmp_path / "nested-bomb.pdf", draws=100, depth=6, fanout=10)
    message, elapsed = _refusal(bomb, ReadLimits(max_elements=20_000, max_seconds=60))
    assert "元素" in message, message  # the page itself has 300 operators; its forms, millions
    assert elapsed < 30, elapsed


def test_a_reader_stuck_in_one_call_is_killed_at_the_budget(tmp_path: Path) -> None:
    path = tmp_path / "stuck.pdf"
    started = time.monotonic()
    with pytest.raises(UnreadableFileError, match="解析超时"):
        read_isolated(stubborn_reader, path, b"%PDF", ReadLimits(max_seconds=2.0))
    assert time.monotonic() - started <= 2.0 * 1.05 + 0.5  # the kill at +5 %, then reaping the child


def test_normal_pdfs_still_read(tmp_path: Path) -> None:
    bomb = pdf_form_bomb(tmp_path / "small.pdf", draws=3)
    assert read_document(bomb).count("policy text") >= 3


@pytest.fixture(scope="module")
def budget_app(tmp_path_factory, shipped_index) -> Iterator[str]:
    data = shipped_index.copy_to(tmp_path_factory.mktemp("budget-app-data"))
    proc, _, admin_url = start_app_process(data, OUTPUT_DIR / "budget-app.log",
                                           extra_env={"POLICYBOT_PARSE_SECONDS": str(BUDGET)})
    try:
        yield admin_url
    finally:
        stop_app_process(proc)


def test_the_import_queue_moves_on_at_the_budget(budget_app: str, tmp_path: Path) -> None:
    from gradio_client import handle_file

    bomb = pdf_form_bomb(tmp_path / "hostile.pdf")
    normal = make_docx(tmp_path / "queued-after-bomb.docx", "测试市排队办法",
                       ["第一条 排队测试条款由市场监管部门负责。", "第二条 其他事项另行规定。"])
    admin = admin_client(budget_app)
    started = time.monotonic()
    out = admin.predict([handle_file(str(bomb)), handle_file(str(normal))], False, api_name="/upload")
    elapsed = time.monotonic() - started
    rows = {r[0]: r for r in out[0]["data"]}
    assert "解析超时" in " ".join(map(str, rows["hostile.pdf"])), rows
    assert rows["queued-after-bomb.docx"][1] == "新增", rows
    assert elapsed < BUDGET * 1.1 + 20, elapsed  # the bomb's budget, then an ordinary import
