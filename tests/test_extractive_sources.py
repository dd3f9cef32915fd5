"""Which clauses the composed answer quotes when ranking and sentence evidence disagree."""
from __future__ import annotations

import pytest

from bot.answer.extractive import SECOND_SOURCE_MARGIN, extractive_answer
from bot.retrieval import SearchHit, SearchResult
from bot.retrieval.analysis import analyze
from bot.retrieval.catalog import DocumentCatalog
from ingest.models import Clause, DocMeta

pytestmark = pytest.mark.unit

DOC = DocMeta(doc_id="zj-2023", title="某区质量强企行动方案", short_name="某区方案", region="浙江省", date="2023-10-16")
QUESTION = "某区方案拿什么来衡量质量工作的成效？"


def _clause(n: int, item: str, text: str) -> Clause:
    return Clause(clause_id=f"{DOC.doc_id}#{n}", doc_id=DOC.doc_id, doc_title=DOC.title, item=item, kind="item",
                  text=text, search_text=text, numbers=[1, n], ladder=["cn", "paren_cn"], order=n, doc=DOC)


GENERAL = _clause(1, "一（一）", "（一）坚持系统观念。统筹推进质量工作，围绕重点行业开展质量提升行动，形成工作合力。")
MEASURE = _clause(3, "一（三）", "（三）坚持效果导向。以企业的认可度、满意度作为衡量质量工作成效的准绳，让服务惠及广大企业。")
OTHER = _clause(5, "四（五）", "（五）营造浓厚氛围。用好质量月等活动载体，加强宣传，扩大政策知晓度。")


def _answer(runner_up_gap: float):
    hits = [SearchHit(GENERAL, 1.0, rerank=5.0), SearchHit(MEASURE, 0.9, rerank=5.0 - runner_up_gap),
            SearchHit(OTHER, 0.8, rerank=2.0)]
    result = SearchResult(hits=hits, analysis=analyze(QUESTION, [DOC]), answerable_floor=None)
    return extractive_answer(QUESTION, result, DocumentCatalog(metas=(DOC,)))


def test_a_close_runner_up_that_carries_the_question_better_is_quoted_and_cited():
    a = _answer(runner_up_gap=SECOND_SOURCE_MARGIN - 0.1)
    assert [c.item for c in a.citations] == ["一（一）", "一（三）"]
    assert "认可度、满意度" in a.answer and "[2]" in a.answer
    assert all(s.item != "一（三）" for s in a.see_also)


def test_a_distant_runner_up_is_not_quoted():
    a = _answer(runner_up_gap=SECOND_SOURCE_MARGIN + 0.5)
    assert [c.item for c in a.citations] == ["一（一）"]
    assert "认可度" not in a.answer.split("另见")[0]
