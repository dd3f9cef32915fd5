"""The public app's callbacks (reading only): call :class:`bot.service.PolicyBot`, render what comes back.

No retrieval or answer logic lives here; a handler turns the components' values into a service call
and the result into component values through the render functions.  Return tuples follow the
output lists wired in :mod:`bot.ui.layout`.  Writes live in :mod:`bot.ui.admin_handlers`, served
only by the admin app.
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import gradio as gr

from bot.answer.schemas import Answer
from bot.retrieval import SearchFilters
from bot.service import PolicyBot, QuestionError, StoreUnavailable
from bot.service.questions import drop_surrogates
from bot.ui.render_chat import assistant_turn, conversation_plain, pending_chat, render_chat, render_sources
from bot.ui.render_lookup import (
    department_choices,
    doc_choices,
    documents_table,
    level_choices,
    lookup_doc_choices,
    region_choices,
    render_lookup_error,
    render_outline,
    render_results,
    result_rows,
    step_target,
    year_choices,
)
from bot.ui.tempfiles import export_path
from ingest.catalog import STATUS_CHOICES

LOOKUP_K = 20  # hits a lookup shows
STREAM_EVERY_CHARS = 200  # a streamed answer updates the page per this many new characters …
STREAM_EVERY_SECONDS = 0.25  # … or this often, whichever comes first (not once per model token)
RATINGS = {"up": "up", "down": "down", "有帮助": "up", "没帮助": "down"}  # API values and button labels

Update = dict[str, Any]  # gr.update(...) / gr.skip()


def _client(request: gr.Request | None) -> str:
    """The sender's address (the key of the per-client log rates); "" when Gradio gives none."""
    client = getattr(request, "client", None)
    return str(getattr(client, "host", "") or "")


