"""Evidence: which sentences of the retrieved clauses carry the question's content words.

Character bigrams of the question (minus function words) against each sentence: robust to
paraphrase, cheap, and the same measure decides what the extractive answer quotes and whether the
evidence is strong enough to answer at all.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.retrieval import SearchHit
from ingest.models import Clause
from ingest.text.segment import overlap, query_grams

_SENT = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT.findall(text) if len(s.strip()) > 1]


@dataclass
class Extract:
    clause: Clause
    sentences: list[str]


def pick_sentences(question: str, hits: list[SearchHit], max_clauses: int = 3, compare: bool = False) -> list[Extract]:
    """The most relevant sentences (in reading order) from the top clauses."""
    grams = query_grams(question)
    out: list[Extract] = []
    best_first = 0.0
    for rank, h in enumerate(hits[:max_clauses]):
        sents = sentences(h.clause.text)
        if not sents:
            continue
        scored = sorted(((overlap(grams, s), i) for i, s in enumerate(sents)), reverse=True)
        if rank == 0:
            best_first = scored[0][0]
        elif not compare and scored[0][0] < max(0.15, 0.5 * best_first):
            continue  # a weaker clause adds nothing the best one did not say
        take = 3 if rank == 0 or compare else 1
        chosen = sorted(i for score, i in scored[:take] if score > 0 or rank == 0)
        if rank == 0 and 0 not in chosen and len(sents[0]) <= 40:
            chosen = [0, *chosen][: take + 1]  # the item's own title frames the answer
        out.append(Extract(h.clause, [sents[i] for i in chosen]))
    return out


def evidence_score(question: str, hits: list[SearchHit]) -> float:
    """How well the best clauses cover the question's content words (0..1)."""
    grams = query_grams(question)
    if not hits or not grams:
        return 0.0
    best = max(overlap(grams, h.clause.text) for h in hits[:3])
    return best
