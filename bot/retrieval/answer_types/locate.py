"""``locate``: where something is (第几条, 哪一项, 哪一部分, 放在哪方面).

``QuestionIntent.unit`` is the unit word the user counted in (条/项/部分/点 …), so the lead can echo
it: "在《…》中是第五条：…".  The extractive answer reads the located clause out (its relevant
sentences, then the rest in order), and a locate cue cancels a clause number (第几条 gives none).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from bot.retrieval.answer_types.base import AnswerType
from ingest.text.ladder import to_chinese_numeral, unit_word

if TYPE_CHECKING:
    from bot.retrieval.catalog import DocumentCatalog
    from bot.retrieval.intent import QuestionIntent
    from ingest.models import Clause

_ORDINAL_UNITS = ("条", "项", "款", "点", "部分", "章", "节")
UNNUMBERED = frozenset({"notice", "preamble", "signoff", "docinfo"})  # parts of a document that have no number
PREFER_WITHIN = 3  # the best clauses the type may choose among


def ordinal(clause: Clause, catalog: DocumentCatalog, unit: str | None) -> str:
    """第五条 / 第十四项 / 第15项 — the item's number on its document's primary level, in the user's unit."""
    primary = catalog.primary_style(clause.doc_id)
    if not clause.ladder or clause.ladder[-1] != primary:
        return clause.item  # numbered within its section (四（一）): the full label is the number
    n = clause.numbers[-1]
    number = str(n) if primary in ("arabic", "paren_arabic") else to_chinese_numeral(n)
    return f"第{number}{unit if unit in _ORDINAL_UNITS else unit_word(primary)}"


def lead(intent: QuestionIntent, clause: Clause, catalog: DocumentCatalog, grams: set[str]) -> str:
    title = clause.heading_path[-1] if clause.heading_path else clause.item
    where = ordinal(clause, catalog, intent.unit)
    label = "" if title.startswith(clause.item) or clause.item in where else f"（{clause.item}）"
    return f"在《{catalog.display_name(clause.doc_id)}》中是{where}{label}：{title}。"


def prefer(intent: QuestionIntent, clauses: list[Clause], grams: set[str]) -> int:
    """"是第几条" is answered by a numbered item or part: when the best clause is the preamble, the notice or
    the sign-off (a preamble often announces the aim an item then carries out — 打造“广东制造”金字招牌), the
    best numbered one of the next few answers it."""
    if not clauses or clauses[0].kind not in UNNUMBERED:
        return 0
    return next((i for i, c in enumerate(clauses[1:PREFER_WITHIN], start=1) if c.kind not in UNNUMBERED), 0)


TYPE = AnswerType(name="locate", precedence=20, cues="locate", guidance="guidance_locate", lead=lead,
                  quotes_in_full=True, asks_number=True, prefer=prefer)
