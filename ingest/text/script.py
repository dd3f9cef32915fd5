"""Script and search form: the one place that decides how text is compared.

Clauses are shown in the author's script, but every comparison — BM25 tokens, embeddings, phrase
matching, document names, eval anchors — happens on the *search form*: NFKC-normalised, converted
to simplified Chinese with OpenCC and lower-cased.  A traditional question and a simplified clause
(or the other way round) therefore meet in the same index.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def to_simplified(text: str) -> str:
    return str(_t2s().convert(text))


def to_traditional(text: str) -> str:
    return str(_s2t().convert(text))


def is_traditional(text: str) -> bool:
    """True when converting to simplified changes a noticeable share of the Han characters."""
    han = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    if not han:
        return False
    simplified = to_simplified(text)
    changed = sum(1 for a, b in zip(text, simplified, strict=False) if a != b)
    return changed / len(han) > 0.05


def search_form(text: str) -> str:
    """NFKC, simplified script, lower-case, single spaces: the form both clauses and queries take."""
    text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text).lower()
    return re.sub(r"\s+", " ", text).strip()


def match_form(text: str) -> str:
    """Search form without any whitespace, for substring matching (anchors, phrase mode)."""
    return re.sub(r"\s+", "", search_form(text))
