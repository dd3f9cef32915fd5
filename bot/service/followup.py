"""Follow-up questions (``那广东呢？``, ``那第16条呢？``) rewritten into questions that stand alone.

With an LLM configured (and its circuit breaker closed) the model rewrites them
(:func:`bot.answer.prompting.condense_question`); otherwise a heuristic uses the question analysis
of the current and the previous question — the documents and item number they name — and never runs
a search to do so.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.answer.llm import available
from bot.answer.prompting import condense_question
from bot.retrieval import HybridRetriever
from bot.retrieval.analysis import QueryAnalysis
from bot.retrieval.catalog import strip_document_names
from bot.settings import Settings

_FOLLOW_UP = re.compile(r"^(那|那么|这个|这些|它|该|此|还有|另外|同样)|[呢吗]？?$")
History = Sequence[Mapping[str, Any] | Sequence[Any]]


def user_turns(history: History, max_chars: int) -> list[str]:
    """The user's earlier questions (dict messages or (user, assistant) pairs), rejected ones left out."""
    turns = [m.get("content") if isinstance(m, Mapping) else m[0] for m in history
             if (isinstance(m, Mapping) and m.get("role") == "user") or isinstance(m, (list, tuple))]
    return [u for u in turns if isinstance(u, str) and u.strip() and len(u) <= max_chars]


class FollowUpRewriter:
    def __init__(self, retriever: HybridRetriever, settings: Settings) -> None:
        self.retriever = retriever
        self.settings = settings

    def _foreign(self, own: QueryAnalysis) -> bool:
        """None of the question's own words occurs in any clause of the collection."""
        words = own.word_alternatives()
        return bool(words) and not any(self.retriever.knows(w) for w, _ in words)

    def standalone(self, question: str, history: History | None) -> str:
        """``question`` completed from the history when it is a follow-up; else unchanged."""
        return self.rewrite(question, history)[0]

    def rewrite(self, question: str, history: History | None) -> tuple[str, QueryAnalysis | None]:
        """The question that stands alone, and its analysis when deciding already made it (the question
        left unchanged): the search takes it instead of analysing the question a second time."""
        if not history:
            return question, None
        if available(self.settings):  # an open circuit breaker: the heuristic below, at once
            return condense_question(question, history, self.settings), None  # type: ignore[arg-type]
        previous = user_turns(history, self.settings.max_question_chars)
        own = self.retriever.analyze(question)
        if own.item and own.doc_ids:
            return question, own  # 天津实施意见第16条 stands on its own
        if not previous or not (len(question) <= 12 or _FOLLOW_UP.search(question)):
            return question, own
        if not _FOLLOW_UP.search(question) and self._foreign(own):
            return question, own  # "今天天气怎么样？": short, but about something no document speaks of — not a follow-up
        prev = previous[-1]
        prev_docs = set(self.retriever.analyze(prev).doc_ids)
        catalog = self.retriever.catalog
        if own.item and not own.doc_ids and prev_docs:  # 那第16条呢？ → same document, new number
            names = [m.display_name for m in catalog if m.doc_id in prev_docs]
            return f"{names[0]}{question.rstrip('？?呢')}", None
        if own.doc_ids and prev_docs:  # 那广东呢：same question, other document
            base = strip_document_names(prev, [m for m in catalog if m.doc_id in prev_docs], gap="")
            return f"{question.rstrip('？?呢')} {base}", None
        return f"{prev} {question}", None
