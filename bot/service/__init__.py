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
from functools import cached_property
from typing import TYPE_CHECKING

from bot.answer.schemas import Answer, Citation
from bot.retrieval import HybridRetriever, SearchFilters, SearchResult
from bot.service.access import AdminGuard, AuditLog
from bot.service.admin import AdminActions, NotAllowed
from bot.service.apikeys import ApiKeys, Caller
from bot.service.feedback import FeedbackLog
from bot.service.hotline import HotlineResult, HotlineSearch
from bot.service.jobs import IngestJobs, QueueFull
from bot.service.library import DocumentLibrary
from bot.service.lifecycle import Lifecycle, LifecycleView
from bot.service.questions import QuestionError, check_question
from bot.service.review import RefusalLog
from bot.service.stats import AnswerStats
from bot.settings import Settings, get_settings
from vectorstore.chroma_store import ClauseStore, StoreUnavailable

if TYPE_CHECKING:
    from bot.service.followup import FollowUpRewriter, History

__all__ = ["ApiKeys", "Caller", "HotlineResult", "NotAllowed", "PolicyBot", "QuestionError", "QueueFull", "StoreUnavailable",
           "get_bot"]

log = logging.getLogger(__name__)


class PolicyBot:
    def __init__(self, settings: Settings | None = None, store: ClauseStore | None = None) -> None:
        self.settings = settings or get_settings()
        self.store = store or ClauseStore(self.settings.store_config())
        self.retriever = HybridRetriever(self.store)
        self.lifecycle = Lifecycle(self.retriever, self.settings.today, self.settings.overrides_file)
        self.library = DocumentLibrary(self.settings, self.store, self.retriever, self.lifecycle)
        bounds = {"max_bytes": self.settings.log_max_bytes, "rate": self.settings.log_rate}
        self.feedback = FeedbackLog(self.settings.data_dir / "feedback.jsonl", **bounds)
        self.refusals = RefusalLog(self.settings.data_dir / "refused.jsonl", **bounds)
        self.record_refusals = True  # off for evaluation runs: their questions are not users' questions
        self.audit = AuditLog(self.settings.audit_log, **bounds)
        self.admin = AdminGuard(self.settings, self.audit)
        self.jobs = IngestJobs(self.settings.ingest_queue_size)
        self.api_keys = ApiKeys(self.settings.env_api_keys(), self.settings.api_keys_file, self.audit)
        self.admin_actions = AdminActions(self.library, self.jobs, self.admin, self.audit, self.api_keys)
        self.hotline = HotlineSearch(self.retriever)
        self.stats = AnswerStats()
        self._watch: threading.Thread | None = None

    @cached_property
    def follow_up(self) -> FollowUpRewriter:
        """The follow-up rewriter, made by the first answer: its LLM client, prompts and tokenizer are
        nothing a lookup or a document list needs to import."""
        from bot.service.followup import FollowUpRewriter

        return FollowUpRewriter(self.retriever, self.settings)

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
                    self.lifecycle.view()  # statuses and links of a changed collection: built here, not in a request
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
        view = self.lifecycle.view()
        return [view.annotate(Citation.from_clause(h.clause, score=round(h.score, 4), via=h.via)) for h in result.hits]

    def hotline_search(self, query: str, k: int = 20, filters: SearchFilters | None = None,
                       status: str | None = None) -> HotlineResult:
        """Clauses containing the query's terms first (counted), related ones apart, an exact reference
        alone with its neighbours, a missing number with the outline; raises :class:`QuestionError`.
        ``status`` (现行有效, 已失效 …) keeps only documents in that state on the configured day."""
        q = self.check_question(query)
        self._refresh()
        view = self.lifecycle.view()
        keep = None
        if status:
            keep = lambda doc_id: (s := view.status(doc_id)) is not None and s.state == status  # noqa: E731
        result = self._named(self.hotline.run(q, k, filters, keep))
        view.annotate_all(c for _, c in result.shown())
        return result

    def _named(self, result: HotlineResult) -> HotlineResult:
        """Result cards name each document as the lists do: equal names told apart."""
        names = self.library.distinct_names()
        for _, c in result.shown():
            c.doc_name = names.get(c.doc_id, c.doc_name)
        return result

    def hotline_clause(self, clause_id: str) -> HotlineResult:
        """One clause's page on the search desk (the 上一条 / 下一条 steps), with its documents' status."""
        self._refresh()
        result = self._named(self.hotline.at(clause_id))
        self.lifecycle.view().annotate_all(c for _, c in result.shown())
        return result

    def answer_stream(self, question: str, history: History | None = None,
                      filters: SearchFilters | None = None, client: str | None = None) -> Iterator[Answer]:
        """Partial answers (``done=False``) while the LLM streams, then the final one; raises
        :class:`StoreUnavailable` (before any answer) when the index server cannot be reached.
        ``client`` (the asker's address) bounds how many of its refusals are logged per minute."""
        from bot.answer.compose import answer_stream, localize  # the answer stack: only a command that answers loads it
        from bot.answer.in_force import prefer_in_force

        started = time.perf_counter()
        try:
            q = self.check_question(question)
        except QuestionError as exc:
            yield Answer(question=question or "", answer=str(exc), refused=True, mode="input-error")
            return
        self._refresh()
        standalone, analysis = self.follow_up.rewrite(q, history)
        result = self.retriever.search(standalone, 8, filters, analysis=analysis)
        view = self.lifecycle.view()
        result = prefer_in_force(result, view.in_force)
        special = self._implementation(standalone, result, view) or self._status(standalone, result, view)
        if special is not None:  # a question about the documents' life, not about a clause
            special.question = q
            yield view.warn(localize(special))
            return
        final = None
        for final in answer_stream(standalone, result, self.retriever.view_of(result).catalog, self.settings):
            final.question = q
            view.warn(final)
            if final.done:
                self.stats.record(final)
            if final.done and final.refused and self.record_refusals:
                try:
                    self.refusals.record(final, client)  # what users could not get: the maintainer's to-do list
                except OSError:
                    log.exception("could not record a refused question")
            yield final
        log.info("answered in %.0f ms (mode=%s, refused=%s)", (time.perf_counter() - started) * 1000,
                 final.mode if final else "-", final.refused if final else "-")

    def _implementation(self, question: str, result: SearchResult, view: LifecycleView) -> Answer | None:
        """"天津是怎么落实国家民企质量意见的？": the implementing document's clauses per part, when its text
        says it implements the document named (None otherwise: the ordinary answer)."""
        from bot.answer.implementation import implementation_answer, implementation_pairs

        pairs = implementation_pairs(question, result.analysis, view.graph)
        if not pairs:
            return None
        target = view.graph.metas[pairs[0][1]]
        snap = self.retriever.view_of(result)
        doers = []
        for doer, implemented in pairs:
            if implemented != target.doc_id:
                continue
            relations: list[str] = list(dict.fromkeys(k.relation for k in view.graph.outgoing(doer)
                                                       if k.target == implemented))
            doers.append((view.graph.metas[doer], relations, snap.doc_clauses(doer)))
        return implementation_answer(question, target, doers, snap.doc_clauses(target.doc_id))

    def _status(self, question: str, result: SearchResult, view: LifecycleView) -> Answer | None:
        """"旧计量券办法还有效吗？": the named document's status with the clause it rests on and, when it is
        not in force, the documents in force that replaced it or carry its title (None: not such a question)."""
        from bot.answer.status_answer import (
            asks_predecessor,
            newer_of_two_named,
            predecessor_answer,
            status_answer,
            status_subject,
            subject_document,
        )
        from ingest.links import ENDING

        newer = newer_of_two_named(question, result, {d: m.date for d, m in view.graph.metas.items()})
        predecessor = newer is not None or asks_predecessor(question)
        doc_id = newer or (subject_document(question, result) if predecessor else status_subject(question, result))
        status = view.status(doc_id) if doc_id else None
        if doc_id is None or status is None:
            return None
        snap = self.retriever.view_of(result)
        if predecessor:  # "之前的规划是不是就作废了": what this document says it ended, if anything
            ended = [link for link in view.graph.outgoing(doc_id) if link.relation in ENDING]
            return predecessor_answer(question, view.graph.metas[doc_id], status, snap.doc_clauses(doc_id), ended)
        successors = []
        if not status.in_force:
            for other in view.successors(doc_id):
                other_status = view.status(other)
                if other_status is not None:
                    successors.append((view.graph.metas[other], other_status, snap.doc_clauses(other)))
        return status_answer(question, view.graph.metas[doc_id], status, snap.doc_clauses(doc_id),
                             successors)

    def answer(self, question: str, history: History | None = None, filters: SearchFilters | None = None) -> Answer:
        *_, final = self.answer_stream(question, history, filters)
        return final

    def clause_view(self, clause_id: str) -> HotlineResult | None:
        """One clause by id with its neighbours, as the lookup shows an exact reference (the API's clause links)."""
        self._refresh()
        c = self.library.clause(clause_id)
        if c is None:
            return None
        return HotlineResult(query=f"{c.doc_name} {c.item_label or c.item}", exact=[c], neighbours=self.hotline.neighbours(c))

    def index_counts(self) -> tuple[int, int]:
        """(documents, clause parts) of the snapshot this process serves."""
        snapshot = self.retriever.snapshot
        return len(snapshot.catalog.metas), len(snapshot)

    def readiness(self) -> str | None:
        """Why this process should not get traffic (no index loaded, the store unreachable), or None."""
        if self.index_counts()[0] == 0:
            return "index not loaded (no documents)"
        try:
            self.store.ping()
        except StoreUnavailable as exc:
            return f"vector store unreachable ({exc})"
        return None

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
