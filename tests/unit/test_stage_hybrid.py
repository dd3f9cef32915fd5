"""The retriever (bot/retrieval/hybrid.py) wiring its stages over a hand-made two-document index:
number lookup, a whole part, lexical + dense fusion, filters, listing modes, comparison.

The store is a stand-in holding one search segment (no Chroma); the dense stage is the product's
(:class:`bot.retrieval.dense.ChromaDense`) with a hand-made query embedder.  Tests go through
``search`` and ``analyze`` only: how the analysis is passed between stages is being changed (issue 23).
"""
from __future__ import annotations

import pytest

from bot.retrieval.dense import ChromaDense
from bot.retrieval.hybrid import HybridRetriever
from bot.retrieval.rerank import Reranker, RerankWeights
from bot.retrieval.types import SearchFilters
from tests.unit.handmade import GUANGDONG, TIANJIN, SegmentOnlyStore

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def retriever(tmp_path_factory):
    store = SegmentOnlyStore(tmp_path_factory.mktemp("seg"))
    return HybridRetriever(store, ChromaDense(store), Reranker(RerankWeights.from_dict({"fused": 1.0})))  # type: ignore[arg-type]


def found(result):
    return [(h.clause.doc_id, h.clause.item, h.via) for h in result.hits]


def test_the_index_state_comes_from_the_segment(retriever):
    assert retriever.size == 11  # parts: 2 文件信息 + 6 + 3
    assert retriever.catalog.ids == [GUANGDONG.doc_id, TIANJIN.doc_id]
    assert retriever.clause(f"{TIANJIN.doc_id}:二3").departments == ["市市场监管委"]
    assert [c.item for c in retriever.doc_clauses(GUANGDONG.doc_id)] == ["文件信息", "一、", "二、", "三、"]
    assert retriever.knows("计量") and not retriever.knows("火星")


def test_a_clause_named_by_number_comes_first_and_alone_when_asked(retriever):
    bare = retriever.search("天津实施意见第3条", k=5)
    assert found(bare) == [(TIANJIN.doc_id, "二3", "lookup")]  # a bare reference: the clause alone, no search
    result = retriever.search("天津实施意见第3条和检验检测有什么关系", k=5)
    assert found(result)[0] == (TIANJIN.doc_id, "二3", "lookup")
    assert len(result.hits) > 1  # then what the other stages found
    exact = retriever.search("天津实施意见第3条", k=5, stop_at_lookup=True)
    assert found(exact) == [(TIANJIN.doc_id, "二3", "lookup")]


def test_a_number_the_document_lacks_returns_its_outline(retriever):
    result = retriever.search("天津实施意见第99条", stop_at_lookup=True)
    assert result.hits == [] and result.missing_item is not None
    assert result.missing_item.doc_id == TIANJIN.doc_id and len(result.missing_item.items) == 6


def test_a_named_part_returns_every_item_of_it_in_order(retriever):
    result = retriever.search("天津实施意见的保障措施有哪些", k=5)
    assert found(result)[:2] == [(TIANJIN.doc_id, "三5", "part"), (TIANJIN.doc_id, "三6", "part")]


def test_lexical_and_dense_agree_on_the_clause_about_the_question(retriever):
    result = retriever.search("首席质量官制度", k=3)
    top = result.hits[0]
    assert (top.clause.item, top.via) == ("一1", "hybrid")
    assert top.lexical > 0 and top.dense > 0.9
    assert retriever.search("国际标准制定", k=3).hits[0].clause.doc_id == GUANGDONG.doc_id


def test_filters_keep_the_search_inside_them(retriever):
    hits = retriever.search("企业", k=10, filters=SearchFilters(regions=["广东"])).hits
    assert hits and {h.clause.doc_id for h in hits} == {GUANGDONG.doc_id}
    hits = retriever.search("企业", k=10, filters=SearchFilters(years=["2023"])).hits
    assert hits and {h.clause.doc_id for h in hits} == {TIANJIN.doc_id}
    assert retriever.search("企业", k=10, filters=SearchFilters(doc_ids=["nowhere"])).hits == []


def test_listing_modes_return_every_matching_clause(retriever):
    by_body = retriever.search("资金", k=10, filters=SearchFilters(department="市财政局"))
    assert found(by_body) == [(TIANJIN.doc_id, "二4", "department")]
    by_phrase = retriever.search("企业", k=10, filters=SearchFilters(phrase="计量托管"))
    assert found(by_phrase) == [(TIANJIN.doc_id, "二3", "phrase")]


