"""The LLM client: one place that talks to an OpenAI-compatible chat-completions endpoint.

Why this wrapper exists rather than calling ``ChatOpenAI`` directly everywhere:

* **Retries are ours.**  The SDK's built-in retries are switched off (``max_retries=0``) so that we
  decide what is worth retrying (429, 5xx, refused/reset connections), how long to back off, and —
  crucially for streaming — never retry once tokens have reached the user.
* **Timeouts end the attempt.**  A request that has already made the user wait ``llm_timeout``
  seconds is not retried; the caller falls back to the extractive answer instead.
* **One failure type.**  Every failure surfaces as :class:`LLMUnavailable`, whose text is a short,
  fixed Chinese message chosen from a table.  Nothing from the remote side (error bodies can echo
  the Authorization header or request) or from the settings ever goes into it or into our log
  lines, so the API key cannot leak through an error page, a log file or a traceback.
* **Chat Completions only.**  ``use_responses_api=False`` is forced: the product targets
  OpenAI-compatible gateways (vLLM, Ollama, one-api …) that implement ``/v1/chat/completions``.
"""
from __future__ import annotations

import logging
import random
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr

from bot.answer.breaker import OPEN_MESSAGE, CircuitBreaker, breaker_for
from bot.settings import Settings

if TYPE_CHECKING:  # the OpenAI SDK and LangChain load on the first LLM call, not with every command
    from langchain_core.messages import BaseMessage
    from langchain_openai import ChatOpenAI

__all__ = [
    "DEFAULT_RETRY_BASE_DELAY",
    "LLMUnavailable",
    "available",
    "breaker",
    "build_chat_model",
    "complete",
    "stream",
]

logger = logging.getLogger(__name__)

DEFAULT_RETRY_BASE_DELAY = 0.2
"""First back-off delay in seconds; doubles per retry (0.2, 0.4, 0.8 …)."""
MAX_BACKOFF = 8.0
"""Upper bound for one back-off sleep, also for a server's ``Retry-After``: a person is waiting."""
PLACEHOLDER_API_KEY = "not-needed"
"""Sent when only a base URL is configured: local gateways ignore it, the SDK insists on one."""

_MESSAGES: dict[str, str] = {
    "not_configured": "未配置大模型服务，无法生成智能回答。",
    "timeout": "大模型服务响应超时，暂时无法生成智能回答。",
    "rate_limited": "大模型服务繁忙（请求过多），暂时无法生成智能回答。",
    "server_error": "大模型服务出现故障，暂时无法生成智能回答。",
    "connection": "无法连接大模型服务，暂时无法生成智能回答。",
    "auth": "大模型服务鉴权失败，请检查服务配置。",
    "bad_request": "大模型服务拒绝了本次请求，暂时无法生成智能回答。",
    "bad_response": "大模型服务返回的数据格式异常，暂时无法生成智能回答。",
    "empty": "大模型服务未返回内容，暂时无法生成智能回答。",
    "stream_broken": "大模型服务的回答传输中断，暂时无法生成完整的智能回答。",
    "error": "大模型服务暂时不可用。",
    "circuit_open": OPEN_MESSAGE + "，暂时不生成智能回答。",
}


class LLMUnavailable(Exception):
    """The model could not produce an answer; callers fall back to retrieval-only output.

    ``str(exc)`` is a short Chinese message safe to show to end users; ``kind`` is a stable code
    (``timeout``, ``rate_limited``, ``server_error``, ``connection``, ``auth``, ``bad_request``,
    ``bad_response``, ``empty``, ``stream_broken``, ``not_configured``, ``circuit_open``, ``error``) for logic and
    metrics.  By construction neither contains remote error text or configuration values.
    """

    def __init__(self, kind: str = "error") -> None:
        self.kind = kind if kind in _MESSAGES else "error"
        self.user_message = _MESSAGES[self.kind]
        super().__init__(self.user_message)


@dataclass(frozen=True)
class _Failure:
    """A classified exception: only type names and status codes, never message text."""

    kind: str
    retryable: bool
    detail: str
    retry_after: float | None = None


