"""Questions about a whole part of a document: "瓯海方案的主要目标是什么", "天津实施意见的保障措施有哪些".

A policy's parts carry titles (二、主要目标, 三、重点任务, 四、保障措施); a question that names a
document and a part title, and asks nothing more than what the part says, wants the part's items —
all of them, each with its label — not the single item that happens to score best.  The titles are the
documents' own headings: any heading at any level of the ladder counts, and the part is every clause
under it, in document order.  A part is also found by the conventional name of its role when the
document titles it otherwise ("保障措施" for 四、组织实施; ``wordlists/part_roles.txt``).
"""
from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from bot.retrieval.catalog import document_nouns
from bot.retrieval.intent import ASKS
from ingest.models import Clause
from ingest.text.ladder import match_level
from ingest.text.script import search_form
from ingest.text.segment import tokenize
from ingest.text.wordlists import load, load_groups, load_mappings

if TYPE_CHECKING:
    from bot.retrieval.analysis import ItemRef

RESIDUE_LIMIT = 3  # at most this many characters of the question besides the title and its frame
MIN_TITLE = 2
_NOISE = re.compile(r"[\s\W\d_a-z]+")
_PHRASES = re.compile(r"[^,，?？。!！;；:：]+")
# "每个大概要做到什么程度", "分别由谁负责": what follows a distributive word asks about each item of the part
_DISTRIBUTIVE = re.compile(r"(?:每一?[个项条点]|各[个项条]|分别).*")


@cache
def _reference() -> re.Pattern[str]:
    """A phrase that is a reference to the document ("的民企实施意见里", "方案里", "民企实施意见的"): the rest of a
    name the document-name stripping left, ending in a document noun (and 里/中/上, 的)."""
    return re.compile(rf"^[^,，?？。!！;；]{{0,16}}(?:{document_nouns()})[里中上内]?的?$")


def part_title(heading: str) -> str:
    """A heading without its ladder label and closing punctuation: 二、主要目标 → 主要目标."""
    h = search_form(heading).strip()
    found = match_level(h)
    if found:
        h = h[found[2]:]
    return h.strip(" 、.．。:：;；")


@cache
def _roles() -> dict[str, tuple[str, ...]]:
    """Part title → every title of the same role (wordlists/part_roles.txt: 保障措施 = 组织实施 = 组织保障 …)."""
    return {search_form(t): tuple(search_form(x) for x in group) for group in load_groups("part_roles") for t in group}


def names_of(title: str) -> tuple[str, ...]:
    """What a question may call the part titled ``title``: the title itself, then the other titles of its role."""
    return (title, *(n for n in _roles().get(title, ()) if n != title))


def _background(content: str, names: list[str]) -> str:
    """The content from the phrase that names the part on, when the phrases before it ask nothing: what the asker
    tells first ("我负责民企质量这块，要写落实汇报，它最后讲的保障措施…") is who asks and why, not more asked of the part."""
    phrases = [(m.start(), m.group()) for m in _PHRASES.finditer(content)]
    first = next((i for i, (_, p) in enumerate(phrases) if any(n in p for n in names)), 0)
    if first and not any(ASKS.search(p) for _, p in phrases[:first]):
        return content[phrases[first][0]:]
    return content


_QUOTES = " “”‘’\"'「」『』《》"  # around a title quoted in the question ("民企实施意见中“优化…环境”这一块")


# "这个质量强企行动在" (总体要求里…): the title's words said short, between a pointing word and a preposition
_POINTING = re.compile(r"^(?:这个|那个|这份|那份|这一|那一|这|那)?(.+?)(?:在|的|里|中|上|里面|当中)*$")
TITLE_RUN = 4  # characters in a row a remnant must share with the document's title to be a reference to it


def _refers_to_document(phrase: str, title: str) -> bool:
    """Is the phrase (search form) the rest of a reference to the document: ending in a document noun ("民企实施意见的"),
    or the ``title`` (search form) said short ("这个质量强企行动在" of 质量强企千百行动方案: a run of the title, no character
    from outside it)?"""
    if _reference().match(phrase):
        return True
    m = _POINTING.match(phrase)
    core = m.group(1) if m else ""
    return bool(title) and _common_run(core, title) >= TITLE_RUN and all(ch in title for ch in core)


def _residue(content: str, names: list[str], title: str = "") -> str:
    """What the question says besides the part's names and the frame words around them, and besides what it tells
    before them (:func:`_background`).  A name ends a phrase: what stands before it may be the rest of a reference to
    the document ("民企实施意见的" of 天津民企实施意见的保障措施, or its ``title``, in search form, said short)."""
    rest = _background(content, names) if names else content
    for name in sorted(names, key=len, reverse=True):
        rest = rest.replace(name, "，", 1)
    rest = "，".join(p for p in _PHRASES.findall(rest) if not _refers_to_document(p.strip(_QUOTES), title))
    rest = _DISTRIBUTIVE.sub("", rest)
    for word in sorted(load("part_frames"), key=len, reverse=True):
        rest = rest.replace(word, " ")
    return _NOISE.sub("", rest)


