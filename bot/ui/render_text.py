"""Escaping and highlighting: the primitives every rendered surface is built from.

All document and user text reaches the page through :func:`esc` (``html.escape``).  Highlighting
works on spans of the *raw* text and escapes each piece separately, so a ``<mark>`` can never split
an entity and no document text is ever interpreted as markup.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable

from bot.answer.schemas import Citation
from bot.retrieval.terms import term_spans
from bot.ui.assets import COPY_ONCLICK


def esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]#+|~])")  # < > & are left to html.escape


def md_text(text: str) -> str:
    """Plain text for a Markdown surface (the chatbot): Markdown punctuation neutralised, then escaped."""
    return esc(_MD_SPECIAL.sub(r"\\\1", text or ""))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def mark_spans(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Escape ``text`` and wrap the given character spans of the raw text in ``<mark>``."""
    out, pos = [], 0
    for s, e in _merge([(s, e) for s, e in spans if e > s]):
        out.append(esc(text[pos:s]))
        out.append(f"<mark>{esc(text[s:e])}</mark>")
        pos = e
    out.append(esc(text[pos:]))
    return "".join(out)


def _normalise_for_match(s: str) -> str:
    return re.sub(r"\s+", "", s)


def highlight_sentences(text: str, sentences: Iterable[str]) -> str:
    """Clause text with the sentences an answer relied on wrapped in ``<mark>`` (all else escaped)."""
    spans = []
    for sent in sentences:
        sent = (sent or "").strip()
        if not sent:
            continue
        i = text.find(sent)
        if i >= 0:
            spans.append((i, i + len(sent)))
            continue
        # Tolerate whitespace differences between the sentence and the stored text.
        pattern = r"\s*".join(re.escape(ch) for ch in _normalise_for_match(sent))
        m = re.search(pattern, text) if pattern else None
        if m:
            spans.append(m.span())
    return mark_spans(text, spans)


def highlight_terms(text: str, terms: Iterable[str]) -> str:
    """Clause text with every occurrence of the query's own terms in ``<mark>`` (either script)."""
    return mark_spans(text, term_spans(text, terms))


def copy_button(c: Citation) -> str:
    """The 复制引用 button: the full reference (with 文号, issuer, date) and the clause text travel in its
    ``data-copy`` attribute."""
    return (f'<button type="button" class="pb-copy" title="复制引用和条款原文" '
            f'data-copy="{esc(c.reference() + chr(10) + c.text)}" onclick="{esc(COPY_ONCLICK)}">复制引用</button>')


def status_badge(c: Citation) -> str:
    """The document's 效力状态 on a card: in force marked (``pb-in-force``), the others warned
    (``pb-not-in-force``), with where the status came from as its tooltip; nothing when unknown."""
    if not c.status:
        return ""
    cls = "pb-in-force" if c.status == "现行有效" else "pb-not-in-force"
    return (f' <span class="pb-status {cls}" data-status="{esc(c.status)}" title="{esc(c.status_source)}">'
            f'{esc(c.status_label or c.status)}</span>')
