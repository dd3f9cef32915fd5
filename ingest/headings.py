"""Numbered headings: which lines open an item, and the labels users cite them by.

We only take a numeral as a heading at the start of a line *and* when it continues the sequence of
its level (next number, or a restart at 1), so a cross-reference such as ``根据第十二条`` or a stray
``（2）`` inside a sentence can never open a clause and shift every label after it.  The ladder
itself (patterns, ranks, label forms) lives in :mod:`ingest.text.ladder`.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ingest.text.ladder import STYLE_RANK, format_number, match_level
from ingest.text.script import to_simplified


@dataclass
class Heading:
    index: int  # line index
    style: str
    number: int
    rest: str  # the line after the numeral


def match_heading(line: str) -> tuple[str, int, str] | None:
    """(style, number, rest) when the line starts with a ladder numeral."""
    # Matched in simplified form, so a traditional text's 第一條 / 第一節 climbs the same ladder;
    # the rest of the line is returned in the document's own script (it becomes the item title).
    original = unicodedata.normalize("NFKC", line)
    norm = to_simplified(original)
    found = match_level(norm)
    if found is None:
        return None
    style, n, end = found
    rest = original[end:] if len(original) == len(norm) else norm[end:]
    return style, n, rest.strip()


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
        if not ((n == 1 and (seen is None or parent_open)) or (seen is not None and n == seen + 1)):
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
