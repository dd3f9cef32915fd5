"""From retrieved clauses to an answer that cites them: LLM when configured, extractive otherwise.

Whatever path produced the text, every citation in the result points at a clause that retrieval
actually returned; an LLM marker that points nowhere is removed and reported, and an LLM failure
degrades to the extractive answer with a short notice — never to an error page.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator

from bot import llm
from bot.citations import build_sources_block, validate_citations
from bot.extractive import evidence_score, pick_sentences
from bot.query import doc_mention_keys
from bot.retrieval import HybridRetriever, SearchFilters, SearchHit, SearchResult
from bot.schemas import Answer, Citation
from bot.settings import Settings
from ingest.clean import is_traditional, search_form, to_traditional

log = logging.getLogger(__name__)

REFUSAL = "现有政策文件中未找到与该问题直接对应的规定。"
EVIDENCE_FLOOR = 0.12  # calibrated on eval/dev.jsonl: answerable questions score ≥ 0.10 with dense ≥ 0.87
DENSE_FLOOR = 0.87
CONTEXT_CLAUSES = 6
REFUSAL_NOTICES = {
    "no_hits": "没有检索到任何条款。",
    "out_of_scope_region": "问题涉及的地区不在已收录文件的范围内。",
    "fact_not_in_sources": "已收录文件中没有问题所问的具体信息（如金额、网址、联系方式）。",
    "weak_evidence": "检索到的条款与问题关联较弱。",
}

# Provinces and major cities: a question about a place no document covers is out of scope.
PLACES = ("北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 "
          "贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门 深圳 广州 杭州 南京 武汉 成都 西安 苏州 "
          "青岛 宁波 厦门 大连 济南 郑州 长沙 合肥 福州 温州").split()
# Facts whose very form must appear in the evidence (an amount, a web address, a phone number …).
FACT_TYPES: list[tuple[re.Pattern[str], re.Pattern[str]]] = [
    (re.compile(r"多少钱|多少元|奖励多少|补贴多少|资助多少|补助多少|金额|奖金"), re.compile(r"\d+(\.\d+)?\s*(万|亿)?元")),
    (re.compile(r"网址|网站|链接|官网|url", re.I), re.compile(r"https?://|www\.|\.(cn|com|gov)\b", re.I)),
    (re.compile(r"电话|热线|联系方式|邮箱"), re.compile(r"\d{3,4}-?\d{7,8}|\d{5,}|@")),
    (re.compile(r"注册登录|怎么登录|如何登录|账号|密码"), re.compile(r"登录|账号")),
]


def _strip_doc_names(question: str, retriever: HybridRetriever) -> str:
    text = search_form(question)
    for m in retriever.metas:
        for key in sorted(doc_mention_keys(m), key=len, reverse=True):
            text = text.replace(key, " ")
    return text


def refusal_reason(question: str, result: SearchResult, retriever: HybridRetriever) -> str | None:
    """Why the evidence does not support an answer (None: answer it)."""
    hits = result.hits
    if not hits:
        return "no_hits"
    if any(h.via == "lookup" for h in hits[:1]):
        return None
    q = search_form(question)
    covered = " ".join(search_form(m.region + m.title) for m in retriever.metas)
    named = [p for p in PLACES if p in q]
    if named and not any(p in covered for p in named):
        return "out_of_scope_region"
    evidence_text = " ".join(h.clause.text for h in hits[:3])
    for asks, needs in FACT_TYPES:
        if asks.search(q) and not needs.search(evidence_text):
            return "fact_not_in_sources"
    if result.analysis.phrase_only or result.analysis.departments:
        return None
    ev = evidence_score(_strip_doc_names(question, retriever), hits)
    if ev < EVIDENCE_FLOOR and hits[0].dense < DENSE_FLOOR:
        return "weak_evidence"
    return None


def _short_cite(c: Citation) -> str:
    return f"（{c.short_name or c.doc_title}{'' if c.kind in ('item', 'section') else ' '}{c.item_label}）"


def extractive(question: str, result: SearchResult, retriever: HybridRetriever) -> Answer:
    """Deterministic answer from the best sentences; lookups quote the whole clause."""
    hits = result.hits
    retrieved = [Citation.from_clause(h.clause, score=h.score, via=h.via) for h in hits]
    reason = refusal_reason(question, result, retriever)
    if reason:
        text = REFUSAL + "\n以下条款可能相关，供参考："
        return Answer(question=question, answer=text, refused=True, retrieved=retrieved,
                      citations=[], notice=REFUSAL_NOTICES.get(reason), refusal_reason=reason)
    lookups = [h for h in hits if h.via == "lookup"]
    citations: list[Citation] = []
    lines: list[str] = []
    if lookups:
        for h in lookups[:3]:
            c = Citation.from_clause(h.clause, score=h.score, via=h.via, marker=len(citations) + 1)
            c.highlights = [c.text]
            citations.append(c)
            lines.append(f"{c.citation}：\n{c.text} [{c.marker}]")
    else:
        # One clause answers one question; a comparison gets the best clause of each named document.
        # Citing a runner-up "just in case" only dilutes what the reader must check.
        pool = hits[:1]
        if result.analysis.compare:
            seen: set[str] = set()
            pool = [h for h in hits if not (h.clause.doc_id in seen or seen.add(h.clause.doc_id))]
        extracts = pick_sentences(_strip_doc_names(question, retriever), _dedupe(pool), len(pool), compare=result.analysis.compare)
        for ex in extracts:
            hit = next(h for h in hits if h.clause.clause_id == ex.clause.clause_id)
            c = Citation.from_clause(ex.clause, score=hit.score, via=hit.via, marker=len(citations) + 1)
            c.highlights = ex.sentences
            citations.append(c)
            lines.append(f"{''.join(ex.sentences)}{_short_cite(c)} [{c.marker}]")
    head = "根据现有政策文件：" if len(lines) > 1 else ""
    text = "\n".join(([head] if head else []) + [f"{i}. {l}" if len(lines) > 1 else l for i, l in enumerate(lines, 1)])
    return Answer(question=question, answer=text, citations=citations, retrieved=retrieved)


def _dedupe(hits: list[SearchHit]) -> list[SearchHit]:
    seen: set[str] = set()
    out = []
    for h in hits:
        if h.clause.clause_id not in seen:
            seen.add(h.clause.clause_id)
            out.append(h)
    return out


def localize(answer: Answer) -> Answer:
    """Answer in the question's script: a traditional question gets a traditional answer."""
    if is_traditional(answer.question):
        answer.answer = to_traditional(answer.answer)
    return answer


