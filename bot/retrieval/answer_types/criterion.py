"""``criterion``: by what something is judged (拿什么来衡量, 靠什么评判做得好不好, 考核标准是什么).

A policy states its yardstick once, in a sentence of its own ("以企业的认可度、满意度作为检验质量工作实绩和
成效的准绳"), usually among the principles, while the question shares its topic words (质量强企行动) with every
item of the same document — so the clause that says the yardstick ranks below the items that do the work.
The type's last word moves the best-ranked clause that states a yardstick to the front.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.retrieval.answer_types.base import AnswerType
from ingest.models import FRAME_KINDS
from ingest.text.segment import overlap

if TYPE_CHECKING:
    from bot.retrieval.intent import QuestionIntent
    from ingest.models import Clause

# How Chinese administrative prose names a yardstick: the nouns for one (准绳, 标尺, 尺度, 试金石) and a verb of
# judging fused with 标准/指标/依据 (评价标准, 考核指标).  Source: the Modern Chinese Dictionary's senses of these
# words — not any evaluation question.  A bare 标准 is not one: in quality policy it is mostly a technical standard.
YARDSTICK = re.compile(r"准绳|标尺|尺度|试金石|(评价|衡量|评判|检验|考核|评估|评定)(标准|指标|依据|体系)")
PREFER_WITHIN = 8  # the best clauses the type may choose among


def states_yardstick(text: str) -> bool:
    """The text says by what something is judged."""
    return YARDSTICK.search(text) is not None


def prefer(intent: QuestionIntent, clauses: list[Clause], grams: set[str]) -> int:
    """"拿什么来衡量" is answered by the clause that states the yardstick: when the best clause states none, the
    best-ranked of the next few that states one and shares some of the question's words goes first."""
    if intent.answer_type != "criterion" or not clauses or states_yardstick(clauses[0].text):
        return 0
    return next((i for i, c in enumerate(clauses[1:PREFER_WITHIN], start=1)
                 if c.kind not in FRAME_KINDS and c.kind != "docinfo" and states_yardstick(c.text)
                 and overlap(grams, c.text) > 0), 0)


TYPE = AnswerType(name="criterion", precedence=78, cues="criterion", guidance="guidance_criterion", prefer=prefer)
