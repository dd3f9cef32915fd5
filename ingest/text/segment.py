"""Chinese word segmentation for search: jieba with the policy dictionary, stop words, bigrams.

Policy vocabulary is full of compounds that a general segmenter splits (质量基础设施, 首席质量官,
双随机、一公开); a user dictionary built from the corpus keeps them whole.  Character bigrams are
indexed beside the words so that a paraphrase sharing only part of a compound still scores.
"""
from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from collections.abc import Iterable

import jieba

from ingest.text.script import quoted_terms, search_form
from ingest.text.wordlists import load

jieba.setLogLevel(logging.WARNING)
_lock = threading.Lock()

_STOP = frozenset(load("stopwords"))
_STOP_CHARS = frozenset(load("stop_chars"))
_added: set[str] = set()  # jieba keeps one global dictionary; each word is added once per process
_pending: list[str] = []  # words added but not yet taught to jieba (see _teach_pending)
_TOKEN_OK = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def domain_terms() -> tuple[str, ...]:
    """Terms every quality-policy corpus uses (``wordlists/domain_terms.txt``)."""
    return load("domain_terms")


def add_terms(terms: Iterable[str]) -> None:
    """Teach jieba words it must not split.

    jieba keeps one global dictionary; a word already taught is not added again, so reloading the
    index does not grow the dictionary (or jieba's prefix table) with every reload.
    """
    with _lock:
        for t in terms:
            t = search_form(t)
            if 2 <= len(t) <= 16 and t not in _added:
                _pending.append(t)
                _added.add(t)


def _teach_pending() -> None:
    """Add the queued words before jieba next segments (caller holds ``_lock``).  Deferred so that a
    process that never segments (a clause lookup, ``policybot docs``) never loads jieba's dictionary
    (~0.6 s); a process that does segments exactly as if they had been added at once."""
    for word in _pending:
        jieba.add_word(word, freq=200000)
    _pending.clear()


def corpus_terms(texts: Iterable[str]) -> list[str]:
    """Quoted terms (“计量托管”) and short item titles are the corpus's own vocabulary."""
    found: Counter[str] = Counter()
    for t in texts:
        found.update(quoted_terms(t, 2, 12))
    return [w for w, _ in found.most_common()]


def tokenize(text: str, bigrams: bool = True) -> list[str]:
    """Search-form text → jieba words (search mode) + CJK character bigrams, stopwords removed."""
    s = search_form(text)
    with _lock:
        _teach_pending()
        words = [w for w in jieba.lcut_for_search(s) if _TOKEN_OK.search(w) and w not in _STOP]
    if bigrams:
        for run in _CJK_RUN.findall(s):
            words.extend("#" + run[i : i + 2] for i in range(len(run) - 1))
    return words


def query_grams(question: str) -> set[str]:
    """Character bigrams of the question's Chinese, minus function words: robust for paraphrase."""
    q = search_form(question)
    grams: set[str] = set()
    for run in re.findall(r"[\u4e00-\u9fff]+|[a-z0-9]+", q):
        if run.isascii():
            grams.add(run)
            continue
        for i in range(len(run) - 1):
            g = run[i : i + 2]
            if not (g[0] in _STOP_CHARS and g[1] in _STOP_CHARS):
                grams.add(g)
    return grams


def overlap(grams: set[str], text: str) -> float:
    if not grams:
        return 0.0
    t = search_form(text)
    return sum(1 for g in grams if g in t) / len(grams)


_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")


def sentences(text: str) -> list[str]:
    """The sentences of a text (split at 。；！？ and line ends), trimmed, one-character ones dropped."""
    return [s.strip() for s in _SENTENCE.findall(text) if len(s.strip()) > 1]


def best_sentence_overlap(grams: set[str], text: str) -> float:
    """How well the text's best single sentence covers the question's bigrams (0..1)."""
    return max((overlap(grams, s) for s in sentences(text)), default=0.0)
