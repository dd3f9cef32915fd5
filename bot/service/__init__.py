"""The one service the CLI and the Gradio app share.

``PolicyBot`` is a thin facade over separate collaborators — the document library
(:mod:`.library`), the follow-up rewriter (:mod:`.followup`), the feedback log (:mod:`.feedback`) —
plus the two reading paths, :meth:`PolicyBot.search` and :meth:`PolicyBot.answer_stream`.  UI
handlers and CLI commands call it and render what comes back, so every surface behaves the same.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator

from bot.answer.compose import answer_stream
from bot.answer.schemas import Answer, Citation
from bot.retrieval import HybridRetriever, SearchFilters
from bot.service.access import AdminGuard, AuditLog
from bot.service.admin import AdminActions, NotAllowed
from bot.service.feedback import FeedbackLog
from bot.service.followup import FollowUpRewriter, History
from bot.service.hotline import HotlineResult, HotlineSearch
from bot.service.jobs import IngestJobs, QueueFull
from bot.service.library import DocumentLibrary
from bot.service.questions import QuestionError, check_question
from bot.service.review import RefusalLog
from bot.settings import Settings, get_settings
from vectorstore.chroma_store import ClauseStore, StoreUnavailable

__all__ = ["HotlineResult", "NotAllowed", "PolicyBot", "QuestionError", "QueueFull", "StoreUnavailable", "get_bot"]

log = logging.getLogger(__name__)


class PolicyBot:
    def __init__(self, settings: Settings | None = None, store: ClauseStore | None = None) -> None:
        self.settings = settings or get_settings()
        self.store = store or ClauseStore(self.settings.store_config())
        self.retriever = HybridRetriever(self.store)
        self.library = DocumentLibrary(self.settings, self.store, self.retriever)
        self.follow_up = FollowUpRewriter(self.retriever, self.settings)
        self.feedback = FeedbackLog(self.settings.data_dir / "feedback.jsonl")
        self.refusals = RefusalLog(self.settings.data_dir / "refused.jsonl")
        self.record_refusals = True  # off for evaluation runs: their questions are not users' questions
        self.audit = AuditLog(self.settings.audit_log)
        self.admin = AdminGuard(self.settings, self.audit)
        self.jobs = IngestJobs(self.settings.ingest_queue_size)
        self.admin_actions = AdminActions(self.library, self.jobs, self.admin, self.audit)
        self.hotline = HotlineSearch(self.retriever)
        self._watch: threading.Thread | None = None

    def start_index_watch(self) -> None:
        """Serving processes: compare the index's active versions every ``index_check_seconds`` on a
        background thread (and reassemble the snapshot there), so no request pays for the check.
        Without it (the CLI, tests) each search checks first when the interval has passed."""
        if self._watch is not None or self.settings.index_check_seconds <= 0:
            return
        interval = self.settings.index_check_seconds

        def watch() -> None:
            while True:
                time.sleep(interval)
                try:
                    self.retriever.refresh_if_changed(interval * 0.5)
                except Exception as exc:  # a Chroma outage: requests report it; keep watching
                    log.info("index check failed (%s)", type(exc).__name__)

        self._watch = threading.Thread(target=watch, name="policybot-index-watch", daemon=True)
        self._watch.start()

    def _refresh(self) -> None:
        if self._watch is None:
            self.retriever.refresh_if_changed(self.settings.index_check_seconds)

    def check_question(self, question: str | None) -> str:
        return check_question(question, self.settings.max_question_chars)

    def search(self, query: str, k: int = 10, filters: SearchFilters | None = None) -> list[Citation]:
        """Ranked clauses (no answer); raises :class:`QuestionError` on a question it will not run."""
        q = self.check_question(query)
        self._refresh()
        result = self.retriever.search(q, k, filters)
        return [Citation.from_clause(h.clause, score=round(h.score, 4), via=h.via) for h in result.hits]

    def hotline_search(self, query: str, k: int = 20, filters: SearchFilters | None = None) -> HotlineResult:
        """Clauses containing the query's terms first (counted), related ones apart, an exact reference
        alone with its neighbours, a missing number with the outline; raises :class:`QuestionError`."""
        q = self.check_question(query)
        self._refresh()
        return self._named(self.hotline.run(q, k, filters))

    def _named(self, result: HotlineResult) -> HotlineResult:
        """Result cards name each document as the lists do: equal names told apart."""
        names = self.library.distinct_names()
        for _, c in result.shown():
            c.doc_name = names.get(c.doc_id, c.doc_name)
        return result

    def hotline_clause(self, clause_id: str) -> HotlineResult:
        """One clause's page on the search desk (the 上一条 / 下一条 steps)."""
        self._refresh()
        return self._named(self.hotline.at(clause_id))

    def answer_stream(self, question: str, history: History | None = None,
                      filters: SearchFilters | None = None) -> Iterator[Answer]:
        """Partial answers (``done=False``) while the LLM streams, then the final one; raises
        :class:`StoreUnavailable` (before any answer) when the index server cannot be reached."""
        started = time.perf_counter()
        try:
            q = self.check_question(question)
        except QuestionError as exc:
            yield Answer(question=question or "", answer=str(exc), refused=True, mode="input-error")
            return
        self._refresh()
        standalone = self.follow_up.standalone(q, history)
        result = self.retriever.search(standalone, 8, filters)
        final = None
        for final in answer_stream(standalone, result, self.retriever.catalog, self.settings):
            final.question = q
            if final.done and final.refused and self.record_refusals:
                try:
                    self.refusals.record(final)  # what users could not get: the maintainer's to-do list
                except OSError:
                    log.exception("could not record a refused question")
            yield final
        log.info("answered in %.0f ms (mode=%s, refused=%s)", (time.perf_counter() - started) * 1000,
                 final.mode if final else "-", final.refused if final else "-")

    def answer(self, question: str, history: History | None = None, filters: SearchFilters | None = None) -> Answer:
        *_, final = self.answer_stream(question, history, filters)
        return final

    def mode_description(self) -> str:
        s = self.settings
        if not s.llm_configured:
            return "回答模式：检索摘录（未配置大模型）"
        return f"回答模式：大模型 {s.llm_model}"  # never the endpoint URL: it can carry credentials


_bot: PolicyBot | None = None
_bot_lock = threading.Lock()


def get_bot() -> PolicyBot:
    """Process-wide bot (the app serves many sessions from one index)."""
    global _bot
    with _bot_lock:
        if _bot is None:
            _bot = PolicyBot()
        return _bot
