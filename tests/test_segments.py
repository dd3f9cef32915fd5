"""Stored search segments (vectorstore/segments.py) and the snapshot assembled from them: BM25 scores
equal to the reference's (bm25s's formula, length normalised per document) over the live rows — one segment, several, with tombstones, after compaction —
clause records, phrase and department masks, the row keys dense hits are mapped by.  No model, no
Chroma: the shipped corpus parsed."""
from __future__ import annotations

import numpy as np
import pytest

from bot.retrieval.snapshot import IndexSnapshot
from ingest.documents import parse_document
from ingest.text.script import match_form
from ingest.text.segment import corpus_terms
from tests.bm25_reference import BM25Index, PerDocumentBM25
from tests.conftest import CORPUS
from vectorstore.segments import SegmentStore, build_segment, merge_parts

pytestmark = pytest.mark.unit

QUERIES = ["民营企业质量提升", "计量托管", "天津质量强市纲要 首席质量官", "质量基础设施 一站式服务", "标准 国际 广东",
           "资金 奖励 多少 万元", "质量 质量 质量"]


@pytest.fixture(scope="module")
def corpus():
    docs = [parse_document(p) for p in sorted(CORPUS.glob("*.txt"))]
    return docs, None


def corpus_words() -> list[str]:
    """Every word the shipped corpus's segments teach their segmenters.  Segments built one after another
    tokenise with the words known when each was built (a word a later segment brings could split an earlier
    segment's rows differently); the bm25s reference is one index with one dictionary, so every segment
    here is built knowing the whole corpus's words (jieba's process-wide dictionary used to do this
    implicitly, by keeping every word any earlier build had taught it)."""
    docs = [parse_document(p) for p in sorted(CORPUS.glob("*.txt"))]
    parts = [c for d in docs for c in d.clauses]
    return [*corpus_terms(c.text for c in parts), *sorted({x for c in parts for x in c.departments})]


def write(store: SegmentStore, docs, vectors, versions, parts=None):
    parts = parts or [c for d in docs for c in d.clauses]
    build_segment(store.root, parts, {d.meta.doc_id: versions[d.meta.doc_id] for d in docs},
                  extra_terms=[*store.known_terms(), *corpus_words()])


def reference(snap: IndexSnapshot, rows_texts: dict[int, tuple[str, str]], query: str) -> dict[int, float]:
    rows = sorted(rows_texts)
    ref = PerDocumentBM25([rows_texts[r][0] for r in rows], [rows_texts[r][1] for r in rows],
                          snap.segmenter).scores(query)
    return dict(zip(rows, ref, strict=True))


def live_texts(snap: IndexSnapshot, parts_by_key) -> dict[int, tuple[str, str]]:
    """Each live row's search text and document."""
    out = {}
    for r in np.flatnonzero(snap.live):
        c = snap.clause_at(int(snap.part_clause[r]))
        out[int(r)] = (parts_by_key[(c.clause_id, int(snap.part_no[r]))].search_text, c.doc_id)
    return out


def assert_bm25_identical(snap, parts_by_key):
    """The segments' scores are the reference's (float32 rounding apart) over the live rows."""
    texts = live_texts(snap, parts_by_key)
    for q in QUERIES:
        got = snap.bm25.scores(q)
        want = reference(snap, texts, q)
        assert any(want.values()), q
        assert all(abs(float(got[r]) - want[r]) <= 1e-5 * max(1.0, want[r]) for r in want), q


def test_one_document_scores_like_bm25s_bit_for_bit(tmp_path, corpus):
    """Within one document the per-document length normalisation is bm25s's own."""
    docs, vectors = corpus
    one = docs[:1]
    versions = {d.meta.doc_id: "v1" for d in one}
    store = SegmentStore(tmp_path / "seg")
    write(store, one, vectors, versions)
    snap = IndexSnapshot(versions, store.ensure(versions, lambda ids: pytest.fail("nothing is missing")))
    keys = {(c.clause_id, c.part): c for c in one[0].clauses}
    rows = sorted(live_texts(snap, keys))
    texts = live_texts(snap, keys)
    for q in QUERIES:
        got = snap.bm25.scores(q)
        want = BM25Index([texts[r][0] for r in rows], snap.segmenter).scores(q)
        assert all(got[r] == want[i] for i, r in enumerate(rows)), q  # bit for bit, not approximately


