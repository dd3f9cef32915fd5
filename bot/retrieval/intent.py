"""What kind of answer a question wants: its answer type, plus the places and levels it names.

:func:`classify` reads the question's search form (so a traditional question classifies as its
simplified twin) against the cue sections of the registered answer types (bot.retrieval.answer_types:
one module and one cue file each) and the shared sections of ``ingest/text/wordlists/question_cues.txt``;
no cue word lives in this module.  The answer types registered today:

``lookup``       the user gives a clause number (第15条, 二（六）, 纲要（二十四）, “天津实施意见 15”)
``locate``       the user asks where something is (第几条, 哪一项, 哪一部分, 放在哪方面); ``unit`` is the
                 unit word used (条/项/部分/点 …) so the answer can echo it
``metadata``     about the document itself (文号, 哪天发布的, 谁发的, 有效期, 是否有效)
``compare``      across documents (各地, 和…比, 有什么不同; 分别/都 when two documents or places are named)
``responsible``  the responsible body (谁负责, 哪些部门, 牵头)
``quantity``     a number, target or deadline; ``quantity_kind`` is count / amount / ratio / deadline / frequency,
                 or None for a target asked without a kind (目标是什么)
``requirements`` what it takes to apply: conditions or materials (申报条件, 需要什么条件, 要交哪些材料)
``yesno``        yes-no or eligibility (有没有, 能不能, …吗, 哪些企业可以, 我们小厂…)
``list``         an enumeration (哪些, 有哪几种)
``procedure``    how to do it (怎么办, 怎么申请, 流程)
``general``      none of these

Precedence.  When cues of different sections overlap in the text the longer one wins (第几条 is
locate, not a 几条 count; 哪些部门 is responsible, not a 哪些 list; 负责人 is no cue).  The question is then read sentence by
sentence (split at ？！。；): the primary type is the strongest type of the first sentence that asks
anything, and every other type asked, in reading order, is ``secondary`` — so
``…有没有…？这事由哪些部门负责？`` is yesno with secondary responsible.  Within one sentence the order is

    compare (a compare cue) > locate > lookup > metadata > compare (only ``named_documents`` ≥ 2)
    > responsible > quantity > requirements > yesno > procedure > list

(each type's ``precedence``, and compare's ``named_precedence``, in its module).

A locate cue anywhere cancels the lookup (第几条 asks for a number, it does not give one).  A compare cue
of the weak kind (分别, 都, 哪个 …) counts only when two or more documents (``named_documents``, from the
caller's document detection) or places are named.  Eligibility said about oneself (我们小厂…) makes a
yesno question only when nothing else is asked; with no cue at all the type is general.  (Each of these
is a field of the type in its module: ``asks_number``, ``asked_by_number``, ``weak_by``, ``fallback_by``.)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from bot.retrieval import answer_types
from bot.retrieval.answer_types.base import read_sections
from bot.retrieval.answer_types.quantity import KINDS, QuantityKind
from ingest.text.script import search_form
from ingest.text.wordlists import load

if TYPE_CHECKING:
    from bot.retrieval.analysis import ItemRef

__all__ = ["ANSWER_TYPES", "QUANTITY_KINDS", "QuestionIntent", "TypeName", "classify"]

TypeName = str  # the name of a registered answer type (bot.retrieval.answer_types)
ANSWER_TYPES: tuple[TypeName, ...] = answer_types.names()
QUANTITY_KINDS: tuple[QuantityKind, ...] = KINDS  # the first one asked is the kind

# Cue section → the type it asks for: always, only when several documents or places are named (weak), only when
# nothing else is asked (fallback); the shared sections are words.
_SECTION_TYPE: dict[str, TypeName] = {s: t.name for t in answer_types.REGISTERED for s in t.asking_sections()}
_WEAK: dict[str, TypeName] = {s: t.name for t in answer_types.REGISTERED for s in t.weak_by}
_FALLBACK: dict[str, TypeName] = {s: t.name for t in answer_types.REGISTERED for s in t.fallback_by}
_NUMBER_ASKED = {s for t in answer_types.REGISTERED if t.asks_number for s in t.asking_sections()}
_BY_NUMBER: tuple[TypeName, ...] = tuple(t.name for t in answer_types.REGISTERED if t.asked_by_number)
# What a sentence asks: (rank, type); the lowest rank of a sentence is its type.
_Ask = tuple[int, TypeName]
_RANK: dict[TypeName, int] = {t.name: t.precedence for t in answer_types.REGISTERED}
_NAMED: dict[TypeName, int] = {t.name: t.named_precedence for t in answer_types.REGISTERED
                                 if t.named_precedence is not None}
_WORD_SECTIONS = ("unit", "level", "department_duty")  # word lists, not answer-type cues
_SENTENCE_END = re.compile(r"[?!。;]+")  # the search form has NFKC's ASCII ? ! ;
_GAP = r"[^,?!。;]{0,15}?"  # A…B: B later in the same clause


@dataclass(frozen=True)
class QuestionIntent:
    answer_type: TypeName = "general"
    quantity_kind: QuantityKind | None = None  # when quantity is asked (primary or secondary)
    unit: str | None = None  # locate: the unit word asked in; lookup: the unit of the number given
    secondary: tuple[TypeName, ...] = ()  # the other types asked, in reading order
    regions: tuple[str, ...] = ()  # places named (wordlists/places.txt), in order
    levels: tuple[str, ...] = ()  # administrative levels named (国家级, 省级 …), in order

    @property
    def asks(self) -> tuple[TypeName, ...]:
        """Every type asked, primary first."""
        return (self.answer_type, *self.secondary)


@dataclass(frozen=True, order=True)
class _Hit:
    pieces: tuple[tuple[int, int], ...]  # spans of the cue's literal pieces (not of the gaps between them)
    section: str

    @property
    def weight(self) -> int:
        return sum(end - start for start, end in self.pieces)

    def beats(self, other: _Hit) -> bool:
        """Overlaps ``other`` with a longer piece (ties: more cue text, then the earlier start)."""
        return any(s < oe and os < e and (e - s, self.weight, -s) > (oe - os, other.weight, -os)
                   for s, e in self.pieces for os, oe in other.pieces)


@cache
def cue_sections() -> dict[str, tuple[str, ...]]:
    """Every cue section: the registered types' and the shared ones (``{"locate": ("第几条", …), …}``)."""
    shared = read_sections("ingest.text.wordlists", "question_cues")
    overlap = set(shared) & set(answer_types.cue_sections())
    if overlap:
        raise ValueError(f"question_cues.txt repeats the answer types' sections {sorted(overlap)}")
    return {**answer_types.cue_sections(), **shared}


