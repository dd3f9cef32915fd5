"""Answer types as a registry: each type one module, all of them registered here, in one place.

A type module builds one :class:`~bot.retrieval.answer_types.base.AnswerType` (its cues as data in
``<module>.txt`` beside it, its rank, its second-stage features, its lead line, its prompt file
``prompts/<guidance>.txt``).  bot.retrieval.intent classifies with the registered cues and ranks;
bot.retrieval.rerank adds the registered features; bot.answer (leads, prompting, extractive) reads the
rest.  The registry sits in the retrieval layer so that both retrieval and answer can import it.

Adding a type: write ``<name>.py`` (and ``<name>.txt`` for its cues, ``prompts/guidance_<name>.txt``),
add its ``TYPE`` to :data:`REGISTERED`, and test its cues and lead.
"""
from __future__ import annotations

from functools import cache

from bot.retrieval.answer_types import (
    compare,
    criterion,
    general,
    listing,
    locate,
    lookup,
    metadata,
    procedure,
    quantity,
    requirements,
    responsible,
    yesno,
)
from bot.retrieval.answer_types.base import AnswerType, RerankFeature

__all__ = ["REGISTERED", "AnswerType", "RerankFeature", "by_name", "cue_sections", "features", "names"]

REGISTERED: tuple[AnswerType, ...] = (
    compare.TYPE,
    locate.TYPE,
    lookup.TYPE,
    metadata.TYPE,
    responsible.TYPE,
    quantity.TYPE,
    requirements.TYPE,
    criterion.TYPE,
    yesno.TYPE,
    procedure.TYPE,
    listing.TYPE,
    general.TYPE,
)
GENERAL = general.TYPE.name  # the type of a question no cue asks anything of


@cache
def _by_name() -> dict[str, AnswerType]:
    table: dict[str, AnswerType] = {}
    for t in REGISTERED:
        if t.name in table:
            raise ValueError(f"answer type {t.name!r} registered twice")
        table[t.name] = t
    return table


def by_name(name: str) -> AnswerType:
    """The registered type called ``name`` (``general`` for a name nobody registered)."""
    return _by_name().get(name) or _by_name()[GENERAL]


def names() -> tuple[str, ...]:
    """Every registered type, in precedence order."""
    return tuple(t.name for t in sorted(REGISTERED, key=lambda t: t.precedence))


@cache
def cue_sections() -> dict[str, tuple[str, ...]]:
    """Every registered type's cue sections, by section name (a section belongs to one type)."""
    sections: dict[str, tuple[str, ...]] = {}
    for t in REGISTERED:
        for name, words in t.sections().items():
            if name in sections:
                raise ValueError(f"cue section [{name}] of {t.name!r} is defined by another type too")
            sections[name] = words
    return sections


def features() -> tuple[RerankFeature, ...]:
    """The second-stage features every registered type adds, in registry order."""
    return tuple(f for t in REGISTERED for f in t.features)
