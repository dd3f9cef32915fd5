"""Second stage: re-order the fused candidates with evidence the system already has.

Fusion knows only ranks.  The reranker also looks at how much of the question's content (plus the
thesaurus's policy words for its everyday words) the clause body and heading contain, whether the
clause states what the answer type needs (a quantity of the asked kind, a list of responsible
bodies), whether it is a document's 文件信息 record (which answers questions about the document,
not about its content), and how clearly the question named its document.  A linear score over these
features re-sorts the top :data:`POOL` candidates.  The answer-type features come from the registered
types (bot.retrieval.answer_types: each type's ``features``), after the ones every question has.
A type that knows what its answer must contain (a figure) may then choose among the best few
(its ``prefer``).

The weights are fitted by ``scripts/train_reranker.py`` on questions generated from the corpus
(``scripts/make_training_questions.py``), never on the dev set, and ship as ``rerank_weights.json``.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from bot.retrieval import answer_types
from bot.retrieval.analysis import QueryAnalysis
from bot.retrieval.intent import QuestionIntent
from bot.retrieval.types import SearchHit
from ingest.text.segment import best_sentence_overlap, overlap, overlap_form
from vectorstore.embedding_model import shipped

POOL = 30
_TYPE_FEATURES = answer_types.features()  # quantity_fit, responsible_fit, docinfo_ask, docinfo_other …
DENSE_GAP_SCALE = shipped.dense_gap_scale  # tuned for the embedding model: lives with it
FEATURES: tuple[str, ...] = (
    "fused",            # fused score / best fused score among the candidates
    "first",            # 1 for the fused top candidate
    "dense",            # cosine similarity minus the best one among the candidates
    "lexical",          # BM25 / best BM25 among the candidates
    "body",             # share of the question's content bigrams found in the clause
    "heading",          # … found in the clause's heading path
    "sentence",         # … found in the clause's single best sentence (a concentrated match)
    "length",           # log length of the clause (long clauses match many words by chance)
    "depth",            # numbering depth (二（三）6 is deeper than 一、)
    "frame",            # notice, preamble, sign-off or a section introduction rather than an item
    "named_doc",        # how clearly the question names the clause's document (score / best)
    "words",            # share of the question's content words the clause contains
    "synonym",          # share of them the clause says in other words only (thesaurus, 词林)
    *(f.name for f in _TYPE_FEATURES),  # what the question's answer type needs (its module says)
)


@dataclass(frozen=True)
class RerankWeights:
    values: np.ndarray
    answerable_floor: float | None = None  # top scores of answerable questions lie above this (2nd percentile)

    @classmethod
    def from_dict(cls, data: dict[str, float], answerable_floor: float | None = None) -> RerankWeights:
        return cls(np.array([float(data.get(name, 0.0)) for name in FEATURES]), answerable_floor)


@cache
def shipped_weights() -> RerankWeights | None:
    """The fitted weights shipped with the package (None before the first training run)."""
    resource = resources.files(__package__).joinpath(shipped.rerank_weights)
    if not resource.is_file():
        return None
    data = json.loads(resource.read_text(encoding="utf-8"))
    return RerankWeights.from_dict(data["weights"], data.get("answerable_floor"))


def features(analysis: QueryAnalysis, hits: list[SearchHit]) -> np.ndarray:
    """One row of :data:`FEATURES` per candidate."""
    if not hits:
        return np.zeros((0, len(FEATURES)))
    grams = analysis.content_grams()
    intent = analysis.intent or QuestionIntent()
    best_fused = max(h.score for h in hits) or 1.0
    best_dense = max(h.dense for h in hits)
    best_lex = max(h.lexical for h in hits) or 1.0
    best_doc = max(analysis.doc_scores.values(), default=0.0) or 1.0
    alternatives = analysis.word_alternatives()
    rows = []
    for rank, h in enumerate(hits):
        c = h.clause
        rows.append([
            h.score / best_fused,
            1.0 if rank == 0 else 0.0,
            (h.dense - best_dense) * DENSE_GAP_SCALE if h.dense else -2.0,  # cosine gaps are small: scaled
            h.lexical / best_lex,
            overlap_form(grams, c.search_text),
            overlap(grams, " ".join(c.heading_path)),
            best_sentence_overlap(grams, c.search_text, form=True),
            math.log1p(len(c.text)) / 8.0,
            len(c.ladder) / 3.0,
            1.0 if c.kind in ("notice", "preamble", "signoff", "section") else 0.0,
            analysis.doc_scores.get(c.doc_id, 0.0) / best_doc,
            *word_cover(alternatives, c.search_text),
            *(f.value(intent, c) for f in _TYPE_FEATURES),
        ])
    return np.array(rows, dtype=np.float64)


def word_cover(alternatives: list[tuple[str, tuple[str, ...]]], text: str) -> tuple[float, float]:
    """(share of the words the text (search form) contains, share it contains only as one of their
    alternatives)."""
    if not alternatives:
        return 0.0, 0.0
    t = text
    direct = sum(1 for w, _ in alternatives if w in t)
    other = sum(1 for w, alts in alternatives if w not in t and any(a in t for a in alts))
    return direct / len(alternatives), other / len(alternatives)


class Reranker:
    """Re-sorts the top :data:`POOL` candidates by the linear score; the rest keep their order."""

    def __init__(self, weights: RerankWeights | None = None) -> None:
        self.weights = weights if weights is not None else shipped_weights()

    def run(self, analysis: QueryAnalysis, hits: list[SearchHit]) -> list[SearchHit]:
        if self.weights is None or len(hits) < 2:
            return hits
        pool, rest = hits[:POOL], hits[POOL:]
        scores = features(analysis, pool) @ self.weights.values
        for h, s in zip(pool, scores, strict=True):
            h.rerank = float(s)
        ranked = [pool[i] for i in sorted(range(len(pool)), key=lambda i: (-scores[i], i))]
        intent = analysis.intent
        # the answer type's last word (its module says why)
        if intent is not None and (prefer := answer_types.by_name(intent.answer_type).prefer) is not None:
            chosen = prefer(intent, [h.clause for h in ranked], analysis.content_grams())
            if chosen:
                ranked.insert(0, ranked.pop(chosen))
        return ranked + rest
