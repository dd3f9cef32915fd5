"""``general``: a question that asks for no particular kind of answer (no cue of any type)."""
from bot.retrieval.answer_types.base import AnswerType

TYPE = AnswerType(name="general", precedence=1000)
