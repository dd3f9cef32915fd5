"""``procedure``: how to do it (怎么办, 怎么申请, 流程).  The LLM is told to follow the sources' steps."""
from bot.retrieval.answer_types.base import AnswerType

TYPE = AnswerType(name="procedure", precedence=90, cues="procedure", guidance="guidance_procedure")
