"""Cutting a document's lines into blocks: covering notice, preamble, numbered items, sign-off, attachments."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from itertools import pairwise

from ingest.dates import is_date_line
from ingest.doc_number import DOC_NUMBER
from ingest.headings import Heading, find_headings, heading_title
from ingest.metadata import looks_like_org_line, parse_meta_table
from ingest.models import DocMeta
from ingest.text.ladder import STYLE_RANK
from ingest.text.script import search_form, to_simplified

# The start of an attachment's text after the body: "附件1" / "附件2：服务包清单" / "附表".  A list of
# attachments in a covering notice ("附件：1.…") is not one.
_ATTACHMENT_START = re.compile(r"^附\s*([件表])\s*(\d{1,2}|[一二三四五六七八九十]{1,3})?\s*[:：]?\s*(.{0,60})$")
# The colophon (版记) under the sign-off: 抄送/主送 lines, "某办公室 2022年9月30日印发".
_COLOPHON = re.compile(r"^(抄送|主送|分送|抄报)\s*[:：]|^.{2,40}\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发$")
_SIGNOFF_NOTE = re.compile(r"^[(（]此件.{0,12}[)）]$")
_ATTACHMENT = re.compile(r"^附\s*件\s*\d*\s*[:：]")
# The document's closing statements ("本方案自印发之日起实施", "本办法由…负责解释") close the document,
# not the item above them: they stay where they stand.
_CLOSING = re.compile(r"^本(?:办法|方案|意见|措施|规定|通知|细则|条例|决定|规划|计划|公告|实施意见)[^。]{0,30}"
                      r"(?:施行|实施|执行|生效|负责解释|有效期)|^(?:联系人|联系电话|联系方式|咨询电话|联系地址|监督电话)\s*[:：]")
# An article (第X条) owns all its paragraphs (款); its chapter never takes them over.
_SELF_CONTAINED = frozenset({"article"})
_BULLET = re.compile(r"^\s*(——|--|[-•·▪●◆■○◇→＞>])")
_SENTENCE = re.compile(r"[。；;！？!?]")
_LIST_ENTRY = re.compile(r"^\s*\d{1,2}\s*[.、．]\s*\S")
_SENTENCE_END = ("。", "；", ";", "！", "？", "!", "?")
_ITEM_PHRASE = 40  # "（四）法律、法规规定的其他条件": a 项 written as a phrase, no 。
# A paragraph that opens by referring to the paragraph or items before it is a new 款 ("除前款规定外" …).
_NEW_CLAUSE = re.compile(r"^(?:除|有|依照|依据|按照|违反|对|属于)?(?:前款|前[一二三四五六七八九十两]款|前项|本条)")


@dataclass
class Block:
    kind: str
    lines: list[str]
    path: list[tuple[str, int]] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)  # heading titles of the path, outermost first
    prefix: str = ""  # an attachment's name (附件1) in front of its own items' labels


def split_signoff(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Split trailing sign-off (issuers, date, 此件公开) and attachment lines off the body."""
    body = list(lines)
    signoff: list[str] = []
    attachments: list[str] = []
    while body:
        line = body[-1]
        if _ATTACHMENT.match(to_simplified(line)):
            attachments.insert(0, body.pop())
        elif _SIGNOFF_NOTE.match(line) or is_date_line(line) or (signoff and looks_like_org_line(line)) \
                or _COLOPHON.match(to_simplified(line)) or (not signoff and DOC_NUMBER.fullmatch(to_simplified(line))):
            signoff.insert(0, body.pop())
        else:
            break
    listed = next((k for k in range(len(body) - 1, -1, -1) if _ATTACHMENT.match(to_simplified(body[k]))), None)
    if listed is not None and all(_LIST_ENTRY.match(l) and not _SENTENCE.search(l) for l in body[listed + 1 :]):
        attachments = body[listed:] + attachments  # "附件：1.…" and its further entries "2.…"
        del body[listed:]
    if signoff and not any(is_date_line(l) or _COLOPHON.match(to_simplified(l)) for l in signoff):
        body.extend(signoff)  # not a real sign-off
        signoff = []
    return body, signoff, attachments


def find_title_span(lines: list[str], meta: DocMeta, auto_span: tuple[int, int] | None) -> tuple[int, int] | None:
    """Prefer the line(s) that spell the catalog title; fall back to the auto-detected span."""
    target = search_form(meta.title).replace(" ", "") if meta.title else ""
    if target:
        for i in range(min(len(lines), 30)):
            for width in (1, 2, 3):
                joined = search_form("".join(lines[i : i + width])).replace(" ", "")
                if joined == target:
                    return (i, i + width)
    return auto_span


_TRAILING_NOTE = re.compile(r"[(（][^()（）]{1,40}[)）]\s*$")  # "…。（省市场监管局）": the responsible bodies


def _complete(line: str) -> bool:
    """Does the paragraph end a sentence (a closing note of responsible bodies aside)?"""
    return _TRAILING_NOTE.sub("", line).rstrip("”\"'").endswith(_SENTENCE_END)


