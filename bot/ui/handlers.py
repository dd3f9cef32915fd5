"""The UI callbacks: call :class:`bot.service.PolicyBot`, render what comes back.

No retrieval or answer logic lives here; a handler turns the components' values into a service call
and the result into component values through the render functions.  Return tuples follow the
output lists wired in :mod:`bot.ui.layout`.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from bot.answer.schemas import Answer
from bot.retrieval import SearchFilters
from bot.service import PolicyBot, QuestionError
from bot.ui.render_chat import pending_chat, render_chat, render_sources
from bot.ui.render_lookup import (
    doc_choices,
    doc_names,
    documents_table,
    lookup_doc_choices,
    region_choices,
    render_lookup_error,
    render_outline,
    render_results,
    result_rows,
    upload_error_row,
    upload_row,
    upload_table,
)

LOOKUP_K = 20  # hits a lookup shows
RATINGS = {"up": "up", "down": "down", "有帮助": "up", "没帮助": "down"}  # API values and button labels

Update = dict[str, Any]  # gr.update(...) / gr.skip()


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
             history: list[dict]) -> Iterator[tuple[Any, ...]]:
        # Streams (chatbot, sources, history, last answer, question box) per update.
        history = list(history or [])
        question = (message or "").strip()
        if not question:
            gr.Warning("请输入问题。")
            yield render_chat(history, None), gr.skip(), history, gr.skip(), message
            return
        filters = SearchFilters(doc_ids=list(doc_ids or []), regions=list(regions or []))
        pending = [*history, {"role": "user", "content": question}]
        yield pending_chat(pending), render_sources(Answer(question=question, answer="", done=False)), history, None, ""
        last: Answer | None = None
        for last in self.bot.answer_stream(question, history, filters):
            shown = render_chat([*pending, {"role": "assistant", "content": last.answer}], last)
            if not last.done:
                yield shown, render_sources(last), history, None, ""
        assert last is not None
        shown_history = [*pending, {"role": "assistant", "content": last.answer}]
        # A rejected question (empty, too long) is shown but not kept as context for follow-ups.
        kept = history if last.mode == "input-error" else shown_history
        yield render_chat(shown_history, last), render_sources(last), kept, last.model_dump(), ""

    def clear_chat(self) -> tuple[Any, ...]:
        return [], render_sources(None), [], None, "", ""

    def feedback(self, rating: str, comment: str, last: dict | None) -> str:
        # Records a rating of the last answer (``last`` is its ``model_dump``).
        r = RATINGS.get((rating or "").strip(), "")
        if not r:
            return "反馈类型无效（应为 up 或 down）。"
        if not last:
            return "请先提问，再对回答进行评价。"
        self.bot.feedback.record(last, r, comment or "")
        return "已记录您的反馈（" + ("有帮助" if r == "up" else "没帮助") + "），谢谢！"

    # ----- 条款检索 --------------------------------------------------------------------------------
    def lookup(self, query: str, phrase: bool, doc_id: str) -> tuple[str, list[dict]]:
        # Result cards and the same hits as data; a rejected query shows its reason.
        q = (query or "").strip()
        filters = SearchFilters(doc_ids=[doc_id] if doc_id else [])
        if phrase:
            filters.phrase = q.strip("“”\"「」『』 ")
        try:
            results = self.bot.search(q, k=LOOKUP_K, filters=filters)
        except QuestionError as exc:
            return render_lookup_error(exc), []
        return render_results(q, results, phrase, doc_names(self.bot.library.documents())), result_rows(results)

    def outline(self, doc_id: str) -> str:
        # The dropdown allows typing, so a name or alias is resolved too.
        docs = self.bot.library.documents()
        doc = next((d for d in docs if d["doc_id"] == doc_id), None)
        if doc is None and doc_id:
            resolved = self.bot.library.resolve(doc_id)
            doc = next((d for d in docs if d["doc_id"] == resolved), None)
        return render_outline(doc, self.bot.library.outline(doc["doc_id"]) if doc else [])

    # ----- 文档管理 --------------------------------------------------------------------------------
    def choice_updates(self) -> tuple[Update, ...]:
        """New choices for every document picker (filter, regions, lookup, browse, remove)."""
        docs = self.bot.library.documents()
        dc = doc_choices(docs)
        return (gr.update(choices=dc), gr.update(choices=region_choices(docs)),
                gr.update(choices=lookup_doc_choices(docs)), gr.update(choices=dc), gr.update(choices=dc))

    def documents(self) -> list[list[Any]]:
        return documents_table(self.bot.library.documents())

    def upload(self, files: list[str] | None) -> tuple[Any, ...]:
        # One bad file must not abort the batch.
        rows = []
        for f in files or []:
            path = Path(f if isinstance(f, str) else getattr(f, "name", str(f)))
            try:
                r = self.bot.library.add_upload(path.name, path)
            except Exception as exc:
                rows.append(upload_error_row(path.name, exc))
                continue
            rows.append(upload_row(path.name, r))
        return (upload_table(rows), documents_table(self.bot.library.documents()), *self.choice_updates())

    def remove(self, doc_id: str) -> tuple[Any, ...]:
        if not doc_id:
            msg = "请先选择要删除的文档。"
        else:
            name = next((d["display_name"] for d in self.bot.library.documents() if d["doc_id"] == doc_id), doc_id)
            msg = f"已删除：{name}" if self.bot.library.remove(doc_id) else f"未找到文档：{doc_id}"
        return (msg, documents_table(self.bot.library.documents()), *self.choice_updates())

    def on_load(self) -> tuple[Any, ...]:
        # Fresh table and choices per page load (another session may have changed the library).
        return (documents_table(self.bot.library.documents()), *self.choice_updates())
