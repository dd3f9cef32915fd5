"""The stored search segment's format: what a segment directory holds, how it is mapped and written.

A *segment* is an immutable directory holding, for a set of document versions:

- the lexical index in the shape of txtai's ``scoring/terms.py``: a vocabulary, term postings
  (rows and term frequencies, CSC order) and the token count of every row — raw counts, not
  precomputed BM25 scores, so that scores are computed at query time with the statistics of the
  rows that are live *now* (several segments and tombstoned rows score exactly like one index);
- the key of every row (a 64-bit hash of ``clause_id/part``, sorted, with its row), which maps a dense
  hit from Chroma's vector index back to its row — the vectors themselves live only in Chroma;
- the whole clauses as JSON, each deflated on its own (:func:`vectorstore.records.pack`: ``clauses.bin``
  + offsets), read (``pread``: through the page cache, never mapped into the process) and decoded only
  for the results shown;
- each part's text in match form (``match.bin``, ``\\0``-separated), scanned for exact phrases;
- compact labels: part number, clause of each row, departments (CSR), per-document row ranges,
  each document's metadata and primary numbering level (number lookup reads one document's clauses).

Rows are sorted by (document, order).  Segments are named by a hash of the (document, version) pairs
they hold and written to a temporary directory that is renamed into place (:func:`publish`), so a reader
never sees a half-written segment and two writers of the same versions produce the same name.
"""
from __future__ import annotations

import hashlib
import json
import mmap
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ingest.models import Clause
from vectorstore.records import unpack

FORMAT = 3  # 2: no vectors (dense search is Chroma's), row keys; 3: clause records deflated, small tfs in bytes
EMPTY_TOKEN = "#empty"  # a row without a single token still counts (length 1), as in bm25s


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


def row_key(clause_id: str, part: int) -> int:
    """A clause part's key in a segment: 64 bits of a hash of ``clause_id/part`` (what a Chroma record id
    names before its ``@version``)."""
    return int.from_bytes(hashlib.blake2b(f"{clause_id}/{part}".encode(), digest_size=8).digest(), "little",
                          signed=True)


def key_index(keys: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Row keys sorted, with the row of each (searched with ``np.searchsorted``)."""
    k = np.asarray(keys, dtype=np.int64)
    order = np.argsort(k, kind="stable")
    return k[order], order.astype(np.int32)


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
    post_tf: np.ndarray  # uint8 (uint16 when a count exceeds 255)
    key_hash: np.ndarray  # int64 [n] row keys, sorted
    key_row: np.ndarray  # int32 [n] the row of each sorted key
    clauses_file: Any = field(repr=False, default=None)  # clauses.bin, open: records are read with pread
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

    def row_of_key(self, key: int, first: int, end: int) -> int | None:
        """The row in ``first:end`` (one document's rows) whose key is ``key``."""
        i = int(np.searchsorted(self.key_hash, key))
        while i < len(self.key_hash) and self.key_hash[i] == key:
            row = int(self.key_row[i])
            if first <= row < end:
                return row
            i += 1
        return None

    def clause_record(self, local: int) -> bytes:
        """The clause's stored (deflated) record, as written."""
        a, b = int(self.clause_off[local]), int(self.clause_off[local + 1])
        return os.pread(self.clauses_file.fileno(), b - a, a) if b > a else b""

    def clause_json(self, local: int) -> str:
        raw = self.clause_record(local)
        return unpack(raw).decode("utf-8") if raw else ""

    def match_text(self, row: int) -> str:
        a, b = int(self.match_off[row]), int(self.match_off[row + 1]) - 1
        return bytes(self.match_blob[a:b]).decode("utf-8") if b > a else ""

    def _rows_with(self, phrase: str) -> Iterator[int]:
        """Rows whose match-form text contains ``phrase``, in order, each once: one scan of the map, lazily."""
        needle = phrase.encode("utf-8")
        blob = self.match_blob
        if not needle or blob is None or not len(blob):
            return
        pos = blob.find(needle, 0)
        while pos >= 0:
            row = int(np.searchsorted(self.match_off, pos, side="right")) - 1
            yield row
            pos = blob.find(needle, int(self.match_off[row + 1]))

    def any_row_containing(self, phrase: str, live: np.ndarray) -> bool:
        """Does a live row's match-form text contain ``phrase``?  Stops at the first: the question "does
        the collection use this word at all" should not cost a list of every row that does."""
        return any(live[row] for row in self._rows_with(phrase))

    def rows_containing(self, phrase: str) -> np.ndarray:
        """Rows whose match-form text contains ``phrase`` (already in match form): one scan of the map."""
        return np.fromiter(self._rows_with(phrase), dtype=np.int64)


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
        key_hash=arr("key_hash"), key_row=arr("key_row"),
        clauses_file=(path / "clauses.bin").open("rb"), match_blob=_map(path / "match.bin"),
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


def separated_offsets(chunks: list[bytes]) -> np.ndarray:
    """Start of each chunk in ``b"\\0".join(chunks)``, plus one past the end (as if a separator followed the
    last): chunk r is ``blob[off[r] : off[r + 1] - 1]``."""
    off = np.zeros(len(chunks) + 1, dtype=np.int64)
    np.cumsum([len(c) + 1 for c in chunks], out=off[1:])
    return off


def csc(term_ids: np.ndarray, rows: np.ndarray, tfs: np.ndarray, n_terms: int) -> dict[str, np.ndarray]:
    order = np.lexsort((rows, term_ids))
    counts = np.bincount(term_ids, minlength=n_terms) if len(term_ids) else np.zeros(n_terms, dtype=np.int64)
    ptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    # term frequencies are small counts: one byte on disk (two when one exceeds 255), float32 when scored
    # (exactly the same values)
    tf_type = np.uint8 if not len(tfs) or int(tfs.max()) <= 255 else np.uint16
    return {"post_ptr": ptr, "post_row": rows[order].astype(np.int32),
            "post_tf": np.minimum(tfs[order], 65535).astype(tf_type)}


def publish(root: Path, sid: str, pairs: list[tuple[str, str]], docs_json: dict, arrays: dict[str, np.ndarray],
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


