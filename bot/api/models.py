"""The API's one contract: request and response models, from which FastAPI generates the OpenAPI schema.

Responses are built from the service's own records (:class:`bot.answer.schemas.Answer`,
:class:`bot.service.HotlineResult`) by the ``from_*`` constructors here, so the API returns what the
UI and the CLI show, field for field, and no route formats anything itself.
"""
from __future__ import annotations

import time
import uuid
from typing import Any, Literal
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field

from bot.answer.schemas import Answer, Citation
from bot.service import HotlineResult

MODEL_ID = "policybot"


# ----- shared ----------------------------------------------------------------------------------------
class ClauseOut(BaseModel):
    """One clause as an integration shows it: enough to cite it and to open it in the web UI."""

    clause_id: str
    doc_id: str
    doc_title: str
    doc_name: str = Field(description="how citations name the document (short name, else title)")
    item: str
    item_label: str = Field(description="二、（三）第6项")
    doc_number: str = Field(description="文号")
    date: str
    issuers: list[str]
    region: str
    departments: list[str]
    heading_path: list[str]
    citation: str = Field(description="《…》（天津市，2022）二、（三）第6项")
    reference: str = Field(description="《标题》（文号，发布机关，日期）条款 — the line people paste")
    text: str
    marker: int | None = Field(default=None, description="[n] in the answer text")
    group: str | None = Field(default=None, description="search/clauses only: exact | neighbour | matching | related | outline")
    url: str = Field(description="the clause in the web UI")

    @classmethod
    def from_citation(cls, c: Citation, base_url: str, group: str | None = None) -> ClauseOut:
        return cls(clause_id=c.clause_id, doc_id=c.doc_id, doc_title=c.doc_title, doc_name=c.doc_name, item=c.item,
                   item_label=c.item_label or c.item, doc_number=c.doc_number, date=c.date, issuers=c.issuers,
                   region=c.region, departments=c.departments, heading_path=c.heading_path, citation=c.citation,
                   reference=c.reference(), text=c.text, marker=c.marker, group=group,
                   url=clause_url(base_url, c.clause_id))


def clause_url(base_url: str, clause_id: str) -> str:
    """The public page opened on the 条款检索 tab showing this clause (``?clause=`` in bot/ui/layout.py)."""
    return f"{base_url.rstrip('/')}/?clause={quote(clause_id, safe='')}"


class Filters(BaseModel):
    """Optional search scope, as in the UI's filters and the CLI's ``--doc/--region/--level/--year/--department``."""

    model_config = ConfigDict(extra="forbid")

    doc: list[str] = Field(default_factory=list, description="document ids")
    region: list[str] = Field(default_factory=list)
    level: list[str] = Field(default_factory=list, description="省 / 市 / 国家 …")
    year: list[str] = Field(default_factory=list, description="year of the document's date, e.g. 2023")
    department: str | None = None


# ----- OpenAI-compatible chat ----------------------------------------------------------------------------
class TextPart(BaseModel):
    type: Literal["text"] = "text"
    text: str


class ChatMessage(BaseModel):
    role: Literal["system", "user", "assistant", "developer", "tool"]
    content: str | list[TextPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(p.text for p in self.content)
        return self.content or ""


class ChatRequest(BaseModel):
    """``POST /v1/chat/completions``: the last user message is the question, earlier turns its context."""

    model: str = MODEL_ID
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    filters: Filters | None = Field(default=None, description="policybot extension: search scope")
    # accepted for compatibility and ignored (the answer is grounded in the clauses, not sampled freely)
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    max_completion_tokens: int | None = None
    user: str | None = None
    stream_options: dict[str, Any] | None = None


class AnswerInfo(BaseModel):
    """policybot extension of a completion (and of the last stream chunk): what the answer rests on."""

    citations: list[ClauseOut]
    see_also: list[ClauseOut]
    refused: bool
    refusal_reason: str | None
    partial: bool = Field(description="a partial answer: the documents address the subject but do not state what was "
                                      "asked (the answer opens with what they leave unsaid, then what they provide)")
    mode: str = Field(description="extractive | llm | extractive-fallback")
    notice: str | None
    content: str | None = Field(default=None, description="stream only: the final text when it differs from the deltas")

    @classmethod
    def from_answer(cls, a: Answer, base_url: str) -> AnswerInfo:
        return cls(citations=[ClauseOut.from_citation(c, base_url) for c in a.citations],
                   see_also=[ClauseOut.from_citation(c, base_url) for c in a.see_also],
                   refused=a.refused, refusal_reason=a.refusal_reason, partial=a.partial, mode=a.mode,
                   notice=a.notice)


class AssistantMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop", "length"] = "stop"


class Usage(BaseModel):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0


def completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex}"


