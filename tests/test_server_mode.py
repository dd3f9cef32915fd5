"""The product against a real `chroma run` server (CHROMA_HOST/CHROMA_PORT), as several app
instances of a provincial hotline would use it."""
from __future__ import annotations

import time

import pytest

from bot.evaluation import evaluate_retrieval, load_questions
from bot.retrieval import SearchFilters
from bot.service import PolicyBot
from tests.chroma_server import ChromaServer
from tests.conftest import REPO, make_settings
from vectorstore.chroma_store import ClauseStore

pytestmark = pytest.mark.integration

SMALL = """示例市质量办法
一、总体要求
推动示例市质量提升，建设计量托管服务平台。
二、重点任务
（一）开展质量认证帮扶。对小微企业开展质量认证提供指导。(示例市市场监管局)
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = ChromaServer(tmp_path_factory.mktemp("chroma-server")).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def server_bot(server, tmp_path_factory):
    settings = make_settings(tmp_path_factory.mktemp("app1"), CHROMA_HOST="127.0.0.1", CHROMA_PORT=server.port)
    bot = PolicyBot(settings)
    report = bot.library.ensure_index(progress=False)
    assert report is not None and {r.status for r in report.results} == {"added"}
    return bot


def test_server_mode_uses_http_client(server_bot):
    assert type(server_bot.store.client).__name__ != "PersistentClient"
    assert not (server_bot.settings.data_dir / "chroma").exists()  # nothing embedded on disk


def test_server_mode_retrieval_quality_and_lookup(server_bot):
    ev = evaluate_retrieval(server_bot.retriever, load_questions(REPO / "eval" / "dev.jsonl"))
    assert ev.recall[5] >= 0.95 and ev.mrr >= 0.85 and ev.lookup_top1 == 1.0
    hits = server_bot.search("天津实施意见第15条讲什么", 3)
    assert hits[0].item == "二（八）15" and hits[0].via == "lookup"
    hits = server_bot.search("质量基础设施", 5, SearchFilters(regions=["广东"]))
    assert hits and all(h.doc_id.startswith("guangdong") for h in hits)


def test_second_instance_shares_the_index(server, server_bot, tmp_path):
    other = PolicyBot(make_settings(tmp_path / "app2", CHROMA_HOST="127.0.0.1", CHROMA_PORT=server.port))
    assert len(other.retriever.parts) == len(server_bot.retriever.parts)  # BM25 side rebuilt from the server
    doc = tmp_path / "shiliban.txt"
    doc.write_text(SMALL, encoding="utf-8")
    again = server_bot.library.ingest([server_bot.settings.corpus_dir], progress=False)
    assert {r.status for r in again.results} == {"unchanged"} and again.embedded == 0
    report = other.library.ingest([doc], progress=False)
    assert report.results[0].status == "added"
    assert server_bot.retriever.refresh_if_changed(max_age=0.0)  # sees the other instance's ingest
    assert any(h.doc_id == "shiliban" for h in server_bot.search("计量托管服务平台", 3))
    assert other.library.remove("shiliban")
    server_bot.retriever.reload()
    assert all(h.doc_id != "shiliban" for h in server_bot.search("计量托管服务平台", 3))


VISIBLE_WITHIN = 10.0  # seconds: POLICYBOT_INDEX_CHECK_SECONDS (2) + one small segment built from the server


def test_two_instances_answer_identically_and_see_each_others_ingest(server, server_bot, tmp_path):
    """Two app instances on one Chroma server, each with its own data directory (so its own search
    segments, built from the server at start): same answers; an ingest through one is answered by the
    other within VISIBLE_WITHIN seconds, without a restart."""
    other = PolicyBot(make_settings(tmp_path / "app3", CHROMA_HOST="127.0.0.1", CHROMA_PORT=server.port,
                                    POLICYBOT_INDEX_CHECK_SECONDS=1.0))
    for q in [x["question"] for x in load_questions(REPO / "eval" / "dev.jsonl")][:12]:
        a, b = server_bot.answer(q), other.answer(q)
        assert (a.answer, [c.clause_id for c in a.citations]) == (b.answer, [c.clause_id for c in b.citations]), q
        assert [c.clause_id for c in server_bot.search(q, 10)] == [c.clause_id for c in other.search(q, 10)], q
    doc = tmp_path / "shiliban2.txt"
    doc.write_text(SMALL.replace("示例市", "样板市"), encoding="utf-8")
    assert server_bot.library.ingest([doc], progress=False).results[0].status == "added"
    t0 = time.monotonic()
    while not any(h.doc_id == "shiliban2" for h in other.search("样板市计量托管服务平台", 3)):
        assert time.monotonic() - t0 < VISIBLE_WITHIN, "the other instance never saw the ingest"
        time.sleep(0.2)
    seen_after = time.monotonic() - t0
    q = "样板市质量认证帮扶"
    assert [c.clause_id for c in other.search(q, 5)] == [c.clause_id for c in server_bot.search(q, 5)]
    assert server_bot.library.remove("shiliban2")
    t0 = time.monotonic()
    while any(h.doc_id == "shiliban2" for h in other.search("样板市计量托管服务平台", 3)):
        assert time.monotonic() - t0 < VISIBLE_WITHIN, "the other instance kept a removed document"
        time.sleep(0.2)
    print(f"ingest visible in the other instance after {seen_after:.1f} s")


def test_instances_sharing_an_index_dir_build_nothing(server, server_bot, tmp_path):
    """With POLICYBOT_INDEX_DIR shared, the first instance to meet a version writes its segment and the
    others map it: a second instance starts without reading clauses from the server."""
    shared = tmp_path / "shared-index"
    first = PolicyBot(make_settings(tmp_path / "a", CHROMA_HOST="127.0.0.1", CHROMA_PORT=server.port,
                                    POLICYBOT_INDEX_DIR=str(shared)))
    segs = sorted(p.name for p in shared.rglob("seg-*"))
    assert segs and first.retriever.size
    second_store = ClauseStore(make_settings(tmp_path / "b", CHROMA_HOST="127.0.0.1", CHROMA_PORT=server.port,
                                             POLICYBOT_INDEX_DIR=str(shared)).store_config())
    second_store.active_parts = lambda *a, **k: pytest.fail("read clauses from the server")  # type: ignore[method-assign]
    second = PolicyBot(make_settings(tmp_path / "b", CHROMA_HOST="127.0.0.1", CHROMA_PORT=server.port,
                                     POLICYBOT_INDEX_DIR=str(shared)), store=second_store)
    assert second.retriever.size == first.retriever.size
    assert sorted(p.name for p in shared.rglob("seg-*")) == segs
    q = "天津实施意见第15条讲什么"
    assert [c.clause_id for c in second.search(q, 5)] == [c.clause_id for c in first.search(q, 5)]