# ---------------------------------------------------------------------------------------------
# Client construction
# ---------------------------------------------------------------------------------------------
def build_chat_model(settings: Settings, *, streaming: bool = False) -> ChatOpenAI:
    """A ``ChatOpenAI`` configured from :class:`Settings` with SDK retries disabled.

    The key is passed as a ``SecretStr`` (kept masked in reprs) and explicitly, so the SDK never
    falls back to a stray ``OPENAI_API_KEY`` in the process environment.
    """
    if not settings.llm_configured:
        raise LLMUnavailable("not_configured")
    api_key = settings.openai_api_key
    if api_key is None or not api_key.get_secret_value():
        api_key = SecretStr(PLACEHOLDER_API_KEY)
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=settings.llm_model,
        api_key=api_key,
        base_url=settings.openai_base_url,
        timeout=settings.llm_timeout,
        max_retries=0,
        max_tokens=settings.llm_max_tokens,
        temperature=0,
        streaming=streaming,
        use_responses_api=False,
    )


# ---------------------------------------------------------------------------------------------
# Error classification and back-off
# ---------------------------------------------------------------------------------------------
def _mro_names(exc: BaseException) -> set[str]:
    return {cls.__name__ for cls in type(exc).__mro__}


def _retry_after(exc: BaseException) -> float | None:
    """Seconds the server asked us to wait (``Retry-After`` / ``retry-after-ms``), if any."""
    response = getattr(exc, "response", None)
    headers: Mapping[str, str] | None = getattr(response, "headers", None)
    if not headers:
        return None
    try:
        if headers.get("retry-after-ms"):
            return float(headers["retry-after-ms"]) / 1000.0
        if headers.get("retry-after"):
            return float(headers["retry-after"])
    except (TypeError, ValueError):
        return None
    return None


def _classify(exc: BaseException) -> _Failure:
    """Map any exception from the SDK/transport to a failure kind and whether a retry makes sense.

    Raw transport exceptions (``httpx``/``httpx2``) can escape the SDK while a stream is being
    iterated, so they are recognised by class name rather than by importing a specific transport.
    """
    import openai

    names = _mro_names(exc)
    name = type(exc).__name__
    if isinstance(exc, (openai.APITimeoutError, TimeoutError)) or "TimeoutException" in names:
        return _Failure("timeout", False, name)
    if isinstance(exc, openai.APIStatusError):
        code = exc.status_code
        detail = f"{name} HTTP {code}"
        if code == 429:
            return _Failure("rate_limited", True, detail, _retry_after(exc))
        if code >= 500:
            return _Failure("server_error", True, detail, _retry_after(exc))
        if code == 408:
            return _Failure("timeout", True, detail)
        if code in (401, 403):
            return _Failure("auth", False, detail)
        return _Failure("bad_request", False, detail)
    if isinstance(exc, openai.APIConnectionError) or names & {"TransportError", "NetworkError", "ProtocolError"}:
        return _Failure("connection", True, name)
    if isinstance(exc, ConnectionError):
        return _Failure("connection", True, name)
    if isinstance(exc, (openai.APIResponseValidationError, ValueError, KeyError, TypeError, IndexError)):
        # json.JSONDecodeError, pydantic.ValidationError and langchain's "malformed response"
        # ValueErrors all land here: the server answered, but not in a shape we can use.
        return _Failure("bad_response", False, name)
    return _Failure("error", False, name)


def _backoff(attempt: int, base_delay: float, retry_after: float | None) -> float:
    """Exponential back-off with a little jitter, honouring (capped) ``Retry-After``."""
    delay = base_delay * (2 ** attempt)
    delay += random.uniform(0, delay * 0.1)
    if retry_after is not None and retry_after > delay:
        delay = retry_after
    return min(delay, MAX_BACKOFF)


def _retry_delay(failure: _Failure, attempt: int, attempts: int, base_delay: float, what: str) -> float:
    """Seconds to wait before the next attempt; raises :class:`LLMUnavailable` when none is left."""
    if failure.retryable and attempt + 1 < attempts:
        delay = _backoff(attempt, base_delay, failure.retry_after)
        logger.warning("LLM %s failed (%s: %s); retry %d/%d in %.2fs",
                       what, failure.kind, failure.detail, attempt + 1, attempts - 1, delay)
        return delay
    logger.warning("LLM %s failed (%s: %s) after %d attempt(s); giving up", what, failure.kind, failure.detail, attempt + 1)
    raise LLMUnavailable(failure.kind) from None


def _content_text(content: Any) -> str:
    """Text of a message/chunk ``content``: a string, or a list of content blocks."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts: list[str] = []
        for block in content:
            if isinstance(block, str):
                parts.append(block)
            elif isinstance(block, dict) and block.get("type") in (None, "text"):
                parts.append(str(block.get("text") or ""))
        return "".join(parts)
    return ""


def _attempts(settings: Settings, max_retries: int | None) -> int:
    retries = settings.llm_max_retries if max_retries is None else max_retries
    return 1 + max(0, int(retries))


# ---------------------------------------------------------------------------------------------
# Circuit breaker
# ---------------------------------------------------------------------------------------------
def breaker(settings: Settings) -> CircuitBreaker:
    """The process's breaker for this endpoint: every call below reports to it."""
    return breaker_for(settings.openai_base_url or "api.openai.com", settings.llm_breaker_failures,
                       settings.llm_breaker_cooldown)


