"""The search desk in a real browser: 上一条/下一条 step in place (buttons and ← / →), a document name
that is not held is said so, the 责任部门 list is grouped by region and narrows as one types."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser_fixtures import browser, sync_api  # noqa: F401
from tests.ui_fixtures import SCREENSHOT_DIR, ui_data_dir, ui_server  # noqa: F401

pytestmark = pytest.mark.browser

TIMEOUT_MS = 30_000


@pytest.fixture
def desk(browser, ui_server: str) -> Iterator:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(ui_server)
                  else route.abort())
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.goto(ui_server)
    pg.get_by_role("tab", name="条款检索").click()
    pg.wait_for_selector("#pb-lookup-query textarea, #pb-lookup-query input")
    try:
        yield pg
    finally:
        context.close()


def search(pg, query: str) -> None:
    pg.locator("#pb-lookup-query textarea, #pb-lookup-query input").first.fill(query)
    pg.click("#pb-lookup-btn")


def options(pg, box: str) -> list[str]:
    """A dropdown's option labels, read at once (the list re-renders while it narrows)."""
    return pg.evaluate("box => Array.from(document.querySelectorAll(box + ' [role=option]'))"
                       ".map(e => e.getAttribute('aria-label') || '')", box)


def shown_item(pg) -> str:
    return pg.locator("#pb-lookup-results article.pb-card").first.get_attribute("data-item") or ""


def wait_item(pg, item: str) -> None:
    pg.wait_for_function(
        "item => { const c = document.querySelector('#pb-lookup-results article.pb-card');"
        " return c && c.getAttribute('data-item') === item && document.querySelectorAll("
        "'#pb-lookup-results article.pb-card').length === 1; }", arg=item)


def test_step_buttons_and_keys_replace_the_clause_in_place(desk) -> None:
    pg = desk
    search(pg, "天津实施意见 15")
    wait_item(pg, "二（八）15")
    bar = pg.locator("#pb-lookup-results .pb-step-bar")
    assert "下一条 ›：二、（九）第16项" in bar.inner_text()
    bar.locator("button.pb-step[data-step=next]").click()
    wait_item(pg, "二（九）16")
    bar.locator("button.pb-step[data-step=next]").click()
    wait_item(pg, "二（九）17")
    pg.locator("#pb-lookup-results .pb-count").click()  # focus out of the text field: the keys step
    pg.keyboard.press("ArrowLeft")
    wait_item(pg, "二（九）16")
    pg.keyboard.press("ArrowRight")
    wait_item(pg, "二（九）17")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SCREENSHOT_DIR / "20-desk-step.png"), full_page=False)
    # typing ← / → in the query box moves the caret, never the clause
    box = pg.locator("#pb-lookup-query textarea, #pb-lookup-query input").first
    box.click()
    box.press("ArrowLeft")
    pg.wait_for_timeout(800)
    assert shown_item(pg) == "二（九）17"


def test_unknown_document_name_is_said_so(desk) -> None:
    pg = desk
    doc = pg.locator("#pb-lookup-doc input")
    doc.click()
    doc.fill("温州文件")
    doc.press("Enter")
    search(pg, "质量")
    error = pg.locator("#pb-lookup-results .pb-error")
    error.wait_for()
    assert "没有名为“温州文件”的文档" in error.inner_text() and "瓯海千百行动方案" in error.inner_text()


def test_document_and_department_lists_narrow_as_one_types(desk) -> None:
    pg = desk
    doc = pg.locator("#pb-lookup-doc input")
    assert doc.input_value() == ""  # empty means every document: nothing for typing to append to
    doc.click()
    doc.press_sequentially("瓯海")
    pg.wait_for_function("() => document.querySelectorAll('#pb-lookup-doc [role=option]').length === 1")
    assert options(pg, "#pb-lookup-doc") == ["瓯海千百行动方案"]
    doc.fill("")
    doc.press("Escape")
    pg.locator("#pb-lookup-results").click()  # leaving the box empty: back to every document
    assert doc.input_value() == ""

    dept = pg.locator("#pb-lookup-dept input")
    dept.click()
    pg.locator("#pb-lookup-dept [role=option]").first.wait_for()
    labels = options(pg, "#pb-lookup-dept")
    regions = [label.split(" · ")[0] for label in labels]
    assert regions == sorted(regions) and {"天津市", "广东省"} <= set(regions)
    assert "天津市 · 市工业和信息化局（又称 市工信局）" in labels
    dept.press_sequentially("工信")
    pg.wait_for_function("() => document.querySelectorAll('#pb-lookup-dept [role=option]').length <= 2")
    narrowed = options(pg, "#pb-lookup-dept")
    assert narrowed and all("工信" in label for label in narrowed)
    pg.get_by_role("option", name="天津市 · 市工业和信息化局（又称 市工信局）").click()
    search(pg, "质量")
    pg.locator("#pb-lookup-results article.pb-card").first.wait_for()
    depts = " ".join(pg.locator("#pb-lookup-results .pb-dept").all_inner_texts())
    assert "工信局" in depts or "工业和信息化局" in depts
