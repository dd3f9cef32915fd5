"""A document's items: the one definition every count and outline uses.

Why one place: the documents table counted stored parts (notice, 文件信息 and split parts included),
the search desk counted the primary numbering level, the upload preview counted a third way, so
天津实施意见 was "27 条" in one place and "共 19 条" in another.  And a part whose heading carries no
text of its own (瓯海千百行动方案's 二、主要目标, followed at once by （一）…) has no clause, so it was
neither counted nor outlined.

Two numbers, always labelled:

* **items** (条目): the entries of the primary numbering level — the deepest level whose numbers
  never repeat, the level "第N条" refers to (天津实施意见: 1.–19.; 瓯海: 一、–四、);
* **clauses** (条款): every numbered entry at any level, each counted once however many parts it
  was split into, heading-only parts included.

Heading-only parts are synthesised from their children's heading path (kind ``section``, text the
heading); they are outlined and counted but never indexed.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ingest.headings import item_label
from ingest.models import Clause
from ingest.text.ladder import STYLES, unit_word
from ingest.text.script import search_form

NUMBERED = ("item", "section")


def _number_at(clause: Clause, style: str) -> int | None:
    return clause.numbers[clause.ladder.index(style)] if style in clause.ladder else None


def primary_style(clauses: Iterable[Clause]) -> str | None:
    """Deepest numbering level whose numbers never repeat in the document."""
    clauses = list(clauses)
    best: str | None = None
    for style in STYLES:
        seen: dict[int, set[tuple[int, ...]]] = defaultdict(set)
        for c in clauses:
            n = _number_at(c, style)
            if n is not None:
                seen[n].add(tuple(c.numbers[: c.ladder.index(style)]))
        if seen and all(len(p) == 1 for p in seen.values()):
            best = style
    return best


def _key(c: Clause) -> tuple[str, tuple[str, ...], tuple[int, ...]]:
    prefix = c.item.split(" ", 1)[0] if " " in c.item else ""  # 附件1 一（一）: the attachment's own ladder
    return prefix, tuple(c.ladder), tuple(c.numbers)


def _heading_only(child: Clause, depth: int) -> Clause:
    """The part at ``depth`` above ``child`` that has no text of its own, as an outline entry."""
    prefix = _key(child)[0]
    path = list(zip(child.ladder[: depth + 1], child.numbers[: depth + 1], strict=True))
    label = item_label(path)
    item = f"{prefix} {label}" if prefix else label
    heading = child.heading_path[depth] if depth < len(child.heading_path) else label
    return Clause(clause_id=f"{child.doc_id}:{item}", doc_id=child.doc_id, doc_title=child.doc_title, item=item,
                  kind="section", heading_path=list(child.heading_path[: depth + 1]), text=heading,
                  search_text=search_form(heading), numbers=[n for _, n in path], ladder=[s for s, _ in path],
                  order=child.order, doc=child.doc)


def outline_clauses(clauses: Iterable[Clause]) -> list[Clause]:
    """Every clause (all parts) in document order, with a synthesised entry before the first child of
    every part that has no clause of its own (what outlines show)."""
    ordered = sorted(clauses, key=lambda c: (c.order, c.part))
    have = {_key(c) for c in ordered if c.kind in NUMBERED}
    out: list[Clause] = []
    for c in ordered:
        if c.kind in NUMBERED and c.part == 1:
            prefix = _key(c)[0]
            for depth in range(len(c.ladder) - 1):
                key = (prefix, tuple(c.ladder[: depth + 1]), tuple(c.numbers[: depth + 1]))
                if key not in have:
                    have.add(key)
                    out.append(_heading_only(c, depth))
        out.append(c)
    return out


def with_heading_only_parts(clauses: Iterable[Clause]) -> list[Clause]:
    """The document's numbered clauses (one per clause, first part) in order, heading-only parts included."""
    return [c for c in outline_clauses(clauses) if c.kind in NUMBERED and c.part == 1]


@dataclass(frozen=True)
class DocumentItems:
    """A document's items at its primary numbering level and all its numbered clauses (see module doc)."""

    doc_id: str
    style: str | None
    items: list[Clause] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)

    @property
    def unit(self) -> str:
        """The word the primary level is counted in (条, 项, 部分 …)."""
        return unit_word(self.style)

    def count_text(self) -> str:
        """Both numbers, labelled so they cannot be confused: "19 项条目（各级条款共 27 条）";
        one number when they agree ("13 条")."""
        if len(self.items) == len(self.clauses):
            return f"{len(self.items)} 条"
        return f"{len(self.items)} 项条目（各级条款共 {len(self.clauses)} 条）"


def document_items(clauses: Iterable[Clause], doc_id: str) -> DocumentItems:
    """The one definition (module docstring) over any clause list: the index's, a parse preview's."""
    numbered = with_heading_only_parts(c for c in clauses if c.doc_id == doc_id)
    style = primary_style(numbered)
    items = [c for c in numbered if c.ladder and c.ladder[-1] == style and not _key(c)[0]]
    if not items:  # attachments only, or no ladder at all
        items = [c for c in numbered if c.ladder and c.ladder[-1] == style]
    return DocumentItems(doc_id, style, items, numbered)
