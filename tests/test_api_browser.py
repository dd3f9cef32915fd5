"""A clause link from an API response (``ClauseOut.url``: ``/?clause=<id>``) opens the page on the
条款检索 tab showing that clause with its neighbours, in headless Chromium."""
from __future__ import annotations

import pytest

from bot.api.models import clause_url
from tests.browser_fixtures import browser, sync_api  # noqa: F401
from tests.ui_fixtures import SCREENSHOT_DIR, ui_data_dir, ui_server  # noqa: F401

pytestmark = pytest.mark.browser


def test_clause_link_opens_the_lookup_tab_on_the_clause(browser, ui_server: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(ui_server) else route.abort())
    try:
        pg = context.new_page()
        pg.set_default_timeout(30_000)
        pg.goto(clause_url(ui_server, "tianjin-2022-qi-private-enterprises:二（八）15"))
        first = pg.locator("#pb-lookup-results article.pb-card").first
        first.wait_for()
        assert first.get_attribute("data-item") == "二（八）15" and "加强反不正当竞争和反垄断执法" in first.inner_text()
        assert pg.get_by_role("tab", name="条款检索").get_attribute("aria-selected") == "true"
        assert "天津实施意见" in pg.locator("#pb-lookup-query textarea, #pb-lookup-query input").first.input_value()
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(SCREENSHOT_DIR / "api-clause-link.png"))
        pg.goto(clause_url(ui_server, "no-such-doc:1"))  # an unknown id leaves the page as it is
        pg.wait_for_selector("#pb-question textarea")
        assert pg.get_by_role("tab", name="智能问答").get_attribute("aria-selected") == "true"
    finally:
        context.close()
