""""旧计量券办法还有效吗？": the document's status on the configured day, with the clause it rests on.

The ordinary answer to such a question quotes whatever clause matches best (often the 文件信息
record); the caller wants one sentence — 现行有效 / 已失效 / 已被替代 … since when, and why — and,
for a document no longer in force, the one that is.  The status itself is computed elsewhere
(:mod:`ingest.status`); this module only words it and picks the clause to cite.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from bot.answer.contract import REFUSAL_NOTICES, partial_lead
from bot.answer.schemas import Answer, Citation
from bot.retrieval import SearchResult
from bot.retrieval.answer_types.metadata import record
from bot.retrieval.catalog import document_nouns
from bot.retrieval.intent import classify
from ingest.links import Link
from ingest.models import Clause, DocMeta
from ingest.status import DocStatus, cn_date
from ingest.text.script import search_form
from ingest.text.wordlists import load

TERM_WORDS = ("有效期", "施行", "实施", "执行", "废止", "代替", "替代", "失效")


def asks_status(question: str) -> bool:
    """A status cue about the document: anywhere for a plain cue, right after a document word for a "~" cue."""
    q = search_form(question)
    nouns = document_nouns()
    for cue in load("status_cues"):
        if cue.startswith("~"):
            if re.search(rf"(?:{nouns})的?\s*{re.escape(cue[1:])}", q):
                return True
        elif cue in q:
            return True
    return False


def asks_predecessor(question: str) -> bool:
    """"纲要出台以后，之前的发展规划是不是就作废了？", "是用来替代以前哪一份文件的吗？": the question asks which
    earlier document the one it names ended — a word for an earlier document and a word for ending one."""
    q = search_form(question)
    return any(w in q for w in load("earlier_document_words")) and any(w in q for w in load("ending_document_words"))


def newer_of_two_named(question: str, result: SearchResult, dates: dict[str, str]) -> str | None:
    """"2024年的纲要出来以后，2022年那份实施意见是不是就作废了？": two documents named and a word for ending one
    ask whether the newer ended the older — the newer one's own references say (None: not such a question)."""
    named = [d for d, score in result.analysis.doc_scores.items() if score >= 3 and dates.get(d)]
    q = search_form(question)
    if len(named) != 2 or not any(w in q for w in load("ending_document_words")):
        return None
    first, second = sorted(named, key=lambda d: dates[d])
    return second if dates[first] != dates[second] else None


@cache
def _status_words() -> tuple[str, ...]:
    """The status cues' words (search form, "~" dropped), longest first: what :func:`asks_record_too` takes out."""
    return tuple(sorted((search_form(c.lstrip("~")) for c in load("status_cues")), key=len, reverse=True))


def asks_record_too(question: str) -> bool:
    """"有没有文号？现在还有效吗？": besides the status, the question asks what the document's record holds (文号, 谁发的,
    哪天发布) — what is left once the status words are taken out still asks about the document itself."""
    rest = search_form(question)
    for cue in _status_words():
        rest = rest.replace(cue, " ")
    return classify(rest).answer_type == "metadata"


def status_subject(question: str, result: SearchResult) -> str | None:
    """The one document a status question is about (None: not a status question)."""
    return subject_document(question, result) if asks_status(question) else None


def subject_document(question: str, result: SearchResult) -> str | None:
    """The one document a question about a document's life is about: the most clearly named one when no
    other is named as clearly, else — when the question speaks of a document (政策, 办法 …) — the document
    of the best clause."""
    ranked = sorted(result.analysis.doc_scores.items(), key=lambda kv: -kv[1])
    if ranked and (len(ranked) == 1 or ranked[1][1] < ranked[0][1]):
        return ranked[0][0]
    if result.hits and re.search(document_nouns(), search_form(question)):
        return result.hits[0].clause.doc_id
    return None


def term_clause(clauses: Sequence[Clause], mention: str = "") -> Clause | None:
    """The clause that states the document's term (its closing 施行/有效期 article), or the one that names
    ``mention`` (a replaced document's title); else the 文件信息 record."""
    body = sorted((c for c in clauses if c.part == 1), key=lambda c: c.order)
    if mention:
        named = [c for c in body if c.kind != "docinfo" and mention in c.text and any(w in c.text for w in TERM_WORDS)]
        if named:
            return named[-1]
    stated = [c for c in body if c.kind != "docinfo" and any(w in c.text for w in TERM_WORDS)]
    if stated:
        return stated[-1]
    return next((c for c in body if c.kind == "docinfo"), body[0] if body else None)


