"""The admin login page is in Chinese whatever the browser's language (bot/ui/locale.py)."""
from __future__ import annotations

import pytest

from tests.browser_fixtures import browser, sync_api  # noqa: F401
from tests.ui_fixtures import ADMIN_AUTH, admin_server, ui_data_dir, ui_server  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_login_page_and_its_messages_are_chinese(browser, admin_server: str, locale: str) -> None:
    context = browser.new_context(locale=locale)
    try:
        pg = context.new_page()
        pg.set_default_timeout(30_000)
        pg.goto(admin_server)
        pg.get_by_role("heading", name="登录").wait_for()
        text = pg.locator("body").inner_text()
        assert "用户名" in text and "密码" in text and "文档管理：请使用管理员账号登录" in text
        assert "Login" not in text and "Username" not in text and "Password" not in text
        if locale != "en-US":
            return  # one wrong login only: the shared app's failed-login brake counts them
        pg.locator("input").first.fill(ADMIN_AUTH[0])
        pg.locator("input[type=password]").fill("wrong-password")
        pg.keyboard.press("Enter")
        pg.get_by_text("凭据不正确").wait_for()
        assert "Incorrect" not in pg.locator("body").inner_text()
    finally:
        context.close()
