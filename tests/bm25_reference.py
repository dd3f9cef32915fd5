"""bm25s over a fixed list of texts: the reference the segment scores (bot/retrieval/lexical.py) are
tested against.  bm25s is a test dependency only (the ``test`` extra): the product computes the same
scores itself from the segments' postings."""
from __future__ import annotations

import math

import bm25s
import numpy as np

from bot.retrieval.lexical import K1, B
from ingest.text.segment import Segmenter, current_segmenter


class BM25Index:
    """bm25s.BM25 (same k1, b and tokens) over ``texts``."""

    def __init__(self, texts: list[str], segmenter: Segmenter | None = None) -> None:
        self.segmenter = segmenter or current_segmenter()
        self.size = len(texts)
        self.model = bm25s.BM25(k1=K1, b=B)
        tokens = [self.segmenter.tokenize(t) or ["#empty"] for t in texts]
        if tokens:
            self.model.index(tokens, show_progress=False)

    def scores(self, query: str) -> np.ndarray:
        if not self.size:
            return np.zeros(0, dtype=np.float32)
        toks = self.segmenter.tokenize(query)
        if not toks:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self.model.get_scores(toks), dtype=np.float32)


class PerDocumentBM25:
    """The product's BM25, written out plainly: bm25s's Lucene formula (same k1, b, IDF and tokens) with
    each row's length normalised by the average length of its own document's rows, not of all rows."""

    def __init__(self, texts: list[str], docs: list[str], segmenter: Segmenter | None = None) -> None:
        self.segmenter = segmenter or current_segmenter()
        self.tokens = [self.segmenter.tokenize(t) or ["#empty"] for t in texts]
        lengths: dict[str, list[int]] = {}
        for toks, d in zip(self.tokens, docs, strict=True):
            lengths.setdefault(d, []).append(len(toks))
        self.avgdl = [float(np.mean(lengths[d])) for d in docs]
        self.df: dict[str, int] = {}
        for toks in self.tokens:
            for t in set(toks):
                self.df[t] = self.df.get(t, 0) + 1

    def scores(self, query: str) -> np.ndarray:
        n = len(self.tokens)
        out = np.zeros(n, dtype=np.float64)
        for q in self.segmenter.tokenize(query):  # a repeated query word counts again
            df = self.df.get(q, 0)
            if not df:
                continue
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            for r, toks in enumerate(self.tokens):
                tf = toks.count(q)
                if tf:
                    out[r] += idf * tf / (tf + K1 * (1 - B + B * len(toks) / self.avgdl[r]))
        return out
