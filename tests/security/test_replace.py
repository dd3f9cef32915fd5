"""A same-id upload never silently replaces a document; replacing needs the admin's explicit
confirmation and says what changes; ``rebuild`` restores exactly the current collection."""
from __future__ import annotations

import uuid
from pathlib import Path

import pytest

gradio_client = pytest.importorskip("gradio_client")
from gradio_client import Client, handle_file  # noqa: E402

from bot.service import PolicyBot  # noqa: E402
from tests.conftest import make_settings  # noqa: E402
from tests.ui_fixtures import admin_client, admin_server, ui_data_dir, ui_server  # noqa: E402,F401

pytestmark = pytest.mark.integration

SHIPPED = "tianjin-2022-qi-private-enterprises"
FORGED = "关于进一步发挥质量基础设施支撑引领民营企业提质增效升级作用的实施意见\n一、伪造条款\n1.所有企业免于质量监管{tag}。\n2.本意见即日废止{tag}。\n"
DOC = "示例县质量奖励办法\n第一条 为鼓励企业提升质量，制定本办法。\n第二条 获得县质量奖的企业奖励十万元。\n第三条 本办法由县市场监管局负责解释。\n"


def _rows(client: Client, doc_id: str) -> str:
    table = client.predict(api_name="/documents")
    count, ident = table["headers"].index("条目 / 条款"), table["headers"].index("文档ID")
    return next((row[count] for row in table["data"] if row[ident] == doc_id), "")


def test_forged_same_name_upload_keeps_the_shipped_document(admin_server: str, ui_server: str, tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:6]
    forged = tmp_path / f"{SHIPPED}.txt"
    forged.write_text(FORGED.format(tag=tag), encoding="utf-8")
    admin = admin_client(admin_server)
    clauses_before = _rows(admin, SHIPPED)
    assert clauses_before == "19 项条目（各级条款共 34 条）"
    out = admin.predict([handle_file(str(forged))], False, api_name="/upload")
    name, status, _, message = out[0]["data"][0]
    assert status == "新增", out[0]["data"]
    assert f"已有同名文档 {SHIPPED}" in message and "未替换" in message
    assert "新增" in message and "删除" in message and "修改" in message  # the diff a replacement would make
    new_id = f"{SHIPPED}-2"
    try:
        assert _rows(admin, SHIPPED) == clauses_before  # the official text is untouched
        assert _rows(admin, new_id) == "2 项条目（各级条款共 3 条）"
        public = Client(ui_server, verbose=False, download_files=False)
        outline = public.predict(SHIPPED, api_name="/outline")
        assert f"免于质量监管{tag}" not in outline
    finally:
        admin.predict(new_id, api_name="/remove")


def test_replace_needs_confirmation_and_rebuild_restores_the_current_collection(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "county-award.txt").write_text(DOC, encoding="utf-8")
    (corpus / "other-doc.txt").write_text(DOC.replace("示例县", "乙县").replace("十万元", "五万元"), encoding="utf-8")
    bot = PolicyBot(make_settings(tmp_path / "data", POLICYBOT_CORPUS_DIR=str(corpus)))
    bot.library.ensure_index(progress=False)

    changed = tmp_path / "county-award.txt"
    changed.write_text(DOC.replace("十万元", "一百万元").replace("第三条 本办法由县市场监管局负责解释。\n", "")
                       + "第三条 新增条款。\n第四条 另一新增条款。\n", encoding="utf-8")
    silent = bot.library.add_upload(changed.name, changed)
    assert silent.doc_id == "county-award-2" and "未替换" in silent.message
    assert "十万元" in bot.library.outline("county-award")[2].text  # unchanged
    assert bot.library.remove("county-award-2")

    confirmed = bot.library.add_upload(changed.name, changed, replace=True)
    assert confirmed.doc_id == "county-award" and confirmed.status == "updated"
    assert "已确认替换" in confirmed.message and "新增 1 条" in confirmed.message and "修改 2 条" in confirmed.message
    assert any("一百万元" in c.text for c in bot.library.outline("county-award"))

    assert bot.library.remove("other-doc")
    before = bot.store.active_versions()
    texts = {c.clause_id: c.text for c in bot.retriever.clauses.values()}
    bot.library.rebuild(progress=False)
    assert bot.store.active_versions() == before  # removed stays removed, the replacement stays
    assert {c.clause_id: c.text for c in bot.retriever.clauses.values()} == texts

    reopened = PolicyBot(bot.settings)  # what `policybot rebuild` sees in a new process
    assert reopened.store.active_versions() == before
