"""The web app in a real browser (Playwright, system Chromium): ask, verify sources, look up, upload.

Screenshots of every step go to ``test-output/screenshots/``.  Install the browser with
``scripts/install-browser.sh`` (apt ``chromium``; Playwright never downloads one).
"""
from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser_fixtures import browser, sync_api  # noqa: F401
from tests.ui_fixtures import ADMIN_AUTH, SCREENSHOT_DIR, admin_server, make_docx, ui_data_dir, ui_server  # noqa: F401

pytestmark = pytest.mark.browser

TIMEOUT_MS = 30_000


@pytest.fixture
def page(browser, ui_server: str) -> Iterator:
    """A fresh page on the app; requests leaving the loopback server are blocked (offline product)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=ui_server.rstrip("/"))
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(ui_server)
                  else route.abort())
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("dialog", lambda d: (errors.append(f"unexpected dialog: {d.message}"), d.dismiss()))
    pg.goto(ui_server)
    pg.wait_for_selector("#pb-question textarea")
    try:
        yield pg
        assert not [e for e in errors if "dialog" in e], errors
    finally:
        context.close()


def shot(pg, name: str, full_page: bool = True) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    pg.screenshot(path=str(path), full_page=full_page)
    return path


def open_tab(pg, name: str) -> None:
    pg.get_by_role("tab", name=name).click()


def run_lookup(pg, query: str, phrase: bool = False) -> None:
    box = pg.locator("#pb-lookup-query textarea, #pb-lookup-query input").first
    box.fill(query)
    checkbox = pg.locator("#pb-lookup-phrase input[type=checkbox]")
    if checkbox.is_checked() != phrase:
        checkbox.click()
    pg.click("#pb-lookup-btn")


def test_ask_question_and_open_source(page) -> None:
    pg = page
    shot(pg, "01-chat-start")
    pg.fill("#pb-question textarea", "我们小厂想做质量认证，政府有帮扶吗？")
    pg.click("#pb-send")
    link = pg.locator("#pb-chatbot a[href='#cite-1']").first
    link.wait_for()
    source = pg.locator("#pb-sources details#cite-1")
    source.wait_for(state="attached")
    assert "[1]" in link.inner_text()
    assert not source.evaluate("el => el.open")
    shot(pg, "02-chat-answer")

    link.click()  # the citation in the answer opens its source entry
    pg.wait_for_function("() => document.getElementById('cite-1').open === true")
    assert source.locator("mark").first.is_visible()
    assert "发文机关" in source.inner_text()
    assert len(pg.context.pages) == 1, "the citation link must not open a new tab"
    shot(pg, "03-chat-source-open")

    pg.click("#pb-like")
    pg.locator("#pb-feedback-status").get_by_text("已记录").wait_for()


def test_lookup_clause_by_number(page) -> None:
    pg = page
    open_tab(pg, "条款检索")
    run_lookup(pg, "天津实施意见 15")
    first = pg.locator("#pb-lookup-results article.pb-card").first
    first.wait_for()
    assert first.get_attribute("data-item") == "二（八）15"
    assert "加强反不正当竞争和反垄断执法" in first.inner_text()
    assert "天津实施意见" in first.locator(".pb-doc").inner_text()
    shot(pg, "04-lookup-number", full_page=False)

    first.locator("button.pb-copy").click()
    first.locator("button.pb-copy", has_text="已复制").wait_for()
    copied = pg.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith("《关于进一步发挥质量基础设施支撑引领民营企业提质增效升级作用的实施意见》")
    assert "\n15.加强反不正当竞争" in copied


def test_browse_document_outline(page) -> None:
    pg = page
    open_tab(pg, "条款检索")
    pg.click("#pb-browse-doc input")
    pg.get_by_role("option", name="天津实施意见").click()
    clause = pg.locator('#pb-outline details.pb-clause[data-item="二（八）15"]')
    clause.wait_for()
    clause.locator("summary").click()
    assert clause.evaluate("el => el.open")
    assert "商业秘密" in clause.locator(".pb-text").inner_text()
    clause.scroll_into_view_if_needed()
    shot(pg, "05-outline-clause", full_page=False)


def test_upload_docx_then_find_it(page, browser, admin_server: str, ui_server: str, tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:6]
    phrase = f"白鹭{tag}标准领跑计划"
    path = make_docx(tmp_path / f"browser-upload-{tag}.docx", "测试区企业标准领跑扶持办法",
                     [f"第一条 为鼓励企业参与{phrase}，制定本办法。",
                      "第二条 对主导制定国家标准的企业给予一次性奖励。"])
    assert page.locator("#pb-upload-files").count() == 0, "the public page has no upload"
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(admin_server)
                  else route.abort())
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.goto(admin_server)
    pg.locator("input[type=password]").wait_for()  # the admin app opens with its login form
    shot(pg, "06a-admin-login")
    pg.locator("input[type=text], input:not([type])").first.fill(ADMIN_AUTH[0])
    pg.locator("input[type=password]").fill(ADMIN_AUTH[1])
    pg.locator("button", has_text=re.compile("Login|登录")).first.click()
    pg.wait_for_selector("#pb-upload-files")
    pg.set_input_files("#pb-upload-files input[type=file]", str(path))
    pg.locator("#pb-upload-files").get_by_text(path.name).first.wait_for()
    pg.click("#pb-upload-btn")
    # Gradio's dataframe keeps a hidden sizing copy of every cell: look at the visible ones only
    pg.locator("#pb-upload-results").get_by_text("新增", exact=True).filter(visible=True).first.wait_for()
    assert pg.locator("#pb-upload-results").get_by_text(re.compile(r"已导入 \d+ (条|项条目)")).filter(visible=True).count() == 1
    pg.locator("#pb-docs-table").get_by_text(path.stem, exact=True).filter(visible=True).first.wait_for()
    shot(pg, "06-upload-result")
    context.close()

    pg = page
    open_tab(pg, "条款检索")
    run_lookup(pg, phrase, phrase=True)
    card = pg.locator("#pb-lookup-results article.pb-card").first
    card.wait_for()
    assert card.get_attribute("data-clause-id").startswith(path.stem)
    assert phrase in card.inner_text()
    assert card.locator("mark", has_text=phrase).count() == 1
    shot(pg, "07-upload-lookup")


def test_enter_sends_and_shift_enter_breaks_the_line(page) -> None:
    pg = page
    box = pg.locator("#pb-question textarea")
    box.click()
    box.type("计量托管")
    box.press("Shift+Enter")
    box.type("有哪些支持？")
    assert box.input_value() == "计量托管\n有哪些支持？"  # Shift+Enter: a new line, nothing sent
    box.press("Enter")
    # The question stays in the conversation while the answer is composed, and the box is cleared.
    pg.locator("#pb-chatbot").get_by_text("有哪些支持？").first.wait_for()
    pg.wait_for_function("() => document.querySelector('#pb-question textarea').value === ''")
    pg.locator("#pb-chatbot a[href='#cite-1']").first.wait_for()
    shot(pg, "06-enter-sends", full_page=False)


def test_conversation_exports_as_plain_text_with_citations(page) -> None:
    pg = page
    pg.fill("#pb-question textarea", "天津实施意见第15条讲什么")
    pg.locator("#pb-question textarea").press("Enter")
    pg.locator("#pb-chatbot a[href='#cite-1']").first.wait_for()
    text = ""
    for _ in range(5):  # the file is prepared right after the answer; a click before that downloads nothing
        try:
            with pg.expect_download(timeout=3000) as info:
                pg.click("#pb-export")
            text = Path(info.value.path()).read_text(encoding="utf-8")
            break
        except sync_api.TimeoutError:
            continue
    assert text.startswith("问：天津实施意见第15条讲什么\n答：")
    assert "\n来源：\n[1] 《关于进一步发挥质量基础设施支撑引领民营企业提质增效升级作用的实施意见》" in text


def test_keyword_search_counts_matches_and_marks_only_the_term(page) -> None:
    pg = page
    open_tab(pg, "条款检索")
    run_lookup(pg, "首席质量官")
    count = pg.locator("#pb-lookup-results .pb-count")
    count.wait_for()
    n = int(re.match(r"(\d+) 条含“首席质量官”", count.inner_text()).group(1))
    cards = pg.locator("#pb-lookup-results .pb-results > article.pb-card")
    assert cards.count() == n
    marks = pg.locator("#pb-lookup-results .pb-results > article.pb-card mark")
    assert marks.count() >= n and set(marks.all_inner_texts()) <= {"首席质量官", "首席質量官"}
    related = pg.locator("#pb-lookup-results details.pb-related")
    assert related.count() == 1 and not related.evaluate("el => el.open")  # semantic matches collapsed
    shot(pg, "07-keyword-count", full_page=False)


def test_missing_number_and_year_filter(page) -> None:
    pg = page
    open_tab(pg, "条款检索")
    run_lookup(pg, "天津实施意见第99条")
    pg.locator("#pb-lookup-results .pb-missing", has_text="没有第99条").wait_for()
    assert pg.locator("#pb-lookup-results .pb-outline-list li").count() == 19
    shot(pg, "08-missing-number", full_page=False)

    pg.click("#pb-lookup-year input")
    pg.get_by_role("option", name="2024").click()
    run_lookup(pg, "质量")
    pg.locator("#pb-lookup-results .pb-count", has_text="条含“质量”").wait_for()
    docs = set(pg.locator("#pb-lookup-results article.pb-card .pb-doc").all_inner_texts())
    assert docs == {"天津质量强市纲要"}
