"""The clause parser: cleaned lines → one clause per numbered item, labelled as users cite them.

Chinese policy texts number their items on a fixed ladder (GB/T 9704): ``一、`` → ``（一）`` →
``1.`` → ``（1）``, or ``第X章`` → ``第X节`` → ``第X条`` for regulations.  We only take a numeral as a
heading at the start of a line *and* when it continues the sequence of its level (next number, or a
restart at 1), so a cross-reference such as ``根据第十二条`` or a stray ``（2）`` inside a sentence can
never open a clause and shift every label after it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ingest.clean import search_form, to_simplified
from ingest.metadata import is_date_line, looks_like_org_line, parse_meta_table
from ingest.models import KIND_LABELS, Clause, DocMeta
from ingest.numbering import CN_NUMERAL_CHARS, format_number, parse_chinese_numeral

MAX_PART_CHARS = 600  # e5-small reads 512 tokens; a part stays within what the embedder sees

_CN = f"[{CN_NUMERAL_CHARS}]+"
# Canonical rank of each numbering style on the ladder, outermost first.
STYLE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(rf"^第({_CN}|\d+)章(?:\s+|$)")),
    ("section", re.compile(rf"^第({_CN}|\d+)节(?:\s+|$)")),
    ("article", re.compile(rf"^第({_CN}|\d+)条(?:\s+|(?=[^\s规的中所款项]))")),
    ("cn", re.compile(rf"^({_CN})[、.．](?!\d)")),
    ("paren_cn", re.compile(rf"^[(（]({_CN})[)）]")),
    ("arabic", re.compile(r"^(\d{1,3})(?:[、．]|\.(?!\d))")),
    ("paren_arabic", re.compile(r"^[(（](\d{1,3})[)）]")),
]
STYLE_RANK = {name: i for i, (name, _) in enumerate(STYLE_PATTERNS)}

_SIGNOFF_NOTE = re.compile(r"^[(（]此件.{0,12}[)）]$")
_ATTACHMENT = re.compile(r"^附\s*件\s*\d*\s*[:：]")
_DEPT_TAIL = re.compile(r"[(（]([^()（）]{2,160})[)）]\s*[。.]?\s*$")
_DEPT_SUFFIX = re.compile(r"(局|委|厅|部|办|会|署|院|联|协|中心|政府|办公室|委员会|分署|银行|分行|法院|检察院|总工会|海关|税务|公司|集团)$")
_DEPT_SPLIT = re.compile(r"[、,，;；]|商请|商請|会同|會同|配合|和(?=各)")


@dataclass
class Heading:
    index: int  # line index
    style: str
    number: int
    rest: str  # the line after the numeral


@dataclass
class Block:
    kind: str
    lines: list[str]
    path: list[tuple[str, int]] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)  # heading titles of the path, outermost first


def match_heading(line: str) -> tuple[str, int, str] | None:
    """(style, number, rest) when the line starts with a ladder numeral."""
    # Matched in simplified form, so a traditional text's 第一條 / 第一節 climbs the same ladder;
    # the rest of the line is returned in the document's own script (it becomes the item title).
    original = unicodedata.normalize("NFKC", line)
    norm = to_simplified(original)
    for style, pattern in STYLE_PATTERNS:
        m = pattern.match(norm)
        if m:
            n = parse_chinese_numeral(m.group(1))
            if n is None or n == 0:
                return None
            rest = original[m.end():] if len(original) == len(norm) else norm[m.end():]
            return style, n, rest.strip()
    return None


def find_headings(lines: list[str], start: int) -> list[Heading]:
    """Accept a numbered line only when it continues its level's sequence."""
    last: dict[str, int] = {}
    current: dict[str, int] = {}
    out: list[Heading] = []
    for i in range(start, len(lines)):
        m = match_heading(lines[i])
        if not m:
            continue
        style, n, rest = m
        seen = last.get(style)
        parent_open = any(STYLE_RANK[s] < STYLE_RANK[style] for s in current) or not out
        if not (n == 1 and (seen is None or parent_open) or (seen is not None and n == seen + 1)):
            continue
        if seen is None and out and STYLE_RANK[style] < min(STYLE_RANK[h.style] for h in out) and n != 1:
            continue
        last[style] = n
        current = {s: v for s, v in current.items() if STYLE_RANK[s] < STYLE_RANK[style]}
        current[style] = n
        out.append(Heading(i, style, n, rest))
    return out


