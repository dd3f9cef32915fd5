"""The LLM client's failure handling (bot/answer/llm.py) and its circuit breaker (bot/answer/breaker.py):
a dead endpoint costs each call little and, after repeated failures, no call at all for a while."""
from __future__ import annotations

import socket

import pytest
from langchain_core.messages import HumanMessage

from bot.answer import llm
from bot.answer.breaker import CircuitBreaker, breaker_for, breakers
from bot.settings import Settings

pytestmark = pytest.mark.unit


def test_the_breaker_opens_after_consecutive_failures_and_a_success_closes_it():
    b = CircuitBreaker(failures=2, cooldown=60.0)
    assert b.allow() and b.remaining() == 0.0
    b.failure()
    assert b.allow()  # one failure: still closed
    b.failure()
    assert not b.allow() and b.remaining() > 59 and "秒后重试" in b.notice
    b.success()
    assert b.allow() and b.total_failures == 2


def test_after_the_cooldown_one_trial_call_goes_through():
    b = CircuitBreaker(failures=1, cooldown=0.0)
    b.failure()
    assert b.allow()  # the cooling period (none) is over: one trial


def test_one_breaker_per_endpoint_and_policy():
    a = breaker_for("http://unit-test-endpoint", 3, 60.0)
    assert breaker_for("http://unit-test-endpoint", 3, 60.0) is a
    assert breaker_for("http://unit-test-endpoint", 4, 60.0) is not a
    assert ("http://unit-test-endpoint", a) in breakers()


def test_unavailable_carries_a_safe_message_and_a_stable_kind():
    assert llm.LLMUnavailable("timeout").kind == "timeout"
    unknown = llm.LLMUnavailable("something remote said")
    assert unknown.kind == "error" and str(unknown) == unknown.user_message == "大模型服务暂时不可用。"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_refused_connection_is_reported_and_counted_by_the_breaker(tmp_path):
    url = f"http://127.0.0.1:{closed_port()}/v1"
    settings = Settings(POLICYBOT_DATA_DIR=str(tmp_path), OPENAI_BASE_URL=url, OPENAI_API_KEY="k",
                        POLICYBOT_LLM_BREAKER_FAILURES=2, POLICYBOT_LLM_TIMEOUT=5)
    assert llm.available(settings)
    for _ in range(2):
        with pytest.raises(llm.LLMUnavailable) as failed:
            llm.complete([HumanMessage(content="你好")], settings, max_retries=0)
        assert failed.value.kind == "connection"
    assert not llm.available(settings)  # two failures: the breaker is open
    with pytest.raises(llm.LLMUnavailable) as skipped:
        list(llm.stream([HumanMessage(content="你好")], settings))
    assert skipped.value.kind == "circuit_open"
