"""``metadata``: about the document itself (文号, 哪天发布的, 谁发的, 有效期, 是否有效).

It is answered by the document's 文件信息 record, never by its content (and every other type by the
content, never by the record): the extractive answer picks its clause accordingly, the second stage
weighs the record for (``docinfo_ask``) and against (``docinfo_other``) the question, and the lead is
the record's number, date and issuers.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.retrieval.answer_types.base import AnswerType, RerankFeature
from ingest.dates import chinese_date, iso_date
from ingest.text.bodies import issuers_text, short_name
from ingest.text.script import search_form

if TYPE_CHECKING:
    from bot.retrieval.catalog import DocumentCatalog
    from bot.retrieval.intent import QuestionIntent
    from ingest.models import Clause, DocMeta


def record(clause: Clause) -> str:
    meta = clause.doc
    fields = [f"文号：{meta.doc_number or '未标注'}", f"发布日期：{chinese_date(meta.date) if meta.date else '未标注'}"]
    if meta.issuers:
        fields.append(f"发布机关：{issuers_text(meta.issuers)}")
    return f"《{meta.title}》{'；'.join(fields)}。"


def lead(intent: QuestionIntent, clause: Clause, catalog: DocumentCatalog, grams: set[str]) -> str:
    return record(clause) if clause.kind == "docinfo" else ""


def docinfo_ask(intent: QuestionIntent, clause: Clause) -> float:
    """The 文件信息 record, for a question about the document itself."""
    return 1.0 if clause.kind == "docinfo" and intent.answer_type == "metadata" else 0.0


def docinfo_other(intent: QuestionIntent, clause: Clause) -> float:
    """The 文件信息 record, for any other question."""
    return 1.0 if clause.kind == "docinfo" and intent.answer_type != "metadata" else 0.0


# Where a record's facts are written in the text itself: the header or notice (文号, the issuing office, the date
# of the notice) and the sign-off (the bodies that sign, the date).
SOURCE_KINDS = frozenset({"notice", "preamble", "signoff"})
SOURCES = 2  # passages cited beside a record: the facts are seldom split over more than a header and a sign-off
_PIECE = re.compile(r"[^\n。；;]+")
_SIGNATURE_LINE = 30  # a line of a signature block: a body's name, short, no sentence punctuation
_SENTENCE_MARK = re.compile(r"[，,：:、（(“]")


def _signature_line(piece: str) -> bool:
    """A line that may be a signature block's: short, without sentence punctuation."""
    return len(piece) <= _SIGNATURE_LINE and not _SENTENCE_MARK.search(piece)


def _issuer_forms(meta: DocMeta) -> tuple[str, ...]:
    """An issuer as the text may sign: its full name, its short name, and without its place (a city's offices
    sign 市市场监管委 under a record's 天津市市场监管委)."""
    forms = {f for b in meta.issuers for f in (b, short_name(b)) if f}
    if meta.region:
        forms |= {f.removeprefix(meta.region.rstrip("市省区县")) for f in list(forms)}
    return tuple(search_form(f) for f in forms if len(f) >= 3)


def stated_facts(meta: DocMeta, clause: Clause) -> tuple[list[str], set[str]]:
    """The pieces of a header, notice or sign-off that state the record's 文号, date or issuers, in order, and which
    of the three they state: the text the 文件信息 record was read from.  A date's piece brings the signature block
    above it (short lines without sentence punctuation: the bodies that sign)."""
    pieces = [p.strip() for p in _PIECE.findall(clause.text) if p.strip()]
    number = search_form(meta.doc_number) if re.search(r"\d", meta.doc_number) else ""
    issuers = _issuer_forms(meta)
    keep: set[int] = set()
    facts: set[str] = set()
    for i, piece in enumerate(pieces):
        s = search_form(piece)
        signs = _signature_line(piece)
        stated = {fact for fact, says in (("number", bool(number) and number in s),
                                          ("date", bool(meta.date) and iso_date(piece) == meta.date),
                                          ("issuers", signs and any(f in s for f in issuers))) if says}
        if stated:
            keep.add(i)
            facts |= stated
        if "date" in stated and signs:
            j = i - 1
            while j >= 0 and _signature_line(pieces[j]):
                keep.add(j)
                j -= 1
    return [pieces[i] for i in sorted(keep)], facts


def record_sources(record: Clause, clauses: Sequence[Clause]) -> list[tuple[Clause, list[str]]]:
    """The passages of the record's document that state its facts, with the pieces that state them: the one stating
    most first, then one stating a fact it does not (文号 in the header, the date in the sign-off).  A record is
    read from the text; citing where lets a caller check 文号 and 落款 against the document itself."""
    found = [(c, pieces, facts) for c in clauses if c.doc_id == record.doc_id and c.kind in SOURCE_KINDS
             for pieces, facts in [stated_facts(record.doc, c)] if pieces]
    found.sort(key=lambda cpf: (-len(cpf[2]), -len(cpf[1])))
    chosen: list[tuple[Clause, list[str]]] = []
    covered: set[str] = set()
    for c, pieces, facts in found:
        if len(chosen) < SOURCES and not facts <= covered:
            chosen.append((c, pieces))
            covered |= facts
    return chosen


PREFER_WITHIN = 10  # the best clauses among which a document's record is looked for


def prefer(intent: QuestionIntent, clauses: list[Clause], grams: set[str]) -> int:
    """A question about the document itself is answered by its record: the best-ranked 文件信息 record among the
    best few goes first, however much of the question a notice or an annex shares (它们也写着印发、日期); and so
    does the record of the best clause's document wherever it ranks, since words that describe the document
    ("那个帮企业提质量的行动方案是谁发的") match its items better than its record — when nothing else is asked
    ("清单最新版包含哪些事项" asks what a list holds: its clause, not the record, answers)."""
    if intent.answer_type != "metadata" or not clauses:
        return 0
    top_doc = clauses[0].doc_id if not intent.secondary else None
    return next((i for i, c in enumerate(clauses)
                 if c.kind == "docinfo" and (i < PREFER_WITHIN or c.doc_id == top_doc)), 0)


TYPE = AnswerType(name="metadata", precedence=40, cues="metadata", guidance="guidance_metadata", lead=lead,
                  answers_from_docinfo=True, prefer=prefer,
                  features=(RerankFeature("docinfo_ask", docinfo_ask), RerankFeature("docinfo_other", docinfo_other)))
