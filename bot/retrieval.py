"""Hybrid retrieval: number lookup first, then dense (Chroma) + BM25 fused by reciprocal rank.

Retrieval works on clause *parts* (what was embedded) and answers with whole clauses, so a user
always sees a complete item with one label, whichever of its parts matched.
"""
from __future__ import annotations

import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from bot import lookup
from bot.lexical import DOMAIN_TERMS, BM25Index, add_terms, corpus_terms
from bot.query import QueryAnalysis, analyze
from ingest.clean import match_form, search_form
from ingest.models import Clause, DocMeta
from vectorstore.chroma_store import ClauseStore, record_id_to_clause_key

RRF_K = 20
DENSE_WEIGHT = 1.0
LEXICAL_WEIGHT = 1.0
DENSE_CANDIDATES = 60
PHRASE_POOL = 300
DOC_FILTER_RATIO = 0.6  # documents named almost as clearly as the best one stay in scope


@dataclass
class SearchFilters:
    doc_ids: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
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


@dataclass
class SearchResult:
    hits: list[SearchHit]
    analysis: QueryAnalysis


def merge_parts(parts: list[Clause]) -> Clause:
    parts = sorted(parts, key=lambda c: c.part)
    if len(parts) == 1:
        return parts[0]
    return parts[0].model_copy(update={"text": "\n".join(p.text for p in parts), "part": 1})


