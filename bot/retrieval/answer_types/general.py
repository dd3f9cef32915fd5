"""``general``: a question that asks what the documents say, and for no particular kind of answer —
asked by its frames (general.txt: 怎么规定, 有什么要求) or by no cue at all."""
from bot.retrieval.answer_types.base import AnswerType

TYPE = AnswerType(name="general", precedence=1000, cues="general")
