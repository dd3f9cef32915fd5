"""From retrieved clauses to the final answer: LLM when configured, extractive otherwise.

Whatever path produced the text, every citation in the result points at a clause that retrieval
actually returned; an LLM marker that points nowhere is removed and reported, and an LLM failure
degrades to the extractive answer with a short notice — never to an error page.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator

from bot.answer import llm
from bot.answer.citations import build_sources_block, validate_citations
from bot.answer.comparison import order_named
from bot.answer.contract import REFUSAL
from bot.answer.extractive import dedupe, extractive_answer
from bot.answer.prompting import build_answer_messages, guidance
from bot.answer.refusal import judge, without_content
from bot.answer.schemas import Answer, Citation
from bot.retrieval import SearchResult
from bot.retrieval.catalog import DocumentCatalog
from bot.settings import Settings
from ingest.models import Clause
from ingest.text.script import is_traditional, to_simplified, to_traditional

log = logging.getLogger(__name__)

CONTEXT_CLAUSES = 6


def answer_stream(question: str, result: SearchResult, catalog: DocumentCatalog,
                  settings: Settings) -> Iterator[Answer]:
    """Partial answers (``done=False``) while an LLM streams, then the final one."""
    if settings.llm_configured and result.hits and not without_content(question, result):
        yield from llm_answer_stream(question, result, catalog, settings)
    else:
        yield localize(extractive_answer(question, result, catalog))


def localize(answer: Answer) -> Answer:
    """The whole answer in the question's script, quotes included (OpenCC both ways); the cited
    clause texts and their highlights keep the document's own script."""
    convert = to_traditional if is_traditional(answer.question) else to_simplified
    answer.answer = convert(answer.answer)
    answer.lead = convert(answer.lead)
    return answer


def context_clauses(question: str, result: SearchResult, catalog: DocumentCatalog) -> list[Clause]:
    """The clauses the model sees, grouped per document in the order the question names them.

    A comparison includes the best clause of every named document even when it ranked low, so the
    model can say what each document says (or that it says nothing).
    """
    hits = dedupe(result.hits)
    chosen = hits[:CONTEXT_CLAUSES]
    if result.analysis.compare:
        for d in result.analysis.doc_ids:
            if not any(h.clause.doc_id == d for h in chosen):
                chosen += [h for h in hits if h.clause.doc_id == d][:1]
    order = order_named(question, result.analysis.doc_ids, catalog)
    rank = {d: i for i, d in enumerate(order)}
    grouped = sorted(enumerate(chosen), key=lambda ih: (rank.get(ih[1].clause.doc_id, len(rank)), ih[0]))
    return [h.clause for _, h in grouped]


def llm_answer_stream(question: str, result: SearchResult, catalog: DocumentCatalog,
                      settings: Settings) -> Iterator[Answer]:
    """Stream the LLM's answer, then validate its markers; fall back to extractive on any failure (the
    extractive answer is composed only then: an answer the model gives never pays for it)."""

    def fallback(notice: str | None = None, invalid: list[str] | None = None) -> Answer:
        answer = extractive_answer(question, result, catalog)
        if notice is not None:
            answer.mode, answer.notice = "extractive-fallback", notice
        answer.invalid_markers = invalid or answer.invalid_markers
        return localize(answer)

    retrieved = [Citation.from_clause(h.clause, score=h.score, via=h.via) for h in result.hits]  # as extractive's
    outcome = judge(question, result, catalog)
    clauses = context_clauses(question, result, catalog)
    if not clauses or outcome.kind == "refuse":  # no clause addresses the subject: nothing to ask the model
        yield fallback()
        return
    block, given = build_sources_block(clauses, settings.llm_context_tokens)
    named = order_named(question, result.analysis.doc_ids, catalog)
    intent = result.analysis.intent
    guide = guidance(intent.answer_type if intent else "general", [catalog.display_name(d) for d in named],
                     outcome.missing if outcome.kind == "partial" else "")
    messages = build_answer_messages(question, block, guide)
    text = ""
    cut = None
    limit = settings.llm_max_answer_chars
    try:
        for delta in llm.stream(messages, settings):
            text += delta
            if len(text) >= limit:  # leaving the loop closes the stream: the model stops being read
                text, cut = text[:limit], f"回答超过 {limit} 字，已截断。"
                break
            yield Answer(question=question, answer=text, mode="llm", done=False, retrieved=retrieved)
    except llm.LLMUnavailable as exc:
        yield fallback(f"{exc.user_message}以下为检索摘录回答。")
        return
    checked = validate_citations(text, given)
    if checked.is_refusal:
        yield Answer(question=question, answer=checked.text or REFUSAL, refused=True, mode="llm",
                     retrieved=retrieved, invalid_markers=checked.invalid_markers)
        return
    if not checked.citations:
        yield fallback("大模型的回答没有给出有效的条款引用，已改用检索摘录回答。", checked.invalid_markers)
        return
    cites = []
    for n, clause in enumerate(checked.citations, start=1):
        hit = next((h for h in result.hits if h.clause.clause_id == clause.clause_id), None)
        cites.append(Citation.from_clause(clause, marker=n, score=hit.score if hit else 0.0, via=hit.via if hit else ""))
    notices = [f"已删除 {len(checked.invalid_markers)} 个无效引用标记。" if checked.invalid_markers else "", cut or ""]
    notice = "".join(notices) or None
    yield Answer(question=question, answer=checked.text, mode="llm", citations=cites, notice=notice,
                 retrieved=retrieved, invalid_markers=checked.invalid_markers,
                 partial=outcome.kind == "partial")
