"""Lead lines: the first line of an answer, saying what was asked in the question's own terms.

"由哪些部门负责？" is answered by the responsible bodies, "计划推动多少家…？" by the sentence piece
with the number, "有没有…？" by "有。", "是第几条？" by the item's number in the unit the user counted
in, "文号是多少？" by the document's record.  A lead is only written when the cited clause states it;
otherwise the answer starts with the quoted sentences.
"""
from __future__ import annotations

import re

from bot.retrieval.catalog import DocumentCatalog
from bot.retrieval.intent import QuestionIntent
from bot.retrieval.quantities import QUANTITY_PATTERNS, states_quantity
from ingest.models import Clause
from ingest.text.ladder import to_chinese_numeral, unit_word
from ingest.text.segment import overlap

YES = "有。"  # the lead of a yes-no question the sources answer; it runs on into the quoted measure
_PIECES = re.compile(r"[^，,；;。！？\n]+")
_ORDINAL_UNITS = ("条", "项", "款", "点", "部分", "章", "节")


def responsible(clause: Clause) -> str:
    return f"由{'、'.join(clause.departments)}负责。" if clause.departments else ""


def quantity(clause: Clause, kind: str | None, grams: set[str]) -> str:
    """The piece of the clause (between commas) that states the asked kind of quantity, best match first."""
    all_pieces = [p.strip() for p in _PIECES.findall(clause.text)]
    pieces = [i for i, p in enumerate(all_pieces) if states_quantity(p, kind)]
    if not pieces and kind:
        pieces = [i for i, p in enumerate(all_pieces) if states_quantity(p, None)]
    if not pieces:
        return ""
    if kind is None:  # "目标是什么": every stated target, in reading order
        return "；".join(all_pieces[j] for j in pieces[:3]) + "。"
    i = max(pieces, key=lambda j: (overlap(grams, all_pieces[j]), -len(all_pieces[j])))
    best = all_pieces[i]
    before = all_pieces[i - 1] if i else ""
    if kind != "deadline" and QUANTITY_PATTERNS["deadline"].search(before) and len(before) <= 20:
        best = f"{before}，{best}"  # 到2025年，全市…达到500家
    return f"{best}。"


def ordinal(clause: Clause, catalog: DocumentCatalog, unit: str | None) -> str:
    """第五条 / 第十四项 / 第15项 — the item's number on its document's primary level, in the user's unit."""
    primary = catalog.primary_style(clause.doc_id)
    if not clause.ladder or clause.ladder[-1] != primary:
        return clause.item  # numbered within its section (四（一）): the full label is the number
    n = clause.numbers[-1]
    number = str(n) if primary in ("arabic", "paren_arabic") else to_chinese_numeral(n)
    return f"第{number}{unit if unit in _ORDINAL_UNITS else unit_word(primary)}"


def locate(clause: Clause, catalog: DocumentCatalog, unit: str | None) -> str:
    title = clause.heading_path[-1] if clause.heading_path else clause.item
    where = ordinal(clause, catalog, unit)
    label = "" if title.startswith(clause.item) or clause.item in where else f"（{clause.item}）"
    return f"在《{catalog.display_name(clause.doc_id)}》中是{where}{label}：{title}。"


def metadata(clause: Clause) -> str:
    meta = clause.doc
    fields = [f"文号：{meta.doc_number or '未标注'}", f"发布日期：{meta.date or '未标注'}"]
    if meta.issuers:
        fields.append(f"发布机关：{'、'.join(meta.issuers)}")
    return f"《{meta.title}》{'；'.join(fields)}。"


def lead(intent: QuestionIntent, clause: Clause, catalog: DocumentCatalog, grams: set[str]) -> str:
    """The lead line for the primary ask, plus the responsible bodies when they are asked second."""
    kind = intent.answer_type
    line = ""
    if kind == "responsible":
        line = responsible(clause)
    elif kind == "quantity":
        line = quantity(clause, intent.quantity_kind, grams)
    elif kind == "locate":
        line = locate(clause, catalog, intent.unit)
    elif kind == "metadata" and clause.kind == "docinfo":
        line = metadata(clause)
    elif kind == "yesno":
        line = YES
    if kind != "responsible" and "responsible" in intent.secondary and clause.departments:
        line = f"{line}{responsible(clause)}" if line else responsible(clause)
    return line