class ChatCompletion(BaseModel):
    id: str = Field(default_factory=completion_id)
    object: Literal["chat.completion"] = "chat.completion"
    created: int = Field(default_factory=lambda: int(time.time()))
    model: str = MODEL_ID
    choices: list[Choice]
    usage: Usage = Field(default_factory=Usage)
    policybot: AnswerInfo

    @classmethod
    def from_answer(cls, a: Answer, base_url: str) -> ChatCompletion:
        return cls(choices=[Choice(message=AssistantMessage(content=a.answer))],
                   policybot=AnswerInfo.from_answer(a, base_url))


class Delta(BaseModel):
    role: Literal["assistant"] | None = None
    content: str | None = None


class ChunkChoice(BaseModel):
    index: int = 0
    delta: Delta
    finish_reason: Literal["stop", "length"] | None = None


class ChatCompletionChunk(BaseModel):
    """One server-sent event of a streamed completion; the last one carries ``policybot``."""

    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str = MODEL_ID
    choices: list[ChunkChoice]
    policybot: AnswerInfo | None = None


class ModelCard(BaseModel):
    id: str = MODEL_ID
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str = "policybot"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard] = Field(default_factory=lambda: [ModelCard()])


# ----- REST for the hotline desk ----------------------------------------------------------------------------
class SearchResponse(BaseModel):
    """The 条款检索 result page as data (the UI's lookup tab and ``policybot search`` show the same)."""

    query: str
    headline: str = Field(description="N 条含“…” / the clause found / the missing-number message")
    terms: list[str]
    matching_total: int = Field(description="clauses containing every term (matching is cut at k)")
    matching: list[ClauseOut]
    related: list[ClauseOut]
    exact: list[ClauseOut]
    neighbours: list[ClauseOut]
    missing: str
    outline: list[ClauseOut]

    @classmethod
    def from_result(cls, r: HotlineResult, base_url: str) -> SearchResponse:
        def out(cs: list[Citation], group: str) -> list[ClauseOut]:
            return [ClauseOut.from_citation(c, base_url, group) for c in cs]

        return cls(query=r.query, headline=r.headline, terms=r.terms, matching_total=r.matching_total,
                   matching=out(r.matching, "matching"), related=out(r.related, "related"),
                   exact=out(r.exact, "exact"), neighbours=out(r.neighbours, "neighbour"), missing=r.missing,
                   outline=out(r.outline, "outline"))


class DocumentOut(BaseModel):
    doc_id: str
    title: str
    display_name: str
    short_name: str
    aliases: list[str]
    doc_number: str
    date: str
    issuers: list[str]
    region: str
    level: str
    clause_count: int

    @classmethod
    def from_row(cls, d: dict[str, Any]) -> DocumentOut:
        return cls(doc_id=d["doc_id"], title=d.get("title") or "", display_name=d.get("display_name") or "",
                   short_name=d.get("short_name") or "", aliases=list(d.get("aliases") or []),
                   doc_number=d.get("doc_number") or "", date=d.get("date") or "", issuers=list(d.get("issuers") or []),
                   region=d.get("region") or "", level=d.get("level") or "", clause_count=int(d.get("clause_count") or 0))


class DocumentList(BaseModel):
    documents: list[DocumentOut]


class OutlineEntry(BaseModel):
    clause_id: str
    item: str
    item_label: str
    heading: str
    url: str


class DocumentDetail(DocumentOut):
    outline: list[OutlineEntry]


# ----- errors --------------------------------------------------------------------------------------------
class OpenAIErrorBody(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class OpenAIError(BaseModel):
    """Errors of ``/v1/chat/completions`` and ``/v1/models``, in the shape OpenAI clients parse."""

    error: OpenAIErrorBody


class ApiError(BaseModel):
    """Errors of every other route."""

    code: str = Field(description="bad_request | unauthorized | not_found | payload_too_large | rate_limited | unavailable")
    message: str
    request_id: str = ""
