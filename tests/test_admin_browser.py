"""The admin desk in a real browser (Playwright, system Chromium), logged in to the admin app:
delete with confirmation, undo, delete + rebuild keeps a document gone, a metadata edit seen in a
citation of the public app, the import preview, the refused-question list and its CSV.

Each test works on documents it uploads itself (through the admin API, to save time), never on the
shipped ones the other UI tests read.  Screenshots go to ``test-output/screenshots/admin-*.png``.
"""
from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser_fixtures import browser, sync_api  # noqa: F401
from tests.ui_fixtures import (  # noqa: F401
    ADMIN_AUTH,
    SCREENSHOT_DIR,
    admin_client,
    admin_server,
    ui_data_dir,
    ui_server,
)

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000
gradio_client = pytest.importorskip("gradio_client")


def _context(browser, base: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, locale="zh-CN", accept_downloads=True)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
    return context


@pytest.fixture
def admin_page(browser, admin_server: str) -> Iterator:
    """The admin app, logged in."""
    context = _context(browser, admin_server)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.goto(admin_server)
    pg.locator("input[type=password]").wait_for()
    pg.locator("input[type=text], input:not([type])").first.fill(ADMIN_AUTH[0])
    pg.locator("input[type=password]").fill(ADMIN_AUTH[1])
    pg.locator("button", has_text=re.compile("Login|登录")).first.click()
    pg.wait_for_selector("#pb-remove-doc")
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture
def public_page(browser, ui_server: str) -> Iterator:
    context = _context(browser, ui_server)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.goto(ui_server)
    pg.wait_for_selector("#pb-question textarea")
    try:
        yield pg
    finally:
        context.close()


def shot(pg, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SCREENSHOT_DIR / f"admin-{name}.png"), full_page=True)


def upload(admin_server: str, tmp_path: Path, stem: str, text: str) -> Path:
    from gradio_client import handle_file

    path = tmp_path / f"{stem}.txt"
    path.write_text(text, encoding="utf-8")
    out = admin_client(admin_server).predict([handle_file(str(path))], False, api_name="/upload")
    assert out[0]["data"][0][1] == "新增", out[0]["data"]
    return path


def doc_ids(admin_server: str) -> set[str]:
    table = admin_client(admin_server).predict(api_name="/documents")
    ident = table["headers"].index("文档ID")
    return {row[ident] for row in table["data"]}


def cleanup(admin_server: str, doc_id: str) -> None:
    if doc_id in doc_ids(admin_server):
        admin_client(admin_server).predict(doc_id, api_name="/remove")


def pick(pg, elem_id: str, label: str) -> None:
    """Choose an option of a Gradio dropdown by typing part of its label."""
    box = pg.locator(f"#{elem_id} input").first
    box.click()
    box.fill(label)
    pg.get_by_role("option", name=re.compile(re.escape(label))).first.click()


def visible_text(pg, elem_id: str, text: str):
    """A visible cell/line of ``#elem_id`` with ``text`` (dataframes keep hidden sizing copies)."""
    return pg.locator(f"#{elem_id}").get_by_text(text).filter(visible=True).first


def cn(tag: str) -> str:
    """A hex tag in Chinese characters: a title with Latin letters is not taken for a title by the parser."""
    return tag.translate(str.maketrans("0123456789abcdef", "零一二三四五六七八九甲乙丙丁戊己"))


def doc_text(stem: str, tag: str, title: str = "测试县质量奖励办法") -> str:
    return (f"{title}\n第一条 为鼓励企业参与白鹭{tag}质量提升行动，制定本办法。\n"
            f"第二条 获得白鹭{tag}县长质量奖的企业奖励二十万元。\n第三条 本办法由县市场监管局负责解释。\n")


