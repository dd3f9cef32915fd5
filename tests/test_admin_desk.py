"""The admin desk in the service: faithful removal (trash, undo until the next rebuild), metadata
overrides that survive rebuilds and re-index one document, import preview, the refused-question log.

The browser side of the same points is ``tests/test_admin_browser.py``.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.answer.text_form import plain_text
from bot.service import PolicyBot
from bot.service.admin import NotAllowed
from bot.service.review import FEEDBACK_HEADERS, REFUSED_HEADERS, csv_bytes, refused_rows, unhelpful_rows
from ingest.catalog import clean_override, combined_entry, load_overrides, save_overrides
from tests.conftest import make_settings

DOC = "示例县质量奖励办法\n第一条 为鼓励企业提升质量，制定本办法。\n第二条 获得县质量奖的企业奖励十万元。\n第三条 本办法由县市场监管局负责解释。\n"
OTHER = "乙县标准化资助办法\n第一条 为推动标准化工作，制定本办法。\n第二条 主导制定国家标准的企业资助二十万元。\n"


@pytest.fixture
def desk(tmp_path: Path) -> PolicyBot:
    """A shipped corpus of one document plus one upload (``county-award``)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "other-doc.txt").write_text(OTHER, encoding="utf-8")
    bot = PolicyBot(make_settings(tmp_path / "data", POLICYBOT_CORPUS_DIR=str(corpus), POLICYBOT_ADMIN_PASSWORD="pw"))
    bot.library.ensure_index(progress=False)
    upload = tmp_path / "county-award.txt"
    upload.write_text(DOC, encoding="utf-8")
    assert bot.library.add_upload(upload.name, upload).status == "added"
    return bot


# ----- pure parts -----------------------------------------------------------------------------------
@pytest.mark.unit
def test_clean_override_keeps_editable_fields_and_splits_aliases() -> None:
    got = clean_override({"short_name": " 示例县奖励办法 ", "aliases": "县奖办法，奖励办法、县奖办法", "region": "",
                          "date": "2024-03-01", "content_hash": "x", "level": "县"})
    assert got == {"short_name": "示例县奖励办法", "aliases": ["县奖办法", "奖励办法"], "date": "2024-03-01",
                   "level": "县"}
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        clean_override({"date": "2024年3月"})


@pytest.mark.unit
def test_overrides_win_over_the_catalog_and_are_written_atomically(tmp_path: Path) -> None:
    assert combined_entry({"title": "甲", "region": "天津市"}, {"region": "滨海新区"}) == {
        "title": "甲", "region": "滨海新区", "sources": {"region": "admin"}}
    assert combined_entry(None, None) is None
    path = tmp_path / "catalog_overrides.json"
    save_overrides(path, {"b": {"region": "乙"}, "a": {"short_name": "甲"}, "empty": {}})
    assert load_overrides(path) == {"a": {"short_name": "甲"}, "b": {"region": "乙"}}
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.unit
def test_review_rows_and_csv() -> None:
    rows = refused_rows([{"time": "t1", "question": "q1", "answer": "a1", "reason_text": "没有检索到条款"},
                         {"time": "t2", "question": "q2", "answer": "a2", "reason": "llm"}])
    assert rows[0][:2] == ["t2", "q2"] and rows[1][3] == "没有检索到条款"
    fb = unhelpful_rows([{"rating": "up", "question": "好"}, {"rating": "down", "time": "t", "question": "q",
                                                                "answer": "a", "comment": "不对，\"第三条\"呢"}])
    assert fb == [["t", "q", "a", "不对，\"第三条\"呢"]]
    data = csv_bytes(FEEDBACK_HEADERS, fb)
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the BOM
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(FEEDBACK_HEADERS) and '"不对，""第三条""呢"' in text
    assert csv_bytes(REFUSED_HEADERS, []).decode("utf-8-sig").strip() == ",".join(REFUSED_HEADERS)


# ----- deletion, undo, rebuild --------------------------------------------------------------------
@pytest.mark.integration
def test_delete_then_rebuild_keeps_the_document_gone(desk: PolicyBot) -> None:
    lib = desk.library
    uploads = desk.settings.uploads_dir
    lib.set_meta("county-award", {"short_name": "县奖办法"})
    assert "county-award" in lib.overrides()
    assert lib.remove("county-award", user="admin")
    assert not (uploads / "county-award.txt").exists()  # its upload is gone from uploads/ …
    assert "county-award" not in lib.overrides()  # … and its catalog override
    assert [t.doc_id for t in lib.removed()] == ["county-award"]
    assert lib.removed()[0].file is not None and lib.removed()[0].user == "admin"

    lib.rebuild(progress=False)
    assert set(desk.store.active_versions()) == {"other-doc"}
    assert lib.removed() == []  # after a rebuild a removal is final
    assert not desk.settings.trash_dir.exists() or not any(desk.settings.trash_dir.iterdir())
    again = PolicyBot(desk.settings)  # `policybot rebuild` in a new process: still gone
    again.library.rebuild(progress=False)
    assert set(again.store.active_versions()) == {"other-doc"}
    assert not any(c.doc_id == "county-award" for c in again.retriever.parts)


