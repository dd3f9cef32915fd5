"""``procedure``: how to do it (怎么办, 怎么申请, 流程).  The LLM is told to follow the sources' steps.

A clause that speaks of no applying, materials or steps does not tell how: the answer is then partial
and says the procedure is not written.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.retrieval.answer_types.base import AnswerType

if TYPE_CHECKING:
    from bot.retrieval.intent import QuestionIntent

# How a text speaks of doing something administrative (申请, 提交, 办理, 受理 …).
PROCEDURE_EVIDENCE = re.compile(r"申请|申报|提交|材料|流程|程序|办理|受理|备案|报送|登记")
MISSING_PROCEDURE = "办理流程和所需材料"


def missing(intent: QuestionIntent, grams: set[str], evidence: str) -> str:
    return "" if PROCEDURE_EVIDENCE.search(evidence) else MISSING_PROCEDURE


TYPE = AnswerType(name="procedure", precedence=90, cues="procedure", guidance="guidance_procedure",
                  missing=missing)