_WRAPPED_SHARE = 0.4


def hard_wrapped(lines: list[str]) -> bool:
    """Was the text pasted with hard line breaks (a law database's fixed-width lines: "…加强编制管" / "理，提高…")?
    Then many of its longer lines stop mid-sentence."""
    long = [line for line in lines if len(line) >= 12]
    cut = [line for line in long if not _complete(line) and not line.rstrip().endswith(("：", ":"))]
    return bool(long) and len(cut) >= _WRAPPED_SHARE * len(long)


def attach_continuations(blocks: list[Block], titled: dict[tuple[tuple[str, int], ...], Block]) -> list[Block]:
    """Give a paragraph that closes a sub-list back to the item the sub-list belongs to.

    ``（一）… 1.… 2.… 3.…`` followed by a paragraph: the lines run on in the segment of ``3.``, but a
    sub-list whose items are one paragraph each does not grow a second paragraph in its last item —
    the paragraph closes ``（一）`` (or, in a regulation, the article: ``第八条 …（一）（二）`` then
    ``有前款规定情形的…``).  Lines are moved when the last item's siblings are all single paragraphs
    and its own first paragraph is a complete sentence; the enclosing item keeps its reading position,
    and a heading-only parent (``（一）加强质量基础``) becomes a clause to hold them.
    """
    items = [b for b in blocks if b.path]
    by_path = {tuple(b.path): b for b in items}
    paragraphs = {id(b): len(b.lines) for b in items}  # as split, before any paragraph moved up
    wrapped = hard_wrapped([line for b in items for line in b.lines])
    for i, b in enumerate(items):
        depth = len(b.path)
        # An article's 项 are one paragraph each, so the paragraph after its last 项 is a new 款 of the article
        # even when the 项 has no closing 。 ("（二）法律、法规规定的其他情形" / "除前款规定外，…"); a long
        # unpunctuated first line, or any in a text pasted with hard line breaks, is a broken line instead.
        of_article = any(style in _SELF_CONTAINED for style, _ in b.path[:-1]) and len(b.lines) >= 2 and (
            (len(b.lines[0]) <= _ITEM_PHRASE and not wrapped) or bool(_NEW_CLAUSE.match(to_simplified(b.lines[1]))))
        if depth < 2 or len(b.lines) < 2 or not (_complete(b.lines[0]) or of_article) \
                or any(_BULLET.match(l) for l in b.lines[1:]) \
                or all(_CLOSING.search(to_simplified(l)) for l in b.lines[1:]) or b.path[-1][0] in _SELF_CONTAINED:
            continue  # "——…" bullets after an item are its own enumeration
        parent = tuple(b.path[:-1])
        nxt = items[i + 1] if i + 1 < len(items) else None
        if nxt is not None and len(nxt.path) >= depth and tuple(nxt.path[: depth - 1]) == parent:
            continue  # not the last of its list, or it has sub-items of its own
        siblings = [x for x in items[:i] if len(x.path) == depth and tuple(x.path[:-1]) == parent]
        if not siblings or any(paragraphs[id(x)] != 1 for x in siblings):
            continue
        target = by_path.get(parent) or titled.get(parent)
        if target is None:
            continue
        target.lines.extend(b.lines[1:])
        del b.lines[1:]
        if target not in blocks:
            blocks.insert(blocks.index(siblings[0]), target)
            by_path[parent] = target
    return blocks


def attachments_start(lines: list[str], first_item: int) -> int:
    """Index of the line that opens the first attachment after the body's first item (len(lines) if none)."""
    for i in range(first_item + 1, len(lines)):
        if _attachment_head(lines, i) is not None:
            return i
    return len(lines)


def _titled_head(line: str) -> bool:
    m = _ATTACHMENT_START.match(to_simplified(line))
    return bool(m and m.group(3).strip())


def _attachment_head(lines: list[str], i: int) -> tuple[str, str, int] | None:
    """(name, title, first content line) when line ``i`` opens an attachment."""
    m = _ATTACHMENT_START.match(to_simplified(lines[i]))
    if not m:
        return None
    if m.group(3).strip() and ((i > 0 and _titled_head(lines[i - 1])) or
                               (i + 1 < len(lines) and _ATTACHMENT_START.match(to_simplified(lines[i + 1])))):
        return None  # "附件：1.…" / "附件1：…" "附件2：…": the body's list of its attachments
    kind, number, rest = m.group(1), m.group(2) or "", m.group(3).strip()
    name = f"附{kind}{number}"
    if rest:
        if re.match(r"^\d{1,2}\s*[.、．]", rest) or _SENTENCE.search(rest):
            return None  # a list of attachments, or a sentence that mentions one
        return name, lines[i][len(lines[i]) - len(rest):] if lines[i].endswith(rest) else rest, i + 1
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    if nxt and len(nxt) <= 60 and not _SENTENCE.search(nxt) and find_headings([nxt], 0) == []:
        return name, nxt, i + 2
    return name, "", i + 1