@pytest.mark.integration
def test_undo_delete_restores_records_file_and_override(desk: PolicyBot) -> None:
    lib = desk.library
    lib.set_meta("county-award", {"short_name": "县奖办法", "region": "示例县"})
    before = desk.store.active_versions()["county-award"]
    texts = [c.text for c in lib.outline("county-award")]
    assert lib.remove("县奖办法")  # by its (overridden) short name
    assert "county-award" not in desk.store.active_versions()
    assert not any(c.doc_id == "county-award" for c in desk.search("县质量奖奖励多少", 5))

    embedded = []
    desk.store.embedder.embed_passages = lambda texts: embedded.append(texts)  # type: ignore[method-assign]
    ok, message = lib.restore("county-award")
    assert ok and "已恢复" in message and "县奖办法" in message
    assert embedded == []  # records come back as they were: nothing is embedded again
    assert desk.store.active_versions()["county-award"] == before
    assert [c.text for c in lib.outline("county-award")] == texts
    assert (desk.settings.uploads_dir / "county-award.txt").is_file()
    assert lib.overrides()["county-award"] == {"short_name": "县奖办法", "region": "示例县"}
    assert lib.removed() == []
    assert lib.restore("county-award")[0] is False  # nothing left to undo


@pytest.mark.integration
def test_undo_is_refused_when_the_id_was_taken_again(desk: PolicyBot, tmp_path: Path) -> None:
    lib = desk.library
    assert lib.remove("county-award")
    again = tmp_path / "again" / "county-award.txt"
    again.parent.mkdir()
    again.write_text(DOC.replace("十万元", "二十万元"), encoding="utf-8")
    assert lib.add_upload(again.name, again).doc_id == "county-award"
    ok, message = lib.restore("county-award")
    assert not ok and "已有同一编号" in message
    assert any("二十万元" in c.text for c in lib.outline("county-award"))  # the new one stays


@pytest.mark.integration
def test_removing_a_shipped_document_leaves_its_file_and_rebuild_keeps_it_removed(desk: PolicyBot) -> None:
    corpus_file = desk.settings.corpus_dir / "other-doc.txt"
    assert desk.library.remove("other-doc")
    assert corpus_file.is_file()  # the shipped data may be read-only: only the index changes
    assert desk.library.removed()[0].origin == "corpus"
    desk.library.rebuild(progress=False)
    assert set(desk.store.active_versions()) == {"county-award"}


# ----- metadata -----------------------------------------------------------------------------------
@pytest.mark.integration
def test_metadata_edit_shows_in_citations_survives_rebuild_and_reindexes_one_document(desk: PolicyBot) -> None:
    lib = desk.library
    other_version = desk.store.active_versions()["other-doc"]
    result = lib.set_meta("county-award", {
        "title": "示例县质量奖励办法（修订）", "short_name": "县奖办法", "aliases": "县质量奖办法，示例县奖励办法",
        "region": "示例县", "level": "县", "doc_number": "示市监〔2024〕3号", "date": "2024-03-01"})
    assert result.status == "updated" and "仅此文档" in result.message, result
    assert desk.store.active_versions()["other-doc"] == other_version  # only this document was re-indexed

    def check() -> None:
        cites = desk.search("县质量奖奖励多少钱", 5)
        c = next(c for c in cites if c.doc_id == "county-award")
        assert c.doc_name == "县奖办法" and c.doc_title == "示例县质量奖励办法（修订）"
        assert c.citation.startswith("《示例县质量奖励办法（修订）》（示例县，2024）")
        assert c.doc_number == "示市监〔2024〕3号" and c.date == "2024-03-01"
        assert desk.library.resolve("县质量奖办法") == "county-award"  # an alias finds it
        doc = next(d for d in desk.library.documents() if d["doc_id"] == "county-award")
        assert doc["level"] == "县" and "简称:管理员修改" in doc["provenance"] and "目录" not in doc["provenance"]

    check()
    lib.rebuild(progress=False)
    check()  # the override survives a rebuild …
    check_new = PolicyBot(desk.settings)  # … and a new process
    assert next(m for m in check_new.library.metas() if m.doc_id == "county-award").short_name == "县奖办法"

    unchanged = lib.set_meta("county-award", {"short_name": "县奖办法"})
    assert unchanged.status == "unchanged"
    lib.set_meta("county-award", {"short_name": ""})  # an emptied field drops its override
    assert "short_name" not in lib.overrides()["county-award"]
    assert lib.overrides()["county-award"]["region"] == "示例县"  # the others stay
    assert next(m for m in lib.metas() if m.doc_id == "county-award").short_name == ""


