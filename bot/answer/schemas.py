"""What the bot API returns: plain pydantic records that the CLI prints as JSON and the UI renders."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from ingest.models import Clause, human_item_label


class Citation(BaseModel):
    """One cited (or retrieved) clause with everything a reader needs to verify it."""

    clause_id: str
    doc_id: str
    doc_title: str
    doc_name: str = ""  # how citations name the document: short name, else title (DocMeta.display_name)
    short_name: str = ""
    issuers: list[str] = Field(default_factory=list)
    doc_number: str = ""
    date: str = ""
    region: str = ""
    item: str
    item_label: str = ""  # 二、（三）第6项
    citation: str = ""  # 《…》（天津市，2022）二、（三）第6项
    kind: str = "item"
    heading_path: list[str] = Field(default_factory=list)
    departments: list[str] = Field(default_factory=list)
    text: str
    highlights: list[str] = Field(default_factory=list)  # sentences the answer relied on
    score: float = 0.0
    via: str = ""
    marker: int | None = None  # [n] in the answer text
    # The document's life on the day answered (bot/service/lifecycle.py fills these; empty = not known)
    status: str = ""  # 现行有效 / 尚未施行 / 已失效 / 已废止 / 已被替代
    status_label: str = ""  # 已失效（2026年9月7日）
    status_source: str = ""  # where it came from: 施行日期 …（正文）；有效期 3年（正文）
    based_on: list[str] = Field(default_factory=list)  # 依据: documents this one names, with the relation
    cited_by: list[str] = Field(default_factory=list)  # 被引用: documents in the collection that name this one

    def reference(self) -> str:
        """The citation people paste: 《标题》（文号，发布机关，日期）条款 — every part that is known."""
        parts = [self.doc_number if self.doc_number not in ("", "暂无", "无") else "", "、".join(self.issuers), self.date]
        known = [p for p in parts if p]
        return f"《{self.doc_title}》" + (f"（{'，'.join(known)}）" if known else "") + (self.item_label or self.item)

    @classmethod
    def from_clause(cls, c: Clause, **extra: Any) -> Citation:
        return cls(
            clause_id=c.clause_id, doc_id=c.doc_id, doc_title=c.doc_title, doc_name=c.doc.display_name,
            short_name=c.doc.short_name,
            issuers=c.doc.issuers, doc_number=c.doc.doc_number, date=c.doc.date, region=c.doc.region,
            item=c.item, item_label=human_item_label(c) if c.kind in ("item", "section") else c.item,
            citation=c.citation(), kind=c.kind, heading_path=c.heading_path, departments=c.departments,
            text=c.text, **extra,
        )


class Answer(BaseModel):
    question: str
    answer: str
    refused: bool = False
    partial: bool = False  # answered in part: what the documents provide, and what they leave unsaid
    mode: str = "extractive"  # extractive | llm | extractive-fallback
    notice: str | None = None  # for the user: why the LLM answer was replaced, why we refused
    refusal_reason: str | None = None  # machine code: a key of contract.REFUSAL_NOTICES, or llm
    lead: str = ""  # the first line: what was asked, in the question's terms (empty when none applies)
    citations: list[Citation] = Field(default_factory=list)
    see_also: list[Citation] = Field(default_factory=list)  # close runners-up (另见), markers after the citations
    retrieved: list[Citation] = Field(default_factory=list)
    invalid_markers: list[str] = Field(default_factory=list)
    done: bool = True  # False for partial (streamed) answers