class HybridRetriever:
    """Holds the active clauses in memory (BM25, lookup) and asks Chroma for dense neighbours."""

    def __init__(self, store: ClauseStore) -> None:
        self.store = store
        self._lock = threading.RLock()
        self.reload()

    def refresh_if_changed(self, max_age: float = 5.0) -> bool:
        """Pick up another instance's ingest (shared Chroma server): compare the registry's active
        versions at most every ``max_age`` seconds, and rebuild only when they changed."""
        now = time.monotonic()
        if now - self._checked < max_age:
            return False
        self._checked = now
        if self.store.active_versions() != self.versions:
            self.reload()
            return True
        return False

    def reload(self) -> None:
        """Rebuild the in-memory side from the store (start-up, after ingest, after removal)."""
        with self._lock:
            self._checked = time.monotonic()
            parts = self.store.active_clauses()
            self.parts = parts
            self.versions = self.store.active_versions()
            self.part_index = {(c.clause_id, c.part): i for i, c in enumerate(parts)}
            grouped: dict[str, list[Clause]] = defaultdict(list)
            for c in parts:
                grouped[c.clause_id].append(c)
            self.clauses = {cid: merge_parts(ps) for cid, ps in grouped.items()}
            self.metas: list[DocMeta] = []
            seen: set[str] = set()
            for c in parts:
                if c.doc_id not in seen:
                    seen.add(c.doc_id)
                    self.metas.append(c.doc)
            self.departments = sorted({d for c in parts for d in c.departments})
            add_terms(DOMAIN_TERMS + corpus_terms(c.text for c in parts) + self.departments)
            self.bm25 = BM25Index([c.search_text for c in parts])
            self.match_texts = [match_form(c.text) for c in parts]
            self.doc_codes = {d: i for i, d in enumerate(dict.fromkeys(c.doc_id for c in parts))}
            self.part_doc = np.array([self.doc_codes[c.doc_id] for c in parts], dtype=np.int32)

    # ------------------------------------------------------------------------------------------
    def _scope(self, analysis: QueryAnalysis, filters: SearchFilters) -> set[str]:
        """Documents in scope: explicit filters, else the ones the question names."""
        docs = {m.doc_id for m in self.metas}
        if filters.doc_ids:
            docs &= set(filters.doc_ids)
        if filters.regions:
            docs &= {m.doc_id for m in self.metas if any(r in m.region for r in filters.regions)}
        if filters.levels:
            docs &= {m.doc_id for m in self.metas if m.level in filters.levels}
        if analysis.doc_scores and not filters.doc_ids:
            best = max(analysis.doc_scores.values())
            named = {d for d, s in analysis.doc_scores.items() if s >= best * DOC_FILTER_RATIO}
            if named & docs:
                docs &= named
        return docs

    def _dense(self, text: str, scope: set[str]) -> dict[int, float]:
        """Nearest parts from Chroma's HNSW index.

        No metadata filter goes to Chroma: filtered queries scan, and at 10k+ parts that costs
        hundreds of milliseconds.  We over-fetch instead and keep active, in-scope parts here.
        """
        emb = self.store.embedder.embed_query([text])[0]
        n = DENSE_CANDIDATES * (1 if len(scope) >= len(self.metas) else 3)
        hits = self.store.query(list(map(float, emb)), n, self.versions)
        out: dict[int, float] = {}
        for rid, sim in hits:
            version = rid.rsplit("@", 1)[-1]
            key = record_id_to_clause_key(rid)
            i = self.part_index.get(key)
            if i is not None and self.versions.get(self.parts[i].doc_id) == version:
                out[i] = sim
        return out

    def search(self, question: str, k: int = 10, filters: SearchFilters | None = None) -> SearchResult:
        filters = filters or SearchFilters()
        with self._lock:
            analysis = analyze(question, self.metas, self.departments)
            scope = self._scope(analysis, filters)
            doc_flags = np.zeros(len(self.doc_codes) + 1, dtype=bool)
            doc_flags[[self.doc_codes[d] for d in scope if d in self.doc_codes]] = True
            in_scope = doc_flags[self.part_doc]
            department = filters.department or (analysis.departments[0] if analysis.departments else None)
            if department:
                dept = search_form(department)
                in_scope &= np.array([any(dept in search_form(d) for d in c.departments) for c in self.parts])
            phrase = filters.phrase or (analysis.phrases[0] if analysis.phrase_only else None)
            if phrase:
                p = match_form(phrase)
                in_scope &= np.array([p in t for t in self.match_texts])

            # 1. number lookup
            first: list[SearchHit] = []
            if analysis.item and (analysis.doc_ids or filters.doc_ids):
                targets = lookup.resolve(analysis.item, list(self.clauses.values()), sorted(scope))
                first = [SearchHit(c, 100.0 - i * 0.01, via="lookup") for i, c in enumerate(targets)]

            # 2. hybrid
            query_text = analysis.text
            lex = self.bm25.scores(query_text)
            dense = self._dense(query_text, scope) if in_scope.any() else {}
            lex = np.where(in_scope, lex, -1.0)
            top_l = np.argpartition(-lex, min(DENSE_CANDIDATES, len(lex) - 1))[:DENSE_CANDIDATES] if len(lex) else []
            order_l = [int(i) for i in sorted(top_l, key=lambda i: -lex[i]) if lex[i] > 0]
            order_d = sorted((i for i in dense if in_scope[i]), key=lambda i: -dense[i])
            fused: dict[int, float] = defaultdict(float)
            for r, i in enumerate(order_l):
                fused[i] += LEXICAL_WEIGHT / (RRF_K + r + 1)
            for r, i in enumerate(order_d):
                fused[i] += DENSE_WEIGHT / (RRF_K + r + 1)
            # A quoted term in a question is a strong hint.  Candidates: what either side found plus
            # BM25's wider top list (a clause holding the phrase scores there) — not the whole corpus.
            wide = np.argpartition(-lex, min(PHRASE_POOL, len(lex) - 1))[:PHRASE_POOL] if analysis.phrases else []
            for ph in analysis.phrases:
                p = match_form(ph)
                for i in set(fused) | {int(j) for j in wide if lex[j] > 0}:
                    if p in self.match_texts[i]:
                        fused[i] += 1.0 / RRF_K
            if phrase or department:  # listing modes: every matching clause, even if not retrieved
                for i in np.flatnonzero(in_scope):
                    fused[int(i)] += 1e-6
            best_part: dict[str, tuple[float, int]] = {}
            for i, s in fused.items():
                cid = self.parts[i].clause_id
                if cid not in best_part or s > best_part[cid][0]:
                    best_part[cid] = (s, i)
            ranked = sorted(best_part.items(), key=lambda kv: -kv[1][0])
            via = "phrase" if phrase else "department" if department else "hybrid"
            hits = list(first)
            seen = {h.clause.clause_id for h in first}
            for cid, (s, i) in ranked:
                if cid in seen:
                    continue
                hits.append(SearchHit(self.clauses[cid], s, dense=dense.get(i, 0.0),
                                      lexical=float(max(lex[i], 0.0)), via=via, matched_part=self.parts[i].part))
            for h in first:  # lookup hits also carry similarity, for answer confidence
                pi = self.part_index.get((h.clause.clause_id, 1))
                if pi is not None:
                    h.dense, h.lexical = dense.get(pi, 0.0), float(max(lex[pi], 0.0))
            if analysis.compare and len(scope) > 1 and not first:
                hits = diversify(hits, [d for d in analysis.doc_ids if d in scope])
            return SearchResult(hits[: max(k, len(first))] if not (phrase or department) else hits[: max(k, 50)], analysis)


def diversify(hits: list[SearchHit], doc_ids: list[str]) -> list[SearchHit]:
    """Round-robin over the named documents so a comparison sees each side."""
    per_doc: dict[str, list[SearchHit]] = defaultdict(list)
    for h in hits:
        per_doc[h.clause.doc_id].append(h)
    out: list[SearchHit] = []
    queues = [per_doc[d] for d in doc_ids if per_doc.get(d)]
    while any(queues):
        for q in queues:
            if q:
                out.append(q.pop(0))
    rest = [h for h in hits if h.clause.doc_id not in doc_ids]
    return out + rest


class PolicyRetriever(BaseRetriever):
    """LangChain face of :class:`HybridRetriever`, for use in chains."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    retriever: HybridRetriever
    k: int = 5
    filters: SearchFilters | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        result = self.retriever.search(query, self.k, self.filters)
        return [
            Document(
                page_content=h.clause.text,
                metadata={"clause_id": h.clause.clause_id, "doc_id": h.clause.doc_id, "doc_title": h.clause.doc_title,
                          "item": h.clause.item, "score": h.score, "via": h.via, "citation": h.clause.citation()},
            )
            for h in result.hits
        ]
