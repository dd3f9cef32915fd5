"""One immutable view of the active index: clause parts, whole clauses, documents, lexical index and
the parts' embeddings (the dense side), all read from the store in one go.

A reload builds a new snapshot and swaps it in one assignment, so a search that started on the old
one finishes on it and nobody reads a half-built state.  Everything that needs "the documents in
the index" (analysis, answers, the service) reads them here, never from mutable retriever fields.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from bot.retrieval.catalog import DocumentCatalog
from bot.retrieval.lexical import BM25Index
from bot.retrieval.lookup import primary_style
from ingest.models import Clause
from ingest.text.script import match_form
from ingest.text.segment import add_terms, corpus_terms, domain_terms


def merge_parts(parts: list[Clause]) -> Clause:
    parts = sorted(parts, key=lambda c: c.part)
    if len(parts) == 1:
        return parts[0]
    return parts[0].model_copy(update={"text": "\n".join(p.text for p in parts), "part": 1})


@dataclass(frozen=True)
class IndexSnapshot:
    parts: list[Clause] = field(default_factory=list)  # what was embedded, in (doc, order) order
    versions: dict[str, str] = field(default_factory=dict)  # doc id → active version
    clauses: dict[str, Clause] = field(default_factory=dict)  # clause id → whole clause
    catalog: DocumentCatalog = field(default_factory=DocumentCatalog)
    departments: list[str] = field(default_factory=list)
    part_index: dict[tuple[str, int], int] = field(default_factory=dict)
    match_texts: list[str] = field(default_factory=list)
    doc_codes: dict[str, int] = field(default_factory=dict)
    part_doc: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    bm25: BM25Index = field(default_factory=lambda: BM25Index([]))
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))  # unit rows, part order

    @classmethod
    def build(cls, parts: list[Clause], versions: dict[str, str],
              vectors: list[list[float]] | None = None) -> IndexSnapshot:
        grouped: dict[str, list[Clause]] = defaultdict(list)
        for c in parts:
            grouped[c.clause_id].append(c)
        metas = {c.doc_id: c.doc for c in reversed(parts)}  # first part's record per document
        departments = sorted({d for c in parts for d in c.departments})
        add_terms([*domain_terms(), *corpus_terms(c.text for c in parts), *departments])
        doc_codes = {d: i for i, d in enumerate(dict.fromkeys(c.doc_id for c in parts))}
        grouped_items = [c for c in parts if c.part == 1 and c.kind in ("item", "section")]
        return cls(
            parts=parts,
            versions=versions,
            clauses={cid: merge_parts(ps) for cid, ps in grouped.items()},
            catalog=DocumentCatalog(tuple(metas[d] for d in doc_codes), {
                d: primary_style([c for c in grouped_items if c.doc_id == d]) for d in doc_codes}),
            departments=departments,
            part_index={(c.clause_id, c.part): i for i, c in enumerate(parts)},
            match_texts=[match_form(c.text) for c in parts],
            doc_codes=doc_codes,
            part_doc=np.array([doc_codes[c.doc_id] for c in parts], dtype=np.int32),
            bm25=BM25Index([c.search_text for c in parts]),
            vectors=unit_rows(vectors) if vectors and len(vectors) == len(parts) else np.zeros((0, 0), np.float32),
        )


def unit_rows(vectors: list[list[float]]) -> np.ndarray:
    m = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms == 0, 1.0, norms)
