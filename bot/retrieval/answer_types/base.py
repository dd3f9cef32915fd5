"""What an answer type is: one object that carries everything the stages need to know about it.

A question's answer type (bot.retrieval.intent) used to be a string compared in six places.  Each
type is now one module that builds one :class:`AnswerType`: the cue sections that ask for it (data,
``<module>.txt`` beside the module), where it ranks when several are asked, how it shapes the second
stage (rerank features), its lead line, the prompt file that guides the LLM, and how the extractive
answer treats it.  The stages read these fields; none of them names a type.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.retrieval.catalog import DocumentCatalog
    from bot.retrieval.intent import QuestionIntent
    from ingest.models import Clause

__all__ = ["AnswerType", "Lead", "Missing", "Prefer", "RerankFeature", "read_sections"]

Lead = Callable[["QuestionIntent", "Clause", "DocumentCatalog", set[str]], str]
"""The first line of an answer (``""`` when the clause does not state what was asked)."""

Missing = Callable[["QuestionIntent", set[str], str], str]
"""What the evidence text (the best clauses) does not state of what the type asks for — the words a
partial answer names ("具体金额", "所需材料") — or ``""`` when it states it."""


Prefer = Callable[["QuestionIntent", "list[Clause]", set[str]], int]
"""Which of the best few clauses (second-stage order) answers what the type asks — an index, 0 to keep the
order: a fitted linear score weighs many kinds of evidence, the type knows what its answer must contain."""


@dataclass(frozen=True)
class RerankFeature:
    """One second-stage feature a type adds: ``value(intent, clause)`` for every candidate clause.

    The value function checks the question's type itself (a feature may also fire for the other
    types, as ``docinfo_other`` does).  Its weight is fitted by ``scripts/train_reranker.py`` under
    ``name``; a feature without a fitted weight weighs 0.
    """

    name: str
    value: Callable[[QuestionIntent, Clause], float]


@dataclass(frozen=True)
class AnswerType:
    name: str  # what QuestionIntent.answer_type holds
    precedence: int  # within one sentence the lowest asked wins (see bot.retrieval.intent)
    cues: str | None = None  # the data file of its cue sections: answer_types/<cues>.txt
    asked_by: tuple[str, ...] = ()  # the cue sections whose cues ask for it (default: its name, when it has cues)
    guidance: str | None = None  # the prompt file (prompts/<guidance>.txt) that tells the LLM what to lead with
    lead: Lead | None = None  # its lead line when it is the primary ask
    lead_when_secondary: bool = False  # the lead is also appended when the type is asked second
    features: tuple[RerankFeature, ...] = ()  # how it shapes the second stage
    prefer: Prefer | None = None  # the second stage's last word: which of the best few answers it
    missing: Missing | None = None  # what a partial answer names when the best clauses do not state the asked fact
    answers_from_docinfo: bool = False  # answered by the 文件信息 record, not by the content
    quotes_in_full: bool = False  # the extractive answer reads the clause found out (not only its best sentences)
    # How bot.retrieval.intent reads its cues besides ``asked_by``:
    weak_by: tuple[str, ...] = ()  # sections that ask for it only when two or more documents or places are named
    fallback_by: tuple[str, ...] = ()  # sections that ask for it only when no type at all is asked
    named_precedence: int | None = None  # also asked, at this rank, when two documents are named (compare)
    asked_by_number: bool = False  # asked when the question gives a clause number (lookup)
    asks_number: bool = False  # its cues ask for a clause number (第几条): no number is given, the unit is theirs

    def sections(self) -> dict[str, tuple[str, ...]]:
        """Its cue sections (empty for a type no cue asks for)."""
        return read_sections("bot.retrieval.answer_types", self.cues) if self.cues else {}

    def asking_sections(self) -> tuple[str, ...]:
        """The sections whose cues ask for it in any question."""
        return self.asked_by or ((self.name,) if self.cues else ())


@cache
def read_sections(package: str, name: str) -> dict[str, tuple[str, ...]]:
    """The ``[section]`` blocks of ``<package>/<name>.txt``: ``{"locate": ("第几条", …), …}``.

    ``#`` lines are comments (each file says where its words come from); words are separated by
    spaces or new lines; a word before the first ``[section]`` is an error.
    """
    text = resources.files(package).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        for word in line.split():
            header = re.fullmatch(r"\[(\w+)\]", word)
            if header:
                current = sections.setdefault(header.group(1), [])
            elif current is None:
                raise ValueError(f"{name}.txt: cue {word!r} before the first [section]")
            else:
                current.append(word)
    return {section: tuple(words) for section, words in sections.items()}
