"""``/readyz`` follows a real ``chroma run`` server: 503 with the reason while it is down, 200 when it is back.

The app process (``python app.py`` with ``CHROMA_HOST``) indexes a one-file corpus into the server at
start; the test then stops and restarts the server on the same port and data directory.
"""
from __future__ import annotations

import time

import httpx
import pytest

from tests.chroma_server import ChromaServer
from tests.ui_fixtures import OUTPUT_DIR, start_app_process, stop_app_process

pytestmark = pytest.mark.integration

SMALL = """示例市质量办法
一、总体要求
推动示例市质量提升，建设计量托管服务平台。
二、重点任务
（一）开展质量认证帮扶。对小微企业开展质量认证提供指导。(示例市市场监管局)
"""


def wait_for(http: httpx.Client, status: int, within: float) -> httpx.Response:
    deadline = time.monotonic() + within
    while True:
        r = http.get("/readyz")
        if r.status_code == status:
            return r
        assert time.monotonic() < deadline, f"/readyz stayed {r.status_code}: {r.text}"
        time.sleep(0.3)


def test_readyz_follows_the_chroma_server(tmp_path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "shiliban.txt").write_text(SMALL, encoding="utf-8")
    server = ChromaServer(tmp_path / "chroma").start()
    proc = None
    try:
        proc, url, _ = start_app_process(tmp_path / "data", OUTPUT_DIR / "api-ready.log", admin=False, extra_env={
            "CHROMA_HOST": "127.0.0.1", "CHROMA_PORT": str(server.port), "POLICYBOT_CORPUS_DIR": str(corpus)})
        with httpx.Client(base_url=url, timeout=30, trust_env=False) as http:
            ready = wait_for(http, 200, 10)
            assert ready.json()["status"] == "ready" and ready.json()["documents"] == 1
            server.stop()
            down = wait_for(http, 503, 15)
            assert down.json()["status"] == "unavailable" and "unreachable" in down.json()["reason"]
            assert http.get("/healthz").status_code == 200  # alive, just not ready
            server.start()
            assert wait_for(http, 200, 30).json()["documents"] == 1
    finally:
        if proc is not None:
            stop_app_process(proc)
        server.stop()
