"""Evidence: which sentences of the retrieved clauses carry the question's content words.

Character bigrams of the question (minus function words, plus the policy words its everyday words
stand for) against each sentence: robust to paraphrase, cheap, and the same measure decides what the
extractive answer quotes and whether the evidence is strong enough to answer at all.
"""
from __future__ import annotations

import re

from bot.answer.citations import neutralise_markers
from bot.retrieval import SearchHit
from ingest.models import Clause
from ingest.text.segment import best_sentence_overlap, overlap, query_grams, sentences

_PIECE = re.compile(r"[^，,、：:]+[，,、：:]?")
SENTENCE_LIMIT = 160  # a longer sentence is cut to its relevant pieces (see extractive.ANSWER_BUDGET)
TITLE_LIMIT = 36  # an item's own title (its first sentence) frames the answer when this short


def shorten(sentence: str, grams: set[str], limit: int = SENTENCE_LIMIT) -> str:
    """A long sentence cut to its most relevant comma-separated pieces, in order, with … for the gaps."""
    if len(sentence) <= limit:
        return sentence
    pieces = _PIECE.findall(sentence)
    ranked = sorted(range(len(pieces)), key=lambda i: (-overlap(grams, pieces[i]), i))
    keep: set[int] = set()
    used = 0
    for i in ranked:
        if used + len(pieces[i]) > limit and keep:
            continue
        keep.add(i)
        used += len(pieces[i])
    out, last = [], -1
    for i in sorted(keep):
        if last >= 0 and i != last + 1:
            out.append("…")
        out.append(pieces[i])
        last = i
    text = "".join(out).rstrip("，,、：:")
    return text if text.endswith(("。", "；", ";", "！", "？")) else text + "…"


def select_sentences(grams: set[str], clause: Clause, budget: int = 200, most: int = 3,
                     skip: tuple[str, ...] = (), fill: bool = False) -> list[str]:
    """The clause's sentences that carry the question (best first, then shown in reading order).

    At most ``most`` sentences and about ``budget`` characters; a short item title is added in front
    when there is room, because it says what the quoted sentences are about.  With ``fill``, the
    clause's other sentences follow in reading order while the budget allows (a clause read out).
    """
    sents = sentences(clause.text)
    if not sents:
        return []
    ranked = sorted(range(len(sents)), key=lambda i: (-overlap(grams, sents[i]), i))
    chosen: dict[int, str] = {}
    used = 0
    for i in ranked:
        if len(chosen) >= most or (chosen and overlap(grams, sents[i]) == 0):
            break
        text = shorten(sents[i], grams)
        if any(text in s for s in skip) or (chosen and used + len(text) > budget):
            continue
        chosen[i] = text
        used += len(text)
    if 0 not in chosen and len(sents[0]) <= TITLE_LIMIT and used + len(sents[0]) <= budget + TITLE_LIMIT \
            and not any(sents[0].rstrip("。") in s for s in skip):
        chosen[0] = sents[0]
        used += len(sents[0])
    if list(chosen) == [0] and len(sents) > 1 and len(sents[0]) <= TITLE_LIMIT and not any(sents[1] in s for s in skip):
        # the title alone says what the item is about, not what it does: its first sentence follows
        chosen[1] = shorten(sents[1], grams)
        used += len(chosen[1])
    if fill:  # then the rest of the clause in reading order, while it fits
        for i, sent in enumerate(sents):
            if i not in chosen and used + len(sent) <= budget and not any(sent in s for s in skip):
                chosen[i] = sent
                used += len(sent)
    # quoted next to our citation markers: a clause's own "[1]" must not pass for one (→ "(1)")
    return [neutralise_markers(chosen[i]) for i in sorted(chosen)]


def best_overlap(grams: set[str], clause: Clause) -> float:
    """How well the clause's best sentence covers the question (0..1)."""
    return best_sentence_overlap(grams, clause.text)


def evidence_score(question: str, hits: list[SearchHit]) -> float:
    """How well the best clauses cover the question's content words (0..1)."""
    grams = query_grams(question)
    if not hits or not grams:
        return 0.0
    return max(overlap(grams, h.clause.text) for h in hits[:3])
