"""Fusion stage: reciprocal-rank fusion of the lexical and dense lists, phrase boost, diversity."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import numpy as np

from bot.retrieval.types import SearchHit
from ingest.text.script import match_form

RRF_K = 20
DENSE_WEIGHT = 1.0
LEXICAL_WEIGHT = 1.0
DENSE_CANDIDATES = 60
PHRASE_POOL = 300


def top_positions(scores: np.ndarray, n: int) -> np.ndarray:
    """Positions of the ``n`` highest scores (unordered), without sorting the whole array."""
    if not len(scores):
        return np.zeros(0, dtype=np.int64)
    return np.argpartition(-scores, min(n, len(scores) - 1))[:n]


def rrf(lex: np.ndarray, dense: dict[int, float], in_scope: np.ndarray) -> dict[int, float]:
    """Fused score per part position: 1/(k + rank) from each list the part appears in."""
    top_l = top_positions(lex, DENSE_CANDIDATES)
    order_l = [int(i) for i in sorted(top_l, key=lambda i: -lex[i]) if lex[i] > 0]
    order_d = sorted((i for i in dense if in_scope[i]), key=lambda i: -dense[i])
    fused: dict[int, float] = defaultdict(float)
    for r, i in enumerate(order_l):
        fused[i] += LEXICAL_WEIGHT / (RRF_K + r + 1)
    for r, i in enumerate(order_d):
        fused[i] += DENSE_WEIGHT / (RRF_K + r + 1)
    return fused


def boost_phrases(fused: dict[int, float], phrases: list[str], lex: np.ndarray,
                  match_text: Callable[[int], str]) -> None:
    """A quoted term in a question is a strong hint.  Candidates: what either side found plus
    BM25's wider top list (a clause holding the phrase scores there) — not the whole corpus."""
    if not phrases:
        return
    wide = top_positions(lex, PHRASE_POOL)
    for ph in phrases:
        p = match_form(ph)
        for i in set(fused) | {int(j) for j in wide if lex[j] > 0}:
            if p in match_text(i):
                fused[i] += 1.0 / RRF_K


def diversify(hits: list[SearchHit], doc_ids: list[str]) -> list[SearchHit]:
    """Round-robin over the named documents so a comparison sees each side."""
    per_doc: dict[str, list[SearchHit]] = defaultdict(list)
    for h in hits:
        per_doc[h.clause.doc_id].append(h)
    out: list[SearchHit] = []
    queues = [per_doc[d] for d in doc_ids if per_doc.get(d)]
    while any(queues):
        for q in queues:
            if q:
                out.append(q.pop(0))
    rest = [h for h in hits if h.clause.doc_id not in doc_ids]
    return out + rest
