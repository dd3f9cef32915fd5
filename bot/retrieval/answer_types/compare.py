"""``compare``: across documents or places (各地, 和…比, 有什么不同).

A ``[compare_weak]`` cue (分别, 都, 哪个 …) asks for a comparison only when two or more documents or
places are named, and naming two documents asks for one even without a cue, at a lower rank
(``named_precedence``: after a metadata question, 国家意见和天津实施意见是谁发的 is metadata first);
bot.retrieval.intent applies both.  The extractive answer then writes one block per document.
"""
from bot.retrieval.answer_types.base import AnswerType

TYPE = AnswerType(name="compare", precedence=10, cues="compare", asked_by=("compare",), weak_by=("compare_weak",),
                  named_precedence=50, guidance="guidance_compare")
