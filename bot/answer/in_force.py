"""Prefer a clause in force when an expired (or not yet effective) one answers the question equally.

A revised 若干措施 repeats most clauses of the version it replaces; both then match a question about
equally well, and ranking alone may put the old one first.  This step, run between retrieval and
the answer (kept apart from ranking, which knows nothing of dates), moves the in-force clause ahead
when it says essentially the same thing and ranks close behind.  A question that names the old
document keeps it first: the answer then starts with the warning that it is no longer in force.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.retrieval import SearchResult
from ingest.text.script import search_form

WINDOW = 5  # how far down an in-force clause may be found
SIMILAR = 0.4  # share of character bigrams two clauses must have in common to "answer equally"


def _bigrams(text: str) -> set[str]:
    s = search_form(text)
    return {s[i:i + 2] for i in range(len(s) - 1)}


def similarity(a: str, b: str) -> float:
    """Jaccard overlap of character bigrams (script-insensitive)."""
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / len(x | y) if x and y else 0.0


def prefer_in_force(result: SearchResult, in_force: Callable[[str], bool]) -> SearchResult:
    """``result`` with an in-force clause moved before a not-in-force top clause it matches (or unchanged)."""
    hits = result.hits
    if not hits or hits[0].via == "lookup" or in_force(hits[0].clause.doc_id):
        return result
    top = hits[0]
    named = set(result.analysis.doc_ids)
    if top.clause.doc_id in named and len(named) == 1:
        return result  # the question asked about that document: answer from it, with the warning
    for i, h in enumerate(hits[1:WINDOW], start=1):
        if in_force(h.clause.doc_id) and similarity(top.clause.text, h.clause.text) >= SIMILAR:
            return replace(result, hits=[h, *hits[:i], *hits[i + 1:]])
    return result