def heading_title(rest: str) -> str:
    """An item's title: up to the first 。 when short, else the start of the text."""
    first = re.split(r"[。；;]", rest, maxsplit=1)[0]
    return first if len(first) <= 50 else first[:30] + "…"


def item_label(path: list[tuple[str, int]]) -> str:
    """Canonical label: 二（三）6, 八、, 九（二十八）, 第十二条, 第十二条（三）."""
    styles = [s for s, _ in path]
    if "article" in styles:  # articles are numbered through the whole regulation
        path = path[styles.index("article"):]
    parts = [format_number(style, n) for style, n in path]
    if len(path) == 1 and path[0][0] == "cn":
        return parts[0] + "、"
    return "".join(parts)


def extract_departments(text: str) -> list[str]:
    """Responsible bodies from the closing parentheses of an item (（省市场监管局、财政厅负责））."""
    m = _DEPT_TAIL.search(text.strip())
    if not m:
        return []
    inner = to_simplified(m.group(1))
    inner = re.sub(r"(等部门|等单位|等)?(按职责分工|按照职责分工|按职责)?(分别)?(牵头)?负责$", "", inner)
    names = [p.strip() for p in _DEPT_SPLIT.split(inner) if p.strip()]
    looks_like_org = [bool(_DEPT_SUFFIX.search(n)) and len(n) <= 24 for n in names]
    if not names or sum(looks_like_org) < max(1, 0.75 * len(names)):
        return []  # an explanatory parenthesis, not a list of responsible bodies
    # Keep the document's own script for display (a traditional text lists 市場監管總局, not 市场监管总局).
    original = [o.strip() for o in _DEPT_SPLIT.split(m.group(1)) if o.strip()]
    if len(original) == len(names):
        original[-1] = original[-1][: len(names[-1])] if to_simplified(original[-1]).startswith(names[-1]) else original[-1]
        return original
    return names


