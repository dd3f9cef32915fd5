"""Hybrid retrieval: number lookup first, then dense (Chroma) + BM25 fused by reciprocal rank.

The stages — query analysis (:mod:`.analysis`), number lookup (:mod:`.lookup`), lexical
(:mod:`.lexical`), dense (:mod:`.dense`) and fusion (:mod:`.fusion`) — each do one job;
:class:`HybridRetriever` wires them over one :class:`~.snapshot.IndexSnapshot`.  Retrieval works on
clause *parts* (what was embedded) and answers with whole clauses, so a user always sees a
complete item with one label, whichever of its parts matched.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from bot.retrieval import lookup
from bot.retrieval.analysis import QueryAnalysis, analyze
from bot.retrieval.catalog import DocumentCatalog
from bot.retrieval.dense import ChromaDense
from bot.retrieval.fusion import DENSE_CANDIDATES, boost_phrases, diversify, rrf
from bot.retrieval.parts import find_part, part_item
from bot.retrieval.rerank import Reranker
from bot.retrieval.snapshot import IndexSnapshot
from bot.retrieval.types import DenseSearcher, SearchFilters, SearchHit, SearchResult
from ingest.department_names import variants
from ingest.models import Clause
from ingest.text.script import match_form, search_form
from ingest.text.synonyms import EXPANSION_WEIGHT
from ingest.text.word_vectors import NEIGHBOUR_WEIGHT
from vectorstore.chroma_store import ClauseStore

DOC_FILTER_RATIO = 0.6  # documents named almost as clearly as the best one stay in scope


class _Beside:
    """A call run on a thread of its own, its result (or exception) collected later.  A thread per call,
    not a pool: with a pool's idle threads alive at exit, the interpreter crashed in 3 of 20 runs
    (the embedding runtime's per-thread state torn down late); starting a thread costs ~0.1 ms."""

    def __init__(self, fn: Callable[..., dict[int, float]], *args: Any) -> None:
        self._result: dict[int, float] = {}
        self._error: BaseException | None = None

        def run() -> None:
            try:
                self._result = fn(*args)
            except BaseException as exc:  # handed to the caller by result()
                self._error = exc

        self._thread = threading.Thread(target=run, name="policybot-dense", daemon=True)
        self._thread.start()

    def result(self) -> dict[int, float]:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result


class HybridRetriever:
    """Searches the active index; reloads its snapshot when the store's active versions change."""

    def __init__(self, store: ClauseStore, dense: DenseSearcher | None = None,
                 reranker: Reranker | None = None) -> None:
        self.store = store
        self.dense = dense or ChromaDense(store)
        self.reranker = reranker or Reranker()
        self._lock = threading.RLock()
        self.write_lock = threading.Lock()  # held by this process's writes (the document library)
        self.snapshot = IndexSnapshot()
        self._checked = 0.0
        self.reload()

    # ----- the index state (read-only views of the current snapshot) --------------------------
    @property
    def size(self) -> int:
        """Live clause parts in the index (0: nothing indexed yet)."""
        return len(self.snapshot)

    @property
    def parts(self) -> list[Clause]:
        """Every active clause part, read from the store (for listings and tools, not for serving)."""
        return self.store.active_clauses()

    @property
    def clauses(self) -> dict[str, Clause]:
        """Every whole clause, materialised (tests and small tools; serving reads :meth:`clause`)."""
        return self.snapshot.clauses

    def clause(self, clause_id: str) -> Clause | None:
        return self.snapshot.clause(clause_id)

    def doc_clauses(self, doc_id: str) -> list[Clause]:
        return self.snapshot.doc_clauses(doc_id)

    @property
    def catalog(self) -> DocumentCatalog:
        return self.snapshot.catalog

    def view_of(self, result: SearchResult) -> IndexSnapshot:
        """The index view ``result`` was searched on (what its answer reads documents and clauses from,
        even when a reload has swapped in another since)."""
        return result.snapshot or self.snapshot

    @property
    def versions(self) -> dict[str, str]:
        return self.snapshot.versions

    def refresh_if_changed(self, max_age: float = 2.0) -> bool:
        """Pick up another process's ingest or removal (the CLI on the same data directory, another
        instance on a shared Chroma server): compare the registry's active versions at most every
        ``max_age`` seconds, and rebuild only when they changed."""
        now = time.monotonic()
        if now - self._checked < max_age or not self.write_lock.acquire(blocking=False):
            return False  # checked lately, or this process is writing (and reloads when it is done)
        try:
            self._checked = now
            if self.store.active_versions() != self.snapshot.versions:
                self.store.reopen()  # another process wrote: read its version, dense and lexical alike
                self.reload()
                return True
            return False
        finally:
            self.write_lock.release()

    def reload(self) -> None:
        """Assemble the snapshot for the store's active versions from the stored search segments
        (start-up, after ingest, after removal), swapped in whole.  Documents no segment holds are
        read from the collection once and written as a segment (time proportional to them)."""
        with self._lock:
            self._checked = time.monotonic()
            versions = self.store.active_versions()

            def fetch(doc_ids: list[str]) -> list[Clause]:
                return [c for c, _ in self.store.active_parts(vectors=False, doc_ids=doc_ids, versions=versions)]

            chosen = self.store.segments.ensure(versions, fetch)
            self.snapshot = IndexSnapshot(versions, chosen)

    def knows(self, word: str) -> bool:
        """Does any live clause contain the word (one of its search tokens)?"""
        return bool(self.snapshot.bm25.scores(word).any())

    def analyze(self, question: str) -> QueryAnalysis:
        """The question's documents, item number, phrases — without searching.  Pass the result on to
        :meth:`search` of the same question: it is analysed once."""
        snap = self.snapshot
        return analyze(question, snap.catalog, snap.departments)

    # ------------------------------------------------------------------------------------------
    def _scope(self, snap: IndexSnapshot, analysis: QueryAnalysis, filters: SearchFilters) -> set[str]:
        """Documents in scope: explicit filters, else the ones the question names."""
        metas = snap.catalog.metas
        docs = set(snap.catalog.by_id)
        if filters.doc_ids:
            docs &= set(filters.doc_ids)
        if filters.regions:
            docs &= {m.doc_id for m in metas if any(r in m.region for r in filters.regions)}
        if filters.levels:
            docs &= {m.doc_id for m in metas if m.level in filters.levels}
        if filters.years:
            docs &= {m.doc_id for m in metas if m.date[:4] in filters.years}
        if analysis.doc_scores and not filters.doc_ids:
            best = max(analysis.doc_scores.values())
            # A comparison keeps every document it names, however weakly (广东 beside 天津质量强市纲要).
            floor = 0.0 if analysis.compare else best * DOC_FILTER_RATIO
            named = {d for d, s in analysis.doc_scores.items() if s >= floor}
            if named & docs:
                docs &= named
        return docs

    @staticmethod
    def _item_of_named_part(analysis: QueryAnalysis, snap: IndexSnapshot, scope: set[str]) -> list[Clause]:
        """A bare 第N条 after a part's title or place (保障措施第二条, 最后一部分第二条) counts within that part, in
        the first named document that has it; otherwise the number is looked up in the documents (lookup.resolve)."""
        ref = analysis.item
        if ref is None or len(ref.path) != 1 or ref.path[0][0] is not None:
            return []
        for doc_id in (d for d in analysis.doc_ids if d in scope):
            found = part_item(analysis.content, ref, snap.doc_clauses(doc_id))
            if found:
                return found
        return []

    def _part_mask(self, snap: IndexSnapshot, scope: set[str], department: str | None,
                   phrase: str | None) -> np.ndarray:
        doc_flags = np.zeros(len(snap.doc_codes) + 1, dtype=bool)
        doc_flags[[snap.doc_codes[d] for d in scope if d in snap.doc_codes]] = True
        in_scope = doc_flags[snap.part_doc]
        if department:  # any name of the body (ingest.department_names: 市工信局 = 市工业和信息化局)
            names = [search_form(n) for n in variants(department)]
            in_scope &= snap.department_mask({d for d in snap.departments if any(n in search_form(d) for n in names)})
        if phrase:
            in_scope &= snap.phrase_mask(match_form(phrase))
        return in_scope

    def search(self, question: str, k: int = 10, filters: SearchFilters | None = None,
               rerank: bool = True, stop_at_lookup: bool = False,
               analysis: QueryAnalysis | None = None) -> SearchResult:
        """Ranked clauses.  ``stop_at_lookup``: when the question names a clause by number, return that
        clause (or the outline of a number the document lacks) without running the lexical and dense
        stages (the hotline's exact reference: a command-line lookup never loads the segmenter).  A
        question that is such a reference and nothing more is answered that way in any case.
        ``analysis``: this question's analysis from :meth:`analyze` (not redone when it was made on the
        view this search runs on)."""
        filters = filters or SearchFilters()
        snap = self.snapshot
        if analysis is None or not analysis.made_for(question, snap.catalog):
            analysis = analyze(question, snap.catalog, snap.departments)
        scope = self._scope(snap, analysis, filters)
        department = filters.department or (analysis.departments[0] if analysis.departments else None)
        phrase = filters.phrase or (analysis.phrases[0] if analysis.phrase_only else None)
        weights = self.reranker.weights
        floor = weights.answerable_floor if weights else None

        # 1. number lookup
        first: list[SearchHit] = []
        missing = None
        if analysis.item and (analysis.doc_ids or filters.doc_ids):
            clauses = [c for d in sorted(scope) for c in snap.doc_clauses(d)]  # only the documents in scope
            targets = self._item_of_named_part(analysis, snap, scope) or lookup.resolve(
                analysis.item, clauses, sorted(scope), snap.catalog.numbering)
            first = [SearchHit(c, 100.0 - i * 0.01, via="lookup") for i, c in enumerate(targets)]
            named = [d for d in (filters.doc_ids or analysis.doc_ids) if d in scope]
            if not targets and named:
                missing = lookup.outline(snap.doc_clauses(named[0]), named[0])
        elif analysis.doc_ids and not analysis.compare and not filters.doc_ids:
            # a whole part named by its title ("瓯海方案的主要目标是什么"): every item of it, in order
            part_doc = next((d for d in analysis.doc_ids if d in scope), None)
            part = find_part(analysis.content, snap.doc_clauses(part_doc)) if part_doc else []
            first = [SearchHit(c, 100.0 - i * 0.01, via="part") for i, c in enumerate(part)]
        found_number = any(h.via == "lookup" for h in first)
        if stop_at_lookup and (found_number or missing is not None):
            return SearchResult(first[:max(k, 1)], analysis, missing, floor, snapshot=snap)
        if found_number and not (phrase or department) and analysis.names_only_a_clause():
            return SearchResult(first, analysis, None, floor, snapshot=snap)  # the clause asked for, nothing else

        # 2. lexical + dense, fused
        in_scope = self._part_mask(snap, scope, department, phrase)
        scoped = len(scope) < len(snap.catalog)  # a question that names its documents is ranked within them
        n_dense = DENSE_CANDIDATES * (1 if len(scope) >= len(snap.catalog) else 3)
        # The dense stage (embedding, Chroma's index) runs in native code that lets go of the GIL, so it runs
        # beside the lexical stage, which holds it (segmenter, BM25): at 100k parts search p50/p95 43-46/61-64
        # -> 41-44/54-60 ms on an idle 2-core machine (bench/scale.py's children, run in turn).
        pending = _Beside(self.dense.run, analysis.content.strip() or analysis.text, n_dense, snap,
                          sorted(scope) if scoped else None) if in_scope.any() else None
        lex = snap.bm25.scores(analysis.text, analysis.expansion_words(), EXPANSION_WEIGHT,
                               scope=in_scope if scoped else None, nearer=analysis.neighbour_words(),
                               near_weight=NEIGHBOUR_WEIGHT)
        dense = pending.result() if pending is not None else {}
        lex = np.where(in_scope, lex, -1.0)
        fused = rrf(lex, dense, in_scope)
        boost_phrases(fused, analysis.phrases, lex, snap.match_text)
        if phrase or department:  # listing modes: every matching clause, even if not retrieved
            for j in np.flatnonzero(in_scope):
                fused[int(j)] += 1e-6

        # 3. whole clauses, best part first (decoded from the segments for the results shown only)
        best_part: dict[int, tuple[float, int]] = {}
        for i, s in fused.items():
            code = int(snap.part_clause[i])
            if code not in best_part or s > best_part[code][0]:
                best_part[code] = (s, i)
        ranked = sorted(best_part.items(), key=lambda kv: -kv[1][0])
        via = "phrase" if phrase else "department" if department else "hybrid"
        listing = bool(phrase or department)
        limit = max(k, 50) if listing else max(k, len(first))
        if listing and not analysis.compare:
            ranked = ranked[:limit + len(first)]  # a listing shows its head in fused order
        seen = {h.clause.clause_id for h in first}
        found = []
        for code, (s, i) in ranked:
            clause = snap.clause_at(code)
            if clause.clause_id not in seen:
                found.append(SearchHit(clause, s, dense=dense.get(i, 0.0), lexical=float(max(lex[i], 0.0)), via=via,
                                       matched_part=int(snap.part_no[i])))
        if rerank and not (phrase or department):  # listing modes keep every match in fused order
            found = self.reranker.run(analysis, found)
        hits = first + found
        for h in first:  # lookup hits also carry similarity, for answer confidence
            pi = snap.row_of(h.clause.clause_id, 1)
            if pi is not None:
                h.dense, h.lexical = dense.get(pi, 0.0), float(max(lex[pi], 0.0))
        if analysis.compare and len(scope) > 1 and not first:
            hits = diversify(hits, [d for d in analysis.doc_ids if d in scope])
        return SearchResult(hits[:limit], analysis, missing, floor, snapshot=snap)
