"""Questions about a whole part of a document: "瓯海方案的主要目标是什么", "天津实施意见的保障措施有哪些".

A policy's parts carry titles (二、主要目标, 三、重点任务, 四、保障措施); a question that names a
document and a part title, and asks nothing more than what the part says, wants the part's items —
all of them, each with its label — not the single item that happens to score best.  The titles are the
documents' own headings, so no list of part names is needed: any heading at any level of the ladder
counts, and the part is every clause under it, in document order.
"""
from __future__ import annotations

import re

from ingest.models import Clause
from ingest.text.ladder import match_level
from ingest.text.script import search_form
from ingest.text.wordlists import load

RESIDUE_LIMIT = 3  # at most this many characters of the question besides the title and its frame
MIN_TITLE = 2
_NOISE = re.compile(r"[\s\W\d_a-z]+")


def part_title(heading: str) -> str:
    """A heading without its ladder label and closing punctuation: 二、主要目标 → 主要目标."""
    h = search_form(heading).strip()
    found = match_level(h)
    if found:
        h = h[found[2]:]
    return h.strip(" 、.．。:：;；")


def _residue(content: str, title: str) -> str:
    rest = content.replace(title, " ", 1)
    for word in sorted(load("part_frames"), key=len, reverse=True):
        rest = rest.replace(word, " ")
    return _NOISE.sub("", rest)


def find_part(content: str, doc_clauses: list[Clause]) -> list[Clause]:
    """The clauses of the part of one document whose title the question's content names (empty when
    the question asks about more than the part, or names no title of this document).

    ``content`` is the question's search form without the document's name (QueryAnalysis.content).
    The longest matching title wins (重点任务 over 任务); a heading that is a single item's own title
    gives that item alone only when nothing else sits under it.
    """
    best: tuple[int, tuple[str, ...]] | None = None
    for c in doc_clauses:
        for depth in range(len(c.heading_path)):
            title = part_title(c.heading_path[depth])
            if len(title) < MIN_TITLE or title not in content:
                continue
            if len(_residue(content, title)) > RESIDUE_LIMIT:
                continue
            prefix = tuple(c.heading_path[: depth + 1])
            if best is None or len(title) > best[0]:
                best = (len(title), prefix)
    if best is None:
        return []
    prefix = best[1]
    members = [c for c in doc_clauses if tuple(c.heading_path[: len(prefix)]) == prefix
               and c.kind in ("item", "section")]
    return members if len(members) >= 2 else []