def split_signoff(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Split trailing sign-off (issuers, date, 此件公开) and attachment lines off the body."""
    body = list(lines)
    signoff: list[str] = []
    attachments: list[str] = []
    while body:
        line = body[-1]
        if _ATTACHMENT.match(to_simplified(line)):
            attachments.insert(0, body.pop())
        elif _SIGNOFF_NOTE.match(line) or is_date_line(line) or (signoff and looks_like_org_line(line)):
            signoff.insert(0, body.pop())
        else:
            break
    if signoff and not any(is_date_line(l) for l in signoff):
        body.extend(signoff)  # not a real sign-off
        signoff = []
    return body, signoff, attachments


def _find_title_span(lines: list[str], meta: DocMeta, auto_span: tuple[int, int] | None) -> tuple[int, int] | None:
    """Prefer the line(s) that spell the catalog title; fall back to the auto-detected span."""
    target = search_form(meta.title).replace(" ", "") if meta.title else ""
    if target:
        for i in range(min(len(lines), 30)):
            for width in (1, 2, 3):
                joined = search_form("".join(lines[i : i + width])).replace(" ", "")
                if joined == target:
                    return (i, i + width)
    return auto_span


def parse_blocks(lines: list[str], title_span: tuple[int, int] | None) -> tuple[list[Block], list[str]]:
    """Cut the document into notice / preamble / numbered blocks / sign-off / attachments.

    Returns the blocks and the lines of a scraped metadata table (for the document-info clause).
    """
    table_values, table_idx = parse_meta_table(lines[:40])
    skip = set(table_idx)
    if title_span:
        skip.update(range(*title_span))
    body_start = title_span[1] if title_span else 0
    headings = find_headings(lines, 0)
    headings = [h for h in headings if h.index not in skip]
    first = headings[0].index if headings else len(lines)
    blocks: list[Block] = []

    front = [(i, l) for i, l in enumerate(lines[:first]) if i not in skip]
    if title_span and title_span[0] > 0:
        notice = [l for i, l in front if i < title_span[0]]
        pre = [l for i, l in front if i >= body_start]
        if notice:
            blocks.append(Block("notice", notice))
        if pre:
            blocks.append(Block("preamble", pre))
    elif front:
        kind = "notice" if re.search(r"[:：]$", front[0][1]) and not title_span else "preamble"
        blocks.append(Block(kind, [l for _, l in front]))

    tail_sign: list[str] = []
    tail_attach: list[str] = []
    current: dict[str, int] = {}
    titles: dict[str, str] = {}
    for k, h in enumerate(headings):
        end = headings[k + 1].index if k + 1 < len(headings) else len(lines)
        seg = [l for i, l in enumerate(lines[h.index : end], start=h.index) if i not in skip]
        if k + 1 == len(headings):
            seg, tail_sign, tail_attach = split_signoff(seg)
        current = {s: v for s, v in current.items() if STYLE_RANK[s] < STYLE_RANK[h.style]}
        titles = {s: v for s, v in titles.items() if s in current}
        current[h.style] = h.number
        display_head = seg[0][: len(seg[0]) - len(h.rest)] if h.rest and seg[0].endswith(h.rest) else seg[0]
        titles[h.style] = (display_head + heading_title(h.rest)) if h.rest else seg[0]
        path = sorted(current.items(), key=lambda kv: STYLE_RANK[kv[0]])
        only_title = len(seg) == 1 and not re.search(r"[。；;：:]", h.rest)
        if only_title:
            continue  # a structural heading; its title lives on in its children's heading paths
        blocks.append(Block("item", seg, path, [titles[s] for s, _ in path]))
    for b, nxt in zip(blocks, blocks[1:]):
        if b.path and len(nxt.path) > len(b.path) and nxt.path[: len(b.path)] == b.path:
            b.kind = "section"  # an introduction to the numbered items below it
    if tail_sign:
        blocks.append(Block("signoff", tail_sign))
    if tail_attach:
        blocks.append(Block("attachment", tail_attach))
    table_lines = [lines[i] for i in table_idx]
    return blocks, table_lines


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
        rows.append("发布机关：" + "、".join(meta.issuers))
    rows.append("文号：" + (meta.doc_number or "无"))
    if meta.date:
        rows.append("发布日期：" + meta.date)
    if meta.effective_date:
        rows.append("生效日期：" + meta.effective_date)
    if meta.region or meta.level:
        rows.append("地区：" + "，".join(b for b in (meta.region, meta.level and f"{meta.level}级") if b))
    if table_lines:
        rows.append("原文信息：")
        rows.extend(table_lines)
    return "\n".join(rows)


def build_clauses(meta: DocMeta, lines: list[str], title_span: tuple[int, int] | None) -> list[Clause]:
    """Cleaned lines + metadata → the document's clauses, in reading order."""
    span = _find_title_span(lines, meta, title_span)
    blocks, table_lines = parse_blocks(lines, span)
    out: list[Clause] = []

    def emit(kind: str, item: str, text: str, path: list[tuple[str, int]], titles: list[str]) -> None:
        parts = split_parts(text)
        context = " ".join([meta.short_name or meta.title, *titles[:-1]])
        departments = extract_departments(text) if kind in ("item", "section") else []
        for p, part_text in enumerate(parts, start=1):
            search = search_form(f"{context} {titles[-1] if titles else item} {part_text}" if p > 1 else f"{context} {part_text}")
            out.append(
                Clause(
                    clause_id=f"{meta.doc_id}:{item}",
                    doc_id=meta.doc_id,
                    doc_title=meta.title,
                    item=item,
                    kind=kind,  # type: ignore[arg-type]
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
        if b.kind in KIND_LABELS:
            label = KIND_LABELS[b.kind]
            emit(b.kind, label, "\n".join(b.lines), [], [label])
            continue
        label = item_label(b.path)
        if label in used:  # defensive: never two clauses with one citation label
            label = f"{label}#{len(out)}"
        used.add(label)
        emit(b.kind, label, "\n".join(b.lines), b.path, b.titles)
    return out