def test_a_document_of_short_articles_does_not_change_how_another_documents_items_score(tmp_path, corpus):
    """Adding documents changes only the IDF, never a row's length normalisation: a collection that grows by
    short regulation articles does not push the long items of a policy down."""
    docs, vectors = corpus
    versions = {d.meta.doc_id: "v1" for d in docs}
    alone = SegmentStore(tmp_path / "alone")
    write(alone, docs[:1], vectors, {docs[0].meta.doc_id: "v1"})
    snap1 = IndexSnapshot({docs[0].meta.doc_id: "v1"}, alone.ensure({docs[0].meta.doc_id: "v1"}, lambda ids: []))
    together = SegmentStore(tmp_path / "together")
    write(together, docs, vectors, versions)
    snap5 = IndexSnapshot(versions, together.ensure(versions, lambda ids: []))
    rows = [r for r in range(snap5.size) if snap5.clause_at(int(snap5.part_clause[r])).doc_id == docs[0].meta.doc_id]
    assert np.allclose(snap1.bm25.norm, snap5.bm25.norm[rows])


def test_one_segment_scores_like_bm25s_and_keeps_clauses(tmp_path, corpus):
    docs, vectors = corpus
    versions = {d.meta.doc_id: "v1" for d in docs}
    store = SegmentStore(tmp_path / "seg")
    write(store, docs, vectors, versions)
    snap = IndexSnapshot(versions, store.ensure(versions, lambda ids: pytest.fail("nothing is missing")))
    keys = {(c.clause_id, c.part): c for d in docs for c in d.clauses}
    assert snap.size == len(keys) == len(snap)
    assert_bm25_identical(snap, keys)
    for d in docs:  # whole clauses, in document order, exactly as merged from their parts
        by_id: dict[str, list] = {}
        for c in d.clauses:
            by_id.setdefault(c.clause_id, []).append(c)
        assert [c.clause_id for c in snap.doc_clauses(d.meta.doc_id)] == list(by_id)
        for cid, ps in by_id.items():
            assert snap.clause(cid) == merge_parts(ps)
    assert [m.doc_id for m in snap.catalog.metas] == sorted(versions)
    phrase = match_form("计量托管")
    want = {(c.clause_id, c.part) for c in keys.values() if phrase in match_form(c.text)}
    got = {(snap.clause_at(int(snap.part_clause[r])).clause_id, int(snap.part_no[r])) for r in np.flatnonzero(snap.phrase_mask(phrase))}
    assert got == want and want
    dept = snap.departments[0]
    got_d = {int(r) for r in np.flatnonzero(snap.department_mask({dept}))}
    assert got_d == {r for r in range(snap.size)
                     if dept in keys[(snap.clause_at(int(snap.part_clause[r])).clause_id, int(snap.part_no[r]))].departments}