def split_attachments(lines: list[str]) -> list[tuple[str, str, list[str], list[str]]]:
    """The attachments that follow the body: (name, title, its heading lines, content lines) each."""
    out: list[tuple[str, str, list[str], list[str]]] = []
    i = 0
    while i < len(lines):
        head = _attachment_head(lines, i)
        if head is None:
            if out:
                out[-1][3].append(lines[i])
            i += 1
            continue
        name, title, start = head
        if any(n == name for n, _, _, _ in out):
            name = f"{name}-{len(out) + 1}"
        out.append((name, title, lines[i:start], []))
        i = start
    return out


def attachment_blocks(name: str, title: str, head: list[str], lines: list[str]) -> list[Block]:
    """An attachment: its own title, its own numbering (restarting at 1), labels prefixed with its name."""
    heading = f"{name} {title}".strip()
    headings = find_headings(lines, 0)
    first = headings[0].index if headings else len(lines)
    blocks = [Block("attachment", [*head, *lines[:first]], titles=[heading], prefix=name)]
    for b in numbered_blocks(lines, headings, set(), signoff=False):
        b.kind = "attachment"
        b.prefix = name
        b.titles = [heading, *b.titles]
        blocks.append(b)
    return blocks


def _line_title(line: str, rest: str) -> str:
    """The title a heading line gives the items under it: its numeral as written, then its text up to
    the first 。 — in the line's own characters.  ``rest`` (the heading's text) is in NFKC form, where
    "，" is ",": matched against the line's NFKC form, so "1.到2025年，…" is not titled twice."""
    if not rest:
        return line
    folded = unicodedata.normalize("NFKC", line)
    if len(folded) == len(line) and folded.endswith(rest):
        cut = len(line) - len(rest)
        return line[:cut] + heading_title(line[cut:])
    return heading_title(line)


def numbered_blocks(lines: list[str], headings: list[Heading], skip: set[int], signoff: bool) -> list[Block]:
    """One block per numbered item (headings within ``lines``), then the sign-off when ``signoff``."""
    headings = [h for h in headings if h.index < len(lines)]
    blocks: list[Block] = []
    tail_sign: list[str] = []
    tail_attach: list[str] = []
    titled: dict[tuple[tuple[str, int], ...], Block] = {}
    current: dict[str, int] = {}
    titles: dict[str, str] = {}
    for k, h in enumerate(headings):
        end = headings[k + 1].index if k + 1 < len(headings) else len(lines)
        seg = [l for i, l in enumerate(lines[h.index : end], start=h.index) if i not in skip]
        if k + 1 == len(headings) and signoff:
            seg, tail_sign, tail_attach = split_signoff(seg)
        current = {s: v for s, v in current.items() if STYLE_RANK[s] < STYLE_RANK[h.style]}
        titles = {s: v for s, v in titles.items() if s in current}
        current[h.style] = h.number
        titles[h.style] = _line_title(seg[0], h.rest)
        path = sorted(current.items(), key=lambda kv: STYLE_RANK[kv[0]])
        # An article is text however it ends ("第十九条 本办法自发布之日起施行", its 。 lost in a paste); only the
        # other levels have headings without text of their own.
        only_title = len(seg) == 1 and not re.search(r"[。；;：:]", h.rest) \
            and not any(style in _SELF_CONTAINED for style in current)  # nor its 项 ("（一）未取得许可证")
        block = Block("item", seg, path, [titles[s] for s, _ in path])
        if only_title:
            # A structural heading; its title lives on in its children's heading paths.  It becomes a
            # clause only if a paragraph after its sub-list turns out to belong to it.
            titled[tuple(path)] = block
            continue
        blocks.append(block)
    blocks = attach_continuations(blocks, titled)
    for b, nxt in pairwise(blocks):
        if b.path and len(nxt.path) > len(b.path) and nxt.path[: len(b.path)] == b.path:
            b.kind = "section"  # an introduction to the numbered items below it
    if tail_sign:
        blocks.append(Block("signoff", tail_sign))
    if tail_attach:
        blocks.append(Block("attachment", tail_attach))
    return blocks


def parse_blocks(lines: list[str], title_span: tuple[int, int] | None) -> tuple[list[Block], list[str]]:
    """Cut the document into notice / preamble / numbered blocks / sign-off / attachments.

    Returns the blocks and the lines of a scraped metadata table (for the document-info clause).
    """
    _, table_idx = parse_meta_table(lines[:40])
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

    main_end = attachments_start(lines, first)
    blocks.extend(numbered_blocks(lines[:main_end], headings, skip, signoff=True))
    attachments = split_attachments(lines[main_end:])
    for b in blocks:
        if b.kind == "attachment" and attachments:
            b.prefix = "附件列表"  # the body's list of the attachments that follow, not an attachment itself
    for name, title, head, att_lines in attachments:
        blocks.extend(attachment_blocks(name, title, head, att_lines))
    table_lines = [lines[i] for i in table_idx]
    return blocks, table_lines
