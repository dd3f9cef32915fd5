"""The query's own words: what a hotline search must contain and what its result cards mark.

A search for "天津实施意见 首席质量官" is about 首席质量官 in that document: the document's names
scope the search and are neither required in the clause nor highlighted.  A quoted query is one
phrase.  Matching is in match form (NFKC, simplified), so a simplified query finds the traditional
document's clause and the other way round.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from ingest.text.script import match_form
from ingest.text.segment import tokenize

_QUOTED = re.compile(r"[“\"「『]([^”\"」』]+)[”\"」』]")


def query_terms(query: str, phrase: bool = False, doc_names: Iterable[str] = ()) -> list[str]:
    """Words of two or more characters (jieba), after removing the document names the query mentions;
    the whole query when it is a phrase.  Longest first."""
    q = (query or "").strip()
    if phrase or re.fullmatch(r"[“\"「『].+[”\"」』]", q):
        return [q.strip("“”\"「」『』 ")]
    for name in sorted({n for n in doc_names if n and len(n) >= 2}, key=len, reverse=True):
        q = q.replace(name, " ")
    quoted = {m.group(1) for m in _QUOTED.finditer(q)}
    words = {w for w in tokenize(_QUOTED.sub(" ", q), bigrams=False) if len(w) >= 2} | quoted
    # jieba's search mode also yields the pieces of a long word (首席质量官 → 首席, 质量): only the word counts.
    kept = [w for w in words if not any(w != o and match_form(w) in match_form(o) for o in words)]
    return sorted(kept, key=len, reverse=True)


def contains_terms(text: str, terms: Iterable[str]) -> bool:
    """Does the text contain every term, in either script?"""
    t = match_form(text)
    return all(match_form(term) in t for term in terms)


def term_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Where the terms occur in ``text`` (either script), as (start, end) offsets into ``text`` itself."""
    forms = sorted({match_form(t) for t in terms if t and t.strip()}, key=len, reverse=True)
    if not forms:
        return []
    folded = match_form(text)
    if len(folded) != len(text):  # a character whose normal form is longer: fall back to the text as written
        folded = text.lower()
    pattern = re.compile("|".join(re.escape(f) for f in forms))
    return [m.span() for m in pattern.finditer(folded)]