def test_deltas_tombstones_and_compaction_score_like_one_index(tmp_path, corpus):
    docs, vectors = corpus
    store = SegmentStore(tmp_path / "seg")
    v1 = {d.meta.doc_id: "v1" for d in docs}
    write(store, docs[:3], vectors, v1)
    write(store, docs[3:], vectors, v1)
    first = docs[0]
    changed = [c.model_copy(update={"search_text": c.search_text + " 新增民营企业质量提升条款", "text": c.text + "补充"})
               if i % 3 == 0 else c for i, c in enumerate(first.clauses)]
    v2 = {**v1, first.meta.doc_id: "v2"}
    write(store, [first], vectors, {first.meta.doc_id: "v2"}, parts=changed)
    removed = docs[1].meta.doc_id
    del v2[removed]
    chosen = store.ensure(v2, lambda ids: pytest.fail(f"missing {ids}"))
    snap = IndexSnapshot(v2, chosen)
    assert len(chosen) == 3 and snap.size > len(snap)  # tombstones: doc0@v1 and the removed document
    keys = {(c.clause_id, c.part): c for d in docs[2:] for c in d.clauses} | {(c.clause_id, c.part): c for c in changed}
    assert len(snap) == len(keys)
    assert_bm25_identical(snap, keys)
    assert removed not in snap.doc_codes and snap.clause(first.clauses[0].clause_id).text.endswith("补充")
    # a dense hit (clause_id/part@version) finds its live row, never a tombstone
    rows = {k: snap.row_of(*k, v2[k[0].split(":")[0]]) for k in keys}
    assert all(r is not None and snap.live[r] and snap.clause_at(int(snap.part_clause[r])).clause_id == k[0]
               and snap.part_no[r] == k[1] for k, r in rows.items())
    assert snap.row_of(first.clauses[0].clause_id, 1, "v1") is None  # the replaced version
    assert snap.row_of(docs[1].clauses[0].clause_id, 1) is None  # the removed document

    before = {(snap.clause_at(int(snap.part_clause[r])).clause_id, int(snap.part_no[r])): s
              for q_ in QUERIES[:3] for r, s in enumerate(snap.bm25.scores(q_)) if snap.live[r]}
    assert store.compact(v2, force=True)
    merged = store.ensure(v2, lambda ids: pytest.fail(f"missing {ids}"))
    snap2 = IndexSnapshot(v2, merged)
    assert len(merged) == 1 and snap2.size == len(snap2) == len(keys)
    assert_bm25_identical(snap2, keys)
    after = {(snap2.clause_at(int(snap2.part_clause[r])).clause_id, int(snap2.part_no[r])): s
             for q_ in QUERIES[:3] for r, s in enumerate(snap2.bm25.scores(q_))}
    assert after.keys() == before.keys()
    rows2 = {k: snap2.row_of(*k, v2[k[0].split(":")[0]]) for k in keys}  # merged keys still find their rows
    assert all(r is not None and snap2.clause_at(int(snap2.part_clause[r])).clause_id == k[0]
               and snap2.part_no[r] == k[1] for k, r in rows2.items())
    assert {c.clause_id for d in snap2.doc_codes for c in snap2.doc_clauses(d)} == {k[0] for k in keys}


def test_a_reader_builds_what_no_segment_holds_once(tmp_path, corpus):
    docs, vectors = corpus
    store = SegmentStore(tmp_path / "seg")
    versions = {d.meta.doc_id: "v1" for d in docs}
    write(store, docs[:2], vectors, versions)
    asked: list[list[str]] = []

    def fetch(ids):
        asked.append(ids)
        chosen = [d for d in docs if d.meta.doc_id in ids]
        return [c for d in chosen for c in d.clauses]

    snap = IndexSnapshot(versions, store.ensure(versions, fetch))
    assert asked == [sorted(d.meta.doc_id for d in docs[2:])] and len(snap) == sum(len(d.clauses) for d in docs)
    other = SegmentStore(tmp_path / "seg")  # a second instance on the same (shared) directory
    other.ensure(versions, lambda ids: pytest.fail("the first instance wrote it"))


def test_a_reader_merges_many_deltas(tmp_path, corpus, monkeypatch):
    import vectorstore.segments as segments

    monkeypatch.setattr(segments, "MAX_SEGMENTS", 3)
    docs, vectors = corpus
    store = SegmentStore(tmp_path / "seg")
    versions = {d.meta.doc_id: "v1" for d in docs}
    for d in docs:  # five one-document segments: more than MAX_SEGMENTS serve the versions
        write(store, [d], vectors, versions)
    chosen = store.ensure(versions, lambda ids: pytest.fail(f"missing {ids}"))
    snap = IndexSnapshot(versions, chosen)
    assert len(chosen) == 1 and snap.size == len(snap) == sum(len(d.clauses) for d in docs)
    assert_bm25_identical(snap, {(c.clause_id, c.part): c for d in docs for c in d.clauses})


def test_segmenters_keep_their_own_dictionaries():
    """A snapshot or a segment build segments with its own words; teaching one teaches no other, nor jieba."""
    import jieba

    from ingest.text.segment import Segmenter

    before = (jieba.dt.total, len(jieba.dt.FREQ))
    plain, taught = Segmenter(), Segmenter(["质量强链护航"])
    assert "质量强链护航" not in plain.tokenize("开展质量强链护航行动", bigrams=False)
    assert "质量强链护航" in taught.tokenize("开展质量强链护航行动", bigrams=False)
    plain.add_terms(["强链护航行动"])
    assert "质量强链护航" in taught.tokenize("开展质量强链护航行动", bigrams=False)
    assert "强链护航行动" not in taught.tokenize("开展质量强链护航行动", bigrams=False)
    assert (jieba.dt.total, len(jieba.dt.FREQ)) == before
