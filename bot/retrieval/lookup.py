"""Direct lookup of a clause by its number, within the document(s) the question names.

``第15条`` in the Tianjin implementation opinions means arabic item 15 (numbered straight through
its sections), ``第十八项`` in the Tianjin outline means （十八）, ``第八条`` in the Guangdong
measures means 八、.  The level a bare number refers to is the deepest level whose numbers are unique
within that document — exactly the level that runs continuously.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from bot.retrieval.analysis import ItemRef
from ingest.items import DocumentItems, document_items, primary_style
from ingest.models import Clause
from ingest.text.ladder import STYLES


def _number_at(clause: Clause, style: str) -> int | None:
    return clause.numbers[clause.ladder.index(style)] if style in clause.ladder else None


def resolve(ref: ItemRef, clauses: list[Clause], doc_ids: list[str],
            numbering: Mapping[str, str | None] | None = None) -> list[Clause]:
    """Clauses the reference points at, in document order (several when it names a section).

    ``numbering``: each document's primary level as stored at ingest (the snapshot's catalog); computed
    here only for clauses that come without it."""
    by_doc: dict[str, list[Clause]] = defaultdict(list)
    for c in clauses:
        if c.kind in ("item", "section") and (not doc_ids or c.doc_id in doc_ids):
            by_doc[c.doc_id].append(c)
    out: list[Clause] = []
    for doc_id in (doc_ids or sorted(by_doc)):
        doc_clauses = by_doc.get(doc_id, [])
        if not doc_clauses:
            continue
        styles = [s for s, _ in ref.path]
        if all(s is not None for s in styles):
            out.extend(c for c in doc_clauses if all(_number_at(c, s) == n for s, n in ref.path))  # type: ignore[arg-type]
            continue
        n = ref.path[-1][1]
        primary = numbering[doc_id] if numbering is not None and doc_id in numbering else primary_style(doc_clauses)
        tried: list[str | None] = [primary, *(s for s in STYLES if s != primary)]
        for style in tried:
            if style is None:
                continue
            hits = [c for c in doc_clauses if _number_at(c, style) == n]
            if style == primary or style == "article":
                hits = [c for c in hits if c.ladder[-1] == style] or hits
            if hits:
                out.extend(hits)
                break
    return out


Outline = DocumentItems  # a document's items and clauses: the one definition lives in ingest.items


def outline(clauses: list[Clause], doc_id: str) -> Outline:
    return document_items(clauses, doc_id)
