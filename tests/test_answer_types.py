"""The composed extractive answer, pinned per answer type on questions of our own (not the dev set)."""
from __future__ import annotations

import pytest

from ingest.text.script import is_traditional

pytestmark = pytest.mark.integration


def ask(bot, question):
    return bot.answer(question)


def test_responsible_body_question_leads_with_the_bodies(bot):
    a = ask(bot, "天津实施意见里双随机一公开监管由哪些部门负责？")
    assert a.lead == "由市市场监管委负责。" and a.answer.startswith(a.lead)
    assert a.citations[0].item == "二（九）19"


@pytest.mark.parametrize("question,figure,item", [
    ("瓯海方案提出要重点服务几家企业争创市级以上政府质量奖？", "5家", "二（一）"),
    ("天津质量强市纲要提出到2025年天津质量奖获奖企业要达到多少家？", "45家", "一（二）"),
])
def test_quantity_question_leads_with_the_number(bot, question, figure, item):
    a = ask(bot, question)
    assert figure in a.lead and a.answer.startswith(a.lead)
    assert a.citations[0].item == item
    assert len(a.answer) <= 400


def test_yes_no_question_says_yes_and_what_the_measure_is(bot):
    a = ask(bot, "广东那份措施有没有支持企业参与国际标准制定？")
    assert a.answer.startswith("有。") and "国际标准" in a.answer
    assert a.citations[0].doc_id.startswith("guangdong") and a.citations[0].item == "九、"


@pytest.mark.parametrize("question,expected", [
    ("广东那份文件里讲技术性贸易壁垒的是第几条？", "第八条"),
    ("廣東那份文件裡講技術性貿易壁壘的是第幾條？", "第八條"),  # the user's unit, in the user's script
    ("天津质量强市纲要中讲建筑材料质量的是第几项？", "第十四项"),
])
def test_locate_question_names_the_item_in_the_users_unit(bot, question, expected):
    a = ask(bot, question)
    assert expected in a.lead and a.lead in a.answer


def test_missing_clause_number_says_so_and_shows_the_outline(bot):
    a = ask(bot, "天津实施意见第99条讲什么")
    assert a.refused and a.refusal_reason == "no_such_item" and not a.citations
    first, *rest = a.answer.splitlines()
    assert first == "天津实施意见共 19 项条目（各级条款共 34 条），没有第99条。"
    assert "全文目录：" in rest and any("15.加强反不正当竞争和反垄断执法" in line for line in rest)


def test_document_record_answers_questions_about_the_document_only(bot):
    meta = ask(bot, "瓯海方案的文号是什么？")
    assert meta.citations[0].kind == "docinfo" and "文号" in meta.lead and "2023-10-16" in meta.lead
    content = ask(bot, "天津2024纲要对首席质量官有什么要求？")
    assert content.citations and all(c.kind != "docinfo" for c in content.citations)
    assert "首席质量官" in content.answer


@pytest.mark.parametrize("question,order", [
    ("广东文件和瓯海方案在质量奖方面分别怎么说？", ["广东走出去措施", "瓯海千百行动方案"]),
    ("瓯海方案和广东文件在质量奖方面分别怎么说？", ["瓯海千百行动方案", "广东走出去措施"]),
])
def test_comparison_has_one_block_per_document_in_the_order_asked(bot, question, order):
    a = ask(bot, question)
    blocks = [line for line in a.answer.splitlines() if line.startswith("【")]
    assert [b[1 : b.index("】")] for b in blocks] == order
    assert {c.doc_id.split("-")[0] for c in a.citations} == {"guangdong", "wenzhou"}


def test_a_place_that_came_with_a_documents_name_names_that_document_only(bot):
    # 天津 holds two documents; "天津纲要" names one of them, so the other gets no block of its own
    a = ask(bot, "天津纲要和瓯海方案在品牌建设上，两边说法有啥不同？")
    blocks = [line for line in a.answer.splitlines() if line.startswith("【")]
    assert [b[1 : b.index("】")] for b in blocks] == ["天津质量强市纲要", "瓯海千百行动方案"]
    assert all(c.doc_id != "tianjin-2022-qi-private-enterprises" for c in a.citations)


def test_a_named_document_without_a_relevant_clause_is_not_silent(bot):
    a = ask(bot, "国家意见和瓯海方案在“品字标”方面分别怎么说？")
    assert "【国家民企质量意见】未涉及这一点。" in a.answer
    assert {c.doc_id.split("-")[0] for c in a.citations} == {"wenzhou"}  # 瓯海 names 品字标 in two items


@pytest.mark.parametrize("question,traditional", [
    ("国家那份意见对计量服务有什么规定？", False),  # the national document is in traditional script
    ("國家那份意見對計量服務有什麼規定？", True),
    ("天津实施意见对计量托管有什么说法？", False),
    ("天津實施意見對計量託管有什麼說法？", True),
])
def test_the_whole_answer_is_in_the_questions_script(bot, question, traditional):
    a = ask(bot, question)
    assert not a.refused and is_traditional(a.answer) == traditional
    assert any(is_traditional(c.text) for c in a.citations) == a.citations[0].doc_id.startswith("national")


def test_a_year_the_collection_does_not_hold_is_said_first(bot):
    a = ask(bot, "天津2019年的实施意见对首席质量官有什么要求？")
    assert a.answer.startswith("已收录文件中没有2019年的该文件")
    assert a.citations  # and the document that is there still answers


def test_lookup_quotes_the_clause_with_its_record(bot):
    a = ask(bot, "天津实施意见第15条讲什么")
    assert a.citations[0].item == "二（八）15" and "发布机关：天津市市场监管委" in a.answer
    assert a.citations[0].text in a.answer


@pytest.mark.parametrize("question", ["瓯海方案的落款日期是什么时候？", "甌海那個行動方案是哪個單位印發的？落款日期呢？"])
def test_the_documents_record_answers_a_question_about_its_signature(bot, question):
    # 落款 (the signature block) asks for the issuer and date; the 文件信息 record states them, so the answer is
    # no partial "未写明", however little of the question's wording the record shares
    a = ask(bot, question)
    assert not a.refused and not a.partial
    assert "2023年10月16日" in a.answer and a.citations[0].kind == "docinfo"


def test_a_question_about_a_documents_term_is_not_answered_by_its_record(bot):
    a = ask(bot, "广东这份2020年的政策措施有没有写有效期？过期以后还继续执行吗？")
    assert a.refused or a.partial or "有效" in a.answer  # the record states no term: never its 文号 and date alone


def test_a_question_about_the_document_rests_on_its_record_not_on_the_best_clause(bot):
    # the attachment line of 天津实施意见 outranks its record, but holds no date: the record answers
    a = ask(bot, "天津实施意见是哪个单位印发的？落款日期是什么时候？")
    assert not a.partial and "2022年7月22日" in a.answer
