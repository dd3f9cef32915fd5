"""The clause parser: cleaned lines → one clause per numbered item, labelled as users cite them.

Blocks come from :mod:`ingest.blocks` (which reads the numbering ladder through
:mod:`ingest.headings`); here each block becomes one :class:`Clause` — or several parts of one
clause when it is longer than the embedder reads — plus a 文件信息 clause per document.
"""
from __future__ import annotations

import re

from ingest.blocks import find_title_span, parse_blocks
from ingest.dates import chinese_date
from ingest.departments import extract_departments
from ingest.headings import item_label
from ingest.models import KIND_LABELS, Clause, DocMeta
from ingest.text.bodies import issuers_text
from ingest.text.script import search_form

MAX_PART_CHARS = 600
"""The parser's default part length: the shipped embedding model's (``vectorstore.embedding_model``, where it
is tuned; a test keeps the two equal).  The index passes its configured model's value to ``build_clauses``."""


def split_parts(text: str, limit: int = MAX_PART_CHARS) -> list[str]:
    """Split an over-long clause at line, then sentence boundaries; parts keep the clause's label."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    for line in text.split("\n"):
        if len(line) <= limit:
            pieces.append(line)
            continue
        sentences = re.findall(r"[^。；;]+[。；;]?", line)
        buf = ""
        for s in sentences:
            if buf and len(buf) + len(s) > limit:
                pieces.append(buf)
                buf = ""
            buf += s
        if buf:
            pieces.append(buf)
    parts: list[str] = []
    buf = ""
    for p in pieces:
        if buf and len(buf) + 1 + len(p) > limit:
            parts.append(buf)
            buf = p
        else:
            buf = f"{buf}\n{p}" if buf else p
    if buf:
        if parts and len(buf) < limit // 4 and len(parts[-1]) + len(buf) <= limit * 1.25:
            parts[-1] = f"{parts[-1]}\n{buf}"  # a lone tail (often just the responsible bodies) reads badly
        else:
            parts.append(buf)
    return parts


def docinfo_text(meta: DocMeta, table_lines: list[str]) -> str:
    rows = [f"文件名称：《{meta.title}》"]
    if meta.short_name or meta.aliases:
        rows.append("简称：" + "、".join([n for n in [meta.short_name, *meta.aliases] if n]))
    if meta.issuers:
        rows.append("发布机关：" + issuers_text(meta.issuers))
    rows.append("文号：" + (meta.doc_number or "无"))
    if meta.date:
        rows.append("发布日期：" + chinese_date(meta.date))
    if meta.effective_date:
        rows.append("生效日期：" + chinese_date(meta.effective_date))
    if meta.validity:
        rows.append("有效期：" + meta.validity)
    if meta.region or meta.level:
        rows.append("地区：" + "，".join(b for b in (meta.region, meta.level and f"{meta.level}级") if b))
    if table_lines:
        rows.append("原文信息：")
        rows.extend(table_lines)
    return "\n".join(rows)


def build_clauses(meta: DocMeta, lines: list[str], title_span: tuple[int, int] | None,
                  part_chars: int = MAX_PART_CHARS) -> list[Clause]:
    """Cleaned lines + metadata → the document's clauses, in reading order (parts of at most ``part_chars``)."""
    span = find_title_span(lines, meta, title_span)
    blocks, table_lines = parse_blocks(lines, span)
    out: list[Clause] = []

    def emit(kind: str, item: str, text: str, path: list[tuple[str, int]], titles: list[str]) -> None:
        parts = split_parts(text, part_chars)
        context = " ".join([meta.display_name, *titles[:-1]])
        departments = extract_departments(text) if kind in ("item", "section") else []
        for p, part_text in enumerate(parts, start=1):
            search = search_form(f"{context} {titles[-1] if titles else item} {part_text}" if p > 1 else f"{context} {part_text}")
            out.append(
                Clause(
                    clause_id=f"{meta.doc_id}:{item}",
                    doc_id=meta.doc_id,
                    doc_title=meta.title,
                    item=item,
                    kind=kind,
                    heading_path=titles,
                    text=part_text,
                    search_text=search,
                    departments=departments,
                    numbers=[n for _, n in path],
                    ladder=[s for s, _ in path],
                    part=p,
                    parts=len(parts),
                    order=len(out),
                    doc=meta,
                )
            )

    emit("docinfo", KIND_LABELS["docinfo"], docinfo_text(meta, table_lines), [], [KIND_LABELS["docinfo"]])
    used: set[str] = set()
    for b in blocks:
        if not b.path:
            label = b.prefix or KIND_LABELS[b.kind]
            emit(b.kind, label, "\n".join(b.lines), [], b.titles or [label])
            continue
        label = f"{b.prefix} {item_label(b.path)}" if b.prefix else item_label(b.path)
        if label in used:  # defensive: never two clauses with one citation label
            label = f"{label}#{len(out)}"
        used.add(label)
        emit(b.kind, label, "\n".join(b.lines), b.path, b.titles)
    return out