def test_a_comparison_sees_each_named_document(retriever):
    result = retriever.search("天津实施意见和广东标准措施对首席质量官和计量托管分别怎么规定？", k=4)
    assert result.analysis.compare
    # 天津 holds both topics and would fill the head; a comparison alternates the named documents
    assert [h.clause.doc_id for h in result.hits] == [GUANGDONG.doc_id, TIANJIN.doc_id] * 2
    assert {h.clause.item for h in result.hits if h.clause.doc_id == TIANJIN.doc_id} == {"二3", "一1"}


def test_the_langchain_face_returns_the_same_clauses_as_documents(retriever):
    from bot.retrieval.langchain import PolicyRetriever

    docs = PolicyRetriever(retriever=retriever, k=3).invoke("天津实施意见第3条")
    assert docs[0].page_content.startswith("3.开展计量托管服务")
    assert {k: docs[0].metadata[k] for k in ("clause_id", "item", "via")} == \
        {"clause_id": f"{TIANJIN.doc_id}:二3", "item": "二3", "via": "lookup"}
    assert docs[0].metadata["citation"].startswith("《天津市关于推进质量提升的实施意见》")
    scoped = PolicyRetriever(retriever=retriever, k=5, filters=SearchFilters(regions=["广东"])).invoke("企业")
    assert scoped and {d.metadata["doc_id"] for d in scoped} == {GUANGDONG.doc_id}


def test_the_index_check_waits_for_this_processs_own_write(tmp_path):
    """While this process writes (the library holds the retriever's write lock) the index check does not
    reopen the store on a half-written index — a second embedded Chroma client would load a second copy of
    the vector index; the write reloads when it is done."""
    store = SegmentOnlyStore(tmp_path / "seg")
    r = HybridRetriever(store, ChromaDense(store), Reranker(RerankWeights.from_dict({"fused": 1.0})))  # type: ignore[arg-type]
    reopened: list[str] = []
    store.reopen = lambda: reopened.append("reopen")  # type: ignore[method-assign]
    r.reload = lambda: reopened.append("reload")  # type: ignore[method-assign]
    store._versions = {**store._versions, "another-doc": "v9"}  # another version became active
    with r.write_lock:
        assert not r.refresh_if_changed(0.0) and not reopened
    assert r.refresh_if_changed(0.0) and reopened == ["reopen", "reload"]


class _Recording:
    """A dense stage that notes the thread it ran on, or fails as an unreachable index server would."""

    def __init__(self, fail: bool = False) -> None:
        self.threads: list[str] = []
        self.fail = fail

    def run(self, text, n, snapshot, docs=None):
        import threading

        self.threads.append(threading.current_thread().name)
        if self.fail:
            raise ConnectionError("index server unreachable")
        return {}


def test_the_dense_stage_runs_beside_the_lexical_one_and_its_failure_reaches_the_caller(tmp_path):
    store = SegmentOnlyStore(tmp_path)
    dense = _Recording()
    r = HybridRetriever(store, dense, Reranker(RerankWeights.from_dict({"fused": 1.0})))  # type: ignore[arg-type]
    assert r.search("检验检测服务", k=3).hits  # lexical alone still ranks
    assert dense.threads == ["policybot-dense"]
    failing = HybridRetriever(store, _Recording(fail=True), Reranker(RerankWeights.from_dict({"fused": 1.0})))  # type: ignore[arg-type]
    with pytest.raises(ConnectionError):
        failing.search("检验检测服务", k=3)


def test_the_dense_stage_keeps_to_the_documents_a_question_names(retriever):
    """In a large collection the nearest parts overall can all be other documents': a question that names its
    document asks the vector index for that document's parts only, so they keep their dense evidence."""
    snap = retriever.snapshot
    code = {c: d for d, c in snap.doc_codes.items()}

    def docs_of(rows):
        return {code[int(snap.part_doc[r])] for r in rows}

    anywhere = retriever.dense.run("国际标准 走出去", 2, snap)
    assert docs_of(anywhere) == {GUANGDONG.doc_id}  # the nearest two are both 广东's
    named = retriever.dense.run("国际标准 走出去", 2, snap, [TIANJIN.doc_id])
    assert len(named) == 2 and docs_of(named) == {TIANJIN.doc_id}
