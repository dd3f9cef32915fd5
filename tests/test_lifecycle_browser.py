"""Document status and links in a real browser (system Chromium): the warning first in a chat answer on an
expired measure with the status on its source card, the search desk's 效力状态 filter with in-force clauses
marked, and 依据 / 被引用 in the documents table — on the corpus of ``tests/test_lifecycle.py``, with the app
process's day pinned by ``POLICYBOT_TODAY``.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.service import PolicyBot
from tests.browser_fixtures import browser, sync_api  # noqa: F401
from tests.conftest import make_settings
from tests.test_lifecycle import CATALOG, DOCS, TODAY
from tests.ui_fixtures import OUTPUT_DIR, SCREENSHOT_DIR, start_app_process, stop_app_process

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("lifecycle-ui")
    corpus = root / "corpus"
    corpus.mkdir()
    for doc_id, text in DOCS.items():
        (corpus / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    (corpus / "catalog.toml").write_text(CATALOG, encoding="utf-8")
    data = root / "data"
    PolicyBot(make_settings(data, POLICYBOT_CORPUS_DIR=str(corpus))).library.ensure_index(progress=False)
    proc, url, _ = start_app_process(data, OUTPUT_DIR / "lifecycle-app.log", {"POLICYBOT_TODAY": TODAY}, admin=False)
    try:
        yield url
    finally:
        stop_app_process(proc)


@pytest.fixture
def page(browser, app_url: str) -> Iterator:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(app_url)
                  else route.abort())
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.goto(app_url)
    pg.wait_for_selector("#pb-question textarea")
    try:
        yield pg
    finally:
        context.close()


def shot(pg, name: str) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path


def test_answer_on_an_expired_measure_warns_first_and_its_source_card_says_so(page) -> None:
    pg = page
    pg.fill("#pb-question textarea", "旧计量券办法规定每家企业每年最多申领多少计量服务券？")
    pg.click("#pb-send")
    source = pg.locator("#pb-sources details#cite-1")
    source.wait_for(state="attached")
    answer = pg.locator("#pb-chatbot .message.bot, #pb-chatbot [data-testid=bot]").last
    text = answer.inner_text()
    assert text.strip().startswith("注意：所引《示例市计量服务券实施办法》已于2024年2月29日失效"), text
    badge = source.locator(".pb-status")
    assert badge.inner_text() == "已失效（2024年2月29日）"
    assert "pb-not-in-force" in (badge.get_attribute("class") or "")
    source.locator("summary").click()
    assert "效力" in source.inner_text() and "有效期 3年（正文）" in source.inner_text()
    shot(pg, "lifecycle-01-expired-answer")


def test_desk_filters_on_status_and_marks_in_force(page) -> None:
    pg = page
    pg.get_by_role("tab", name="条款检索").click()
    pg.locator("#pb-lookup-query textarea, #pb-lookup-query input").first.fill("计量服务券")
    pg.click("#pb-lookup-btn")
    cards = pg.locator("#pb-lookup-results article.pb-card")
    cards.first.wait_for()
    everything = cards.count()
    assert pg.locator("#pb-lookup-results .pb-not-in-force").count() >= 1  # default: all statuses
    box = pg.locator("#pb-lookup-status input").first
    box.click()
    pg.get_by_role("option", name=re.compile("^现行有效$")).first.click()
    pg.click("#pb-lookup-btn")
    pg.wait_for_function("() => !document.querySelector('#pb-lookup-results .pb-not-in-force')")
    shown = pg.locator("#pb-lookup-results article.pb-card")
    assert 0 < shown.count() < everything
    assert pg.locator("#pb-lookup-results .pb-status.pb-in-force").count() == shown.count()
    shot(pg, "lifecycle-02-desk-in-force")


def test_documents_table_shows_status_and_links_both_ways(page) -> None:
    pg = page
    pg.get_by_role("tab", name="已收录文档").click()
    table = pg.locator("#pb-docs-table")
    table.get_by_text("青禾县计量方案（贯彻落实）").filter(visible=True).first.wait_for()
    assert table.get_by_text(re.compile("^新计量券办法（贯彻落实）")).filter(visible=True).count() >= 1
    assert table.get_by_text(re.compile("^已被替代（2025年1月1日）")).filter(visible=True).count() >= 1
    shot(pg, "lifecycle-03-documents")
