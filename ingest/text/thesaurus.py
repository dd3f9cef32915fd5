"""Everyday words → the words policies use (``wordlists/thesaurus.txt``), for query expansion.

An enterprise asks about "山寨货" and "给钱"; the documents say "假冒伪劣" and "资金支持/奖补".
:func:`expand` returns the policy terms a question's everyday words stand for, so retrieval can look
for both; :func:`colloquial` goes the other way, for generating paraphrased training questions.
"""
from __future__ import annotations

from functools import cache

from ingest.text.script import search_form
from ingest.text.wordlists import load_mappings


@cache
def _pairs() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    return tuple((tuple(search_form(w) for w in everyday.split()), tuple(search_form(w) for w in policy.split()))
                 for everyday, policy in load_mappings("thesaurus"))


def expand(question: str) -> list[str]:
    """Policy terms for the everyday words in ``question`` (search form), not already in it."""
    q = search_form(question)
    out: list[str] = []
    for everyday, policy in _pairs():
        if any(w in q for w in everyday):
            out.extend(p for p in policy if p not in q and p not in out)
    return out


def expand_word(word: str, context: str) -> list[str]:
    """Policy terms for ``word`` as the question uses it: those of every everyday term that occurs in
    ``context`` (the question, search form) and overlaps the word — contains it or is contained in it.
    "不罚款" is an everyday term around the word 罚款: 免罚 then means 罚款 as this question uses it, which
    :func:`expand` of the bare word (罚款 → 处罚) cannot know."""
    w = search_form(word)
    out: list[str] = []
    for everyday, policy in _pairs():
        if any(e in context and (w in e or e in w) for e in everyday):
            out.extend(p for p in policy if p != w and p not in out)
    return out


def colloquial(text: str) -> dict[str, str]:
    """Policy term found in ``text`` → an everyday word for it (first listed), for paraphrasing."""
    t = search_form(text)
    found: dict[str, str] = {}
    for everyday, policy in _pairs():
        for p in policy:
            if p in t and p not in found and everyday:
                found[p] = everyday[0]
    return found