def test_delete_asks_for_confirmation_and_can_be_undone(admin_page, admin_server: str, ui_data_dir: Path,
                                                        tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:6]
    stem = f"admin-undo-{tag}"
    upload(admin_server, tmp_path, stem, doc_text(stem, tag))
    pg = admin_page
    try:
        pg.click("#pb-docs-refresh")
        visible_text(pg, "pb-docs-table", stem).wait_for()
        pg.reload()
        pg.wait_for_selector("#pb-remove-doc")
        pick(pg, "pb-remove-doc", "测试县质量奖励办法")
        pg.click("#pb-remove-btn")
        question = pg.locator("#pb-remove-question")
        question.get_by_text("确定删除").wait_for()
        assert stem in question.inner_text() and "撤销删除" in question.inner_text()
        shot(pg, "01-delete-confirm")
        assert stem in doc_ids(admin_server), "the first click removes nothing"

        pg.click("#pb-remove-cancel")  # changing one's mind
        pg.locator("#pb-remove-status").get_by_text("已取消删除").wait_for()
        assert not pg.locator("#pb-remove-confirm").is_visible()
        assert stem in doc_ids(admin_server)

        pg.click("#pb-remove-btn")
        pg.click("#pb-remove-confirm")
        pg.locator("#pb-remove-status").get_by_text("已删除").wait_for()
        assert stem not in doc_ids(admin_server)
        assert not (ui_data_dir / "uploads" / f"{stem}.txt").exists()  # the upload left uploads/ (kept in the trash)
        assert pg.locator("#pb-remove-doc input").first.input_value() == "", "the picker keeps no removed id"
        pg.locator("#pb-docs-table").get_by_text(stem, exact=True).filter(visible=True).wait_for(state="detached")
        assert stem in pg.locator("#pb-trash-doc input").first.input_value()  # ready for 撤销删除
        shot(pg, "02-deleted")

        pg.click("#pb-undo-btn")
        pg.locator("#pb-remove-status").get_by_text("已恢复").wait_for()
        assert stem in doc_ids(admin_server)
        assert (ui_data_dir / "uploads" / f"{stem}.txt").is_file()
        visible_text(pg, "pb-docs-table", stem).wait_for()
        shot(pg, "03-undone")
    finally:
        cleanup(admin_server, stem)


def test_delete_then_rebuild_keeps_the_document_gone(admin_page, admin_server: str, ui_data_dir: Path,
                                                     tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:6]
    stem = f"admin-gone-{tag}"
    upload(admin_server, tmp_path, stem, doc_text(stem, tag, title=f"测试县{cn(tag)}删除重建办法"))
    pg = admin_page
    pg.reload()
    pg.wait_for_selector("#pb-remove-doc")
    pick(pg, "pb-remove-doc", f"测试县{cn(tag)}删除重建办法")
    pg.click("#pb-remove-btn")
    pg.click("#pb-remove-confirm")
    pg.locator("#pb-remove-status").get_by_text("已删除").wait_for()
    before = doc_ids(admin_server)
    assert stem not in before

    pg.click("#pb-rebuild-btn")
    pg.locator("#pb-rebuild-status").get_by_text("重建完成").wait_for(timeout=300_000)
    shot(pg, "04-rebuilt")
    assert doc_ids(admin_server) == before  # exactly the collection as it was: the removed one stays gone
    assert not list((ui_data_dir / "uploads").glob(f"{stem}*"))
    assert pg.locator("#pb-trash-doc input").first.input_value() == ""
    pg.click("#pb-trash-doc input")
    assert pg.get_by_role("option", name=re.compile(stem)).count() == 0  # no undo after a rebuild


