"""Stored search segments: what an app instance needs to search, written once, memory-mapped by every reader.

A *segment* is an immutable directory holding, for a set of document versions:

- the lexical index in the shape of txtai's ``scoring/terms.py``: a vocabulary, term postings
  (rows and term frequencies, CSC order) and the token count of every row — raw counts, not
  precomputed BM25 scores, so that scores are computed at query time with the statistics of the
  rows that are live *now* (several segments and tombstoned rows score exactly like one index);
- the unit embedding of every row (clause part), ``float32``, memory-mapped;
- the whole clauses as JSON (``clauses.bin`` + offsets), decoded only for the top results;
- each part's text in match form (``match.bin``, ``\\0``-separated), scanned for exact phrases;
- compact labels: part number, clause of each row, departments (CSR), per-document row ranges,
  each document's metadata and primary numbering level (number lookup reads one document's clauses).

Rows are sorted by (document, order).  Segments are named by a hash of the (document, version) pairs
they hold and written to a temporary directory that is renamed into place, so a reader never sees a
half-written segment and two writers of the same versions produce the same name.

Versioning: a segment row is *live* only while the registry's active version of its document is the
row's version, and only in the one segment chosen to serve that (document, version).  A replaced or
removed document's rows are tombstones from the moment the registry flips — a reader can never pair an
old lexical index with a new collection — and :meth:`SegmentStore.compact` drops them later.
"""
from __future__ import annotations

import hashlib
import json
import logging
import mmap
import os
import shutil
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ingest.items import primary_style
from ingest.models import Clause
from ingest.text.script import match_form
from ingest.text.segment import add_terms, corpus_terms, domain_terms, tokenize

log = logging.getLogger(__name__)

FORMAT = 1
EMPTY_TOKEN = "#empty"  # a row without a single token still counts (length 1), as in bm25s
MAX_SEGMENTS = 6  # more live segments than this, or
MAX_DEAD_SHARE = 0.25  # more tombstoned rows than this share → compact into one segment
GRACE_SECONDS = 300.0  # a superseded segment is deleted this long after compaction (readers may still map it)


def merge_parts(parts: list[Clause]) -> Clause:
    """The whole clause: its parts' texts joined under the first part's record."""
    parts = sorted(parts, key=lambda c: c.part)
    if len(parts) == 1:
        return parts[0]
    return parts[0].model_copy(update={"text": "\n".join(p.text for p in parts), "part": 1})


def segment_id(pairs: Iterable[tuple[str, str]]) -> str:
    h = hashlib.sha1(f"format={FORMAT}".encode())
    for d, v in sorted(pairs):
        h.update(f"\n{d}@{v}".encode())
    return h.hexdigest()[:20]


def unit_rows(vectors: Any) -> np.ndarray:
    m = np.asarray(vectors, dtype=np.float32)
    if m.ndim != 2 or not len(m):
        return np.zeros((0, 0), dtype=np.float32)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.where(norms == 0, 1.0, norms)