def _alternatives(piece: str) -> tuple[str, ...]:
    """``A|B`` → its alternatives in search form, longest first."""
    return tuple(sorted({search_form(a) for a in piece.split("|") if a}, key=len, reverse=True))


@cache
def _compile(cue: str) -> re.Pattern[str]:
    """``A|B…C`` → ``(A|B)<gap>(C)``, alternatives longest first, each in search form."""
    return re.compile(_GAP.join("(" + "|".join(map(re.escape, _alternatives(p))) + ")" for p in cue.split("…")))


@cache
def _cues() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(section, cue, its first piece's alternatives).  A cue matches only where one of those occurs, so
    a question compiles and runs the few cues whose first words it contains: compiling all ~500 cost a
    fresh process (every ``policybot show``) more than the rest of its lookup."""
    return tuple((name, cue, _alternatives(cue.split("…")[0])) for name, cues in cue_sections().items()
                 if name not in _WORD_SECTIONS for cue in cues)


def _hits(q: str) -> list[_Hit]:
    """Every cue match that no overlapping, longer cue of another section beats, in reading order."""
    found = sorted(_Hit(tuple(m.span(i) for i in range(1, (m.lastindex or 0) + 1)), name)
                   for name, cue, first in _cues() if not first or any(a in q for a in first)
                   for m in _compile(cue).finditer(q))
    return [h for h in found if not any(other.beats(h) for other in found if other.section != h.section)]


def _named(q: str, words: tuple[str, ...]) -> tuple[str, ...]:
    """The words found in ``q`` in reading order, a longer word hiding the shorter ones inside it."""
    found: list[tuple[int, str]] = []
    for word in sorted(set(words), key=len, reverse=True):
        at = q.find(word)
        if at >= 0:
            found.append((at, word))
            q = q.replace(word, " " * len(word))
    return tuple(word for _, word in sorted(found))


def _item_ref(q: str) -> ItemRef | None:
    from bot.retrieval.analysis import parse_item_ref  # imported here: analysis imports this module

    return parse_item_ref(q)


def _unit(text: str, last: bool = False) -> str | None:
    """The unit word in ``text`` (the first listed, or the last written when ``last``)."""
    found = [(text.rfind(u), u) for u in cue_sections()["unit"] if u in text]
    if not found:
        return None
    return max(found)[1] if last else found[0][1]


# 几 after a pronoun or demonstrative is "a few", not "how many" ("我们几家同行想…", "这几个远郊区"); so is 几 in a
# round figure (十几个员工) and after a place (车间里几位老师傅); after a verb it may ask (要建几个) or not (想买几项专利),
# and 几十, 几万 may ask (奖励几十万)
_FEW = re.compile(r"(我们|咱们|你们|他们|这|那|好|十|里)几")
# … and so is 几 in what the asker tells of themselves before the question — what they mean to do
# ("想牵头搞几个团体标准，会不会有机构来评价？") or their situation ("我们车间几个老师傅凑了个小组，…鼓励吗？"): a phrase of
# 想 / 打算 / 准备, or one in the first person, followed by another phrase that asks (not 想知道…几个, which asks)
_PLANNED_FEW = re.compile(r"(?:(?:想|打算|准备)[^，,；;。？?!！]{0,8}?"
                          r"|(?:^|(?<=[，,；;。!！]))\s*(?:我|咱|本厂|本公司)[^，,；;。？?!！]{0,20}?)几")
_ASKING_VERB = re.compile(r"知道|想问|了解|请教|确认|咨询")
_PHRASE_END = re.compile(r"[，,；;。!！]")
# a phrase that asks something: an interrogative word or particle
ASKS = re.compile(r"什么|哪|吗|呢|怎|如何|多少|几|是否|有没有|有无|会不会|能不能|可不可以|能否|可否|啥|[?？]")


def _planned_few(q: str) -> str:
    """``q`` with the 几 of what the asker tells of themselves before asking read as 些 (see :data:`_PLANNED_FEW`)."""
    ends = [m.end() for m in _PHRASE_END.finditer(q)]
    for m in reversed(list(_PLANNED_FEW.finditer(q))):
        after = next((e for e in ends if e > m.end()), None)
        if after is not None and ASKS.search(q[after:]) and not _ASKING_VERB.search(m.group()):
            q = q[:m.end() - 1] + "些" + q[m.end():]
    return q


def classify(question: str, named_documents: int = 0) -> QuestionIntent:
    """The answer type of ``question``; ``named_documents`` is how many documents it names (0 if unknown)."""
    q = _planned_few(_FEW.sub(r"\1些", search_form(question)))
    regions = _named(q, load("places"))
    hits = _hits(q)
    several = named_documents >= 2 or len(regions) >= 2
    by_sentence: dict[int, set[_Ask]] = {}  # sentence number → what it asks

    def add(kind: TypeName, at: int, rank: int | None = None) -> None:
        ask = (_RANK[kind] if rank is None else rank, kind)
        by_sentence.setdefault(len(_SENTENCE_END.findall(q, 0, at)), set()).add(ask)

    for h in hits:
        kind = _SECTION_TYPE.get(h.section) or (_WEAK.get(h.section) if several else None)
        if kind:
            add(kind, h.pieces[0][0])
    locates = [h for h in hits if h.section in _NUMBER_ASKED]
    ref = None if locates else _item_ref(q)
    if ref is not None:
        for kind in _BY_NUMBER:
            add(kind, max(q.find(ref.raw), 0))
    for kind, rank in _NAMED.items():  # two documents named: a comparison, even without a cue
        if named_documents >= 2 and not any(k == kind for asked in by_sentence.values() for _, k in asked):
            by_sentence.setdefault(min(by_sentence, default=0), set()).add((rank, kind))
    asks: list[TypeName] = []
    for i in sorted(by_sentence):
        for _, kind in sorted(by_sentence[i]):
            if kind not in asks:
                asks.append(kind)
    if not asks:
        asks = [next((_FALLBACK[h.section] for h in hits if h.section in _FALLBACK), answer_types.GENERAL)]
    sections = {h.section for h in hits}
    quantity_kind = next((k for k in QUANTITY_KINDS if k in sections), None) if "quantity" in asks else None
    if locates:
        unit = next((u for h in locates if (u := _unit("".join(q[s:e] for s, e in h.pieces)))), None)
    else:
        unit = _unit(ref.raw, last=True) if ref is not None else None
    secondary = tuple(a for a in asks[1:] if a != answer_types.GENERAL)  # asking what the documents say adds nothing to a type
    return QuestionIntent(asks[0], quantity_kind, unit, secondary, regions, _named(q, cue_sections()["level"]))
