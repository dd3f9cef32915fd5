"""Lexical stage of hybrid search: BM25 over the stored segments' term postings.

The segments keep raw term frequencies and row lengths (txtai ``scoring/terms.py`` shape); the
scores are computed here at query time from the statistics of the *live* rows of every segment
(row count, document frequency, and each document's average row length), so a base segment, deltas
and tombstones score exactly like one index built over the live rows.  The arithmetic follows bm25s
(Lucene variant, k1=1.2, b=0.75, float32 scores) step for step, except that a row's length is
normalised by its own document's average: within one document the scores are bit-identical to
``bm25s.BM25`` over the same tokens, and across documents they equal the reference written out in
``tests/bm25_reference.py``.
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
        # Length is normalised within each document: a policy's items are long and a regulation's articles
        # short by the style of the text, not by how much of a question they match by chance.  Over all rows,
        # every short-article document added to the collection would lower the average and push the long
        # items of every other document down.
        doc_avgdl = np.ones(size, dtype=np.float64)
        for v in views:
            bounds = v.seg.doc_rows
            for i in range(len(bounds) - 1):
                lo, hi = v.offset + int(bounds[i]), v.offset + int(bounds[i + 1])
                live = self.live[lo:hi]
                if live.any():
                    doc_avgdl[lo:hi] = self.dl[lo:hi][live].mean()
        self.norm = K1 * ((1 - B) + B * self.dl / doc_avgdl)  # once per snapshot
        self.all_live = tuple(bool(v.live.all()) for v in views)  # no tombstones: postings need no filter

    def scores(self, query: str, expansions: Sequence[str] = (), weight: float = 1.0,
               scope: np.ndarray | None = None, nearer: Sequence[str] = (), near_weight: float = 0.0) -> np.ndarray:
        """BM25 of every row for ``query``; the words in ``expansions`` (thesaurus words the question
        does not use itself) count with ``weight`` — weaker evidence than the question's own words — and
        those in ``nearer`` (word-vector neighbours) with ``near_weight``, weaker still.

        With ``scope`` (a row mask: the documents a question names), the statistics — row count and
        document frequency; lengths are per document anyway — are those of the rows in scope: how a word
        ranks the items of 天津实施意见 then depends on 天津实施意见 alone, not on how many other documents
        the collection holds.  Rows outside the scope score 0."""
        if not self.size:
            return np.zeros(0, dtype=np.float32)
        out = np.zeros(self.size, dtype=np.float32)
        n = self.n
        if scope is not None:
            n = int((scope & self.live).sum())
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
                norm = self.norm[rows]
                term = (idf * (tf / (norm + tf))).astype(np.float32)
                out[rows] += term if scale is None else (term * scale).astype(np.float32)
        return out