class UIHandlers:
    """One instance per app; its bound methods are the Gradio event callbacks.

    Method and parameter names matter: Gradio derives the names of unnamed (private) endpoints and
    the parameters of the public API from them.  Callbacks carry comments, not docstrings: Gradio
    would publish a docstring as the endpoint's API description.
    """

    def __init__(self, bot: PolicyBot) -> None:
        self.bot = bot

    # ----- 智能问答 --------------------------------------------------------------------------------
    def chat(self, message: str, doc_ids: list[str], regions: list[str],
             history: list[dict], request: gr.Request | None = None) -> Iterator[tuple[Any, ...]]:
        # Streams (chatbot, sources, history, last answer, question box) per update.
        # An unreachable index keeps the question in the box and says so; updates are batched.
        history = list(history or [])
        message = drop_surrogates(message or "")
        question = message.strip()
        if not question:
            gr.Warning("请输入问题。")
            yield render_chat(history, None), gr.skip(), history, gr.skip(), message
            return
        filters = SearchFilters(doc_ids=list(doc_ids or []), regions=list(regions or []))
        pending = [*history, {"role": "user", "content": question}]
        yield pending_chat(pending), render_sources(Answer(question=question, answer="", done=False)), history, None, ""
        last: Answer | None = None
        shown_chars, shown_at = 0, time.monotonic()
        try:
            for last in self.bot.answer_stream(question, history, filters, client=_client(request)):
                fresh = len(last.answer) - shown_chars >= STREAM_EVERY_CHARS
                if not last.done and (fresh or time.monotonic() - shown_at >= STREAM_EVERY_SECONDS):
                    shown_chars, shown_at = len(last.answer), time.monotonic()
                    shown = render_chat([*pending, {"role": "assistant", "content": last.answer}], last)
                    yield shown, render_sources(last), history, None, ""
        except StoreUnavailable as exc:
            gr.Warning(str(exc))
            yield render_chat(history, None), render_lookup_error(f"{exc}（您的问题已保留在输入框中）"), history, None, message
            return
        assert last is not None
        shown_history = [*pending, assistant_turn(last)]
        # A rejected question (empty, too long) is shown but not kept as context for follow-ups.
        kept = history if last.mode == "input-error" else shown_history
        yield render_chat(shown_history, last), render_sources(last), kept, last.model_dump(), ""

    def export_chat(self, history: list[dict] | None) -> str | None:
        # The conversation as a plain-text file, exactly what 复制对话 copies (the 导出对话 button).
        if not history:
            return None
        path = export_path("政策问答", ".txt")  # swept after TEMP_FILE_TTL (bot/ui/tempfiles.py)
        path.write_text(conversation_plain(history), encoding="utf-8")
        return str(path)

    def conversation(self, history: list[dict] | None) -> str:
        # The plain text 复制对话 puts on the clipboard (kept in a hidden box the button's script reads).
        return conversation_plain(history or []) if history else ""

    def clear_chat(self) -> tuple[Any, ...]:
        return [], render_sources(None), [], None, "", ""

    def feedback(self, rating: str, comment: str, last: dict | None, request: gr.Request | None = None) -> str:
        # Records a rating of the last answer (``last`` is its ``model_dump``).
        r = RATINGS.get((rating or "").strip(), "")
        if not r:
            return "反馈类型无效（应为 up 或 down）。"
        if not last:
            return "请先提问，再对回答进行评价。"
        try:
            if not self.bot.feedback.record(last, r, comment or "", client=_client(request)):
                return "反馈过于频繁，请稍后再试。"
        except OSError:  # a full disk: say so instead of an error page
            return "暂时无法记录反馈（服务器存储空间不足），请稍后再试。"
        return "已记录您的反馈（" + ("有帮助" if r == "up" else "没帮助") + "），谢谢！"

    # ----- 条款检索 --------------------------------------------------------------------------------
    def lookup(self, query: str, phrase: bool, doc_id: str, region: str = "", level: str = "", year: str = "",
               department: str = "", status: str = "") -> tuple[str, list[dict]]:
        # The hotline result page and the same clauses as data; a rejected query shows its reason.
        q = drop_surrogates(query or "").strip()
        filters = SearchFilters(doc_ids=[drop_surrogates(doc_id)] if doc_id else [],
                                regions=[region] if region else [], levels=[level] if level else [],
                                years=[year] if year else [], department=drop_surrogates(department or "") or None)
        if phrase:
            filters.phrase = q.strip("“”\"「」『』 ")
        try:
            result = self.bot.hotline_search(q, k=LOOKUP_K, filters=filters,
                                             status=status if status in STATUS_CHOICES else None)
        except (QuestionError, StoreUnavailable) as exc:
            return render_lookup_error(exc), []
        return render_results(result), result_rows(result)

    def step_prev(self, rows: list[dict] | None) -> tuple[Any, Any]:
        # 上一条: the clause before the shown one, replacing it in place.
        return self._step(rows, -1)

    def step_next(self, rows: list[dict] | None) -> tuple[Any, Any]:
        # 下一条: the clause after the shown one.
        return self._step(rows, 1)

    def _step(self, rows: list[dict] | None, step: int) -> tuple[Any, Any]:
        target = step_target(rows if isinstance(rows, list) else [], step)
        if not target:
            return gr.skip(), gr.skip()
        try:
            result = self.bot.hotline_clause(target)
        except StoreUnavailable as exc:
            return render_lookup_error(exc), []
        return render_results(result), result_rows(result)

    def outline(self, doc_id: str) -> str:
        # The dropdown allows typing, so a name or alias is resolved too.
        doc_id = drop_surrogates(doc_id or "")
        docs = self.bot.library.documents()
        doc = next((d for d in docs if d["doc_id"] == doc_id), None)
        if doc is None and doc_id:
            resolved = self.bot.library.resolve(doc_id)
            doc = next((d for d in docs if d["doc_id"] == resolved), None)
        return render_outline(doc, self.bot.library.outline(doc["doc_id"]) if doc else [])

    # ----- 文档管理 --------------------------------------------------------------------------------
    def choice_updates(self) -> tuple[Update, ...]:
        """New choices for every picker (filter, regions, lookup document/region/level/year/department, browse)."""
        docs = self.bot.library.documents()
        dc = doc_choices(docs)
        return (gr.update(choices=dc), gr.update(choices=region_choices(docs)),
                gr.update(choices=lookup_doc_choices(docs)), gr.update(choices=dc),
                gr.update(choices=["", *region_choices(docs)]), gr.update(choices=["", *level_choices(docs)]),
                gr.update(choices=["", *year_choices(docs)]),
                gr.update(choices=department_choices(self.bot.library.department_groups())))

    def documents(self) -> list[list[Any]]:
        return documents_table(self.bot.library.documents())

    def open_clause(self, request: gr.Request) -> tuple[Any, ...]:
        # A clause link (/?clause=<id>, the API's citation URLs) opens the lookup tab on that clause.
        clause_id = drop_surrogates(request.query_params.get("clause") or "") if request else ""
        view = self.bot.clause_view(clause_id) if clause_id else None
        if view is None:
            return gr.skip(), gr.skip(), gr.skip()
        return gr.Tabs(selected="lookup"), view.query, render_results(view)

    def on_load(self) -> tuple[Any, ...]:
        # Fresh table and choices per page load (another session may have changed the library).
        return (documents_table(self.bot.library.documents()), *self.choice_updates())
