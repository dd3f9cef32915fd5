"""Lexical stage of hybrid search: BM25 over the stored segments' term postings.

The segments keep raw term frequencies and row lengths (txtai ``scoring/terms.py`` shape); the
scores are computed here at query time from the statistics of the *live* rows of every segment
(row count, average length, document frequency), so a base segment, deltas and tombstones score
exactly like one index built over the live rows.  The arithmetic follows bm25s (Lucene variant,
k1=1.2, b=0.75, float32 scores) step for step, so the scores are bit-identical to ``bm25s.BM25``
over the same tokens (tested against it: ``tests/bm25_reference.py``).
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ingest.text.segment import Segmenter, current_segmenter

if TYPE_CHECKING:
    from bot.retrieval.snapshot import SegmentView

K1 = 1.2
B = 0.75


class SegmentBM25:
    """Scores every row of a snapshot for a query in one pass over the query terms' postings."""

    def __init__(self, views: tuple[SegmentView, ...], size: int, segmenter: Segmenter | None = None) -> None:
        self.views = views
        self.size = size
        self.segmenter = segmenter or current_segmenter()  # the snapshot's: queries segment like its rows
        self.dl = np.zeros(size, dtype=np.int32)
        self.live = np.zeros(size, dtype=bool)  # the active version of its document
        for v in views:
            self.dl[v.offset:v.offset + v.seg.rows] = v.seg.dl
            self.live[v.offset:v.offset + v.seg.rows] = v.live
        self.n = int(self.live.sum())
        self.avgdl = self.dl[self.live].mean() if self.n else np.float64(1.0)
        # the length normalisation of every row over all live rows, computed once per snapshot (the same
        # float64 operations, in the same order, as per query: the scores stay bit-identical)
        self.norm = K1 * ((1 - B) + B * self.dl / self.avgdl)
        self.all_live = tuple(bool(v.live.all()) for v in views)  # no tombstones: postings need no filter

    def scores(self, query: str, expansions: Sequence[str] = (), weight: float = 1.0,
               scope: np.ndarray | None = None, nearer: Sequence[str] = (), near_weight: float = 0.0) -> np.ndarray:
        """BM25 of every row for ``query``; the words in ``expansions`` (thesaurus words the question
        does not use itself) count with ``weight`` — weaker evidence than the question's own words — and
        those in ``nearer`` (word-vector neighbours) with ``near_weight``, weaker still.

        With ``scope`` (a row mask: the documents a question names), the statistics — row count,
        average length, document frequency — are those of the rows in scope: how a word ranks the items
        of 天津实施意见 then depends on 天津实施意见 alone, not on how many other documents the
        collection holds.  Rows outside the scope score 0."""
        if not self.size:
            return np.zeros(0, dtype=np.float32)
        out = np.zeros(self.size, dtype=np.float32)
        n, avgdl = self.n, self.avgdl
        if scope is not None:
            live_scope = scope & self.live
            n = int(live_scope.sum())
            avgdl = self.dl[live_scope].mean() if n else np.float64(1.0)
        if not n:
            return out
        own = self.segmenter.tokenize(query)
        extra = dict.fromkeys(t for w in expansions for t in self.segmenter.tokenize(w) if t not in own)
        near = dict.fromkeys(t for w in nearer for t in self.segmenter.tokenize(w) if t not in own and t not in extra)
        for tok, scale in [*((t, None) for t in own), *((t, weight) for t in extra), *((t, near_weight) for t in near)]:
            # a repeated query word counts again, as in bm25s
            found = []
            df = 0
            for v, all_live in zip(self.views, self.all_live, strict=True):
                post = v.seg.postings(tok)
                if post is None:
                    continue
                rows, tfs = np.asarray(post[0]), np.asarray(post[1])
                if scope is not None or not all_live:
                    keep = v.live[rows] if scope is None else v.live[rows] & scope[rows + v.offset]
                    rows, tfs = rows[keep], tfs[keep]
                df += len(rows)
                found.append((rows + v.offset if v.offset else rows, tfs))
            if not df:
                continue
            idf = np.float64(np.float32(math.log(1 + (n - df + 0.5) / (df + 0.5))))
            for rows, tfs in found:
                tf = tfs.astype(np.float32)
                norm = self.norm[rows] if scope is None else K1 * ((1 - B) + B * self.dl[rows] / avgdl)
                term = (idf * (tf / (norm + tf))).astype(np.float32)
                out[rows] += term if scale is None else (term * scale).astype(np.float32)
        return out
