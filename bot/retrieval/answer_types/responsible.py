"""``responsible``: the responsible body (谁负责, 哪些部门, 牵头).

Lead: "由A、B负责。" from the clause's departments — also when the body is asked second
(…有没有…？这事由哪些部门负责？).  Second stage: a clause that lists responsible bodies fits.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from bot.retrieval.answer_types.base import AnswerType, RerankFeature

if TYPE_CHECKING:
    from bot.retrieval.catalog import DocumentCatalog
    from bot.retrieval.intent import QuestionIntent
    from ingest.models import Clause


def bodies(clause: Clause) -> str:
    return f"由{'、'.join(clause.departments)}负责。" if clause.departments else ""


def lead(intent: QuestionIntent, clause: Clause, catalog: DocumentCatalog, grams: set[str]) -> str:
    return bodies(clause)


def fits(intent: QuestionIntent, clause: Clause) -> float:
    """A responsible-body question and the clause lists responsible bodies."""
    return 1.0 if intent.answer_type == "responsible" and clause.departments else 0.0


TYPE = AnswerType(name="responsible", precedence=60, cues="responsible", guidance="guidance_responsible", lead=lead,
                  lead_when_secondary=True, features=(RerankFeature("responsible_fit", fits),))
