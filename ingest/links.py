"""Links between documents: which document names which, and how ("根据《…》（…号）", "原《…》同时废止").

A local 实施意见 implements a national 意见 it names by title and 文号; a revised 办法 replaces the
one it names; both are facts of the text, read here at ingest (:func:`extract_references`), and
resolved against whatever the collection holds when they are shown (:class:`LinkGraph`): a named
document that is in the collection becomes a link both ways (依据 / 被引用), one that is not stays an
unresolved reference with its title and 文号, so an admin can see what is missing.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import cast

from ingest.doc_number import DOC_NUMBER
from ingest.models import DocMeta, DocReference, Relation
from ingest.text.script import search_form, to_simplified
from ingest.text.wordlists import load

RELATIONS: tuple[Relation, ...] = ("依据", "根据", "贯彻落实", "替代", "废止")
ENDING: tuple[Relation, ...] = ("替代", "废止")  # relations that end the named document's life
WINDOW = 40  # characters between a "<" cue and the title it governs
MIN_TITLE = 6  # shorter 《…》 are abbreviations ("以下简称《意见》") or laws named in passing

_TITLE = re.compile(r"《([^《》\n]{1,120})》")
_NUMBER_AFTER = re.compile(r"^\s*[（(]\s*(" + DOC_NUMBER.pattern + r")\s*[)）]")
_SENTENCE = re.compile(r"[^。；;!！?？\n]+")


@cache
def _cues() -> tuple[tuple[tuple[str, Relation], ...], tuple[tuple[str, Relation], ...]]:
    """("<" cues, ">" cues), each (word, relation), longest word first."""
    before: list[tuple[str, Relation]] = []
    after: list[tuple[str, Relation]] = []
    for entry in load("reference_cues"):
        word, relation = entry[1:].split("=")
        assert relation in RELATIONS, entry
        (before if entry[0] == "<" else after).append((word, cast(Relation, relation)))
    return (tuple(sorted(before, key=lambda c: -len(c[0]))), tuple(sorted(after, key=lambda c: -len(c[0]))))


def _relation_before(text: str) -> Relation | None:
    """The cue nearest the end of ``text`` (what precedes a title in its sentence, after its last comma:
    "根据实际情况，逐年更新《…》" is no reference), titles collapsed."""
    tail = re.split(r"[，,：:]", _TITLE.sub("《》", text))[-1][-WINDOW:]
    best: tuple[int, Relation] | None = None
    for word, relation in _cues()[0]:
        at = tail.rfind(word)
        if at >= 0 and (best is None or at + len(word) > best[0]):
            best = (at + len(word), relation)
    return best[1] if best else None


def _relation_after(text: str) -> Relation | None:
    """A ">" cue right after the title (up to the next title), e.g. "（…号）同时废止"."""
    head = text.split("《", 1)[0][:20]
    hits = [(head.find(w), r) for w, r in _cues()[1] if w in head]
    return min(hits)[1] if hits else None


_JOINERS = "的和与及等、"


def _number_start(match: str) -> int:
    """Where a 文号 found in running text starts: after any cue word or joiner the pattern's issuer-prefix
    swallowed ("根据国市监质发〔2021〕62号" → "国市监质发〔2021〕62号")."""
    bracket = re.search(r"[〔\[［(（]", match)
    prefix = match[: bracket.start()] if bracket else match
    cut = max([prefix.rfind(w) + len(w) for w, _ in _cues()[0] if w in prefix]
              + [prefix.rfind(ch) + 1 for ch in _JOINERS if ch in prefix] + [0])
    return cut


def extract_references(text: str, own_title: str = "", own_number: str = "") -> list[DocReference]:
    """Documents ``text`` names with a stated relation, in order of first mention, each (relation, title,
    文号) once.  The document's own title and 文号 (a covering notice names what it issues) are skipped."""
    own = {k for k in (_key(own_title), _key(own_number)) if k}
    seen: set[tuple[str, str, str]] = set()
    out: list[DocReference] = []
    for sentence in _SENTENCE.finditer(to_simplified(text)):
        s = sentence.group(0)
        taken: list[tuple[int, int]] = []  # spans of titles and their 文号: not read again as bare 文号
        found: list[tuple[int, Relation | None, str, str]] = []
        for m in _TITLE.finditer(s):
            title = m.group(1).strip()
            rest = s[m.end():]
            number_m = _NUMBER_AFTER.match(rest)
            end = m.end() + (number_m.end() if number_m else 0)
            taken.append((m.start(), end))
            if len(title) < MIN_TITLE or s[: m.start()].rstrip().endswith("简称"):
                continue
            number = re.sub(r"\s+", "", number_m.group(1)) if number_m else ""
            found.append((m.start(), _relation_after(s[end:]) or _relation_before(s[: m.start()]), title, number))
        for m in DOC_NUMBER.finditer(s):  # "根据国市监质发〔2021〕62号文件精神": a 文号 alone
            if any(a <= m.start() < b for a, b in taken):
                continue
            start = m.start() + _number_start(m.group(0))
            number = re.sub(r"\s+", "", s[start:m.end()])
            found.append((start, _relation_after(s[m.end():]) or _relation_before(s[:start]), "", number))
        for _, relation, title, number in sorted(found, key=lambda f: f[0]):
            if relation is None or (title and _key(title) in own) or (number and _key(number) in own):
                continue
            key = (relation, _key(title), _key(number))
            if key not in seen:
                seen.add(key)
                out.append(DocReference(relation=relation, title=title, doc_number=number))
    return out


