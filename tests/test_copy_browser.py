"""What people see, copy and export (real Chromium): no markup on the page or the clipboard, and the
exported conversation is exactly the copied one.  Every answer type is asked, a refusal and a
comparison among them."""
from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser_fixtures import browser, sync_api  # noqa: F401
from tests.ui_fixtures import SCREENSHOT_DIR, ui_data_dir, ui_server  # noqa: F401

pytestmark = pytest.mark.browser

TIMEOUT_MS = 30_000
QUESTIONS = [
    "天津实施意见第15条讲什么",  # lookup
    "广东那份文件讲技术性贸易壁垒的是第几条？",  # locate
    "有没有支持企业参与国际标准化的政策？",  # yes-no ("有。" lead; no 吗/呢: not read as a follow-up)
    "天津和国家的文件在计量服务方面分别有什么要求？",  # comparison
    "天津实施意见的文号是什么",  # metadata
    "今天天气怎么样？",  # refusal
]
MARKUP = re.compile(r"\*\*|\\\[|\\\]|<div|<a |</|&[a-z]+;|href=")


@pytest.fixture
def page(browser, ui_server: str) -> Iterator:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN", accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=ui_server.rstrip("/"))
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(ui_server)
                  else route.abort())
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.goto(ui_server)
    pg.wait_for_selector("#pb-question textarea")
    try:
        yield pg
    finally:
        context.close()


def clipboard(pg) -> str:
    return pg.evaluate("() => navigator.clipboard.readText()")


def copied(pg) -> str:
    """The clipboard once the copy handler has written it (the write is asynchronous: poll, do not race)."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while not (text := clipboard(pg)) and time.monotonic() < deadline:
        pg.wait_for_timeout(50)
    return text


def ask(pg, question: str, n: int) -> None:
    pg.fill("#pb-question textarea", question)
    pg.click("#pb-send")
    pg.wait_for_function("n => document.querySelectorAll('#pb-chatbot button.pb-msg-copy').length >= n", arg=n)


def test_seen_copied_and_exported_text_is_plain(page) -> None:
    pg = page
    for n, q in enumerate(QUESTIONS, start=1):
        ask(pg, q, n)
    bot = pg.locator("#pb-chatbot")
    seen = bot.inner_text()
    assert not MARKUP.search(seen), MARKUP.search(seen)
    (SCREENSHOT_DIR.parent / "20-chat-seen.txt").write_text(seen, encoding="utf-8")
    assert "\n有。" in seen
    assert "【" not in seen or "天津实施意见：" in seen  # comparison blocks: the document name, then its text
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SCREENSHOT_DIR / "20-chat-plain.png"), full_page=True)

    copies = []
    buttons = bot.locator("button.pb-msg-copy")
    assert buttons.count() == len(QUESTIONS)
    for i in range(len(QUESTIONS)):
        pg.evaluate("() => navigator.clipboard.writeText('')")
        buttons.nth(i).click()
        text = copied(pg)
        assert not MARKUP.search(text), text
        assert text == bot.locator(".pb-plain").nth(i).text_content()
        copies.append(text)
    assert "\n来源：\n[1] 《关于进一步发挥质量基础设施支撑引领民营企业提质增效升级作用的实施意见》" in copies[0]
    refusal = copies[-1]
    assert "未找到直接依据" in refusal and re.search(r"供参考：\n\[1\] 《[^》]+》.+\n\[2\] 《.+\n\[3\] 《", refusal), refusal
    assert re.search(r"\n\[1\] 《[^》]+》（国市监质发〔2021〕62号，|\n\[2\] 《[^》]+》（国市监质发〔2021〕62号，", copies[3])

    pg.evaluate("() => navigator.clipboard.writeText('')")
    pg.click("#pb-copy-all")
    conversation = copied(pg)
    assert not MARKUP.search(conversation)
    assert conversation.startswith(f"问：{QUESTIONS[0]}\n答：")
    for q, c in zip(QUESTIONS, copies, strict=True):
        assert f"问：{q}\n答：{c}\n" in conversation

    with pg.expect_download() as info:
        pg.click("#pb-export")
    exported = Path(info.value.path()).read_text(encoding="utf-8")
    assert exported == conversation
