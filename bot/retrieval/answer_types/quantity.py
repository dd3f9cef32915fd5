"""``quantity``: a number, target or deadline (多少家, 比例, 到哪年, 目标是什么).

``QuestionIntent.quantity_kind`` is the first kind asked of :data:`KINDS` (count / amount / ratio /
deadline / frequency), or None for a target asked without a kind.  Lead: the piece of the clause (between commas)
that states the asked kind, best match first; every stated target for none.  Second stage: a clause
that states a quantity of the asked kind fits.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from bot.retrieval.answer_types.base import AnswerType, RerankFeature
from bot.retrieval.quantities import QUANTITY_PATTERNS, states_quantity
from ingest.models import FRAME_KINDS
from ingest.text.segment import best_sentence_overlap, overlap

if TYPE_CHECKING:
    from bot.retrieval.catalog import DocumentCatalog
    from bot.retrieval.intent import QuestionIntent
    from ingest.models import Clause

QuantityKind = Literal["count", "amount", "ratio", "deadline", "frequency"]
# cue sections; the first asked is the kind (多长时间…一次 asks how often, not by when)
KINDS: tuple[QuantityKind, ...] = ("frequency", "ratio", "deadline", "count", "amount")
_PIECES = re.compile(r"[^，,；;。！？\n]+")


def _stated_cover(grams: set[str], text: str, kind: str | None) -> float:
    """How much of the question the text's best piece stating a quantity of ``kind`` covers (0: none states one)."""
    return max((overlap(grams, p) for p in _PIECES.findall(text) if states_quantity(p, kind)), default=0.0)


_NUMBER = re.compile(r"\d+")


def _echoed(grams: set[str], piece_text: str) -> bool:
    """Every number of the piece is one the question itself says ("瓯海方案说推动50家以上企业…，那眼镜行业要带动几家"):
    the asker quotes that figure to ask for another."""
    numbers = _NUMBER.findall(piece_text)
    return bool(numbers) and all(n in grams for n in numbers)


def piece(clause: Clause, kind: str | None, grams: set[str]) -> str:
    """The piece of the clause (between commas) that states the asked kind of quantity, best match first."""
    all_pieces = [p.strip() for p in _PIECES.findall(clause.text)]
    pieces = [i for i, p in enumerate(all_pieces) if states_quantity(p, kind)]
    if not pieces and kind:
        pieces = [i for i, p in enumerate(all_pieces) if states_quantity(p, None)]
    if not pieces:
        return ""
    if kind is None:  # "目标是什么": every stated target, in reading order
        return "；".join(all_pieces[j] for j in pieces[:3]) + "。"
    i = max(pieces, key=lambda j: (overlap(grams, all_pieces[j]), -len(all_pieces[j])))
    best = all_pieces[i]
    before = all_pieces[i - 1] if i else ""
    if kind != "deadline" and QUANTITY_PATTERNS["deadline"].search(before) and len(before) <= 20:
        best = f"{before}，{best}"  # 到2025年，全市…达到500家
    return f"{best}。"


def lead(intent: QuestionIntent, clause: Clause, catalog: DocumentCatalog, grams: set[str]) -> str:
    return piece(clause, intent.quantity_kind, grams)


def fits(intent: QuestionIntent, clause: Clause) -> float:
    """A quantity question and the clause states a quantity of the asked kind."""
    return 1.0 if intent.answer_type == "quantity" and states_quantity(clause.text, intent.quantity_kind) else 0.0


# What a quantity answer lacks when no best clause states a quantity of the asked kind.
MISSING_QUANTITY: dict[str | None, str] = {
    "count": "具体数量", "amount": "具体金额（补贴、奖励标准）", "ratio": "具体比例", "deadline": "具体时间",
    "frequency": "具体频次", None: "具体数字",
}


ASKS_A_NUMBER = frozenset({"多少", "数字", "数值", "指标"})  # bigrams of a question that wants a figure
SAYS_AS_MUCH = 0.8  # a piece without a figure that covers this share of what the best piece with one covers


def missing(intent: QuestionIntent, grams: set[str], evidence: str) -> str:
    """What the evidence lacks: a quantity of the asked kind — or one *of what is asked*.  A clause that states
    figures for some things and names the asked one without a figure ("制造业产品质量合格率达到95%，消费品质量合格率
    有效支撑高品质生活需要" for 消费品合格率是多少) does not state it: when a piece without a figure says about as
    much of the question as the best piece with one, the figure asked for is not there.  Nor does a figure the
    question quotes to ask for another (:func:`_echoed`).  Counts, amounts, ratios and targets of no stated kind
    (a deadline's piece, "到2025年", shares no words with anything)."""
    kind = intent.quantity_kind
    lacking = MISSING_QUANTITY.get(kind, MISSING_QUANTITY[None])
    if not states_quantity(evidence, kind):
        return lacking
    if kind not in ("count", "amount", "ratio", None) or (kind is None and not grams & ASKS_A_NUMBER):
        return ""  # a target of no kind asked without 多少 ("主要目标分哪几个方面") asks for the targets, not a figure
    pieces = _PIECES.findall(evidence)
    figures = [p for p in pieces if states_quantity(p, kind)]
    stated = max((overlap(grams, p) for p in figures if not _echoed(grams, p)), default=0.0)
    # the quoted figure's piece says the quoted part of the question: another figure must say as much of it
    quoted = max((overlap(grams, p) for p in figures if _echoed(grams, p)), default=0.0)
    if quoted and stated < SAYS_AS_MUCH * quoted:
        return lacking
    bare = max((overlap(grams, p) for p in pieces if not states_quantity(p, None)), default=0.0)
    return lacking if stated > 0 and bare >= SAYS_AS_MUCH * stated else ""


PREFER_WITHIN = 3  # the best clauses the type may choose among


def prefer(intent: QuestionIntent, clauses: list[Clause], grams: set[str]) -> int:
    """A figure is answered by a clause that states it.  When the best clause states no quantity of the asked
    kind, the one of the next best whose piece stating one covers most of the question answers it ("产业计量
    测试服务中心要建到几个" is asked of a long list of targets, "…服务中心达到5个", that ranks below an item
    about such centres without a number).  Counts, amounts and ratios (a deadline, 到2025年, is everywhere);
    items only (a notice's or record's numbers are no target)."""
    kind = intent.quantity_kind
    if intent.answer_type != "quantity" or kind not in ("count", "amount", "ratio") or not clauses \
            or states_quantity(clauses[0].text, kind):
        return 0
    # the piece must say about as much of the question as the best clause's best sentence: a figure of
    # something else ("10家以上企业开展攻关" for 任期多长) is no answer either
    best, best_cover = 0, SAYS_AS_MUCH * best_sentence_overlap(grams, clauses[0].text)
    for i, c in enumerate(clauses[1:PREFER_WITHIN], start=1):
        if c.kind in FRAME_KINDS or c.kind == "docinfo":
            continue
        cover = _stated_cover(grams, c.text, kind)
        if cover > best_cover:
            best, best_cover = i, cover
    return best


TYPE = AnswerType(name="quantity", precedence=70, cues="quantity", asked_by=(*KINDS, "quantity"),
                  guidance="guidance_quantity", lead=lead, features=(RerankFeature("quantity_fit", fits),),
                  missing=missing, prefer=prefer)
