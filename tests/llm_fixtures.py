"""Pytest fixtures for LLM tests: a real loopback OpenAI-compatible server and Settings pointing at it.

Import them into a test module (or the shared ``tests/conftest.py``) with::

    from tests.llm_fixtures import fake_llm, llm_settings  # noqa: F401

The fixtures never touch ``os.environ``: the test key and endpoint live only on the ``Settings``
object, so no other test (or stray SDK default) can pick them up.
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.settings import Settings
from tests.fake_openai_server import FakeOpenAIServer

TEST_API_KEY = "sk-test-SECRET123"
TEST_LLM_TIMEOUT = 0.5


def make_llm_settings(server: FakeOpenAIServer, **overrides: object) -> Settings:
    """Settings aimed at ``server`` with the well-known test key; ``overrides`` use the env aliases."""
    values: dict[str, object] = {
        "OPENAI_API_KEY": TEST_API_KEY,
        "OPENAI_BASE_URL": server.base_url,
        "POLICYBOT_LLM_MODEL": "fake-gpt",
        "POLICYBOT_LLM_TIMEOUT": TEST_LLM_TIMEOUT,
        "POLICYBOT_LLM_MAX_RETRIES": 2,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def fake_llm() -> Iterator[FakeOpenAIServer]:
    """A started :class:`FakeOpenAIServer` on 127.0.0.1:<ephemeral>, stopped after the test."""
    server = FakeOpenAIServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def llm_settings(fake_llm: FakeOpenAIServer) -> Settings:
    """Settings for ``fake_llm``: key ``sk-test-SECRET123``, timeout 0.5 s, 2 retries."""
    return make_llm_settings(fake_llm)