_ISSUED = re.compile(rf"[《〈]([^《》〈〉]{{{MIN_TITLE},120}})[》〉]")


def _issued(title: str) -> list[str]:
    """The title a 通知 issues: "关于印发《X办法》的通知" (or 〈X办法〉 inside a quoted title) → ["X办法"]."""
    return _ISSUED.findall(title)


_BRACKETS = str.maketrans({"［": "〔", "[": "〔", "(": "〔", "（": "〔", "］": "〕", "]": "〕", ")": "〕", "）": "〕"})


@lru_cache(maxsize=1 << 16)
def _key(name: str) -> str:
    """One form for comparing titles and 文号: search form, brackets unified, no spaces or quotes."""
    return re.sub(r"[\s“”\"'‘’「」]", "", search_form(name)).translate(_BRACKETS)


@dataclass(frozen=True)
class Link:
    """``source`` names a document with ``relation``; ``target`` is its id in the collection, or None."""

    source: str
    relation: Relation
    target: str | None
    title: str
    doc_number: str

    @property
    def resolved(self) -> bool:
        return self.target is not None


class LinkGraph:
    """Every document's references resolved against one collection, readable both ways."""

    def __init__(self, metas: Iterable[DocMeta]) -> None:
        self.metas = {m.doc_id: m for m in metas}
        by_number: dict[str, str] = {}
        by_title: dict[str, str] = {}
        for m in self.metas.values():
            for n in (m.doc_number, *m.aliases):
                if n and DOC_NUMBER.fullmatch(n.replace(" ", "")):  # any script: the pattern takes any hanzi
                    by_number.setdefault(_key(n), m.doc_id)
            for t in (m.title, m.short_name, *m.aliases):
                for name in (t, *_issued(t)):
                    if name:
                        by_title.setdefault(_key(name), m.doc_id)
        self._out: dict[str, list[Link]] = {}
        self._in: dict[str, list[Link]] = {}
        for m in self.metas.values():
            for ref in m.references:
                target = (by_number.get(_key(ref.doc_number)) if ref.doc_number else None) or next(
                    (by_title[k] for k in map(_key, (ref.title, *_issued(ref.title))) if k and k in by_title), None)
                if target == m.doc_id:
                    continue
                link = Link(m.doc_id, ref.relation, target, ref.title, ref.doc_number)
                self._out.setdefault(m.doc_id, []).append(link)
                if target:
                    self._in.setdefault(target, []).append(link)

    def outgoing(self, doc_id: str) -> list[Link]:
        """What ``doc_id`` names (resolved links and unresolved references), in the text's order."""
        return list(self._out.get(doc_id, []))

    def incoming(self, doc_id: str) -> list[Link]:
        """Documents in the collection that name ``doc_id`` (被引用)."""
        return list(self._in.get(doc_id, []))

    def enders(self, doc_id: str) -> list[Link]:
        """Documents in the collection that say they replace or repeal ``doc_id``."""
        return [link for link in self.incoming(doc_id) if link.relation in ENDING]

    def implementers(self, doc_id: str) -> list[str]:
        """Documents that implement or rest on ``doc_id`` (贯彻落实 / 依据 / 根据), each once."""
        return list(dict.fromkeys(link.source for link in self.incoming(doc_id) if link.relation not in ENDING))