# ----- reading -------------------------------------------------------------------------------------
@dataclass
class Segment:
    """One stored segment, memory-mapped; everything per row is an array, nothing per clause is an object."""

    path: Path
    sid: str
    docs: list[str]  # local document order (sorted)
    versions: list[str]
    doc_rows: np.ndarray  # int64 [D+1]: rows of local doc i are doc_rows[i]:doc_rows[i+1]
    doc_clauses: np.ndarray  # int64 [D+1]: clauses of local doc i
    metas: list[str]  # DocMeta JSON per local doc
    numbering: list[str | None]
    doc_departments: list[list[str]]
    terms: list[str]  # words taught to the segmenter when this segment was tokenised
    vocab: dict[str, int]
    dl: np.ndarray  # int32 [n] tokens per row
    row_clause: np.ndarray  # int32 [n] local clause of each row
    part: np.ndarray  # int16 [n]
    clause_first_row: np.ndarray  # int32 [C]
    clause_off: np.ndarray  # int64 [C+1] into clauses.bin
    match_off: np.ndarray  # int64 [n+1] into match.bin
    departments: list[str]
    dept_row: np.ndarray  # int32: (row, department) pairs
    dept_code: np.ndarray  # int32
    post_ptr: np.ndarray  # int64 [V+1]
    post_row: np.ndarray  # int32
    post_tf: np.ndarray  # uint16
    vectors: np.ndarray  # float32 [n, d] unit rows (mmap) or [0, 0]
    clauses_blob: Any = field(repr=False, default=None)
    match_blob: Any = field(repr=False, default=None)
    created: float = 0.0

    @property
    def rows(self) -> int:
        return len(self.dl)

    @property
    def doc_versions(self) -> dict[str, str]:
        return dict(zip(self.docs, self.versions, strict=True))

    def postings(self, token: str) -> tuple[np.ndarray, np.ndarray] | None:
        tid = self.vocab.get(token)
        if tid is None:
            return None
        a, b = int(self.post_ptr[tid]), int(self.post_ptr[tid + 1])
        return self.post_row[a:b], self.post_tf[a:b]

    def clause_json(self, local: int) -> str:
        a, b = int(self.clause_off[local]), int(self.clause_off[local + 1])
        return bytes(self.clauses_blob[a:b]).decode("utf-8") if b > a else ""

    def match_text(self, row: int) -> str:
        a, b = int(self.match_off[row]), int(self.match_off[row + 1]) - 1
        return bytes(self.match_blob[a:b]).decode("utf-8") if b > a else ""

    def rows_containing(self, phrase: str) -> np.ndarray:
        """Rows whose match-form text contains ``phrase`` (already in match form): one scan of the map."""
        needle = phrase.encode("utf-8")
        blob = self.match_blob
        if not needle or blob is None or not len(blob):
            return np.zeros(0, dtype=np.int64)
        out: list[int] = []
        pos = blob.find(needle, 0)
        while pos >= 0:
            row = int(np.searchsorted(self.match_off, pos, side="right")) - 1
            out.append(row)
            pos = blob.find(needle, int(self.match_off[row + 1]))
        return np.asarray(out, dtype=np.int64)


def _map(path: Path) -> Any:
    if path.stat().st_size == 0:
        return b""
    with path.open("rb") as fh:
        return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)


def open_segment(path: Path) -> Segment:
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    docs = json.loads((path / "docs.json").read_text(encoding="utf-8"))
    vocab_list = json.loads((path / "vocab.json").read_text(encoding="utf-8"))

    def arr(name: str, mapped: bool = False) -> np.ndarray:
        return np.asarray(np.load(path / f"{name}.npy", mmap_mode="r" if mapped else None))

    return Segment(
        path=path, sid=meta["sid"], docs=[d[0] for d in meta["docs"]], versions=[d[1] for d in meta["docs"]],
        doc_rows=arr("doc_rows"), doc_clauses=arr("doc_clauses"),
        metas=docs["metas"], numbering=docs["numbering"], doc_departments=docs["departments"],
        terms=docs["terms"], vocab={t: i for i, t in enumerate(vocab_list)},
        dl=arr("dl"), row_clause=arr("row_clause"), part=arr("part"), clause_first_row=arr("clause_first_row"),
        clause_off=arr("clause_off"), match_off=arr("match_off"), departments=docs["department_names"],
        dept_row=arr("dept_row"), dept_code=arr("dept_code"),
        post_ptr=arr("post_ptr", True), post_row=arr("post_row", True), post_tf=arr("post_tf", True),
        vectors=arr("vectors", True), clauses_blob=_map(path / "clauses.bin"), match_blob=_map(path / "match.bin"),
        created=float(meta.get("created", 0.0)),
    )


