"""智能问答 rendering: chatbot messages and the sources panel of the last answer.

Every assistant message is rendered from its :class:`Answer` record through the one text form
(:mod:`bot.answer.text_form`): the same lines and lists the clipboard, the export and the review
table get as plain text, here as one HTML block.  An HTML block is never read as Markdown by the
chatbot, so no Markdown escape (``\\[1\\]``) or emphasis marker (``**有。**``) can reach the page; all
text goes through :func:`esc`.  Only the last answer links its ``[n]`` markers to the ``#cite-n``
entries of the sources panel; each message carries a 复制 button and, hidden, its plain form.
"""
from __future__ import annotations

import re
from typing import Any

from bot.answer.schemas import Answer, Citation
from bot.answer.text_form import (
    SEE_ALSO_TITLE,
    SOURCES_TITLE,
    AnswerText,
    Line,
    Section,
    answer_text,
    conversation_text,
    plain_text,
)
from bot.ui.render_text import copy_button, esc, highlight_sentences, status_badge

_MARKER = re.compile(r"(（(?:[^（）\n]|（[^（）\n]*）){1,80}）\s*)?\[(\d+)\]")


def render_answer_text(answer: Answer, link: bool = True, raw: str | None = None) -> str:
    """Answer text (or one line of it), escaped; ``[n]`` and the human citation before it link to
    ``#cite-n``."""
    raw = answer.answer or "" if raw is None else raw
    markers = {c.marker for c in [*answer.citations, *answer.see_also] if c.marker is not None}
    spans: list[tuple[int, int, int]] = []  # start, end, marker
    if link:
        for m in _MARKER.finditer(raw):
            n = int(m.group(2))
            if n in markers:
                spans.append((m.start(), m.end(), n))
        for c in answer.citations:  # lookups quote the full citation (《…》…第15项：)
            if not c.citation or c.marker is None:
                continue
            i = raw.find(c.citation)
            if i >= 0 and not any(s < i + len(c.citation) and i < e for s, e, _ in spans):
                spans.append((i, i + len(c.citation), c.marker))
    out, pos = [], 0
    for s, e, n in sorted(spans):
        if s < pos:
            continue
        out.append(esc(raw[pos:s]))
        out.append(f'<a href="#cite-{n}" class="pb-cite" title="查看来源 [{n}]">{esc(raw[s:e])}</a>')
        pos = e
    out.append(esc(raw[pos:]))
    return "".join(out)


def _line_html(answer: Answer, line: Line, link: bool) -> str:
    def text(raw: str) -> str:
        return render_answer_text(answer, link=link, raw=raw)

    if line.kind == "lead":
        return f'<p class="pb-line pb-lead"><strong>{text(line.head)}</strong>{text(line.rest)}</p>'
    if line.kind == "block":
        return f'<div class="pb-block"><strong>{esc(line.head)}</strong>：{text(line.rest)}</div>'
    return f'<p class="pb-line">{text(line.text)}</p>'


def _section_html(section: Section, link: bool) -> str:
    items = []
    for n, label in zip(section.numbers(), section.labels(), strict=True):
        items.append(f'<li><a href="#cite-{n}">{esc(label)}</a></li>' if link else f"<li>{esc(label)}</li>")
    title = "" if section.follows_body else f'<div class="pb-list-title">{esc(section.title)}：</div>'
    if section.title == SEE_ALSO_TITLE:
        return (f'<details class="pb-see-also"><summary>另见（{len(section.entries)} 条相近条款）</summary>'
                f'<ul class="pb-list">{"".join(items)}</ul></details>')
    return f'<div class="pb-list-wrap">{title}<ul class="pb-list">{"".join(items)}</ul></div>'


def render_chat_message(answer: Answer, link: bool = True) -> str:
    """One assistant message: a single HTML block built from the answer's text form."""
    form: AnswerText = answer_text(answer)
    link = link and answer.done
    parts = ['<div class="pb-answer">']
    if form.notice:
        parts.append(f'<p class="pb-notice">提示：{esc(form.notice)}</p>')
    if form.status:
        parts.append(f'<p class="pb-status"><strong>{esc(form.status)}</strong></p>')
    parts += [_line_html(answer, line, link) for line in form.lines]
    if answer.done:
        parts += [_section_html(s, link) for s in form.sections]
        # The chatbot's sanitiser drops data-* attributes: the plain form rides in a hidden span the
        # button's script reads (newlines as &#10;, so no blank line ends the HTML block).
        parts.append(f'<span class="pb-plain">{esc(form.plain()).replace(chr(10), "&#10;")}</span>'
                     f'<button type="button" class="pb-msg-copy" title="复制这条回答（纯文本）">复制</button>')
    else:
        parts.append('<p class="pb-line">…</p>')
    parts.append("</div>")
    return "".join(parts).replace("\n", "&#10;")  # one HTML block: a blank line would end it