@pytest.mark.integration
def test_metadata_edit_refuses_bad_input(desk: PolicyBot) -> None:
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        desk.library.set_meta("county-award", {"date": "去年"})
    with pytest.raises(ValueError, match="找不到文档"):
        desk.library.set_meta("no-such-doc", {"region": "甲"})
    assert desk.library.overrides() == {}


# ----- preview ------------------------------------------------------------------------------------
@pytest.mark.integration
def test_preview_parses_without_indexing(desk: PolicyBot, tmp_path: Path) -> None:
    before = desk.store.active_versions()
    path = tmp_path / "new-rules.txt"
    path.write_text("示例市计量托管服务办法\n第一条 为推进计量托管，制定本办法。\n第二条 市市场监管局负责组织实施。\n"
                    "第三条 本办法自2024年5月1日起施行。\n", encoding="utf-8")
    parsed, note = desk.library.preview(path.name, path)
    assert parsed.meta.title == "示例市计量托管服务办法" and note == ""
    items = [c.item for c in parsed.clauses if c.kind == "item"]
    assert items == ["第一条", "第二条", "第三条"]
    assert desk.store.active_versions() == before and not (desk.settings.uploads_dir / path.name).exists()

    same = tmp_path / "county-award.txt"
    same.write_text(DOC + "第四条 新增条款。\n", encoding="utf-8")
    _, note = desk.library.preview(same.name, same)
    assert "已有同名文档 county-award" in note and "新增 1 条" in note
    with pytest.raises(Exception, match="不支持"):
        bad = tmp_path / "x.exe"
        bad.write_bytes(b"MZ")
        desk.library.preview(bad.name, bad)


# ----- refused questions and admin checks ---------------------------------------------------------
@pytest.mark.integration
def test_refused_questions_are_logged(desk: PolicyBot) -> None:
    answer = desk.answer("火星移民签证怎么办理？")
    assert answer.refused
    desk.answer("")  # an input error is not a refusal of the collection
    entries = desk.refusals.entries()
    assert [e["question"] for e in entries] == ["火星移民签证怎么办理？"]
    assert entries[0]["answer"] == plain_text(answer) and "供参考：\n[1] 《" in entries[0]["answer"]
    assert entries[0]["reason"] == answer.refusal_reason
    assert entries[0]["time"].startswith("20")
    desk.record_refusals = False  # `policybot eval`: test questions are not users' questions
    assert desk.answer("火星移民签证怎么办理？").refused
    assert len(desk.refusals.entries()) == 1
    desk.feedback.record(answer, "down", "没找到")
    assert unhelpful_rows(desk.feedback.entries())[0][1:] == ["火星移民签证怎么办理？", plain_text(answer), "没找到"]


@pytest.mark.integration
def test_admin_actions_check_the_user_and_are_audited(desk: PolicyBot, tmp_path: Path) -> None:
    actions = desk.admin_actions
    for call in (lambda: actions.restore(None, "county-award"), lambda: actions.set_meta(None, "county-award", {}),
                 lambda: actions.preview("intruder", "x.txt", tmp_path / "x.txt"),
                 lambda: actions.check_reader(None, "refused")):
        with pytest.raises(NotAllowed):
            call()
    assert actions.remove("admin", "county-award")
    assert actions.restore("admin", "county-award")[0]
    job = actions.set_meta("admin", "county-award", {"region": "示例县"})
    assert job.finished.wait(120) and job.result is not None and job.result.status == "updated"
    log = [(r["action"], r["result"]) for r in desk.audit.entries()]
    assert ("remove", "removed") in log and ("restore", "restored") in log and ("meta", "updated") in log
    assert ("meta", "refused: not authenticated") in log


@pytest.mark.integration
def test_cli_meta_sets_and_shows(desk: PolicyBot, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from bot.cli import main
    from bot.settings import reset_settings

    monkeypatch.setenv("POLICYBOT_DATA_DIR", str(desk.settings.data_dir))
    monkeypatch.setenv("POLICYBOT_CORPUS_DIR", str(desk.settings.corpus_dir))
    reset_settings()
    try:
        assert main(["meta", "county-award", "--short-name", "县奖办法", "--region", "示例县", "--level", "县"]) == 0
        out = capsys.readouterr()
        assert "已修改" in out.err and "县奖办法  （覆盖）" in out.out
        assert main(["meta", "县奖办法", "--json"]) == 0
        shown = json.loads(capsys.readouterr().out)
        assert shown["override"] == {"short_name": "县奖办法", "region": "示例县", "level": "县"}
        assert main(["meta", "county-award", "--clear", "region"]) == 0
        capsys.readouterr()
        assert main(["meta", "county-award", "--date", "昨天"]) == 2
        assert main(["meta", "county-award", "--clear", "colour"]) == 2
    finally:
        reset_settings()
    assert load_overrides(desk.settings.overrides_file)["county-award"] == {"short_name": "县奖办法", "level": "县"}
