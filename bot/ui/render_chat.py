"""智能问答 rendering: chatbot messages and the sources panel of the last answer.

The chat history keeps the raw answer text; only the last assistant message is re-rendered from its
:class:`Answer`, so only that one links its ``[n]`` markers to the ``#cite-n`` entries of the panel.
"""
from __future__ import annotations

import re

from bot.answer.schemas import Answer, Citation
from bot.ui.render_text import copy_button, esc, highlight_sentences, md_text, status_badge

SEE_ALSO = 3  # clauses offered as "possibly related" when an answer is refused

_MARKER = re.compile(r"(（(?:[^（）\n]|（[^（）\n]*）){1,80}）\s*)?\[(\d+)\]")


def render_answer_text(answer: Answer, link: bool = True, raw: str | None = None) -> str:
    """Answer text (or one line of it) for the chatbot: escaped; ``[n]`` and the human citation before
    it link to ``#cite-n``."""
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
        out.append(md_text(raw[pos:s]))
        out.append(f'<a href="#cite-{n}" class="pb-cite" title="查看来源 [{n}]">{md_text(raw[s:e])}</a>')
        pos = e
    out.append(md_text(raw[pos:]))
    return "".join(out)


def render_chat_message(answer: Answer, link: bool = True) -> str:
    """One assistant message (Markdown + a little HTML, which the chatbot sanitises as well)."""
    parts = []
    notice = notice_text(answer)
    if notice:
        parts.append(f"> 提示：{md_text(notice)}\n\n")
    if answer.refused and answer.done and answer.mode != "input-error":
        parts.append("**未找到直接依据**\n\n")
    parts.append(render_body(answer, link=link and answer.done))
    if answer.refused and answer.done and answer.retrieved:
        see = []
        for n, c in enumerate(answer.retrieved[:SEE_ALSO], start=1):
            label = md_text(f"{c.doc_name} {c.item_label}")
            see.append(f"- <a href=\"#cite-{n}\">{label}</a>" if link else f"- {label}")
        parts.append("\n\n" + "\n".join(see))
    if not answer.done:
        parts.append(" …")
    return "".join(parts)


SEE_ALSO_PREFIX = "另见："


def render_body(answer: Answer, link: bool = True) -> str:
    """The answer with its structure shown: the lead line first and bold, one paragraph per document
    block (【文件】…) of a comparison, and the 另见 runners-up collapsed."""
    if not answer.done or answer.mode == "llm":
        return render_answer_text(answer, link=link)
    out = []
    for line in (answer.answer or "").split("\n"):
        html = render_answer_text(answer, link=link, raw=line)
        if line.startswith(SEE_ALSO_PREFIX):
            out.append(f'<details class="pb-see-also"><summary>另见（{len(answer.see_also)} 条相近条款）</summary>'
                       f"{render_answer_text(answer, link=link, raw=line[len(SEE_ALSO_PREFIX):])}</details>")
        elif answer.lead and line == answer.lead:
            out.append(f"**{html}**")
        elif answer.lead and line.startswith(answer.lead):  # a short lead ("有。") runs on into the quote
            head = render_answer_text(answer, link=link, raw=answer.lead)
            out.append(f"**{head}**{render_answer_text(answer, link=link, raw=line[len(answer.lead):])}")
        elif line.startswith("【") and "】" in line:
            name, rest = line[1:].split("】", 1)
            out.append(f'<div class="pb-block"><strong>{md_text(name)}</strong>：'
                       f"{render_answer_text(answer, link=link, raw=rest)}</div>")
        else:
            out.append(html)
    return "\n\n".join(out)


def notice_text(answer: Answer) -> str:
    """The notice shown above an answer; a rejected question's message is the answer itself."""
    return "" if answer.mode == "input-error" else (answer.notice or "")


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
    """The sources of the last answer: one collapsible entry per citation (refusals: see-also clauses)."""
    if answer is None:
        return '<div class="pb-sources"><p class="pb-empty">提问后，这里显示回答所依据的条款原文。</p></div>'
    if not answer.done:
        return '<div class="pb-sources"><p class="pb-empty">正在生成回答…</p></div>'
    if answer.citations:
        entries = "".join(source_entry(c, c.marker or n, open_=False)
                          for n, c in enumerate(answer.citations, start=1))
        also = "".join(source_entry(c, c.marker or n, highlights=[])
                       for n, c in enumerate(answer.see_also, start=len(answer.citations) + 1))
        also = f'<h3>另见 · 相近条款（{len(answer.see_also)} 条）</h3>{also}' if also else ""
        return f'<div class="pb-sources"><h3>回答依据（{len(answer.citations)} 条）</h3>{entries}{also}</div>'
    if answer.refused and answer.retrieved:
        entries = "".join(source_entry(c, n, highlights=[]) for n, c in enumerate(answer.retrieved[:SEE_ALSO], 1))
        return (f'<div class="pb-sources pb-refused"><h3>未找到直接依据 · 可能相关的条款（仅供参考）</h3>'
                f'{entries}</div>')
    return '<div class="pb-sources"><p class="pb-empty">本次回答没有引用条款。</p></div>'


def render_chat(history: list[dict], last: Answer | None) -> list[dict]:
    """Chatbot messages from the raw history; only the last answer links to the sources panel."""
    msgs = []
    last_assistant = max((i for i, m in enumerate(history) if m["role"] == "assistant"), default=-1)
    for i, m in enumerate(history):
        if m["role"] == "user":
            msgs.append({"role": "user", "content": md_text(m["content"])})
        elif i == last_assistant and last is not None:
            msgs.append({"role": "assistant", "content": render_chat_message(last, link=True)})
        else:
            msgs.append({"role": "assistant", "content": md_text(m["content"])})
    return msgs


def pending_chat(history: list[dict]) -> list[dict]:
    """The chat while the answer to the last user message is being retrieved."""
    return [*render_chat(history, None), {"role": "assistant", "content": "正在检索相关条款…"}]


def conversation_markdown(history: list[dict]) -> str:
    """The conversation as Markdown: each question, each answer and the sources it cites (full references)."""
    out = ["# 质量政策问答记录", ""]
    for turn in history:
        content = str(turn.get("content") or "").strip()
        if turn.get("role") == "user":
            out += [f"**问：** {content}", ""]
            continue
        out += ["**答：**", "", content, ""]
        if turn.get("sources"):
            out += ["来源：", "", *(f"- {s}" for s in turn["sources"]), ""]
    return "\n".join(out).rstrip() + "\n"
