"""Chinese word segmentation for search: jieba with the policy dictionary, stop words, bigrams.

Policy vocabulary is full of compounds that a general segmenter splits (质量基础设施, 首席质量官,
双随机、一公开); a user dictionary built from the corpus keeps them whole.  Character bigrams are
indexed beside the words so that a paraphrase sharing only part of a compound still scores.
"""
from __future__ import annotations

import logging
import re
import sys
import threading
from collections import Counter
from collections.abc import Iterable
from types import ModuleType
from typing import TYPE_CHECKING

from ingest.text.script import quoted_terms, search_form
from ingest.text.wordlists import load

if TYPE_CHECKING:
    import jieba

_STOP = frozenset(load("stopwords"))
_STOP_CHARS = frozenset(load("stop_chars"))
_TOKEN_OK = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_base_lock = threading.Lock()
_base: jieba.Tokenizer | None = None  # jieba's dictionary as shipped, loaded once, never changed


def _jieba() -> ModuleType:
    """jieba, imported on the first segmentation (a clause lookup or ``policybot docs`` never segments)
    and without ``pkg_resources``: jieba's ``_compat`` imports it (~0.1 s, a scan of every installed
    distribution) only to open its own data files, and opens them by path when that import fails.
    Nothing else here imports ``pkg_resources``; should something already have, it is left alone."""
    if "jieba" not in sys.modules and "pkg_resources" not in sys.modules:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # "import pkg_resources" → ImportError
        try:
            import jieba
        finally:
            if sys.modules.get("pkg_resources", 0) is None:
                del sys.modules["pkg_resources"]
    import jieba

    return jieba


def _base_tokenizer() -> jieba.Tokenizer:
    """jieba's own dictionary, loaded once per process (``marshal.load`` of jieba's cache, ~0.5 s)."""
    global _base
    jieba = _jieba()

    with _base_lock:
        if _base is None:
            jieba.setLogLevel(logging.WARNING)
            _base = jieba.Tokenizer()
            _base.initialize()
        return _base


def domain_terms() -> tuple[str, ...]:
    """Terms every quality-policy corpus uses (``wordlists/domain_terms.txt``)."""
    return load("domain_terms")


class Segmenter:
    """jieba with a dictionary of its own: jieba's words plus the words it was given, nothing else.

    jieba's module functions share one process-wide dictionary, so whoever taught it a word changed how
    every later caller segments.  A segmenter copies jieba's dictionary (loaded once per process) when it
    first segments — so a process that never segments, a clause lookup or ``policybot docs``, never
    loads it (~0.6 s) — and adds its own words to the copy.  A search segment is tokenised by a
    segmenter of its words; a snapshot owns one of its segments' words and queries are segmented by it.
    """

    def __init__(self, terms: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._tok: jieba.Tokenizer | None = None
        self._words: dict[str, None] = {}
        self.add_terms(terms)

    def add_terms(self, terms: Iterable[str]) -> None:
        """Words it must not split (search form, 2–16 characters; a word already known is not added again)."""
        with self._lock:
            for t in terms:
                t = search_form(t)
                if 2 <= len(t) <= 16 and t not in self._words:
                    self._words[t] = None
                    if self._tok is not None:
                        self._tok.add_word(t, freq=200000)

    def _tokenizer(self) -> jieba.Tokenizer:
        """The copy of jieba's dictionary with this segmenter's words (caller holds ``_lock``)."""
        if self._tok is None:
            base = _base_tokenizer()
            tok = _jieba().Tokenizer()
            tok.FREQ, tok.total, tok.initialized = dict(base.FREQ), base.total, True
            for word in self._words:
                tok.add_word(word, freq=200000)
            self._tok = tok
        return self._tok

    def tokenize(self, text: str, bigrams: bool = True) -> list[str]:
        """Search-form text → jieba words (search mode) + CJK character bigrams, stopwords removed."""
        s = search_form(text)
        with self._lock:
            words = [w for w in self._tokenizer().lcut_for_search(s) if _TOKEN_OK.search(w) and w not in _STOP]
        if bigrams:
            for run in _CJK_RUN.findall(s):
                words.extend(bigram_tokens(run))
        return words


def dictionary_words(text: str) -> list[str]:
    """``text`` cut into the words of jieba's own dictionary (precise mode, nothing dropped): the same
    cut whatever the collection, for word lists that must not depend on it."""
    tok = _base_tokenizer()
    with _base_lock:
        return tok.lcut(text)


def bigram_tokens(run: str) -> list[str]:
    """The character-bigram tokens (``#xy``) a row's index holds for a run of Chinese characters."""
    return ["#" + run[i : i + 2] for i in range(len(run) - 1)]


def is_cjk_run(text: str) -> bool:
    """Is ``text`` Chinese characters only (so the index holds all its bigrams)?"""
    return bool(_CJK_RUN.fullmatch(text))


_current = Segmenter(domain_terms())  # the serving snapshot's segmenter once one is published


def use_segmenter(segmenter: Segmenter) -> None:
    """Make ``segmenter`` the one :func:`tokenize` uses (a new snapshot publishes its own: queries are
    then segmented like the rows they are matched against).  A reference swap; no dictionary changes."""
    global _current
    _current = segmenter


def current_segmenter() -> Segmenter:
    return _current


def corpus_terms(texts: Iterable[str]) -> list[str]:
    """Quoted terms (“计量托管”) and short item titles are the corpus's own vocabulary."""
    found: Counter[str] = Counter()
    for t in texts:
        found.update(quoted_terms(t, 2, 12))
    return [w for w, _ in found.most_common()]


def tokenize(text: str, bigrams: bool = True) -> list[str]:
    """Search-form text → words + bigrams, by the current segmenter (the serving snapshot's)."""
    return _current.tokenize(text, bigrams)


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
    """Share of the grams the text contains (any script: converted to the search form first)."""
    return overlap_form(grams, search_form(text)) if grams else 0.0


def overlap_form(grams: set[str], form: str) -> float:
    """:func:`overlap` of a text already in search form (a clause's ``search_text``): the second stage
    scores thirty candidates per question, and converting each again cost ~1.5 ms a search."""
    if not grams:
        return 0.0
    return sum(1 for g in grams if g in form) / len(grams)


_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")


def sentences(text: str) -> list[str]:
    """The sentences of a text (split at 。；！？ and line ends), trimmed, one-character ones dropped."""
    return [s.strip() for s in _SENTENCE.findall(text) if len(s.strip()) > 1]


def best_sentence_overlap(grams: set[str], text: str, form: bool = False) -> float:
    """How well the text's best single sentence covers the question's bigrams (0..1); ``form``: the text
    is already in search form."""
    score = overlap_form if form else overlap
    return max((score(grams, s) for s in sentences(text)), default=0.0)
