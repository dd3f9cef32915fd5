"""Lead lines: the first line of an answer, saying what was asked in the question's own terms.

"由哪些部门负责？" is answered by the responsible bodies, "计划推动多少家…？" by the sentence piece
with the number, "有没有…？" by "有。", "是第几条？" by the item's number in the unit the user counted
in, "文号是多少？" by the document's record.  Each answer type writes its own lead (its module in
bot.retrieval.answer_types); this module picks the primary type's and appends those of the types asked
second that lead then too (the responsible bodies).  A lead is only written when the cited clause
states it; otherwise the answer starts with the quoted sentences.
"""
from __future__ import annotations

from bot.retrieval.answer_types import by_name
from bot.retrieval.answer_types.yesno import YES
from bot.retrieval.catalog import DocumentCatalog
from bot.retrieval.intent import QuestionIntent
from ingest.models import Clause

__all__ = ["YES", "lead"]


def lead(intent: QuestionIntent, clause: Clause, catalog: DocumentCatalog, grams: set[str]) -> str:
    """The lead line for the primary ask, plus the leads of the types asked second that lead then too."""
    primary = by_name(intent.answer_type)
    line = primary.lead(intent, clause, catalog, grams) if primary.lead else ""
    for name in intent.secondary:
        second = by_name(name)
        if second is not primary and second.lead_when_secondary and second.lead:
            line += second.lead(intent, clause, catalog, grams)
    return line
