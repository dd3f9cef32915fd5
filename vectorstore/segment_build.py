"""Building search segments: clause parts tokenised into a new segment, or live segments merged into one.

Tokenising is the costly step (jieba, ~2 ms per part): an ingest tokenises only its own documents (a
delta), and compaction merges segments by remapping their postings, never tokenising again.  Each build
segments with a :class:`~ingest.text.segment.Segmenter` of its own words (the domain list, the words
earlier segments were built with, this segment's quoted terms and departments), so building a segment
changes no dictionary anyone else segments with.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ingest.items import primary_style
from ingest.models import Clause
from ingest.text.script import match_form
from ingest.text.segment import Segmenter, corpus_terms, domain_terms
from vectorstore.records import pack
from vectorstore.segment_format import (
    EMPTY_TOKEN,
    Segment,
    csc,
    key_index,
    merge_parts,
    publish,
    row_key,
    segment_id,
    separated_offsets,
)


def build_segment(root: Path, parts: Sequence[Clause], versions: dict[str, str],
                  extra_terms: Iterable[str] = ()) -> Path:
    """Tokenise ``parts`` (clause parts of whole document versions) and write them as a segment under ``root``.

    ``extra_terms``: the words other segments taught the segmenter (a delta tokenises like its base).
    """
    order = sorted(range(len(parts)), key=lambda i: (parts[i].doc_id, parts[i].order, parts[i].part))
    rows = [parts[i] for i in order]
    departments_all = sorted({d for c in rows for d in c.departments})
    terms = [*corpus_terms(c.text for c in rows), *departments_all]
    segmenter = Segmenter([*domain_terms(), *extra_terms, *terms])

    docs = list(dict.fromkeys(c.doc_id for c in rows))
    pairs = [(d, versions[d]) for d in docs]
    sid = segment_id(pairs)
    vocab: dict[str, int] = {}
    term_ids: list[int] = []
    post_rows: list[int] = []
    post_tfs: list[int] = []
    dl = np.zeros(len(rows), dtype=np.int32)
    for r, c in enumerate(rows):
        toks = segmenter.tokenize(c.search_text) or [EMPTY_TOKEN]
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

    clause_chunks = [pack(merge_parts(ps).model_dump_json(exclude={"doc"}).encode("utf-8")) for ps in grouped]
    clause_off = np.zeros(len(grouped) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in clause_chunks], out=clause_off[1:])
    match_chunks = [match_form(c.text).encode("utf-8") for c in rows]
    match_off = separated_offsets(match_chunks)

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
        **dict(zip(("key_hash", "key_row"), key_index([row_key(c.clause_id, c.part) for c in rows]), strict=True)),
        **csc(np.array(term_ids, dtype=np.int64), np.array(post_rows, dtype=np.int64),
               np.array(post_tfs, dtype=np.int64), len(vocab)),
    }
    return publish(root, sid, pairs, docs_json, arrays, list(vocab), b"".join(clause_chunks),
                    b"\0".join(match_chunks))


def _cat(xs: list[np.ndarray], dt: Any) -> np.ndarray:
    return np.concatenate(xs).astype(dt) if xs else np.zeros(0, dtype=dt)


def merge_segments(root: Path, chosen: list[tuple[Segment, set[str]]]) -> Path:
    """One segment holding the live documents of ``chosen`` (segment, documents it serves), without
    tokenising again: postings are remapped, records and row keys copied."""
    docs_sorted = sorted(((d, s, i) for s, owned in chosen for i, d in enumerate(s.docs) if d in owned), key=lambda t: t[0])
    pairs = [(d, s.versions[i]) for d, s, i in docs_sorted]
    sid = segment_id(pairs)
    vocab: dict[str, int] = {}
    t_ids: list[np.ndarray] = []
    t_rows: list[np.ndarray] = []
    t_tfs: list[np.ndarray] = []
    dl, row_clause, part, first_row, dept_row, dept_code = [], [], [], [], [], []
    keys: list[np.ndarray] = []
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
        local_keys = np.empty(b - a, dtype=np.int64)
        sel_keys = (s.key_row >= a) & (s.key_row < b)
        local_keys[np.asarray(s.key_row[sel_keys]) - a] = s.key_hash[sel_keys]
        keys.append(local_keys)
        clause_chunks.extend(s.clause_record(k) for k in range(ca, cb))
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
    match_off = separated_offsets(match_chunks)
    arrays = {
        "doc_rows": np.array(doc_rows, dtype=np.int64), "doc_clauses": np.array(doc_clauses, dtype=np.int64),
        "dl": _cat(dl, np.int32), "row_clause": _cat(row_clause, np.int32), "part": _cat(part, np.int16),
        "clause_first_row": _cat(first_row, np.int32), "clause_off": clause_off, "match_off": match_off,
        "dept_row": _cat(dept_row, np.int32), "dept_code": _cat(dept_code, np.int32),
        **dict(zip(("key_hash", "key_row"), key_index(_cat(keys, np.int64).tolist()), strict=True)),
        **csc(_cat(t_ids, np.int64), _cat(t_rows, np.int64), _cat(t_tfs, np.int64), len(vocab)),
    }
    return publish(root, sid, pairs, docs_json, arrays, list(vocab), b"".join(clause_chunks), b"\0".join(match_chunks))


