"""``list``: an enumeration (哪些, 有哪几种).  The LLM is told to list item by item."""
from bot.retrieval.answer_types.base import AnswerType

TYPE = AnswerType(name="list", precedence=100, cues="listing", asked_by=("list",), guidance="guidance_list")
