"""``POST /v1/chat/completions`` and ``GET /v1/models``: the chat, as OpenAI-compatible clients speak it.

The last user message is the question; the earlier user and assistant messages are the history the
chat page keeps, so follow-ups (``那第16条呢？``) are rewritten exactly as on the page.  The content is
the answer text the page shows (citation markers included); the citations and the answer's status
travel in the ``policybot`` field of the completion, or of the last chunk of a stream.
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse

from bot.answer.schemas import Answer
from bot.api.errors import ApiProblem
from bot.api.models import (
    AnswerInfo,
    ChatCompletion,
    ChatCompletionChunk,
    ChatRequest,
    ChunkChoice,
    Delta,
    Filters,
    ModelList,
    OpenAIError,
    completion_id,
)
from bot.api.security import Access
from bot.api.slots import Slots
from bot.retrieval import SearchFilters
from bot.service import PolicyBot, QuestionError, StoreUnavailable

ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": OpenAIError} for code in (400, 401, 413, 429, 503)}


def has_surrogates(text: str) -> bool:
    return any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)


def search_filters(f: Filters | None) -> SearchFilters | None:
    """The request's scope as the service's filters (the same fields as the page's and the CLI's)."""
    if f is None:
        return None
    return SearchFilters(doc_ids=f.doc, regions=f.region, levels=f.level, years=f.year, department=f.department or None)


def base_url(bot: PolicyBot, request: Request) -> str:
    """Where clause links point: ``POLICYBOT_PUBLIC_URL`` behind a proxy, else the address the caller used."""
    return bot.settings.public_url or str(request.base_url)


def question_and_history(bot: PolicyBot, body: ChatRequest) -> tuple[str, list[dict[str, str]]]:
    """The last message's question (checked as every surface checks it) and the turns before it."""
    if len(body.messages) > bot.settings.api_max_messages:
        raise ApiProblem(400, "bad_request", f"消息过多（{len(body.messages)} 条），最多 {bot.settings.api_max_messages} 条。",
                         param="messages")
    texts = [m.text() for m in body.messages]
    if any(has_surrogates(t) for t in texts):
        raise ApiProblem(400, "bad_request", "消息含无效字符（孤立的 UTF-16 代理项），请检查客户端的编码。", param="messages")
    last = body.messages[-1]
    if last.role != "user":
        raise ApiProblem(400, "bad_request", "最后一条消息应为用户的问题（role: user）。", param="messages")
    try:
        question = bot.check_question(texts[-1])
    except QuestionError as exc:
        raise ApiProblem(400, "bad_request", str(exc), param="messages") from None
    history = [{"role": m.role, "content": t} for m, t in zip(body.messages[:-1], texts[:-1], strict=True)
               if m.role in ("user", "assistant")]
    return question, history


def sse(chunk: ChatCompletionChunk) -> str:
    """One event; a delta carries only what it sets (OpenAI's chunks omit the rest)."""
    row = chunk.model_dump(exclude={"policybot"} if chunk.policybot is None else set())
    for choice in row["choices"]:
        choice["delta"] = {k: v for k, v in choice["delta"].items() if v is not None}
    return f"data: {json.dumps(row, ensure_ascii=False)}\n\n"


def stream_events(answers: Iterator[Answer], first: Answer, base: str) -> Iterator[str]:
    """Content deltas while the answer grows, then a closing chunk with ``policybot`` and ``[DONE]``.

    The final answer can differ from what was streamed (markers renumbered after validation, or the
    extractive fallback replacing a failed LLM stream); then its text is in ``policybot.content``."""
    cid, created = completion_id(), int(time.time())

    def chunk(delta: Delta, finish: str | None = None, info: AnswerInfo | None = None) -> str:
        return sse(ChatCompletionChunk(id=cid, created=created, choices=[ChunkChoice(delta=delta, finish_reason=finish)],
                                       policybot=info))

    yield chunk(Delta(role="assistant", content=""))
    sent = ""
    answer = first
    for answer in _chain(first, answers):
        if answer.answer.startswith(sent) and len(answer.answer) > len(sent):
            yield chunk(Delta(content=answer.answer[len(sent):]))
            sent = answer.answer
    info = AnswerInfo.from_answer(answer, base)
    if answer.answer != sent:
        info.content = answer.answer
    yield chunk(Delta(), "stop", info)
    yield "data: [DONE]\n\n"


def _chain(first: Answer, rest: Iterator[Answer]) -> Iterator[Answer]:
    yield first
    yield from rest


def build_router(bot: PolicyBot, access: Access, slots: Slots) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["chat (OpenAI-compatible)"], dependencies=[Depends(access)])

    @router.get("/models", response_model=ModelList, responses=ERRORS)
    def list_models() -> ModelList:
        """The one model, ``policybot``."""
        return ModelList()

    @router.post("/chat/completions", response_model=ChatCompletion, responses={
        **ERRORS, 200: {"content": {"text/event-stream": {}}, "description": "a completion, or with stream: true SSE chunks"}})
    def chat_completions(body: ChatRequest, request: Request) -> ChatCompletion | StreamingResponse:
        """Answer the last user message, with the earlier messages as the conversation so far."""
        question, history = question_and_history(bot, body)
        answers = bot.answer_stream(question, history, search_filters(body.filters))
        base = base_url(bot, request)
        with slots.held():
            try:
                first = next(answers)  # the index is reached before the first answer: 503 while it can still be said
            except StoreUnavailable as exc:
                raise ApiProblem(503, "index_unavailable", str(exc)) from None
            if not body.stream:
                *_, final = (first, *answers)
                return ChatCompletion.from_answer(final, base)
        return StreamingResponse(slots.around(stream_events(answers, first, base)), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    return router
