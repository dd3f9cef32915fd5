"""bm25s over a fixed list of texts: the reference the segment scores (bot/retrieval/lexical.py) are
tested against.  bm25s is a test dependency only (the ``test`` extra): the product computes the same
scores itself from the segments' postings."""
from __future__ import annotations

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