def llm_answer_stream(question: str, result: SearchResult, retriever: HybridRetriever,
                      settings: Settings) -> Iterator[Answer]:
    """Stream the LLM's answer, then validate its markers; fall back to extractive on any failure."""
    fallback = extractive(question, result, retriever)
    clauses = [h.clause for h in _dedupe(result.hits)[:CONTEXT_CLAUSES]]
    if not clauses:
        yield fallback
        return
    block, given = build_sources_block(clauses, settings.llm_context_tokens)
    messages = llm.build_answer_messages(question, block)
    text = ""
    try:
        for delta in llm.stream(messages, settings):
            text += delta
            yield Answer(question=question, answer=text, mode="llm", done=False, retrieved=fallback.retrieved)
    except llm.LLMUnavailable as exc:
        fallback.mode = "extractive-fallback"
        fallback.notice = f"{exc.user_message}以下为检索摘录回答。"
        yield localize(fallback)
        return
    checked = validate_citations(text, given)
    if checked.is_refusal:
        yield Answer(question=question, answer=checked.text or REFUSAL, refused=True, mode="llm",
                     retrieved=fallback.retrieved, invalid_markers=checked.invalid_markers)
        return
    if not checked.citations:
        fallback.mode = "extractive-fallback"
        fallback.notice = "大模型的回答没有给出有效的条款引用，已改用检索摘录回答。"
        fallback.invalid_markers = checked.invalid_markers
        yield localize(fallback)
        return
    cites = []
    for n, clause in enumerate(checked.citations, start=1):
        hit = next((h for h in result.hits if h.clause.clause_id == clause.clause_id), None)
        cites.append(Citation.from_clause(clause, marker=n, score=hit.score if hit else 0.0, via=hit.via if hit else ""))
    notice = f"已删除 {len(checked.invalid_markers)} 个无效引用标记。" if checked.invalid_markers else None
    yield Answer(question=question, answer=checked.text, mode="llm", citations=cites, notice=notice,
                 retrieved=fallback.retrieved, invalid_markers=checked.invalid_markers)
