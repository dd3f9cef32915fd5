"""``yesno``: yes-no or eligibility (有没有, 能不能, …吗, 哪些企业可以).

Its lead is :data:`YES`, which runs on into the quoted measure: the clause retrieved is the "yes".
Eligibility said about oneself (``[eligibility]``: 我们小厂…) asks a yes-no question only when
nothing else is asked (bot.retrieval.intent).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from bot.retrieval.answer_types.base import AnswerType

if TYPE_CHECKING:
    from bot.retrieval.catalog import DocumentCatalog
    from bot.retrieval.intent import QuestionIntent
    from ingest.models import Clause

YES = "有。"  # the lead of a yes-no question the sources answer; it runs on into the quoted measure


def lead(intent: QuestionIntent, clause: Clause, catalog: DocumentCatalog, grams: set[str]) -> str:
    return YES


TYPE = AnswerType(name="yesno", precedence=80, cues="yesno", asked_by=("yesno",), fallback_by=("eligibility",),
                  guidance="guidance_yesno", lead=lead)