def _asks_what_items_share(residue: str, doc_clauses: list[Clause], prefix: tuple[str, ...]) -> bool:
    """Does the rest of the question name what the part's items have in common ("总体要求里要坚持哪几个导向"
    of (一)坚持需求导向 (二)坚持问题导向 (三)坚持效果导向)?  Then it asks for the items, not for one of them:
    at least half of its words are in the title of every item (one item's words ask about that item)."""
    titles = {part_title(c.heading_path[len(prefix)]) for c in doc_clauses
              if len(c.heading_path) > len(prefix) and tuple(c.heading_path[: len(prefix)]) == prefix}
    words = [w for w in dict.fromkeys(tokenize(residue, bigrams=False)) if len(w) >= 2]
    if len(titles) < 2 or not words:
        return False
    shared = [w for w in words if all(w in t for t in titles)]
    return len(shared) * 2 >= len(words)


# "最后一部分讲什么", "收尾讲怎么保证落实的那一部分有几条": the document's last part, named by its place (what follows
# describes it); an item of it ("最后一部分第二条") is asked for by number
_LAST_PLACE = r"(?:最后|收尾|末尾|结尾)[^,，。?？!！;；]{0,20}?(?:部分|一块)"
_LAST_PART = re.compile(_LAST_PLACE + r"(?![^,，。?？!！;；]{0,6}第[一二三四五六七八九十\d]+[条项])")
_LAST_PART_OF_ITEM = re.compile(_LAST_PLACE)  # "最后一部分第二条": an item of the last part, asked by number


def _last_top(doc_clauses: list[Clause]) -> str | None:
    """The heading of the document's last top-level part (of its items: not an annex or a sign-off)."""
    tops = [c.heading_path[0] for c in doc_clauses if c.heading_path and c.kind in ("item", "section")]
    return tops[-1] if tops else None


def last_part(doc_clauses: list[Clause]) -> list[Clause]:
    """The items of the document's last top-level part (its measures: not an annex or a sign-off); in a document
    numbered at one level only (一、 … 十、), that last item itself — the place names it as surely."""
    top = _last_top(doc_clauses)
    if top is None:
        return []
    last = _under((top,), doc_clauses)
    members = [c for c in last if len(c.heading_path) >= 2]
    if len(members) >= 2:
        return members
    return last if all(len(c.heading_path) == 1 for c in doc_clauses if c.kind in ("item", "section")) else []


def find_part(content: str, doc_clauses: list[Clause]) -> list[Clause]:
    """The clauses of the part of one document whose title the question's content names (empty when
    the question asks about more than the part, or names no title of this document).

    ``content`` is the question's search form without the document's name (QueryAnalysis.content).
    A part named by its place as the last one is that part whatever else the question says of it.
    The longest matching title wins (重点任务 over 任务); a heading that is a single item's own title
    gives that item alone only when nothing else sits under it.
    """
    if _LAST_ITEM.search(content):
        return last_item(_LAST_ITEM.sub("，", content), doc_clauses)
    if _LAST_PART.search(content):
        return last_part(doc_clauses)
    found = _titled_part(content, doc_clauses)
    if found is None:
        return []
    prefix, items_only = found
    # asked for what the items share: the items, without the part's own introduction
    return _members(doc_clauses, prefix, len(prefix) + 1 if items_only else len(prefix))


# "最后一条讲的啥", "保障措施最后一项是什么": the last item, of the part named or of the document
_LAST_ITEM = re.compile(r"(?:最后|末尾|最末)一?[条项点](?=\s*(?:讲|说|是|写|的|内容|规定|呢|吗|啊|[?？，,。]|$))")


def last_item(content: str, doc_clauses: list[Clause]) -> list[Clause]:
    """The last item of the part the rest of the question names by its title, else the document's last item (the
    last numbered clause in reading order); with its sub-items."""
    found = _titled_part(content, doc_clauses)
    if found:
        children = _children(found[0], doc_clauses)
        return _under(children[-1], doc_clauses) if children else []
    items = [c for c in doc_clauses if c.kind == "item"]
    return items[-1:]


def _children(prefix: tuple[str, ...], doc_clauses: list[Clause]) -> list[tuple[str, ...]]:
    """The heading prefixes of the items directly under ``prefix``, in order."""
    return list(dict.fromkeys(tuple(c.heading_path[: len(prefix) + 1]) for c in doc_clauses
                              if len(c.heading_path) > len(prefix) and c.kind in ("item", "section")
                              and tuple(c.heading_path[: len(prefix)]) == prefix))


def _under(prefix: tuple[str, ...], doc_clauses: list[Clause]) -> list[Clause]:
    """The clauses at or under ``prefix``."""
    return [c for c in doc_clauses if tuple(c.heading_path[: len(prefix)]) == prefix and c.kind in ("item", "section")]


