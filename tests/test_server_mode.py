"""The product against a real `chroma run` server (CHROMA_HOST/CHROMA_PORT), as several app
instances of a provincial hotline would use it."""
from __future__ import annotations

import pytest

from bot.evaluation import evaluate_retrieval, load_questions
from bot.retrieval import SearchFilters
from bot.service import PolicyBot
from tests.chroma_server import ChromaServer
from tests.conftest import REPO, make_settings

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
