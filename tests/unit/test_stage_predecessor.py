"""“之前的规划是不是就作废了？”: what a document says it ended, or a partial answer when it names nothing
(bot/answer/status_answer.py: asks_predecessor, predecessor_answer)."""
from __future__ import annotations

import pytest

from bot.answer.status_answer import asks_predecessor, asks_status, predecessor_answer
from ingest.links import Link
from ingest.status import DocStatus
from tests.unit.handmade import TIANJIN, clauses_of

pytestmark = pytest.mark.unit

IN_FORCE = DocStatus(state="现行有效", on="2026-12-05", since="2023-06-01", source="施行日期 2023-06-01（正文）")
LINES = [
    "天津市关于推进质量提升的实施意见",
    "一、主要目标",
    "1.到2025年，建立首席质量官制度的企业达到500家以上。",
    "二、附则",
    "2.本意见自2023年6月1日起施行，《天津市质量发展规划》同时废止。",
]


@pytest.mark.parametrize("question", [
    "天津实施意见出台以后，之前的质量发展规划是不是就作废了？",
    "这份意见是用来替代以前哪一份文件的？",
    "原來的規劃還算數嗎，是不是被新意見取代了",  # traditional script
])
def test_questions_about_an_earlier_document_are_recognised(question):
    assert asks_predecessor(question)


@pytest.mark.parametrize("question", [
    "天津实施意见还有效吗？",  # the document's own status: the status answer
    "以前拿过质量奖的企业还能再申报吗？",  # an earlier event, nothing ended
    "证书失效了怎么办",
])
def test_other_questions_are_not(question):
    assert not asks_predecessor(question)
    assert asks_status("天津实施意见还有效吗？")


def test_a_document_that_names_what_it_repealed_says_so_and_cites_the_clause():
    clauses = clauses_of(TIANJIN, LINES)
    link = Link(TIANJIN.doc_id, "废止", None, "天津市质量发展规划", "")
    a = predecessor_answer("之前的质量发展规划是不是作废了", TIANJIN, IN_FORCE, clauses, [link])
    assert not a.partial
    assert a.answer.startswith("天津实施意见写明废止《天津市质量发展规划》。 [1]")
    assert [c.item for c in a.citations] == ["二2"]
    assert "现行有效" in a.answer and a.answer.count("[1]") == 2  # the status rests on the same clause


def test_a_document_that_names_none_gets_a_partial_answer_not_a_yes_or_no():
    clauses = clauses_of(TIANJIN, LINES[:3])
    a = predecessor_answer("之前的质量发展规划是不是作废了", TIANJIN, IN_FORCE, clauses, [])
    assert a.partial and a.notice
    assert a.answer.splitlines()[0] == "已收录文件未写明天津实施意见替代或废止了哪份文件，相关规定如下："
    assert "现行有效" in a.answer and a.citations


def test_a_term_asked_of_a_document_that_states_none_is_a_partial_answer():
    from bot.answer.status_answer import status_answer

    clauses = clauses_of(TIANJIN, LINES)
    asked = status_answer("天津实施意见有效期到哪一年？", TIANJIN, IN_FORCE, clauses)
    assert asked.partial and asked.answer.startswith("已收录文件未写明天津实施意见的有效期")
    assert "现行有效" in asked.answer  # the status inferred from its dates still follows
    assert not status_answer("天津实施意见还有效吗？", TIANJIN, IN_FORCE, clauses).partial  # in force: that is stated
    # in force after a given year asks for its term too
    assert status_answer("天津实施意见到2025年以后还有效吗？", TIANJIN, IN_FORCE, clauses).partial
    with_term = IN_FORCE.model_copy(update={"until": "2028-05-31"})
    assert not status_answer("天津实施意见有效期到哪一年？", TIANJIN, with_term, clauses).partial


def test_two_named_documents_and_an_ending_word_ask_about_the_newer_ones_references():
    from bot.answer.status_answer import newer_of_two_named
    from bot.retrieval.analysis import analyze
    from bot.retrieval.types import SearchResult
    from tests.unit.handmade import GUANGDONG, catalog

    dates = {TIANJIN.doc_id: TIANJIN.date, GUANGDONG.doc_id: GUANGDONG.date}  # 2023 and 2020

    def newer(question: str) -> str | None:
        return newer_of_two_named(question, SearchResult([], analyze(question, catalog())), dates)

    assert newer("天津实施意见出台以后，广东标准措施是不是就作废了？") == TIANJIN.doc_id
    assert newer("廣東標準措施是不是被天津實施意見取代了？") == TIANJIN.doc_id  # either order, traditional script
    assert newer("天津实施意见和广东标准措施对国际标准怎么说？") is None  # no word for ending a document
    assert newer("天津实施意见是不是作废了？") is None  # one document: its own status answers


def test_a_record_field_asked_beside_the_status_is_answered_from_the_record():
    """"有没有文号？现在还有效吗？" asks two things: the status line, then the record's 文号/日期/机关, each cited."""
    from bot.answer.status_answer import asks_record_too, status_answer

    clauses = clauses_of(TIANJIN, LINES)
    both = status_answer("天津实施意见有没有文号？现在还有效吗？", TIANJIN, IN_FORCE, clauses)
    assert "现行有效" in both.answer and "文号：" in both.answer and "发布机关：天津市人民政府" in both.answer
    assert [c.item for c in both.citations][-1] == "文件信息"
    assert asks_record_too("这份纲要是谁发的，还有效吗")
    only = status_answer("天津实施意见还有效吗？", TIANJIN, IN_FORCE, clauses)
    assert "文号：" not in only.answer and not asks_record_too("天津实施意见现在还有效吗？")
