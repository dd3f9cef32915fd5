"""Gradio 6 web UI: 智能问答 (enterprises), 条款检索 (hotline) — public, read only — and the separate
文档管理 admin app (:mod:`.admin_layout`, behind a login).

Callbacks only call :class:`bot.service.PolicyBot` and render what comes back.  Every piece of user or
document text goes through :func:`esc` (``html.escape``) before it reaches the page; highlighting
works on spans of the *raw* text and escapes each piece, so a ``<mark>`` can never split an entity
and no document text is ever interpreted as markup.

Key components carry stable ``elem_id``s (``pb-*``) for browser tests, and every callback that an
API client may want has an explicit ``api_name`` (public: ``chat``, ``lookup``, ``outline``, ``documents``,
``feedback``; admin: ``upload``, ``remove``, ``rebuild``, ``documents``, ``audit``).

Modules: :mod:`.assets` (CSS, scripts, theme, examples), :mod:`.render_text` (escaping and
highlighting), :mod:`.render_chat` and :mod:`.render_lookup` (HTML for each tab, pure functions),
:mod:`.handlers` (the callbacks), :mod:`.layout` (components and wiring).
"""
from __future__ import annotations

from bot.retrieval.terms import query_terms
from bot.ui.admin_layout import build_admin_ui
from bot.ui.assets import COPY_ONCLICK, launch_options
from bot.ui.handlers import LOOKUP_K, UIHandlers
from bot.ui.layout import build_ui
from bot.ui.render_chat import render_answer_text, render_chat, render_chat_message, render_sources, source_entry
from bot.ui.render_lookup import render_outline, render_results
from bot.ui.render_text import esc, highlight_sentences, highlight_terms, md_text

__all__ = [
    "COPY_ONCLICK", "LOOKUP_K", "UIHandlers", "build_admin_ui", "build_ui", "esc", "highlight_sentences", "highlight_terms",
    "launch_options", "md_text", "query_terms", "render_answer_text", "render_chat", "render_chat_message",
    "render_outline", "render_results", "render_sources", "source_entry",
]