# ----- writing -------------------------------------------------------------------------------------
def _write(tmp: Path, sid: str, pairs: list[tuple[str, str]], docs: dict, arrays: dict[str, np.ndarray],
           vocab: list[str], clauses_blob: bytes, match_blob: bytes) -> None:
    tmp.mkdir(parents=True)
    for name, a in arrays.items():
        np.save(tmp / f"{name}.npy", a)
    (tmp / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (tmp / "docs.json").write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    (tmp / "clauses.bin").write_bytes(clauses_blob)
    (tmp / "match.bin").write_bytes(match_blob)
    meta = {"format": FORMAT, "sid": sid, "docs": pairs, "rows": len(arrays["dl"]), "created": time.time()}
    (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")  # last: marks it complete


def _separated_offsets(chunks: list[bytes]) -> np.ndarray:
    """Start of each chunk in ``b"\\0".join(chunks)``, plus one past the end (as if a separator followed the
    last): chunk r is ``blob[off[r] : off[r + 1] - 1]``."""
    off = np.zeros(len(chunks) + 1, dtype=np.int64)
    np.cumsum([len(c) + 1 for c in chunks], out=off[1:])
    return off


def _csc(term_ids: np.ndarray, rows: np.ndarray, tfs: np.ndarray, n_terms: int) -> dict[str, np.ndarray]:
    order = np.lexsort((rows, term_ids))
    counts = np.bincount(term_ids, minlength=n_terms) if len(term_ids) else np.zeros(n_terms, dtype=np.int64)
    ptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    # term frequencies are small counts: uint16 on disk, float32 when scored (exactly the same values)
    return {"post_ptr": ptr, "post_row": rows[order].astype(np.int32),
            "post_tf": np.minimum(tfs[order], 65535).astype(np.uint16)}


def build_segment(root: Path, parts: Sequence[Clause], versions: dict[str, str], vectors: Any,
                  extra_terms: Iterable[str] = ()) -> Path:
    """Tokenise ``parts`` (clause parts of whole document versions) and write them as a segment under ``root``.

    ``extra_terms``: the words other segments taught the segmenter (a delta tokenises like its base).
    """
    order = sorted(range(len(parts)), key=lambda i: (parts[i].doc_id, parts[i].order, parts[i].part))
    rows = [parts[i] for i in order]
    vec = unit_rows(vectors)
    vec = vec[order] if len(vec) == len(parts) and len(parts) else np.zeros((0, 0), dtype=np.float32)
    departments_all = sorted({d for c in rows for d in c.departments})
    terms = [*corpus_terms(c.text for c in rows), *departments_all]
    add_terms([*domain_terms(), *extra_terms, *terms])

    docs = list(dict.fromkeys(c.doc_id for c in rows))
    pairs = [(d, versions[d]) for d in docs]
    sid = segment_id(pairs)
    vocab: dict[str, int] = {}
    term_ids: list[int] = []
    post_rows: list[int] = []
    post_tfs: list[int] = []
    dl = np.zeros(len(rows), dtype=np.int32)
    for r, c in enumerate(rows):
        toks = tokenize(c.search_text) or [EMPTY_TOKEN]
        dl[r] = len(toks)
        for t, n in Counter(toks).items():
            term_ids.append(vocab.setdefault(t, len(vocab)))
            post_rows.append(r)
            post_tfs.append(n)

    # clauses (whole), in order of their first part; documents' row and clause ranges
    clause_of: dict[str, int] = {}
    grouped: list[list[Clause]] = []
    first_row: list[int] = []
    row_clause = np.zeros(len(rows), dtype=np.int32)
    for r, c in enumerate(rows):
        k = clause_of.get(c.clause_id)
        if k is None:
            k = clause_of[c.clause_id] = len(grouped)
            grouped.append([])
            first_row.append(r)
        grouped[k].append(c)
        row_clause[r] = k
    for k, ps in enumerate(grouped):  # the row of part 1 stands for the clause (lookup hits carry its scores)
        first_row[k] = next((r for r in range(first_row[k], len(rows)) if rows[r].clause_id == ps[0].clause_id
                             and rows[r].part == min(p.part for p in ps)), first_row[k])
    doc_rows = np.zeros(len(docs) + 1, dtype=np.int64)
    doc_clauses = np.zeros(len(docs) + 1, dtype=np.int64)
    doc_index = {d: i for i, d in enumerate(docs)}
    row_counts = np.bincount([doc_index[c.doc_id] for c in rows], minlength=len(docs))
    clause_counts = np.bincount([doc_index[ps[0].doc_id] for ps in grouped], minlength=len(docs))
    np.cumsum(row_counts, out=doc_rows[1:])
    np.cumsum(clause_counts, out=doc_clauses[1:])

    clause_chunks = [merge_parts(ps).model_dump_json(exclude={"doc"}).encode("utf-8") for ps in grouped]
    clause_off = np.zeros(len(grouped) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in clause_chunks], out=clause_off[1:])
    match_chunks = [match_form(c.text).encode("utf-8") for c in rows]
    match_off = _separated_offsets(match_chunks)

    dept_index = {d: i for i, d in enumerate(departments_all)}
    dept_pairs = [(r, dept_index[d]) for r, c in enumerate(rows) for d in c.departments]
    first_parts: dict[str, list[Clause]] = {d: [] for d in docs}
    for c in rows:
        if c.part == 1 and c.kind in ("item", "section"):
            first_parts[c.doc_id].append(c)
    metas = {}
    for c in reversed(rows):
        metas[c.doc_id] = c.doc
    docs_json = {
        "metas": [metas[d].model_dump_json() for d in docs],
        "numbering": [primary_style(first_parts[d]) for d in docs],
        "departments": [sorted({x for c in rows if c.doc_id == d for x in c.departments}) for d in docs],
        "department_names": departments_all,
        "terms": terms,
    }
    arrays: dict[str, np.ndarray] = {
        "doc_rows": doc_rows, "doc_clauses": doc_clauses, "dl": dl, "row_clause": row_clause,
        "part": np.array([c.part for c in rows], dtype=np.int16),
        "clause_first_row": np.array(first_row, dtype=np.int32), "clause_off": clause_off, "match_off": match_off,
        "dept_row": np.array([p[0] for p in dept_pairs], dtype=np.int32),
        "dept_code": np.array([p[1] for p in dept_pairs], dtype=np.int32),
        "vectors": vec,
        **_csc(np.array(term_ids, dtype=np.int64), np.array(post_rows, dtype=np.int64),
               np.array(post_tfs, dtype=np.int64), len(vocab)),
    }
    return _publish(root, sid, pairs, docs_json, arrays, list(vocab), b"".join(clause_chunks),
                    b"\0".join(match_chunks))


def _publish(root: Path, sid: str, pairs: list[tuple[str, str]], docs_json: dict, arrays: dict[str, np.ndarray],
             vocab: list[str], clauses_blob: bytes, match_blob: bytes) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    final = root / f"seg-{sid}"
    if (final / "meta.json").exists():
        return final  # the same versions were written already (another instance, an earlier run)
    tmp = root / f"tmp-{sid}-{uuid.uuid4().hex[:8]}"
    try:
        _write(tmp, sid, pairs, docs_json, arrays, vocab, clauses_blob, match_blob)
        try:
            os.rename(tmp, final)
        except OSError:
            if not (final / "meta.json").exists():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def _cat(xs: list[np.ndarray], dt: Any) -> np.ndarray:
    return np.concatenate(xs).astype(dt) if xs else np.zeros(0, dtype=dt)


def merge_segments(root: Path, chosen: list[tuple[Segment, set[str]]]) -> Path:
    """One segment holding the live documents of ``chosen`` (segment, documents it serves), without
    tokenising again: postings are remapped, records and vectors copied."""
    docs_sorted = sorted(((d, s, i) for s, owned in chosen for i, d in enumerate(s.docs) if d in owned), key=lambda t: t[0])
    pairs = [(d, s.versions[i]) for d, s, i in docs_sorted]
    sid = segment_id(pairs)
    vocab: dict[str, int] = {}
    t_ids: list[np.ndarray] = []
    t_rows: list[np.ndarray] = []
    t_tfs: list[np.ndarray] = []
    dl, row_clause, part, first_row, dept_row, dept_code, vecs = [], [], [], [], [], [], []
    clause_chunks: list[bytes] = []
    match_chunks: list[bytes] = []
    doc_rows, doc_clauses = [0], [0]
    dept_names: dict[str, int] = {}
    terms: list[str] = []
    docs_json: dict[str, list] = {"metas": [], "numbering": [], "departments": []}
    row_base = clause_base = 0
    per_seg_rowmap: dict[str, np.ndarray] = {}
    for _d, s, i in docs_sorted:
        a, b = int(s.doc_rows[i]), int(s.doc_rows[i + 1])
        ca, cb = int(s.doc_clauses[i]), int(s.doc_clauses[i + 1])
        rowmap = per_seg_rowmap.setdefault(s.sid, np.full(s.rows, -1, dtype=np.int64))
        rowmap[a:b] = np.arange(row_base, row_base + b - a)
        dl.append(np.asarray(s.dl[a:b]))
        row_clause.append(np.asarray(s.row_clause[a:b]) - ca + clause_base)
        part.append(np.asarray(s.part[a:b]))
        first_row.append(np.asarray(s.clause_first_row[ca:cb]) - a + row_base)
        if len(s.vectors):
            vecs.append(np.asarray(s.vectors[a:b]))
        clause_chunks.extend(s.clause_json(k).encode("utf-8") for k in range(ca, cb))
        match_chunks.extend(s.match_text(r).encode("utf-8") for r in range(a, b))
        sel = (s.dept_row >= a) & (s.dept_row < b)
        dept_row.append(s.dept_row[sel] - a + row_base)
        dept_code.append(np.array([dept_names.setdefault(s.departments[c], len(dept_names)) for c in s.dept_code[sel]],
                                  dtype=np.int32))
        docs_json["metas"].append(s.metas[i])
        docs_json["numbering"].append(s.numbering[i])
        docs_json["departments"].append(s.doc_departments[i])
        row_base += b - a
        clause_base += cb - ca
        doc_rows.append(row_base)
        doc_clauses.append(clause_base)
    for s, _ in chosen:
        if s.sid not in per_seg_rowmap:
            continue
        rowmap = per_seg_rowmap[s.sid]
        terms.extend(s.terms)
        local_terms = list(s.vocab)
        remap = np.array([vocab.setdefault(t, len(vocab)) for t in local_terms], dtype=np.int64)
        ptr = np.asarray(s.post_ptr)
        term_of = np.repeat(np.arange(len(local_terms), dtype=np.int64), np.diff(ptr))
        new_rows = rowmap[np.asarray(s.post_row)]
        keep = new_rows >= 0
        t_ids.append(remap[term_of[keep]])
        t_rows.append(new_rows[keep])
        t_tfs.append(np.asarray(s.post_tf)[keep])
    # department codes were assigned in meeting order; the names list follows it
    docs_json["department_names"] = list(dept_names)
    docs_json["terms"] = list(dict.fromkeys(terms))
    clause_off = np.zeros(len(clause_chunks) + 1, dtype=np.int64)
    np.cumsum([len(c) for c in clause_chunks], out=clause_off[1:])
    match_off = _separated_offsets(match_chunks)
    dim = vecs[0].shape[1] if vecs else 0
    arrays = {
        "doc_rows": np.array(doc_rows, dtype=np.int64), "doc_clauses": np.array(doc_clauses, dtype=np.int64),
        "dl": _cat(dl, np.int32), "row_clause": _cat(row_clause, np.int32), "part": _cat(part, np.int16),
        "clause_first_row": _cat(first_row, np.int32), "clause_off": clause_off, "match_off": match_off,
        "dept_row": _cat(dept_row, np.int32), "dept_code": _cat(dept_code, np.int32),
        "vectors": np.concatenate(vecs).astype(np.float32) if len(vecs) and sum(len(v) for v in vecs) == row_base
        else np.zeros((0, dim), dtype=np.float32),
        **_csc(_cat(t_ids, np.int64), _cat(t_rows, np.int64), _cat(t_tfs, np.uint16), len(vocab)),
    }
    return _publish(root, sid, pairs, docs_json, arrays, list(vocab), b"".join(clause_chunks), b"\0".join(match_chunks))


# ----- the store ---------------------------------------------------------------------------------
class SegmentStore:
    """The segments under one directory: choose the ones that serve the active versions, build what
    is missing, compact, and collect what no version needs any more."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._open: dict[str, Segment] = {}
        self._lock = threading.RLock()  # a reload (request thread) and an ingest (job thread) may choose at once

    def _listing(self) -> dict[str, tuple[Path, list[tuple[str, str]], float]]:
        out: dict[str, tuple[Path, list[tuple[str, str]], float]] = {}
        if not self.root.is_dir():
            return out
        for p in self.root.glob("seg-*"):
            try:
                meta = json.loads((p / "meta.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # being deleted, or not complete
            if meta.get("format") == FORMAT:
                out[meta["sid"]] = (p, [tuple(x) for x in meta["docs"]], float(meta.get("created", 0.0)))
        return out

    def segment(self, sid: str, path: Path) -> Segment:
        seg = self._open.get(sid)
        if seg is None:
            seg = self._open[sid] = open_segment(path)
        return seg

    def choose(self, versions: dict[str, str]) -> tuple[list[tuple[Segment, set[str]]], set[str]]:
        """Segments serving ``versions`` (each (document, version) by exactly one), and the documents none holds."""
        with self._lock:
            return self._choose(versions)

    def _choose(self, versions: dict[str, str]) -> tuple[list[tuple[Segment, set[str]]], set[str]]:
        wanted = set(versions.items())
        listing = self._listing()
        ranked = sorted(listing.items(), key=lambda kv: (-len(wanted & set(kv[1][1])), -kv[1][2], kv[0]))
        left = set(versions)
        chosen: list[tuple[Segment, set[str]]] = []
        for sid, (path, pairs, _) in ranked:
            owned = {d for d, v in pairs if d in left and versions[d] == v}
            if not owned:
                continue
            try:
                seg = self.segment(sid, path)
            except (OSError, ValueError) as exc:  # deleted under us: build what it held instead
                log.info("segment %s unreadable (%s)", sid, exc)
                continue
            chosen.append((seg, owned))
            left -= owned
        for sid in set(self._open) - {s.sid for s, _ in chosen}:
            self._open.pop(sid, None)  # the mapping stays valid for snapshots still holding it
        return chosen, left

    def known_terms(self) -> list[str]:
        terms: list[str] = []
        for sid, (path, _, _) in self._listing().items():
            seg = self._open.get(sid)  # no lock: a stale answer only means reading docs.json
            if seg is not None:
                terms.extend(seg.terms)
                continue
            try:
                terms.extend(json.loads((path / "docs.json").read_text(encoding="utf-8"))["terms"])
            except (OSError, ValueError, KeyError):
                continue
        return list(dict.fromkeys(terms))

    def write(self, parts: Sequence[Clause], versions: dict[str, str], vectors: Any) -> Path:
        """A new segment for these documents (an ingest's delta: time proportional to them)."""
        return build_segment(self.root, parts, versions, vectors, extra_terms=self.known_terms())

    def ensure(self, versions: dict[str, str],
               fetch: Callable[[list[str]], tuple[list[Clause], list[list[float]]]]) -> list[tuple[Segment, set[str]]]:
        """The segments serving ``versions``; documents no segment holds (a store written before segments,
        an ingest killed before it wrote its segment, another instance's index directory) are read from
        Chroma with ``fetch`` and written as one segment first."""
        chosen, missing = self.choose(versions)
        if missing:
            parts, vectors = fetch(sorted(missing))
            if parts:
                self.write(parts, {d: versions[d] for d in missing}, vectors)
            chosen, missing = self.choose(versions)
            if missing:
                log.warning("no segment for %d documents", len(missing))
        if self.needs_compaction(chosen):  # an instance with its own directory merges its own deltas
            try:
                merge_segments(self.root, chosen)
                chosen, _ = self.choose(versions)
            except OSError as exc:  # a read-only shared directory: the ingest host compacts it
                log.info("compaction skipped (%s)", exc)
        return chosen

    def needs_compaction(self, chosen: list[tuple[Segment, set[str]]]) -> bool:
        if len(chosen) <= 1:
            return False
        total = sum(s.rows for s, _ in chosen)
        live = sum(int(s.doc_rows[i + 1] - s.doc_rows[i]) for s, owned in chosen
                   for i, d in enumerate(s.docs) if d in owned)
        return len(chosen) > MAX_SEGMENTS or (total - live) > MAX_DEAD_SHARE * max(total, 1)

    def compact(self, versions: dict[str, str], force: bool = False) -> bool:
        """Merge the serving segments into one when there are many or they hold many tombstones."""
        chosen, _ = self.choose(versions)
        if not chosen or not ((force and len(chosen) > 1) or self.needs_compaction(chosen)):
            return False
        merge_segments(self.root, chosen)
        return True

    def collect(self, versions: dict[str, str], grace: float = GRACE_SECONDS) -> int:
        """Delete segments that serve nothing of ``versions`` and were superseded ``grace`` seconds ago."""
        chosen, _ = self.choose(versions)
        keep = {s.sid for s, _ in chosen}
        newest = max((s.created for s, _ in chosen), default=0.0)
        gone = 0
        for sid, (path, _, created) in self._listing().items():
            if sid not in keep and created < newest and time.time() - newest > grace:
                shutil.rmtree(path, ignore_errors=True)
                gone += 1
        for tmp in self.root.glob("tmp-*") if self.root.is_dir() else []:
            if time.time() - tmp.stat().st_mtime > 3600:
                shutil.rmtree(tmp, ignore_errors=True)
        return gone
