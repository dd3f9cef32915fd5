"""Lexical stage of hybrid search: BM25 (bm25s) over the segmented search text of every clause part."""
from __future__ import annotations

import logging

import bm25s
import numpy as np

from ingest.text.segment import tokenize

logging.getLogger("bm25s").setLevel(logging.WARNING)


class BM25Index:
    """BM25 over a fixed list of texts; scores for every text in one vectorised call."""

    def __init__(self, texts: list[str]) -> None:
        self.size = len(texts)
        self.model = bm25s.BM25(k1=1.2, b=0.75)
        tokens = [tokenize(t) or ["#empty"] for t in texts]
        if tokens:
            self.model.index(tokens, show_progress=False)

    def scores(self, query: str) -> np.ndarray:
        if not self.size:
            return np.zeros(0, dtype=np.float32)
        toks = tokenize(query)
        if not toks:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self.model.get_scores(toks), dtype=np.float32)
