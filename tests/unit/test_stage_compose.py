"""From retrieved clauses to the final answer (bot/answer/compose.py) without an LLM: the extractive
answer in the question's script, and the clauses a model would see.  Through ``answer_stream`` and
``context_clauses``: how the question's analysis reaches this stage is being changed (issue 23)."""
from __future__ import annotations

import pytest

from bot.answer.compose import answer_stream, context_clauses, localize
from bot.answer.schemas import Answer
from bot.retrieval.analysis import analyze
from bot.retrieval.types import SearchResult
from bot.settings import Settings
from tests.unit.handmade import GUANGDONG, TIANJIN, catalog, hit

pytestmark = pytest.mark.unit


@pytest.fixture
def no_llm(tmp_path) -> Settings:
    return Settings(POLICYBOT_DATA_DIR=str(tmp_path), OPENAI_BASE_URL=None, OPENAI_API_KEY=None)  # type: ignore[arg-type]


def test_without_an_llm_one_final_extractive_answer(no_llm):
    question = "计量托管服务由哪个部门负责？"
    result = SearchResult([hit("二3"), hit("三6")], analyze(question, catalog()))
    answers = list(answer_stream(question, result, catalog(), no_llm))
    assert len(answers) == 1 and answers[0].done and answers[0].mode == "extractive"
    assert answers[0].lead == "由市市场监管委负责。"


def test_a_traditional_question_gets_its_answer_in_traditional(no_llm):
    question = "計量託管服務由哪個部門負責？"
    result = SearchResult([hit("二3")], analyze(question, catalog()))
    (answer,) = answer_stream(question, result, catalog(), no_llm)
    assert answer.lead == "由市市場監管委負責。"
    assert answer.citations[0].text.startswith("3.开展计量托管服务")  # the quoted clause keeps its own script


def test_localize_converts_answer_and_lead_only():
    answer = localize(Answer(question="質量獎怎麼發？", answer="给予奖励", lead="有。"))
    assert (answer.answer, answer.lead) == ("給予獎勵", "有。")


def test_a_comparison_shows_the_model_each_named_document_in_the_questions_order():
    question = "天津实施意见和广东标准措施对企业奖励分别怎么规定？"
    analysis = analyze(question, catalog())
    assert analysis.compare
    hits = [hit(item, score=1 - i / 10) for i, item in enumerate(["二4", "一1", "一2", "二3", "三5", "三6"])]
    hits.append(hit("二、", GUANGDONG, score=0.1))  # ranked seventh: past the six the model sees
    shown = context_clauses(question, SearchResult(hits, analysis), catalog())
    assert [c.doc_id for c in shown] == [TIANJIN.doc_id] * 6 + [GUANGDONG.doc_id]
    assert shown[-1].item == "二、"