def status_sentence(meta: DocMeta, s: DocStatus) -> str:
    """"现行有效：自2024年3月1日起施行，有效期5年，至2029年2月28日。" and its like, for each state."""
    term = f"有效期{meta.validity}" if meta.validity else ""
    if s.state == "现行有效":
        bits = [f"自{cn_date(s.since)}起施行" if s.since else "", term, f"至{cn_date(s.until)}" if s.until else ""]
        return "现行有效" + ("：" + "，".join(b for b in bits if b) if any(bits) else "") + "。"
    if s.state == "尚未施行":
        return f"尚未施行：自{cn_date(s.since)}起施行。" if s.since else "尚未施行。"
    if s.state == "已失效":
        return "已失效：" + (f"{term}，" if term else "") + (f"已于{cn_date(s.until)}期满。" if s.until else "已期满。")
    verb = "废止" if s.state == "已废止" else "被替代"
    by = f"，见《{s.by_title}》" if s.by_title else ""
    return f"{s.state}：" + (f"自{cn_date(s.since)}起{verb}" if s.since else verb) + by + "。"


def _cite(cites: list[Citation], clause: Clause | None) -> str:
    """" [n]", the clause's marker — cited once: a clause already cited keeps its number; "" for none."""
    if clause is None:
        return ""
    cited = next((c for c in cites if c.clause_id == clause.clause_id), None)
    if cited is None:
        cited = Citation.from_clause(clause, marker=len(cites) + 1, via="status")
        cites.append(cited)
    return f" [{cited.marker}]"


def _own_status(meta: DocMeta, status: DocStatus, clauses: Sequence[Clause], cites: list[Citation]) -> list[str]:
    """The document's status line, citing the clause that states its term, and where the status comes from."""
    line = f"{meta.display_name}（《{meta.title}》）{status_sentence(meta, status)}{_cite(cites, term_clause(clauses))}"
    # the page's own label in its own words, beside the state computed from the dates ("阶段性文件")
    stated = meta.stated_status
    label = f"；原发布页标注：{stated}" if stated and stated.removeprefix("已") not in status.state else ""
    return [line, f"判断依据：{status.source}（按{cn_date(status.on)}计）{label}。"]


# A question for the term itself (有效期到哪年, 什么时候到期, 2025年以后还有效吗: in force after a given year),
# not only for whether the document is in force today.
_ASKS_TERM = re.compile(r"有效期|期限|到期|到哪一?年|截止|\d{4}年(以后|之后|过后|后)")


def states_term(meta: DocMeta, status: DocStatus, clauses: Sequence[Clause]) -> bool:
    """Does anything say how long the document runs: a validity or end date, or a clause stating 有效期?"""
    return bool(meta.validity or status.until or any("有效期" in c.text for c in clauses if c.kind != "docinfo"))


def status_answer(question: str, meta: DocMeta, status: DocStatus, clauses: Sequence[Clause],
                  successors: Sequence[tuple[DocMeta, DocStatus, Sequence[Clause]]] = ()) -> Answer:
    """The status line (with where it came from), the clause it rests on cited, and — for a document not in
    force — the document(s) in force that took its place, each cited.  Asked for its term when nothing states
    one ("有效期到哪一年？" of a document that only has a date of issue), the answer is partial: the status
    inferred from that date follows, but the term is said to be unstated."""
    cites: list[Citation] = []
    partial = bool(_ASKS_TERM.search(search_form(question))) and not states_term(meta, status, clauses)
    lines = [partial_lead(f"{meta.display_name}的有效期")] if partial else []
    lines += _own_status(meta, status, clauses, cites)
    record_clause = next((c for c in clauses if c.kind == "docinfo"), None)
    if record_clause is not None and asks_record_too(question):
        lines.append(f"文件信息：{record(record_clause)}{_cite(cites, record_clause)}")
    for other, other_status, other_clauses in successors:
        marker = _cite(cites, term_clause(other_clauses, mention=meta.title))
        lines.append(f"现行文件：{other.display_name}（《{other.title}》）{status_sentence(other, other_status)}{marker}")
    return Answer(question=question, answer="\n".join(lines), lead=lines[0], citations=cites, mode="extractive",
                  partial=partial, notice=REFUSAL_NOTICES["fact_not_in_sources"] if partial else None)


def predecessor_answer(question: str, meta: DocMeta, status: DocStatus, clauses: Sequence[Clause],
                       ended: Sequence[Link]) -> Answer:
    """What the document says it replaces or repeals, each cited where it says so.  When it names none the
    answer is partial: the documents do not say it ended an earlier one — its own status follows, so the
    caller is not told that an older document was repealed, nor that it was not."""
    cites: list[Citation] = []
    lines: list[str] = []
    for link in ended:
        c = term_clause(clauses, mention=link.title)
        marker = _cite(cites, c if c is not None and c.kind != "docinfo" else None)
        number = f"（{link.doc_number}）" if link.doc_number else ""
        lines.append(f"{meta.display_name}写明{link.relation}《{link.title}》{number}。{marker}")
    partial = not lines
    if partial:
        lines.append(partial_lead(f"{meta.display_name}替代或废止了哪份文件"))
    lines += _own_status(meta, status, clauses, cites)
    return Answer(question=question, answer="\n".join(lines), lead=lines[0], citations=cites, mode="extractive",
                  partial=partial, notice=REFUSAL_NOTICES["fact_not_in_sources"] if partial else None)
