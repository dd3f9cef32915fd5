"""One immutable view of the active index, assembled from stored search segments.

The segments (:mod:`vectorstore.segments`) are memory-mapped: this view keeps per *row* (clause
part) only a few integer arrays — the row's document, clause and part number, and whether it is live —
plus the documents' catalog.  Clause texts and metadata are decoded from the segments for the top
results only (a bounded cache), so memory does not grow with the collection's text.

A reload assembles a new snapshot and swaps it in one assignment, so a search that started on the
old one finishes on it and nobody reads a half-built state.  Everything that needs "the documents in
the index" (analysis, answers, the service) reads them here, never from mutable retriever fields.
"""
from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from bot.retrieval.catalog import DocumentCatalog
from bot.retrieval.lexical import SegmentBM25
from ingest.models import Clause, DocMeta
from ingest.text.segment import Segmenter, bigram_tokens, domain_terms, is_cjk_run, use_segmenter
from vectorstore.segments import Segment, merge_parts, row_key

__all__ = ["IndexSnapshot", "SegmentView", "merge_parts"]

CLAUSE_CACHE = 4096  # whole clauses kept decoded per snapshot


@dataclass(frozen=True)
class SegmentView:
    """A segment as part of a snapshot: where its rows start and which of them are live."""

    seg: Segment
    offset: int  # first global row
    clause_offset: int  # first global clause code
    live: np.ndarray  # bool [rows]
    local_docs: tuple[int, ...]  # local document indices this view serves


