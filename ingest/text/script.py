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


def search_forms(texts: list[str]) -> list[str]:
    """:func:`search_form` of many short texts with one OpenCC call: a table of tens of thousands of
    words converted one by one spends most of its time crossing into OpenCC (~0.15 s at start)."""
    if len(texts) < 2 or any("\n" in t for t in texts):
        return [search_form(t) for t in texts]
    joined = to_simplified(unicodedata.normalize("NFKC", "\n".join(texts))).lower()
    out = [re.sub(r"\s+", " ", t).strip() for t in joined.split("\n")]
    # NFKC or OpenCC never add or remove a line break; should one ever do, each text is converted alone
    return out if len(out) == len(texts) else [search_form(t) for t in texts]


def match_form(text: str) -> str:
    """Search form without any whitespace, for substring matching (anchors, phrase mode)."""
    return re.sub(r"\s+", "", search_form(text))


# Quotation marks people and documents use around a term: “计量托管” "计量托管" 「计量托管」 『计量托管』.
QUOTE_OPEN = "“\"「『"
QUOTE_CLOSE = "”\"」』"


@lru_cache(maxsize=8)
def quote_pattern(min_len: int = 1, max_len: int | None = None) -> re.Pattern[str]:
    """A quoted term of ``min_len``–``max_len`` characters; group 1 is the term."""
    length = f"{{{min_len},{max_len if max_len is not None else ''}}}"
    return re.compile(f"[{QUOTE_OPEN}]([^{QUOTE_CLOSE}]{length})[{QUOTE_CLOSE}]")


def quoted_terms(text: str, min_len: int = 1, max_len: int | None = None) -> list[str]:
    """The quoted terms of ``text``, in order."""
    return quote_pattern(min_len, max_len).findall(text)


def is_quoted(text: str) -> bool:
    """Is the whole text one quoted term (``"计量托管"``)?"""
    return bool(re.fullmatch(f"[{QUOTE_OPEN}].+[{QUOTE_CLOSE}]", text.strip()))


def unquote(text: str) -> str:
    """The text without surrounding quotation marks and spaces."""
    return text.strip(QUOTE_OPEN + QUOTE_CLOSE + " ")