def source_entry(c: Citation, n: int, highlights: list[str] | None = None, open_: bool = False) -> str:
    """One collapsible source (``id="cite-n"``, the target of the chat links) with the relied-on
    sentences marked; ``highlights=[]`` shows a see-also clause unmarked."""
    meta = [("发文机关", "、".join(c.issuers)), ("文号", c.doc_number if c.doc_number not in ("", "暂无") else "无"),
            ("发布日期", c.date or "—"), ("地区", c.region or "—"), ("条款", c.item_label or c.item)]
    if c.departments:
        meta.append(("牵头/责任部门", "、".join(c.departments)))
    if c.status:
        meta.append(("效力", c.status_label + (f"（{c.status_source}）" if c.status_source else "")))
    meta += [(label, "；".join(v)) for label, v in (("依据", c.based_on), ("被引用", c.cited_by)) if v]
    dl = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in meta)
    marks = c.highlights if highlights is None else highlights
    return (
        f'<details class="pb-source" id="cite-{n}" data-clause-id="{esc(c.clause_id)}"{" open" if open_ else ""}>'
        f'<summary><span class="pb-marker">[{n}]</span>{esc("《" + c.doc_title + "》")} {esc(c.item_label)}'
        f'{status_badge(c)}</summary>'
        f'<dl class="pb-meta">{dl}</dl>'
        f'<div class="pb-citation">{esc(c.citation)}</div>'
        f'<div class="pb-text">{highlight_sentences(c.text, marks)}</div>'
        f'{copy_button(c)}</details>'
    )


def render_sources(answer: Answer | None) -> str:
    """The sources of the last answer: one collapsible entry per entry of the answer's lists (来源,
    另见, 可能相关), numbered as in the answer's text form."""
    if answer is None:
        return '<div class="pb-sources"><p class="pb-empty">提问后，这里显示回答所依据的条款原文。</p></div>'
    if not answer.done:
        return '<div class="pb-sources"><p class="pb-empty">正在生成回答…</p></div>'
    form = answer_text(answer)
    if not form.sections:
        return '<div class="pb-sources"><p class="pb-empty">本次回答没有引用条款。</p></div>'
    out = []
    for s in form.sections:
        cited = s.title == SOURCES_TITLE
        entries = "".join(source_entry(c, n, highlights=None if cited else [])
                          for n, c in zip(s.numbers(), s.entries, strict=True))
        if cited:
            out.append(f"<h3>回答依据（{len(s.entries)} 条）</h3>{entries}")
        elif s.numbered:
            out.append(f"<h3>{esc(s.title)} · 相近条款（{len(s.entries)} 条）</h3>{entries}")
        else:
            head = f"{form.status} · " if form.status else ""
            out.append(f"<h3>{esc(head + s.title)}</h3>{entries}")
    refused = " pb-refused" if answer.refused else ""
    return f'<div class="pb-sources{refused}">{"".join(out)}</div>'


def _record(turn: dict[str, Any]) -> Answer | None:
    data = turn.get("answer")
    return Answer.model_validate(data) if isinstance(data, dict) else None


def render_chat(history: list[dict], last: Answer | None) -> list[dict]:
    """Chatbot messages: each answer from its record; only the last one links to the sources panel."""
    msgs = []
    last_assistant = max((i for i, m in enumerate(history) if m["role"] == "assistant"), default=-1)
    for i, m in enumerate(history):
        if m["role"] == "user":
            # one HTML block (a blank line would end it and let Markdown read the rest)
            question = esc(m["content"]).replace("\r", "").replace("\n", "<br>")
            msgs.append({"role": "user", "content": f'<div class="pb-question">{question}</div>'})
            continue
        record = last if i == last_assistant and last is not None else _record(m)
        if record is None:
            record = Answer(question="", answer=str(m.get("content") or ""))
        msgs.append({"role": "assistant", "content": render_chat_message(record, link=i == last_assistant)})
    return msgs


def pending_chat(history: list[dict]) -> list[dict]:
    """The chat while the answer to the last user message is being retrieved."""
    return [*render_chat(history, None), {"role": "assistant", "content": "正在检索相关条款…"}]


def assistant_turn(answer: Answer) -> dict[str, Any]:
    """A history entry for an answer: its text (what follow-ups read) and the record it renders from."""
    return {"role": "assistant", "content": answer.answer, "answer": answer.model_dump()}


def conversation_plain(history: list[dict]) -> str:
    """The conversation as plain text (复制对话 and 导出对话 give exactly this)."""
    turns: list[tuple[str, Answer | None]] = []
    for m in history:
        if m.get("role") == "user":
            turns.append((str(m.get("content") or ""), None))
        elif turns and turns[-1][1] is None:
            turns[-1] = (turns[-1][0], _record(m) or Answer(question="", answer=str(m.get("content") or "")))
    return conversation_text(turns)


__all__ = ["assistant_turn", "conversation_plain", "pending_chat", "plain_text", "render_answer_text", "render_chat",
           "render_chat_message", "render_sources", "source_entry"]
