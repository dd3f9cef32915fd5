"""Everyday words → the words policies use (``wordlists/thesaurus.txt``), for query expansion.

An enterprise asks about "山寨货" and "给钱"; the documents say "假冒伪劣" and "资金支持/奖补".
:func:`expand` returns the policy terms a question's everyday words stand for, so retrieval can look
for both; :func:`colloquial` goes the other way, for generating paraphrased training questions.
"""
from __future__ import annotations

import re
from functools import cache, lru_cache

from ingest.text.script import search_form
from ingest.text.segment import dictionary_words
from ingest.text.wordlists import load_mappings


@cache
def _pairs() -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    return tuple((tuple(search_form(w) for w in everyday.split()), tuple(search_form(w) for w in policy.split()))
                 for everyday, policy in load_mappings("thesaurus"))


GAP = 2  # characters a question may put between the words of an everyday term (抢先拿去注册, 谁先把钱赔)
_GAP = rf"[^\s，。？！、；：,.?!;:“”\"'（）()]{{0,{GAP}}}"  # within one phrase: no punctuation


@cache
def _pattern(term: str) -> re.Pattern[str] | None:
    """The term with room for a short insertion between its words (jieba's dictionary cut), None for a
    term of one word: splitting a word (商场 in 工商联市场, 能耗 in 能高耗) finds words that are not there."""
    words = [w for w in dictionary_words(term) if w.strip()]
    if len(words) < 2:
        return None
    return re.compile(_GAP.join(f"({re.escape(w)})" for w in words))


@lru_cache(maxsize=256)  # the questions being expanded now, not every one ever asked
def _boundaries(text: str) -> frozenset[int]:
    """Where the words of ``text`` begin and end (jieba's dictionary cut)."""
    ends, at = {0}, 0
    for w in dictionary_words(text):
        at += len(w)
        ends.add(at)
    return frozenset(ends)


def _whole(term: str, text: str) -> bool:
    """Does ``term`` occur in ``text`` inside one word (专利 in 申请专利) or from a word's edge (第一次用 in
    第一次|用到) — not from the middle of one word into the middle of the next (国标 in 中国|标准, 行标 in
    执行|标准)?"""
    cut = _boundaries(text)
    at = text.find(term)
    while at >= 0:
        end = at + len(term)
        if at in cut or end in cut or not any(at < b < end for b in cut):
            return True
        at = text.find(term, at + 1)
    return False


def says(term: str, text: str) -> bool:
    """Does ``text`` (search form) say the everyday ``term``: as such (:func:`_whole`), or with a short insertion between
    its words when each of them is a word of the text too (抢先拿去注册; not 是不是要罚款 for 不罚款, whose
    不 belongs to 是不是)?"""
    if term in text and _whole(term, text):
        return True
    if term[0] not in text or term[-1] not in text:
        return False  # cannot be there split either: no segmenting (a `policybot show` never loads jieba)
    pattern = _pattern(term)
    if pattern is None:
        return False
    cut = _boundaries(text)
    for m in pattern.finditer(text):
        if all(m.start(i) in cut and m.end(i) in cut for i in range(1, (pattern.groups or 0) + 1)):
            return True
    return False


def expand(question: str) -> list[str]:
    """Policy terms for the everyday words in ``question`` (search form), not already in it."""
    q = search_form(question)
    out: list[str] = []
    for everyday, policy in _pairs():
        if any(says(w, q) for w in everyday):
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
        if any((w in e or e in w) and says(e, context) for e in everyday):
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
