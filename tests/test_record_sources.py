"""A 文件信息 record is read from the text: a metadata answer cites the header, notice or sign-off it was read
from, quoting the lines that state the 文号, the date and the bodies that sign.

The documents here are made up; the integration test asks of a shipped one in wording of our own.
"""
from __future__ import annotations

import pytest

from bot.retrieval.answer_types.metadata import record_sources, stated_facts
from ingest.models import Clause, ClauseKind, DocMeta

DOC = DocMeta(doc_id="sq-2024", title="某市质量强市建设实施方案", region="某市", date="2024-03-01",
              doc_number="某政办发〔2024〕3号", issuers=["某市人民政府办公室", "某市市场监管局"])


def _clause(n: int, kind: ClauseKind, text: str, item: str) -> Clause:
    return Clause(clause_id=f"{DOC.doc_id}#{n}", doc_id=DOC.doc_id, doc_title=DOC.title, item=item, kind=kind,
                  text=text, search_text=text, numbers=[], ladder=[], order=n, doc=DOC)


RECORD = _clause(0, "docinfo", "文件名称：《某市质量强市建设实施方案》", "文件信息")
NOTICE = _clause(1, "notice", "某政办发〔2024〕3号\n各区人民政府，市政府各部门：\n现将《某市质量强市建设实施方案》印发给你们，"
                              "请认真贯彻执行。", "通知")
ITEM = _clause(2, "item", "一、加强品牌建设。到2024年3月1日前完成摸底。", "一、")
SIGNOFF = _clause(3, "signoff", "市政府办公室\n市市场监管局\n2024年3月1日\n（此件公开发布）", "落款")
CLAUSES = [RECORD, NOTICE, ITEM, SIGNOFF]


@pytest.mark.unit
def test_the_lines_that_state_the_record() -> None:
    pieces, facts = stated_facts(DOC, SIGNOFF)
    # the date brings the signature block above it; the colophon states nothing
    assert pieces == ["市政府办公室", "市市场监管局", "2024年3月1日"] and facts == {"date", "issuers"}
    pieces, facts = stated_facts(DOC, NOTICE)
    assert pieces == ["某政办发〔2024〕3号"] and facts == {"number"}  # the addressees are no issuers


@pytest.mark.unit
def test_the_passages_cited_beside_a_record() -> None:
    found = record_sources(RECORD, CLAUSES)
    # the sign-off states most, the header adds the 文号; an item's dates are content, not the record's source
    assert [c.item for c, _ in found] == ["落款", "通知"]
    assert record_sources(RECORD, [RECORD, ITEM]) == []


@pytest.mark.integration
def test_a_metadata_answer_cites_the_sign_off_it_was_read_from(bot) -> None:
    answer = bot.answer("六部门那份民企质量基础设施意见是哪些单位联合印发的？")
    assert answer.citations[0].item_label == "文件信息"
    signoff = next(c for c in answer.citations if c.item_label == "落款")
    assert "工业和信息化部" in answer.answer and "原文：" in answer.answer
    assert "2021年9月28日" in signoff.highlights and "2021年9月28日" in signoff.text


@pytest.mark.integration
def test_a_question_about_the_document_is_not_partial_for_the_context_it_names(bot) -> None:
    """"要在申报材料里引用…文号是多少" asks the 文号: the materials it names are its context, not a second question."""
    answer = bot.answer("我们要在申报材料里引用国家那份民企质量意见，它的文号是多少？")
    assert not answer.partial and "国市监质发〔2021〕62号" in answer.answer
