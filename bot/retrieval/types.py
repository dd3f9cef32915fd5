"""What the retrieval stages pass to each other and to the answer layer."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import numpy as np

from bot.retrieval.analysis import QueryAnalysis
from ingest.models import Clause

if TYPE_CHECKING:
    from bot.retrieval.lookup import Outline
    from bot.retrieval.snapshot import IndexSnapshot


@dataclass
class SearchFilters:
    doc_ids: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    years: list[str] = field(default_factory=list)  # the year of the document's date ("2023")
    department: str | None = None
    phrase: str | None = None  # exact-phrase mode


@dataclass
class SearchHit:
    clause: Clause  # whole clause (all parts joined)
    score: float
    dense: float = 0.0  # best cosine similarity of a part
    lexical: float = 0.0  # best BM25 score of a part
    via: str = "hybrid"  # lookup | phrase | department | hybrid
    matched_part: int = 1
    rerank: float | None = None  # second-stage score (comparable within one result only)


@dataclass
class SearchResult:
    hits: list[SearchHit]
    analysis: QueryAnalysis
    missing_item: Outline | None = None  # the question named a number its document does not have
    answerable_floor: float | None = None  # second-stage scores of answerable questions lie above this
    # The index view the search ran on: the answer reads its catalog and clauses there, not from whichever
    # view is current by then (a reload may swap it in between).
    snapshot: IndexSnapshot | None = field(default=None, repr=False, compare=False)


class LexicalScorer(Protocol):
    """Scores every clause part for a query in one call (index = part position)."""

    def scores(self, query: str) -> np.ndarray: ...


class DenseSearcher(Protocol):
    """Nearest clause parts for a query: {part position: cosine similarity}; ``docs``: only these documents'."""

    def run(self, text: str, n: int, snapshot: IndexSnapshot,
            docs: Sequence[str] | None = None) -> dict[int, float]: ...
