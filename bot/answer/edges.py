"""Honest edges: what the collection does not hold is said first, never papered over.

A clause number the document does not have ("天津实施意见第99条") gets "天津实施意见共 19 项条目（各级
条款共 34 条），没有第99条" (the counts of :mod:`ingest.items`) and the document's outline; a year
that none of the named documents has ("天津2019年的实施意见") gets a notice before the answer from the
document that is there.
"""
from __future__ import annotations

import re

from bot.retrieval.analysis import ItemRef
from bot.retrieval.catalog import DocumentCatalog, document_nouns
from bot.retrieval.lookup import Outline
from ingest.models import human_item_label
from ingest.text.ladder import unit_word
from ingest.text.script import search_form

_UNIT = re.compile(r"(条|项|点|款|部分|章|节)")
_DOC_YEAR = re.compile(r"(?<![到至截止])((?:19|20)\d{2})\s*年?\s*(?:的|那份|版|出台的|印发的|发布的)?\s*[^\s,，。？?]{0,8}?"
                       f"({document_nouns()})")
OUTLINE_LINES = 40


def missing_item(ref: ItemRef | None, outline: Outline, catalog: DocumentCatalog) -> str:
    """"天津实施意见共 19 项条目（各级条款共 34 条），没有第99条。" and the outline of the document's items."""
    raw = ref.raw if ref else ""
    unit_match = _UNIT.search(raw)
    unit = unit_match.group(1) if unit_match else unit_word(outline.style)
    asked = raw if raw.startswith("第") else f"第{raw}{unit}"
    name = catalog.display_name(outline.doc_id)
    lines = [f"{name}共 {outline.count_text()}，没有{asked}。"]
    if outline.items:
        lines.append("全文目录：")
        for c in outline.items[:OUTLINE_LINES]:
            title = c.heading_path[-1] if c.heading_path else c.item
            label = human_item_label(c)
            lines.append(title if title.startswith((label, c.item)) else f"{label} {title}")
    return "\n".join(lines)


def unknown_year(question: str, doc_ids: list[str], catalog: DocumentCatalog) -> str:
    """A notice when the question qualifies a document by a year none of the named documents has."""
    q = search_form(question)
    m = _DOC_YEAR.search(q)
    if not m or not doc_ids:
        return ""
    year = m.group(1)
    metas = [catalog.get(d) for d in doc_ids]
    if any(meta and (meta.date.startswith(year) or year in meta.title or any(year in a for a in meta.aliases))
           for meta in metas):
        return ""
    names = "、".join(catalog.display_name(d) for d in doc_ids[:2])
    return f"已收录文件中没有{year}年的该文件；以下依据{names}作答。"
