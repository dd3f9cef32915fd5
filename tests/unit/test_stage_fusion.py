"""The fusion stage (bot/retrieval/fusion.py) on hand-made score arrays: reciprocal ranks from both
lists, the phrase boost, and the round-robin of a comparison."""
from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest

from bot.retrieval.fusion import RRF_K, boost_phrases, diversify, rrf, top_positions
from bot.retrieval.types import SearchHit
from tests.unit.handmade import GUANGDONG, TIANJIN, hit

pytestmark = pytest.mark.unit


def test_top_positions_are_the_n_highest_unordered():
    scores = np.array([0.1, 5.0, 3.0, -1.0, 4.0])
    assert set(top_positions(scores, 3).tolist()) == {1, 2, 4}
    assert set(top_positions(scores, 10).tolist()) == set(range(5))
    assert len(top_positions(np.zeros(0), 3)) == 0


def test_rrf_adds_one_over_k_plus_rank_from_each_list():
    lex = np.array([0.0, 2.0, 1.0, 0.0])  # rank 1: part 1, rank 2: part 2; zero scores are not candidates
    dense = {2: 0.9, 3: 0.8, 0: 0.95}
    in_scope = np.array([False, True, True, True])  # part 0 is outside the scope: its dense hit is ignored
    fused = rrf(lex, dense, in_scope)
    assert set(fused) == {1, 2, 3}
    assert fused[1] == pytest.approx(1 / (RRF_K + 1))
    assert fused[2] == pytest.approx(1 / (RRF_K + 2) + 1 / (RRF_K + 1))  # found by both: first overall
    assert fused[3] == pytest.approx(1 / (RRF_K + 2))
    assert max(fused, key=fused.__getitem__) == 2


def test_a_quoted_phrase_lifts_the_parts_that_contain_it_even_from_bm25s_wider_list():
    texts = {0: "计量托管服务", 1: "首席质量官", 2: "开展计量托管"}
    fused: defaultdict[int, float] = defaultdict(float, {1: 0.05})  # what rrf returns
    lex = np.array([0.5, 1.0, 0.2])
    boost_phrases(fused, ["计量托管"], lex, texts.__getitem__)
    assert fused[0] == pytest.approx(1 / RRF_K) and fused[2] == pytest.approx(1 / RRF_K)
    assert fused[1] == 0.05
    before = dict(fused)
    boost_phrases(fused, [], lex, texts.__getitem__)
    assert fused == before


def test_diversify_alternates_the_named_documents_then_the_rest():
    tj = [hit("一1", score=0.9), hit("一2", score=0.8), hit("二3", score=0.7)]
    gd = [hit("一、", GUANGDONG, score=0.6)]
    other = SearchHit(tj[0].clause.model_copy(update={"doc_id": "elsewhere"}), 0.5)
    out = diversify([*tj, *gd, other], [GUANGDONG.doc_id, TIANJIN.doc_id])
    assert [(h.clause.doc_id, h.clause.item) for h in out] == [
        (GUANGDONG.doc_id, "一、"), (TIANJIN.doc_id, "一1"), (TIANJIN.doc_id, "一2"), (TIANJIN.doc_id, "二3"),
        ("elsewhere", "一1")]