def test_metadata_edit_shows_in_public_citations(admin_page, public_page, admin_server: str, tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:6]
    stem = f"admin-meta-{tag}"
    upload(admin_server, tmp_path, stem, doc_text(stem, tag, title=f"测试县{cn(tag)}元数据办法"))
    new_title = f"白鹭县{cn(tag)}质量奖励办法"
    try:
        pg = admin_page
        pg.reload()
        pg.get_by_role("tab", name="元数据").click()
        pick(pg, "pb-meta-doc", f"测试县{cn(tag)}元数据办法")
        title_box = pg.locator("#pb-meta-title textarea, #pb-meta-title input").first
        pg.wait_for_function("el => el.value.includes('元数据办法')", arg=title_box.element_handle())
        title_box.fill(new_title)
        pg.locator("#pb-meta-short-name textarea, #pb-meta-short-name input").first.fill(f"白鹭奖办法{tag}")
        pg.locator("#pb-meta-aliases textarea, #pb-meta-aliases input").first.fill(f"白鹭县奖{tag}")
        pg.locator("#pb-meta-region textarea, #pb-meta-region input").first.fill("白鹭县")
        pg.locator("#pb-meta-doc-number textarea, #pb-meta-doc-number input").first.fill(f"白市监〔2024〕{tag}号")
        pg.locator("#pb-meta-date textarea, #pb-meta-date input").first.fill("2024-05-20")
        pg.click("#pb-meta-save")
        pg.locator("#pb-meta-status").get_by_text("已保存").wait_for(timeout=120_000)
        assert "仅此文档" in pg.locator("#pb-meta-status").inner_text()
        pg.locator("#pb-meta-info").get_by_text("已由管理员修改").wait_for()
        shot(pg, "05-meta-saved")

        pub = public_page
        pub.fill("#pb-question textarea", f"获得白鹭{tag}县长质量奖的企业奖励多少？")
        pub.click("#pb-send")
        source = pub.locator("#pb-sources details.pb-source").first
        source.wait_for(state="attached")
        text = pub.locator("#pb-sources").inner_text() + source.evaluate("el => el.textContent")
        assert new_title in text, text
        assert f"《{new_title}》（白鹭县，2024）" in source.evaluate("el => el.textContent")
        assert f"白市监〔2024〕{tag}号" in source.evaluate("el => el.textContent")
        shot(pub, "06-public-citation")
    finally:
        cleanup(admin_server, stem)


def test_preview_shows_title_metadata_and_outline_without_importing(admin_page, admin_server: str,
                                                                    tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:6]
    path = tmp_path / f"admin-preview-{tag}.txt"
    path.write_text(f"测试市{cn(tag)}计量托管服务办法\n测市监〔2024〕8号\n第一条 为推进计量托管，制定本办法。\n"
                    "第二条 市市场监管局负责组织实施。\n第三条 本办法自2024年5月1日起施行。\n", encoding="utf-8")
    pg = admin_page
    pg.set_input_files("#pb-upload-files input[type=file]", str(path))
    pg.locator("#pb-upload-files").get_by_text(path.name).first.wait_for()
    pg.click("#pb-preview-btn")
    preview = pg.locator("#pb-preview")
    preview.get_by_text("条款大纲").wait_for()
    text = preview.inner_text()
    assert f"测试市{cn(tag)}计量托管服务办法" in text and "测市监〔2024〕8号" in text
    assert "第一条" in text and "第二条" in text and "第三条" in text and "共 3 条" in text
    shot(pg, "07-preview")
    assert path.stem not in doc_ids(admin_server)  # parse only: nothing was imported


def test_refused_questions_and_unhelpful_feedback_are_listed_and_exported(admin_page, public_page,
                                                                          admin_server: str) -> None:
    tag = uuid.uuid4().hex[:6]
    question = f"山东省的质量强省建设纲要提出了哪些目标？（编号{tag}）"  # no Shandong document: refused
    pub = public_page
    pub.fill("#pb-question textarea", question)
    pub.click("#pb-send")
    pub.locator("#pb-chatbot").get_by_text("未找到").first.wait_for()
    pub.locator("#pb-comment textarea, #pb-comment input").first.fill(f"缺山东文件{tag}")
    pub.click("#pb-dislike")
    pub.locator("#pb-feedback-status").get_by_text("已记录").wait_for()

    pg = admin_page
    pg.get_by_role("tab", name="用户未解决的问题").click()
    pg.click("#pb-review-refresh")
    visible_text(pg, "pb-refused", question).wait_for()
    visible_text(pg, "pb-unhelpful", f"缺山东文件{tag}").wait_for()
    shot(pg, "08-review")

    pg.click("#pb-refused-export")
    link = pg.locator("#pb-refused-csv a").first
    link.wait_for()
    href = link.get_attribute("href")
    assert href and ".csv" in href
    with pg.expect_download() as info:
        link.click()
    data = Path(info.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and question in data.decode("utf-8-sig")
    assert urllib.parse.urlparse(href).path  # a served file, behind the admin login


def test_admin_review_is_not_reachable_without_login(admin_server: str) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    req = urllib.request.Request(admin_server + "gradio_api/call/review", data=b'{"data": []}', method="POST",
                                 headers={"Content-Type": "application/json"})
    try:
        with opener.open(req, timeout=10) as resp:
            status = resp.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    assert status == 401
