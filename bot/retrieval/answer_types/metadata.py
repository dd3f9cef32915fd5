"""``metadata``: about the document itself (文号, 哪天发布的, 谁发的, 有效期, 是否有效).

It is answered by the document's 文件信息 record, never by its content (and every other type by the
content, never by the record): the extractive answer picks its clause accordingly, the second stage
weighs the record for (``docinfo_ask``) and against (``docinfo_other``) the question, and the lead is
the record's number, date and issuers.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from bot.retrieval.answer_types.base import AnswerType, RerankFeature
from ingest.dates import chinese_date
from ingest.text.bodies import issuers_text

if TYPE_CHECKING:
    from bot.retrieval.catalog import DocumentCatalog
    from bot.retrieval.intent import QuestionIntent
    from ingest.models import Clause


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


PREFER_WITHIN = 10  # the best clauses among which a document's record is looked for


def prefer(intent: QuestionIntent, clauses: list[Clause], grams: set[str]) -> int:
    """A question about the document itself is answered by its record: the best-ranked 文件信息 record among the
    best few goes first, however much of the question a notice or an annex shares (它们也写着印发、日期)."""
    if intent.answer_type != "metadata":
        return 0
    return next((i for i, c in enumerate(clauses[:PREFER_WITHIN]) if c.kind == "docinfo"), 0)


TYPE = AnswerType(name="metadata", precedence=40, cues="metadata", guidance="guidance_metadata", lead=lead,
                  answers_from_docinfo=True, prefer=prefer,
                  features=(RerankFeature("docinfo_ask", docinfo_ask), RerankFeature("docinfo_other", docinfo_other)))
