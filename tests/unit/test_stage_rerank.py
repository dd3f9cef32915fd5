"""The second stage (bot/retrieval/rerank.py) on hand-made candidates: its features say what the
clause holds for the question, and a linear score over them re-sorts the head of the list.

Kept apart from the other stage tests: the answer-type features are being reshaped into a registry
(issue 23); these tests go through ``analyze`` and :class:`Reranker`, not the type's internals."""
from __future__ import annotations

import numpy as np
import pytest

from bot.retrieval.analysis import analyze
from bot.retrieval.rerank import FEATURES, POOL, Reranker, RerankWeights, features, shipped_weights, word_cover
from bot.retrieval.types import SearchHit
from tests.unit.handmade import TIANJIN, catalog, hit

pytestmark = pytest.mark.unit


def column(name: str) -> int:
    return FEATURES.index(name)


def test_word_cover_counts_words_as_such_and_as_an_alternative_only():
    words = [("计量", ("检测",)), ("奖励", ("资助",)), ("火星", ())]
    assert word_cover(words, "开展计量托管，给予资助") == (1 / 3, 1 / 3)
    assert word_cover([], "任何文本") == (0.0, 0.0)


def test_features_describe_each_candidate():
    analysis = analyze("天津实施意见计划培育多少家建立首席质量官制度的企业？", catalog())
    hits = [hit("一1", score=0.5, dense=0.9, lexical=4.0), hit("二3", score=0.25, dense=0.85, lexical=1.0),
            hit("文件信息", score=0.1)]
    rows = features(analysis, hits)
    assert rows.shape == (3, len(FEATURES))
    assert rows[:, column("fused")].tolist() == [1.0, 0.5, 0.2]
    assert rows[:, column("first")].tolist() == [1.0, 0.0, 0.0]
    assert rows[1, column("dense")] == pytest.approx(-1.0)  # (0.85 - 0.9) × 20
    assert rows[2, column("dense")] == -2.0  # no similarity at all
    assert rows[:, column("lexical")].tolist() == [1.0, 0.25, 0.0]
    assert rows[:, column("quantity_fit")].tolist() == [1.0, 0.0, 0.0]  # "500家" answers 多少家
    assert rows[:, column("docinfo_other")].tolist() == [0.0, 0.0, 1.0]
    assert rows[0, column("body")] > rows[1, column("body")]
    assert rows[:, column("named_doc")].tolist() == [1.0, 1.0, 1.0]
    assert features(analysis, []).shape == (0, len(FEATURES))


def test_a_responsible_question_fits_a_clause_that_lists_bodies():
    analysis = analyze("计量托管服务由哪个部门负责？", catalog())
    rows = features(analysis, [hit("二3"), hit("一2")])
    assert rows[:, column("responsible_fit")].tolist() == [1.0, 0.0]


def test_the_reranker_resorts_by_its_weights_and_records_the_score():
    analysis = analyze("首席质量官制度的企业", catalog())
    hits = [hit("三5", score=0.9), hit("一1", score=0.5)]
    out = Reranker(RerankWeights.from_dict({"body": 1.0})).run(analysis, hits)
    assert [h.clause.item for h in out] == ["一1", "三5"]
    assert out[0].rerank is not None and out[0].rerank > out[1].rerank  # type: ignore[operator]
    # the fused order wins when the weights say so
    again = Reranker(RerankWeights.from_dict({"fused": 1.0})).run(analysis, [hit("三5", score=0.9), hit("一1", score=0.5)])
    assert [h.clause.item for h in again] == ["三5", "一1"]


def test_only_the_pool_is_resorted_and_short_lists_are_left_alone():
    analysis = analyze("首席质量官", catalog())
    weights = RerankWeights.from_dict({"fused": -1.0})  # reverses whatever it sorts
    hits = [SearchHit(hit("一1").clause.model_copy(update={"clause_id": f"{TIANJIN.doc_id}:{i}"}), 100.0 - i)
            for i in range(POOL + 5)]
    out = Reranker(weights).run(analysis, list(hits))
    assert [h.score for h in out[:POOL]] == sorted(h.score for h in hits[:POOL])
    assert out[POOL:] == hits[POOL:]
    one = [hit("一1")]
    assert Reranker(weights).run(analysis, one) == one and one[0].rerank is None


def test_the_shipped_weights_name_every_feature():
    weights = shipped_weights()
    assert weights is not None and weights.values.shape == (len(FEATURES),)
    assert np.isfinite(weights.values).all()
