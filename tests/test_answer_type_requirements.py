"""The ``requirements`` answer type (申报条件 / 申请材料): its cues, its rank, its lead line and its prompt.

The questions are applicants' phrasing of our own (质量奖, 标准化试点, 计量, 认证 …), not the questions of
the evaluation set.
"""
from __future__ import annotations

import pytest

from bot.answer.leads import lead
from bot.answer.prompting import guidance
from bot.retrieval.answer_types import by_name, requirements
from bot.retrieval.catalog import DocumentCatalog
from bot.retrieval.intent import QuestionIntent, classify
from ingest.models import Clause, DocMeta
from ingest.text.script import to_traditional
from prompts import load_prompt

pytestmark = pytest.mark.unit

DOC = DocMeta(doc_id="sq-2024", title="某市质量奖管理办法", short_name="某市质量奖办法", region="某市", date="2024-03-01")
CATALOG = DocumentCatalog(metas=(DOC,), numbering={DOC.doc_id: "cn"})


def _clause(n: int, text: str) -> Clause:
    return Clause(clause_id=f"{DOC.doc_id}#{n}", doc_id=DOC.doc_id, doc_title=DOC.title, item=f"第{n}条", kind="item",
                  text=text, search_text=text, numbers=[n], ladder=["cn"], order=n, doc=DOC)


CONDITIONS = _clause(6, "第六条 申报企业应当具备以下条件：在本市依法登记注册满三年；近三年未发生重大质量事故。")
MATERIALS = _clause(8, "第八条 申报时应提交申报表、质量管理自评报告及相关证明材料复印件。")
NEITHER = _clause(2, "第二条 质量奖每两年评选一次，每次表彰不超过十家组织。")


@pytest.mark.parametrize("question", [
    "申请质量奖需要什么条件？",
    "申报要交哪些材料？",
    "质量奖的申报条件是什么？",
    "标准化试点的申请资格有哪些要求？",
    "企业要满足什么条件才能评上质量标杆？",
    "评选质量奖的门槛高不高？",
    "申请计量器具型式批准要准备什么材料？",
    "办理认证补贴需要提供哪些证明？",
    "申报材料清单在哪里看？",
])
def test_eligibility_and_material_questions_ask_for_requirements(question: str):
    assert classify(question).answer_type == "requirements"
    assert classify(to_traditional(question)).answer_type == "requirements"


@pytest.mark.parametrize("question,answer_type,secondary", [
    ("我们小厂有资格申请质量奖吗？", "yesno", ()),  # whether one qualifies is still a yes-no question
    ("哪些企业可以申报质量奖？", "yesno", ()),  # who may apply, not what it takes
    ("申报条件有哪些？", "requirements", ("list",)),  # the conditions, not a list of anything
    ("怎么申请质量奖，要准备什么材料？", "requirements", ("procedure",)),
    ("申报质量奖需要什么条件，由哪个部门受理？", "responsible", ("requirements",)),
    ("符合条件的企业最多奖励多少钱？", "quantity", ("yesno",)),  # 符合条件 describes, it does not ask
])
def test_the_rank_against_the_neighbouring_types(question: str, answer_type: str, secondary: tuple[str, ...]):
    intent = classify(question)
    assert (intent.answer_type, intent.secondary) == (answer_type, secondary)


def _lead(question: str, clause: Clause) -> str:
    from bot.retrieval.analysis import analyze

    analysis = analyze(question, [DOC])
    return lead(analysis.intent or QuestionIntent(), clause, CATALOG, analysis.content_grams())


def test_the_lead_says_whether_conditions_or_materials_follow():
    assert _lead("申请质量奖需要什么条件？", CONDITIONS) == requirements.CONDITIONS_LEAD
    assert _lead("申报质量奖要交哪些材料？", MATERIALS) == requirements.MATERIALS_LEAD
    assert _lead("申报质量奖要交哪些材料？", CONDITIONS) == ""  # the clause states no material
    assert _lead("申请质量奖需要什么条件？", NEITHER) == ""


def test_it_is_registered_with_its_prompt():
    t = by_name("requirements")
    assert t is requirements.TYPE and t.precedence < by_name("yesno").precedence
    assert guidance("requirements", []) == load_prompt("guidance_requirements")
    assert "条件" in load_prompt("guidance_requirements") and "材料" in load_prompt("guidance_requirements")