def available(settings: Settings) -> bool:
    """An LLM is configured and its breaker lets calls through (follow-ups decide with this)."""
    return settings.llm_configured and breaker(settings).remaining() == 0.0


def _guarded(settings: Settings) -> CircuitBreaker:
    b = breaker(settings)
    if not b.allow():
        logger.info("LLM circuit open; not calling (%.0f s left)", b.remaining())
        raise LLMUnavailable("circuit_open")
    return b


# ---------------------------------------------------------------------------------------------
# Public calls
# ---------------------------------------------------------------------------------------------
def complete(
    messages: list[BaseMessage],
    settings: Settings,
    *,
    max_retries: int | None = None,
    retry_base_delay: float = DEFAULT_RETRY_BASE_DELAY,
) -> str:
    """Send ``messages`` and return the whole reply text.

    Retries 429/5xx/connection failures up to ``settings.llm_max_retries`` times (or
    ``max_retries`` when given) with exponential back-off starting at ``retry_base_delay``.
    Raises :class:`LLMUnavailable` on timeout, exhausted retries, malformed or empty responses.
    """
    model = build_chat_model(settings)
    guard = _guarded(settings)
    try:
        text = _complete(model, messages, _attempts(settings, max_retries), retry_base_delay)
    except LLMUnavailable:
        guard.failure()
        raise
    guard.success()
    return text


def _complete(model: ChatOpenAI, messages: list[BaseMessage], attempts: int, retry_base_delay: float) -> str:
    for attempt in range(attempts):
        try:
            result = model.invoke(messages)
        except Exception as exc:
            time.sleep(_retry_delay(_classify(exc), attempt, attempts, retry_base_delay, "request"))
            continue
        text = _content_text(result.content)
        if not text.strip():
            logger.warning("LLM returned empty content")
            raise LLMUnavailable("empty")
        return text
    raise LLMUnavailable("error")  # pragma: no cover - loop always returns or raises


def stream(
    messages: list[BaseMessage],
    settings: Settings,
    *,
    max_retries: int | None = None,
    retry_base_delay: float = DEFAULT_RETRY_BASE_DELAY,
) -> Iterator[str]:
    """Yield the reply as text deltas as they arrive.

    Failures before the first token are retried like :func:`complete`.  Once a token has been
    yielded a retry would duplicate text on the user's screen, so a broken stream — a transport
    error, or an end of body without any ``finish_reason`` (the SDK silently accepts a stream cut
    off before ``[DONE]``) — raises :class:`LLMUnavailable` after what already arrived, and the
    caller decides how to fall back.
    """
    model = build_chat_model(settings, streaming=True)
    guard = _guarded(settings)
    try:
        yield from _stream(model, messages, _attempts(settings, max_retries), retry_base_delay)
    except LLMUnavailable:
        guard.failure()
        raise
    guard.success()


def _stream(model: ChatOpenAI, messages: list[BaseMessage], attempts: int, retry_base_delay: float) -> Iterator[str]:
    for attempt in range(attempts):
        yielded = False
        finished = False
        try:
            for chunk in model.stream(messages):
                if chunk.response_metadata.get("finish_reason"):
                    finished = True
                text = _content_text(chunk.content)
                if text:
                    yielded = True
                    yield text
        except Exception as exc:
            failure = _classify(exc)
            if yielded:
                kind = "timeout" if failure.kind == "timeout" else "stream_broken"
                logger.warning("LLM stream broke after partial output (%s: %s)", failure.kind, failure.detail)
                raise LLMUnavailable(kind) from None
            time.sleep(_retry_delay(failure, attempt, attempts, retry_base_delay, "stream request"))
            continue
        if not finished:
            if not yielded and attempt + 1 < attempts:
                delay = _backoff(attempt, retry_base_delay, None)
                logger.warning("LLM stream ended without finish_reason before any output; retry in %.2fs", delay)
                time.sleep(delay)
                continue
            logger.warning("LLM stream ended without finish_reason (truncated; partial=%s)", yielded)
            raise LLMUnavailable("stream_broken")
        if not yielded:
            logger.warning("LLM stream returned empty content")
            raise LLMUnavailable("empty")
        return
