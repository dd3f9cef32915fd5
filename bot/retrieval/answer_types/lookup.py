"""``lookup``: the user gives a clause number (第15条, 二（六）, 纲要（二十四）, “天津实施意见 15”).

No cue asks for it: bot.retrieval.intent finds the number itself (and a locate cue cancels it:
第几条 asks for a number, it does not give one).  The extractive answer quotes the clause whole.
"""
from bot.retrieval.answer_types.base import AnswerType

TYPE = AnswerType(name="lookup", precedence=30, guidance="guidance_lookup", asked_by_number=True)
