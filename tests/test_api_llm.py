"""The API in LLM mode, against a real loopback OpenAI-compatible server (tests/fake_openai_server.py):
a streamed answer whose markers the validation renumbers ends with the final text in
``policybot.content``; a failing LLM gives the extractive fallback, and ``/metrics`` counts it."""
from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from openai import OpenAI
from prometheus_client.parser import text_string_to_metric_families

from tests.fake_openai_server import FakeOpenAIServer, reply, status
from tests.llm_fixtures import TEST_API_KEY
from tests.ui_fixtures import OUTPUT_DIR, start_app_process, stop_app_process

pytestmark = pytest.mark.integration

KEY = "test-key-llm-Qw7"
Q = "天津实施意见第15条讲什么"


@pytest.fixture(scope="module")
def llm() -> Iterator[FakeOpenAIServer]:
    server = FakeOpenAIServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def url(llm: FakeOpenAIServer, tmp_path_factory, shipped_index) -> Iterator[str]:
    data = shipped_index.copy_to(tmp_path_factory.mktemp("api-llm-data"))
    proc, url, _ = start_app_process(data, OUTPUT_DIR / "api-llm-app.log", admin=False, extra_env={
        "POLICYBOT_API_KEYS": KEY, "OPENAI_API_KEY": TEST_API_KEY, "OPENAI_BASE_URL": llm.base_url,
        "POLICYBOT_LLM_MODEL": "fake-gpt", "POLICYBOT_LLM_TIMEOUT": "20", "POLICYBOT_LLM_MAX_RETRIES": "0"})
    yield url
    stop_app_process(proc)


def counters(url: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = httpx.get(f"{url}metrics", trust_env=False).text
    return {(s.name, tuple(sorted(s.labels.items()))): s.value for f in text_string_to_metric_families(text) for s in f.samples}


def test_streamed_llm_answer_ends_with_the_validated_text(llm: FakeOpenAIServer, url: str) -> None:
    llm.script(reply("该条要求加强反不正当竞争和反垄断执法[S1]。", chunk_chars=3))
    client = OpenAI(base_url=f"{url}v1", api_key=KEY, http_client=httpx.Client(trust_env=False, timeout=60))
    chunks = list(client.chat.completions.create(model="policybot", stream=True, messages=[{"role": "user", "content": Q}]))
    streamed = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    info = chunks[-1].model_extra["policybot"]
    assert len([c for c in chunks if c.choices and c.choices[0].delta.content]) > 1  # deltas, not one blob
    assert streamed == "该条要求加强反不正当竞争和反垄断执法[S1]。"  # what the model said, as it arrived
    assert info["mode"] == "llm" and info["content"] == "该条要求加强反不正当竞争和反垄断执法[1]。"
    assert [c["item"] for c in info["citations"]] == ["二（八）15"] and not info["partial"]


def test_llm_failure_falls_back_and_is_counted(llm: FakeOpenAIServer, url: str) -> None:
    before = counters(url)
    llm.script(status(500))
    r = httpx.post(f"{url}v1/chat/completions", headers={"Authorization": f"Bearer {KEY}"}, trust_env=False, timeout=60,
                   json={"messages": [{"role": "user", "content": Q}]})
    info = r.json()["policybot"]
    assert r.status_code == 200 and info["mode"] == "extractive-fallback" and info["citations"] and info["notice"]
    after = counters(url)

    def moved(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0.0) - before.get(key, 0.0)

    assert moved("policybot_llm_fallbacks_total") == 1
    assert moved("policybot_answers_total", mode="extractive-fallback") == 1
    assert moved("policybot_llm_failures_total", endpoint="llm-1") >= 1
    assert llm.base_url not in httpx.get(f"{url}metrics", trust_env=False).text  # the endpoint URL is never a label