class IndexSnapshot:
    def __init__(self, versions: dict[str, str] | None = None,
                 chosen: list[tuple[Segment, set[str]]] | None = None) -> None:
        self.versions: dict[str, str] = dict(versions or {})
        views: list[SegmentView] = []
        row = clause = 0
        served: dict[str, tuple[int, int]] = {}  # doc id → (view, local doc)
        for seg, owned in chosen or []:
            live = np.zeros(seg.rows, dtype=bool)
            local_docs = []
            for i, d in enumerate(seg.docs):
                if d in owned and self.versions.get(d) == seg.versions[i]:
                    live[int(seg.doc_rows[i]):int(seg.doc_rows[i + 1])] = True
                    local_docs.append(i)
                    served[d] = (len(views), i)
            views.append(SegmentView(seg, row, clause, live, tuple(local_docs)))
            row += seg.rows
            clause += len(seg.clause_first_row)
        self.views: tuple[SegmentView, ...] = tuple(views)
        self.size = row
        self._clause_offsets = np.array([v.clause_offset for v in views] + [clause], dtype=np.int64)
        self._row_offsets = np.array([v.offset for v in views] + [row], dtype=np.int64)
        doc_ids = sorted(served)
        self.doc_codes: dict[str, int] = {d: i for i, d in enumerate(doc_ids)}
        self._served = served
        dead = len(doc_ids)
        self.part_doc = np.full(row, dead, dtype=np.int32)
        self.part_clause = np.zeros(row, dtype=np.int64)
        self.part_no = np.zeros(row, dtype=np.int16)
        self.live = np.zeros(row, dtype=bool)
        metas: list[DocMeta] = []
        numbering: dict[str, str | None] = {}
        departments: set[str] = set()
        terms: list[str] = []
        for v in views:
            s, a, b = v.seg, v.offset, v.offset + v.seg.rows
            self.part_clause[a:b] = np.asarray(s.row_clause) + v.clause_offset
            self.part_no[a:b] = s.part
            self.live[a:b] = v.live
            terms.extend(s.terms)
            for i in v.local_docs:
                self.part_doc[a + int(s.doc_rows[i]):a + int(s.doc_rows[i + 1])] = self.doc_codes[s.docs[i]]
        for d in doc_ids:
            vi, i = served[d]
            s = views[vi].seg
            metas.append(DocMeta.model_validate_json(s.metas[i]))
            numbering[d] = s.numbering[i]
            departments.update(s.doc_departments[i])
        self.catalog = DocumentCatalog(tuple(metas), numbering)
        self._metas = {m.doc_id: m for m in metas}
        self.departments = sorted(departments)
        # the words its segments were tokenised with, in a dictionary of its own: queries segment like the
        # rows were, and no other snapshot (or segment build) changes how this one segments
        self.segmenter = Segmenter([*domain_terms(), *dict.fromkeys(terms)])
        if views:
            use_segmenter(self.segmenter)
        self.bm25 = SegmentBM25(self.views, self.size, self.segmenter)
        self._cache: OrderedDict[int, Clause] = OrderedDict()
        self._cache_lock = threading.Lock()

    def __len__(self) -> int:
        return int(self.live.sum())

    # ----- rows → clauses ----------------------------------------------------------------------
    def _locate_clause(self, code: int) -> tuple[SegmentView, int]:
        vi = int(np.searchsorted(self._clause_offsets, code, side="right")) - 1
        v = self.views[vi]
        return v, code - v.clause_offset

    def clause_at(self, code: int) -> Clause:
        """The whole clause with global code ``code`` (decoded from its segment; cached)."""
        with self._cache_lock:
            hit = self._cache.get(code)
            if hit is not None:
                self._cache.move_to_end(code)
                return hit
        v, local = self._locate_clause(code)
        raw = v.seg.clause_json(local)
        di = int(np.searchsorted(v.seg.doc_clauses, local, side="right")) - 1
        meta = self._metas.get(v.seg.docs[di])
        if meta is None:  # a tombstoned row's document (never returned by a search)
            meta = DocMeta.model_validate_json(v.seg.metas[di])
        clause = Clause.model_validate({**json.loads(raw), "doc": meta})  # the catalog's metadata object, shared
        with self._cache_lock:
            self._cache[code] = clause
            while len(self._cache) > CLAUSE_CACHE:
                self._cache.popitem(last=False)
        return clause

    def first_row(self, code: int) -> int:
        v, local = self._locate_clause(code)
        return v.offset + int(v.seg.clause_first_row[local])

    def doc_clause_codes(self, doc_id: str) -> range:
        where = self._served.get(doc_id)
        if where is None:
            return range(0)
        v = self.views[where[0]]
        i = where[1]
        return range(v.clause_offset + int(v.seg.doc_clauses[i]), v.clause_offset + int(v.seg.doc_clauses[i + 1]))

    def doc_clauses(self, doc_id: str) -> list[Clause]:
        """One document's whole clauses in order (number lookup, outlines): decoded for that document only."""
        return [self.clause_at(c) for c in self.doc_clause_codes(doc_id)]

    def code_of(self, clause_id: str) -> int | None:
        doc_id = clause_id.split(":", 1)[0]
        candidates = [doc_id] if doc_id in self._served else [d for d in self._served if clause_id.startswith(d + ":")]
        for d in candidates:
            for code in self.doc_clause_codes(d):
                if self.clause_at(code).clause_id == clause_id:
                    return code
        return None

    def clause(self, clause_id: str) -> Clause | None:
        code = self.code_of(clause_id)
        return self.clause_at(code) if code is not None else None

    @property
    def clauses(self) -> dict[str, Clause]:
        """Every whole clause (materialised: for tests and small tools, not for serving)."""
        return {c.clause_id: c for d in self.doc_codes for c in self.doc_clauses(d)}

    # ----- what the stages read --------------------------------------------------------------
    def match_text(self, row: int) -> str:
        vi = int(np.searchsorted(self._row_offsets, row, side="right")) - 1
        v = self.views[vi]
        return v.seg.match_text(row - v.offset)

    def phrase_mask(self, phrase: str) -> np.ndarray:
        """Rows whose match-form text contains ``phrase`` (match form)."""
        mask = np.zeros(self.size, dtype=bool)
        for v in self.views:
            rows = v.seg.rows_containing(phrase)
            mask[v.offset + rows] = True
        return mask & self.live

    def uses_phrase(self, phrase: str) -> bool:
        """Does any live row's match-form text contain ``phrase`` (match form)?  A segment in whose index one
        of the phrase's character bigrams (``#xy`` tokens) does not occur cannot hold it: a word no text
        uses is then known absent without scanning the segment's text (at 100k rows, ~10 ms a scan)."""
        grams = bigram_tokens(phrase) if is_cjk_run(phrase) else []
        return any(v.seg.any_row_containing(phrase, v.live) for v in self.views
                   if not any(v.seg.postings(g) is None for g in grams))

    def department_mask(self, matches: set[str]) -> np.ndarray:
        """Rows naming one of the departments ``matches`` (exact names)."""
        mask = np.zeros(self.size, dtype=bool)
        for v in self.views:
            codes = [i for i, name in enumerate(v.seg.departments) if name in matches]
            if codes:
                sel = np.isin(v.seg.dept_code, codes)
                mask[v.offset + v.seg.dept_row[sel]] = True
        return mask & self.live

    def row_of(self, clause_id: str, part: int, version: str | None = None) -> int | None:
        """The live row of a clause part (of ``version`` of its document, when given): how a dense hit from
        Chroma (``clause_id/part@version``) finds its row — a binary search of the serving segment's keys."""
        doc_id = clause_id.split(":", 1)[0]
        if doc_id not in self._served:  # a document id with a colon of its own
            doc_id = next((d for d in self._served if clause_id.startswith(d + ":")), doc_id)
        where = self._served.get(doc_id)
        if where is None or (version is not None and self.versions.get(doc_id) != version):
            return None
        v = self.views[where[0]]
        i = where[1]
        row = v.seg.row_of_key(row_key(clause_id, part), int(v.seg.doc_rows[i]), int(v.seg.doc_rows[i + 1]))
        return None if row is None else v.offset + row
