"""A runaway model cannot flood the page: a 1 M-character answer is cut at the configured length
(with a notice) and the whole event stream of that question stays within a few MB.

The app runs as its own process against the loopback fake OpenAI-compatible server; the stream is
read with raw HTTP from Gradio's simple ``/call`` API, which re-sends full values per update (the
worst case: the browser's queue API sends diffs).
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fake_openai_server import FakeOpenAIServer, reply
from tests.security.http import OPENER, request
from tests.ui_fixtures import OUTPUT_DIR, start_app_process, stop_app_process

pytestmark = pytest.mark.integration

HUGE = 1_000_000
STREAM_BUDGET = 3 * 1024 * 1024  # bytes of server-sent events for one question
MAX_CHARS = 4000


@pytest.fixture(scope="module")
def llm_app(tmp_path_factory, shipped_index) -> Iterator[tuple[str, FakeOpenAIServer]]:
    server = FakeOpenAIServer().start()
    server.default = reply("根据天津实施意见，支持企业开展质量认证[S1]。" + "很长的回答" * (HUGE // 5), chunk_chars=40)
    data = shipped_index.copy_to(tmp_path_factory.mktemp("llm-app-data"))
    proc, url, _ = start_app_process(data, OUTPUT_DIR / "llm-app.log", admin=False, extra_env={
        "OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "sk-test-stream", "POLICYBOT_LLM_MODEL": "fake-gpt",
        "POLICYBOT_LLM_MAX_ANSWER_CHARS": str(MAX_CHARS), "POLICYBOT_LLM_TIMEOUT": "30"})
    try:
        yield url, server
    finally:
        stop_app_process(proc)
        server.stop()


def _stream_bytes(url: str, api: str, data: list) -> tuple[int, list]:
    status, body = request(f"{url}gradio_api/call/{api}", {"data": data})
    assert status == 200, body[:300]
    event_id = json.loads(body)["event_id"]
    total, last = 0, None
    with OPENER.open(f"{url}gradio_api/call/{api}/{event_id}", timeout=120) as resp:
        event = ""
        for raw in resp:
            total += len(raw)
            line = raw.decode("utf-8").rstrip("\n")
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and event in ("generating", "complete"):
                last = json.loads(line[5:])
            if event in ("complete", "error") and line.startswith("data:"):
                break
        assert event == "complete", event
    return total, last


def test_million_character_answer_is_cut_and_the_stream_stays_small(llm_app) -> None:
    url, server = llm_app
    t0 = time.monotonic()
    total, final = _stream_bytes(url, "chat", ["我们小厂想做质量认证，政府有帮扶吗？", [], [], []])
    messages = final[0]
    answer = "".join(p.get("text", "") for p in messages[-1]["content"]) if isinstance(messages[-1]["content"], list) \
        else messages[-1]["content"]
    print(f"1M-character answer: {total} bytes of events, {len(answer)} characters shown")
    assert total < STREAM_BUDGET, f"{total} bytes of events for one answer"
    assert "已截断" in answer, answer[-300:]
    assert len(answer) < MAX_CHARS * 3, len(answer)  # escaped markup around at most MAX_CHARS of model text
    assert time.monotonic() - t0 < 60
    assert server.chat_requests, "the answer did come from the model"


def test_without_admin_password_no_admin_app_starts(llm_app) -> None:
    """This app was started without POLICYBOT_ADMIN_PASSWORD: it says so, and the public app has no writes."""
    from tests.security.http import api_names

    url, _ = llm_app
    log = (OUTPUT_DIR / "llm-app.log").read_text(encoding="utf-8")
    assert "管理界面未启动" in log and "管理界面：" not in log
    assert not api_names(url) & {"upload", "remove", "rebuild"}


def test_answer_cap_in_process(tmp_path: Path, fake_llm, bot) -> None:
    """The cap holds for every caller of the service (CLI too), not only the web page."""
    from bot.service import PolicyBot
    from tests.llm_fixtures import make_llm_settings

    fake_llm.script(reply("支持企业开展质量认证[S1]。" + "长" * 50_000, chunk_chars=100))
    settings = make_llm_settings(fake_llm, POLICYBOT_DATA_DIR=str(bot.settings.data_dir),
                                 POLICYBOT_LLM_MAX_ANSWER_CHARS=500, POLICYBOT_LLM_MAX_TOKENS=300)
    llm_bot = PolicyBot(settings, store=bot.store)
    answer = llm_bot.answer("我们小厂想做质量认证，政府有帮扶吗？")
    assert answer.mode == "llm" and len(answer.answer) <= 500 and "已截断" in (answer.notice or "")
    body = fake_llm.chat_requests[-1].body
    assert 300 in (body.get("max_tokens"), body.get("max_completion_tokens")), body.keys()
