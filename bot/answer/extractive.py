"""Extractive answers: the best sentences of the best clauses, each with its citation.

This is the answer whenever no LLM is configured (a fresh machine, a locked-down network) and the
fallback whenever the LLM fails.  It is deterministic and can only quote real clauses, so it can
never invent a citation.
"""
from __future__ import annotations

from bot.answer.contract import REFUSAL, REFUSAL_NOTICES, answer_marker
from bot.answer.evidence import pick_sentences
from bot.answer.refusal import refusal_reason
from bot.answer.schemas import Answer, Citation
from bot.retrieval import SearchHit, SearchResult
from bot.retrieval.catalog import DocumentCatalog, strip_document_names


def _short_cite(c: Citation) -> str:
    return f"（{c.doc_name}{'' if c.kind in ('item', 'section') else ' '}{c.item_label}）"


def extractive_answer(question: str, result: SearchResult, catalog: DocumentCatalog) -> Answer:
    """Deterministic answer from the best sentences; lookups quote the whole clause."""
    hits = result.hits
    retrieved = [Citation.from_clause(h.clause, score=h.score, via=h.via) for h in hits]
    reason = refusal_reason(question, result, catalog)
    if reason:
        text = REFUSAL + "\n以下条款可能相关，供参考："
        return Answer(question=question, answer=text, refused=True, retrieved=retrieved,
                      citations=[], notice=REFUSAL_NOTICES.get(reason), refusal_reason=reason)
    lookups = [h for h in hits if h.via == "lookup"]
    citations: list[Citation] = []
    lines: list[str] = []
    if lookups:
        for h in lookups[:3]:
            n = len(citations) + 1
            c = Citation.from_clause(h.clause, score=h.score, via=h.via, marker=n)
            c.highlights = [c.text]
            citations.append(c)
            lines.append(f"{c.citation}：\n{c.text} {answer_marker(n)}")
    else:
        # One clause answers one question; a comparison gets the best clause of each named document.
        # Citing a runner-up "just in case" only dilutes what the reader must check.
        pool = hits[:1]
        if result.analysis.compare:
            best: dict[str, SearchHit] = {}
            for h in hits:
                best.setdefault(h.clause.doc_id, h)  # the best hit of each document, in rank order
            pool = list(best.values())
        content = strip_document_names(question, catalog)
        extracts = pick_sentences(content, dedupe(pool), len(pool), compare=result.analysis.compare)
        for ex in extracts:
            hit = next(h for h in hits if h.clause.clause_id == ex.clause.clause_id)
            n = len(citations) + 1
            c = Citation.from_clause(ex.clause, score=hit.score, via=hit.via, marker=n)
            c.highlights = ex.sentences
            citations.append(c)
            lines.append(f"{''.join(ex.sentences)}{_short_cite(c)} {answer_marker(n)}")
    head = "根据现有政策文件：" if len(lines) > 1 else ""
    text = "\n".join(([head] if head else []) + [f"{i}. {l}" if len(lines) > 1 else l for i, l in enumerate(lines, 1)])
    return Answer(question=question, answer=text, citations=citations, retrieved=retrieved)


def dedupe(hits: list[SearchHit]) -> list[SearchHit]:
    seen: set[str] = set()
    out = []
    for h in hits:
        if h.clause.clause_id not in seen:
            seen.add(h.clause.clause_id)
            out.append(h)
    return out
