"""The lexical stage: BM25 over segment postings, with live rows, per-document lengths, scope statistics and
weighted expansions.

Two hand-made "segments" (postings of search tokens, row lengths, a live mask) stand in for the stored
ones; the arithmetic is checked against BM25's own formula and its properties, not against itself.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pytest

from bot.retrieval.lexical import K1, B, SegmentBM25
from ingest.text.segment import tokenize

pytestmark = pytest.mark.unit


@dataclass
class _Seg:
    texts: list[str]
    doc_rows: np.ndarray | None = None  # where each document's rows start (default: one document)

    def __post_init__(self) -> None:
        self.tokens = [tokenize(t) for t in self.texts]
        self.rows = len(self.texts)
        self.dl = np.array([len(t) for t in self.tokens], dtype=np.int32)
        if self.doc_rows is None:
            self.doc_rows = np.array([0, self.rows])

    def postings(self, token: str) -> tuple[np.ndarray, np.ndarray] | None:
        rows = [i for i, toks in enumerate(self.tokens) if token in toks]
        if not rows:
            return None
        return np.array(rows), np.array([self.tokens[i].count(token) for i in rows])


@dataclass
class _View:
    seg: _Seg
    offset: int
    live: np.ndarray


TEXTS = ["开展计量技术服务，建设计量测试平台。", "推进质量品牌建设。", "加强标准化工作。", "强化知识产权保护。"]


def _bm25(texts: list[list[str]], live: list[bool] | None = None, doc_rows: list[list[int]] | None = None
          ) -> SegmentBM25:
    views, offset = [], 0
    bounds = doc_rows or [[0, len(t)] for t in texts]
    for group, flags, rows in zip(texts, live or [[True] * len(t) for t in texts], bounds, strict=True):
        seg = _Seg(group, np.array(rows))
        views.append(_View(seg, offset, np.array(flags)))
        offset += seg.rows
    return SegmentBM25(tuple(views), offset)


def test_the_row_that_holds_the_word_scores_by_the_bm25_formula():
    bm = _bm25([TEXTS])
    s = bm.scores("计量")
    assert s.argmax() == 0 and (s[1:] == 0).all()
    seg = bm.views[0].seg
    expected = 0.0
    for tok in tokenize("计量"):  # the word and its character bigram
        tf = seg.tokens[0].count(tok)
        idf = math.log(1 + (4 - 1 + 0.5) / (1 + 0.5))
        expected += idf * tf / (K1 * ((1 - B) + B * seg.dl[0] / seg.dl.mean()) + tf)
    assert s[0] == pytest.approx(expected, rel=1e-5)


def test_two_segments_score_like_one_and_a_tombstone_scores_nothing():
    one = _bm25([TEXTS], doc_rows=[[0, 2, 4]]).scores("建设")  # two documents in one segment …
    split = _bm25([TEXTS[:2], TEXTS[2:]]).scores("建设")  # … or one in each of two
    np.testing.assert_allclose(one, split, rtol=1e-6)
    dead = _bm25([TEXTS], [[False, True, True, True]]).scores("建设")
    assert dead[0] == 0 and dead[1] > 0


def test_scope_statistics_do_not_depend_on_rows_outside_it():
    small = _bm25([TEXTS[:2]]).scores("建设")
    grown = _bm25([TEXTS[:2] + ["建设工程质量。", "建设项目。", "基础设施建设。"]], doc_rows=[[0, 2, 5]])
    scope = np.array([True, True, False, False, False])  # the first document
    scoped = grown.scores("建设", scope=scope)
    np.testing.assert_allclose(scoped[:2], small, rtol=1e-6)
    assert (scoped[2:] == 0).all()


def test_an_expansion_counts_less_than_the_question_own_word():
    bm = _bm25([TEXTS])
    own = bm.scores("知识产权")[3]
    expanded = bm.scores("保障", expansions=["知识产权"], weight=0.35)[3]
    assert 0 < expanded == pytest.approx(0.35 * own, rel=1e-5)


def test_neighbours_count_below_expansions_and_never_twice():
    bm = _bm25([TEXTS])
    plain = bm.scores("计量")
    as_neighbour = bm.scores("标准", nearer=["计量"], near_weight=0.25)
    np.testing.assert_allclose(as_neighbour[0], 0.25 * plain[0], rtol=1e-5)
    as_expansion = bm.scores("标准", ["计量"], 0.35, nearer=["计量"], near_weight=0.25)
    np.testing.assert_allclose(as_expansion[0], 0.35 * plain[0], rtol=1e-5)  # an expansion already: not again
    own = bm.scores("计量", nearer=["计量"], near_weight=0.25)
    np.testing.assert_allclose(own, plain, rtol=1e-6)  # the question's own word: not again either


def test_a_rows_length_counts_against_its_own_documents_average():
    """Another document of short rows changes no row's length normalisation — only the IDF."""
    long_items = ["开展计量技术服务，建设计量测试平台，完善计量标准体系，提升企业计量能力。", "推进质量品牌建设。"]
    alone = _bm25([long_items])
    grown = _bm25([long_items + ["计量。", "建设。", "标准。"]], doc_rows=[[0, 2, 5]])
    np.testing.assert_allclose(alone.norm, grown.norm[:2])
    whole = _bm25([long_items + ["计量。", "建设。", "标准。"]])  # as one document: the short rows lower the average
    assert whole.norm[0] > alone.norm[0]
