"""``requirements``: what it takes to apply — the conditions to meet or the materials to hand in
(申请质量奖需要什么条件, 申报要交哪些材料).

Lead: says which of the two the quoted sentences give ("申报条件：" / "所需材料："), written only when
the clause states conditions or materials; the question's own words (its content bigrams) tell which
was asked.  It ranks before yes-no, procedure and list (申报条件有哪些 asks for the conditions, not for
a list of anything), after the number and body questions.  No second-stage feature of its own.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.retrieval.answer_types.base import AnswerType

if TYPE_CHECKING:
    from bot.retrieval.catalog import DocumentCatalog
    from bot.retrieval.intent import QuestionIntent
    from ingest.models import Clause

# How application texts state a condition / a material (符合下列条件, 应具备, 提交…申请表, 证明材料).
CONDITIONS = re.compile(r"条件|资格|具备|符合|满足|不得")
MATERIALS = re.compile(r"材料|资料|证明|申请表|申报表|清单|复印件")
_ASKS_MATERIALS = re.compile(r"材料|资料|证明|交|带|准备")
CONDITIONS_LEAD = "申报条件："
MATERIALS_LEAD = "所需材料："


def _asks_materials(grams: set[str]) -> bool:
    return any(_ASKS_MATERIALS.search(g) for g in grams)


def lead(intent: QuestionIntent, clause: Clause, catalog: DocumentCatalog, grams: set[str]) -> str:
    if _asks_materials(grams):
        return MATERIALS_LEAD if MATERIALS.search(clause.text) else ""
    return CONDITIONS_LEAD if CONDITIONS.search(clause.text) else ""


def missing(intent: QuestionIntent, grams: set[str], evidence: str) -> str:
    """A clause that only says who is supported states no condition and lists no material."""
    if _asks_materials(grams):
        return "" if MATERIALS.search(evidence) else "所需材料"
    return "" if CONDITIONS.search(evidence) else "具体申报条件"


TYPE = AnswerType(name="requirements", precedence=75, cues="requirements", guidance="guidance_requirements",
                  lead=lead, missing=missing)