def part_item(content: str, ref: ItemRef, doc_clauses: list[Clause]) -> list[Clause]:
    """The item a bare number (``ref``: 第二条) names in a part the question names by its title or its place
    ("保障措施第二条", "最后一部分第二条"): a caller counts the items of the part they read, not the document's continuous
    numbering.  Empty when the question names no part, or the part has fewer items (the number is then the
    document's own)."""
    n = ref.path[-1][1]
    rest = content.replace(ref.raw, "，", 1) if ref.raw else content
    if _LAST_PART_OF_ITEM.search(rest):
        top = _last_top(doc_clauses)
        prefix: tuple[str, ...] | None = (top,) if top else None
    else:
        found = _titled_part(rest, doc_clauses)
        prefix = found[0] if found else None
    if not prefix:
        return []
    children = _children(prefix, doc_clauses)
    return _under(children[n - 1], doc_clauses) if 1 <= n <= len(children) else []


def _titled_part(content: str, doc_clauses: list[Clause]) -> tuple[tuple[str, ...], bool] | None:
    """The heading prefix of the part whose title the content names, and whether the question asks for what its
    items share (then the items without the part's introduction); None when it names none or asks more."""
    best: tuple[int, tuple[str, ...], bool] | None = None  # (name length, heading prefix, items only)
    title = search_form(doc_clauses[0].doc_title) if doc_clauses else ""  # once, not per phrase of every heading
    for c in doc_clauses:
        for depth in range(len(c.heading_path)):
            names = [n for n in names_of(part_title(c.heading_path[depth])) if len(n) >= MIN_TITLE and n in content]
            if not names:
                continue
            prefix = tuple(c.heading_path[: depth + 1])
            residue = _residue(content, names, title)
            shared = len(residue) > RESIDUE_LIMIT
            if shared and not _asks_what_items_share(residue, doc_clauses, prefix):
                continue
            longest = max(map(len, names))
            if best is None or longest > best[0]:
                best = (longest, prefix, shared)
    if best is None:
        prefix = _part_named_by_role_word(content, doc_clauses) or _part_said_in_words(content, doc_clauses)
        return (prefix, False) if prefix else None
    _, prefix, items_only = best
    return prefix, items_only


def _part_named_by_role_word(content: str, doc_clauses: list[Clause]) -> tuple[str, ...]:
    """The heading prefix of the part a question names by its role's one word alone (part_role_words: 目标 for the
    主要目标 part) when nothing else is left of it ("瓯海方案到底定了哪几个目标"); empty when none."""
    for word, title in load_mappings("part_role_words"):
        if word not in content or _residue(content, [word]):
            continue
        role = set(names_of(search_form(title)))
        for c in doc_clauses:
            for depth in range(len(c.heading_path)):
                if part_title(c.heading_path[depth]) in role:
                    return tuple(c.heading_path[: depth + 1])
    return ()


def _members(doc_clauses: list[Clause], prefix: tuple[str, ...], depth: int) -> list[Clause]:
    """The part's clauses at ``depth`` or deeper, in order (none for a part of a single clause)."""
    members = [c for c in _under(prefix, doc_clauses) if len(c.heading_path) >= depth]
    return members if len(members) >= 2 else []


# "关于建设工程的那部分", "支持民企参与全球竞争那一块", "建设工程那一章": a part pointed at as a part, in the asker's
# words for its title
_PART_SAID = re.compile(r"([^,，。?？!！;；\s]{2,20}?)的?(?:那|这)?一?大?(?:部分|块|章|节)")
SAID_MIN = 4  # characters of a part's title the words must share (建设工程, 参与全球竞争)
SAID_TOP_MIN = 2  # … or this many, shared with one first-level part's title and no other's (服务业 → 促进服务供给扩容提质)
SAID_RESIDUE = 1  # … and nothing but the frame may be left of their phrase ("那部分有什么补贴" asks about 补贴)


def _part_said_in_words(content: str, doc_clauses: list[Clause]) -> tuple[str, ...]:
    """The heading prefix of the part a phrase points at with 那部分 / 这一部分 and words of its title (the one
    title sharing the longest run of characters with them, at least :data:`SAID_MIN`; of titles sharing as long a
    run, the one of the highest part), when the rest of that phrase
    asks no more than the part; other phrases (who asks, why) do not count.  Empty when none."""
    headings = {tuple(c.heading_path[: d + 1]) for c in doc_clauses for d in range(len(c.heading_path))}
    for phrase in _PHRASES.findall(content):
        m = _PART_SAID.search(phrase)
        if m is None or len(_residue(phrase[:m.start()] + phrase[m.end():], [])) > SAID_RESIDUE:
            continue
        runs = [(_common_run(m.group(1), part_title(h[-1])), h) for h in headings]
        best = max((run for run, _ in runs), default=0)
        if best < SAID_MIN:
            # fewer words ("服务业那一部分"): a part of the first level whose title alone shares them
            sharing = [h for run, h in runs if len(h) == 1 and run >= SAID_TOP_MIN]
            if len(sharing) == 1:
                return sharing[0]
            continue
        # a tie goes to the highest part: 部分 points at a division of the document, not at one of its items
        tied = [h for run, h in runs if run == best]
        top = min(map(len, tied))
        if sum(len(h) == top for h in tied) == 1:
            return next(h for h in tied if len(h) == top)
    return ()


def _common_run(a: str, b: str) -> int:
    """The length of the longest run of characters ``a`` and ``b`` share."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] not in b:
                break
            best = j - i
    return best
