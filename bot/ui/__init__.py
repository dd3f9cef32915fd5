"""Gradio 6 web UI: 智能问答 (enterprises), 条款检索 (hotline), 文档管理 (administrators).

Callbacks only call :class:`bot.service.PolicyBot` and render what comes back.  Every piece of user or
document text goes through :func:`esc` (``html.escape``) before it reaches the page; highlighting
works on spans of the *raw* text and escapes each piece, so a ``<mark>`` can never split an entity
and no document text is ever interpreted as markup.

Key components carry stable ``elem_id``s (``pb-*``) for browser tests, and every callback that an
API client may want has an explicit ``api_name`` (``chat``, ``lookup``, ``outline``, ``documents``,
``upload``, ``remove``, ``feedback``).
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import gradio as gr

from bot.service import PolicyBot, QuestionError
from bot.retrieval import SearchFilters
from bot.answer.schemas import Answer, Citation

EXAMPLES = [
    "我们小厂想做质量认证，政府有帮扶吗？",
    "天津实施意见第15条讲什么",
    "广东那份文件讲技术性贸易壁垒的是第几条？",
    "天津和国家的文件在计量服务方面分别有什么要求？",
]

STATUS_TEXT = {"added": "新增", "updated": "更新", "unchanged": "未变化", "skipped": "跳过"}
ALL_DOCS = ""  # dropdown value meaning "all documents"
LOOKUP_K = 20
SEE_ALSO = 3

# Copy "citation + newline + text" from the button's data-copy attribute; falls back to a hidden
# textarea + execCommand where the Clipboard API is unavailable (plain http on a LAN address).
COPY_ONCLICK = (
    "(function(b){var t=b.getAttribute('data-copy')||'';"
    "var ok=function(){b.textContent='已复制';b.classList.add('pb-copied');"
    "setTimeout(function(){b.textContent='复制引用';b.classList.remove('pb-copied');},1500);};"
    "var fb=function(){var a=document.createElement('textarea');a.value=t;a.style.position='fixed';"
    "a.style.opacity='0';document.body.appendChild(a);a.select();"
    "try{document.execCommand('copy');ok();}catch(e){}document.body.removeChild(a);};"
    "if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(t).then(ok,fb);}else{fb();}"
    "})(this)"
)

# Clicking a citation link in the chat opens (and scrolls to) its <details> source entry.  Installed
# once per page from the sources panel's ``js_on_load``; delegated, so it survives re-renders.
CITE_LINK_JS = """
if (!window.__pbCiteLinks) {
  window.__pbCiteLinks = true;
  document.addEventListener('click', function (e) {
    var a = e.target && e.target.closest ? e.target.closest('a[href^="#cite-"]') : null;
    if (!a) return;
    var el = document.getElementById(a.getAttribute('href').slice(1));
    if (!el) return;
    e.preventDefault();
    e.stopPropagation();
    if (el.tagName === 'DETAILS') el.open = true;
    el.scrollIntoView({behavior: 'smooth', block: 'center'});
    el.classList.add('pb-flash');
    setTimeout(function () { el.classList.remove('pb-flash'); }, 1600);
  }, true);
}
"""

CSS = """
#pb-header h1 { margin-bottom: 0.2em; }
#pb-mode { color: var(--body-text-color-subdued); }
.pb-sources, .pb-results, .pb-outline { font-size: 15px; line-height: 1.7; }
.pb-sources h3, .pb-results h3 { margin: 0.3em 0 0.5em; font-size: 1.05em; }
.pb-empty { color: var(--body-text-color-subdued); padding: 0.5em 0; }
.pb-error { color: #b42318; padding: 0.5em 0; }
details.pb-source, details.pb-clause, article.pb-card {
  border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 0.5em 0.8em;
  margin: 0 0 0.6em; background: var(--background-fill-primary);
}
details.pb-source > summary, details.pb-clause > summary { cursor: pointer; font-weight: 600; }
details.pb-source[open] > summary, details.pb-clause[open] > summary { margin-bottom: 0.4em; }
.pb-marker { color: var(--color-accent); margin-right: 0.3em; }
.pb-meta { display: grid; grid-template-columns: max-content 1fr; gap: 0.1em 0.8em; margin: 0.3em 0;
  font-size: 0.92em; }
.pb-meta dt { color: var(--body-text-color-subdued); }
.pb-meta dd { margin: 0; }
.pb-citation { font-size: 0.9em; color: var(--body-text-color-subdued); margin: 0.3em 0; }
.pb-text { white-space: pre-wrap; margin: 0.3em 0; }
.pb-text mark, .pb-card mark { background: #fff1a8; color: inherit; padding: 0 1px; border-radius: 2px; }
.pb-card header { display: flex; flex-wrap: wrap; gap: 0.3em 0.6em; align-items: baseline; }
.pb-doc { font-weight: 700; }
.pb-item { background: var(--color-accent-soft); border-radius: 4px; padding: 0 0.4em; }
.pb-item-label { font-weight: 400; font-size: 0.85em; color: var(--body-text-color-subdued); margin-left: 0.5em; }
.pb-dept { font-size: 0.9em; color: var(--body-text-color-subdued); }
.pb-heading { font-size: 0.9em; color: var(--body-text-color-subdued); }
.pb-copy { margin-left: auto; font-size: 0.85em; padding: 0.1em 0.7em; border-radius: 6px; cursor: pointer;
  border: 1px solid var(--border-color-primary); background: var(--button-secondary-background-fill); }
.pb-copy.pb-copied { background: #d1fadf; }
.pb-count { color: var(--body-text-color-subdued); margin: 0.2em 0 0.6em; }
.pb-group { margin: 0.8em 0 0.4em; font-weight: 700; }
.pb-group.pb-level-2 { margin-left: 1em; font-weight: 600; }
.pb-refused { border-left: 4px solid #f79009; padding-left: 0.6em; }
.pb-flash { outline: 3px solid var(--color-accent); }
"""

THEME = gr.themes.Default(
    primary_hue="blue",
    font=["Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "ui-sans-serif",
          "system-ui", "sans-serif"],
    font_mono=["Noto Sans Mono CJK SC", "ui-monospace", "Consolas", "monospace"],
)


def launch_options() -> dict:
    """App-level options that Gradio 6 takes in ``launch()`` (not in ``Blocks``)."""
    return {"theme": THEME, "css": CSS}


# ----- escaping and highlighting ----------------------------------------------------------------
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
    """Clause text with every occurrence of the query terms in ``<mark>`` (case-insensitive)."""
    terms = sorted({t for t in terms if t and t.strip()}, key=len, reverse=True)
    if not terms:
        return esc(text)
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    return mark_spans(text, (m.span() for m in pattern.finditer(text)))


def query_terms(query: str, phrase: bool = False, doc_names: Iterable[str] = ()) -> list[str]:
    """Words of a search query worth highlighting: jieba words of two or more characters, after
    removing the document names the query mentions (``天津实施意见 15`` highlights ``15``, not ``天津``)."""
    q = (query or "").strip()
    if phrase or re.fullmatch(r"[“\"「『].+[”\"」』]", q):
        return [q.strip("“”\"「」『』 ")]
    from ingest.text.segment import tokenize

    for name in sorted({n for n in doc_names if n and len(n) >= 2}, key=len, reverse=True):
        q = q.replace(name, " ")
    words = {w for w in tokenize(q, bigrams=False) if len(w) >= 2}
    words |= {m.group(1) for m in re.finditer(r"[“\"「『]([^”\"」』]+)[”\"」』]", q)}
    return sorted(words, key=len, reverse=True)


def copy_button(c: Citation) -> str:
    return (f'<button type="button" class="pb-copy" title="复制引用和条款原文" '
            f'data-copy="{esc(c.citation + chr(10) + c.text)}" onclick="{esc(COPY_ONCLICK)}">复制引用</button>')


def _doc_name(c: Citation) -> str:
    return c.short_name or c.doc_title


# ----- 智能问答 rendering --------------------------------------------------------------------------
_MARKER = re.compile(r"(（(?:[^（）\n]|（[^（）\n]*）){1,80}）\s*)?\[(\d+)\]")


def render_answer_text(answer: Answer, link: bool = True) -> str:
    """Answer text for the chatbot: escaped; ``[n]`` and the human citation before it link to ``#cite-n``."""
    raw = answer.answer or ""
    markers = {c.marker for c in answer.citations if c.marker is not None}
    spans: list[tuple[int, int, int]] = []  # start, end, marker
    if link:
        for m in _MARKER.finditer(raw):
            n = int(m.group(2))
            if n in markers:
                spans.append((m.start(), m.end(), n))
        for c in answer.citations:  # lookups quote the full citation (《…》…第15项：)
            i = raw.find(c.citation) if c.citation and c.marker is not None else -1
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
    parts.append(render_answer_text(answer, link=link and answer.done))
    if answer.refused and answer.done and answer.retrieved:
        see = []
        for n, c in enumerate(answer.retrieved[:SEE_ALSO], start=1):
            label = md_text(f"{_doc_name(c)} {c.item_label}")
            see.append(f"- <a href=\"#cite-{n}\">{label}</a>" if link else f"- {label}")
        parts.append("\n\n" + "\n".join(see))
    if not answer.done:
        parts.append(" …")
    return "".join(parts)


def notice_text(answer: Answer) -> str:
    return "" if answer.mode == "input-error" else (answer.notice or "")


def source_entry(c: Citation, n: int, highlights: list[str] | None = None, open_: bool = False) -> str:
    meta = [("发文机关", "、".join(c.issuers)), ("文号", c.doc_number if c.doc_number not in ("", "暂无") else "无"),
            ("发布日期", c.date or "—"), ("地区", c.region or "—"), ("条款", c.item_label or c.item)]
    if c.departments:
        meta.append(("牵头/责任部门", "、".join(c.departments)))
    dl = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in meta)
    marks = c.highlights if highlights is None else highlights
    return (
        f'<details class="pb-source" id="cite-{n}" data-clause-id="{esc(c.clause_id)}"{" open" if open_ else ""}>'
        f'<summary><span class="pb-marker">[{n}]</span>{esc("《" + c.doc_title + "》")} {esc(c.item_label)}</summary>'
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
        return f'<div class="pb-sources"><h3>回答依据（{len(answer.citations)} 条）</h3>{entries}</div>'
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


# ----- 条款检索 rendering --------------------------------------------------------------------------
def result_card(c: Citation, terms: list[str], rank: int) -> str:
    dept = f'<span class="pb-dept">牵头：{esc("、".join(c.departments))}</span>' if c.departments else ""
    heading = " › ".join(c.heading_path[:-1]) if len(c.heading_path) > 1 else ""
    return (
        f'<article class="pb-card" data-rank="{rank}" data-clause-id="{esc(c.clause_id)}" data-item="{esc(c.item)}">'
        f'<header><span class="pb-doc">{esc(_doc_name(c))}</span><span class="pb-item">{esc(c.item_label or c.item)}</span>'
        f'{dept}{copy_button(c)}</header>'
        + (f'<div class="pb-heading">{esc(heading)}</div>' if heading else "")
        + f'<div class="pb-text">{highlight_terms(c.text, terms)}</div>'
        f'<div class="pb-citation">{esc(c.citation)}</div></article>'
    )


def render_results(query: str, results: list[Citation], phrase: bool, doc_names: Iterable[str] = ()) -> str:
    """Result cards; a number-lookup hit is shown as is, other hits with the query terms marked."""
    if not results:
        return f'<div class="pb-results"><p class="pb-empty">没有找到与“{esc(query)}”匹配的条款。</p></div>'
    terms = query_terms(query, phrase, doc_names)
    cards = "".join(result_card(c, [] if c.via == "lookup" else terms, i) for i, c in enumerate(results, start=1))
    return f'<div class="pb-results"><p class="pb-count">找到 {len(results)} 条</p>{cards}</div>'


def render_outline(doc: dict | None, clauses: list[Citation]) -> str:
    if doc is None:
        return '<div class="pb-outline"><p class="pb-empty">请选择一份文档。</p></div>'
    head = (f'<h3>{esc(doc.get("title"))}</h3><p class="pb-count">{esc("、".join(doc.get("issuers") or []))}'
            f' · {esc(doc.get("date") or "")} · 共 {len(clauses)} 条</p>')
    out, current = [head], []
    for c in clauses:
        groups = c.heading_path[:-1]
        same = 0
        while same < min(len(groups), len(current)) and groups[same] == current[same]:
            same += 1
        for level in range(same, len(groups)):  # headings that changed since the previous clause
            out.append(f'<div class="pb-group pb-level-{min(level + 1, 2)}">{esc(groups[level])}</div>')
        current = list(groups)
        title = c.heading_path[-1] if c.heading_path else c.item
        label = "" if not c.item_label or title.startswith(c.item_label) else c.item_label
        out.append(
            f'<details class="pb-clause" data-clause-id="{esc(c.clause_id)}" data-item="{esc(c.item)}">'
            f'<summary>{esc(title[:80])}'
            + (f' <span class="pb-item-label">{esc(label)}</span>' if label else "") + '</summary>'
            f'<div class="pb-citation">{esc(c.citation)}</div>'
            f'<div class="pb-text">{esc(c.text)}</div>{copy_button(c)}</details>'
        )
    return f'<div class="pb-outline">{"".join(out)}</div>'


# ----- 文档管理 rendering --------------------------------------------------------------------------
DOC_HEADERS = ["简称", "标题", "发文机关", "文号", "发布日期", "地区", "层级", "条款数", "文档ID"]
DOC_COLUMN_WIDTHS = ["10%", "22%", "20%", "10%", "9%", "8%", "5%", "5%", "11%"]
UPLOAD_HEADERS = ["文件", "状态", "条款数", "说明"]


def documents_table(docs: list[dict]) -> list[list]:
    return [[d.get("short_name") or "", d.get("title") or "", "、".join(d.get("issuers") or []),
             d.get("doc_number") or "", d.get("date") or "", d.get("region") or "", d.get("level") or "",
             d.get("clause_count", 0), d.get("doc_id")] for d in docs]


def doc_choices(docs: list[dict]) -> list[tuple[str, str]]:
    return [(d.get("short_name") or d.get("title") or d["doc_id"], d["doc_id"]) for d in docs]


def region_choices(docs: list[dict]) -> list[str]:
    return sorted({d["region"] for d in docs if d.get("region")})


# ----- the app -----------------------------------------------------------------------------------
def build_ui(bot: PolicyBot) -> gr.Blocks:
    docs0 = bot.library.documents()

    def choice_updates():
        docs = bot.library.documents()
        dc = doc_choices(docs)
        return (gr.update(choices=dc), gr.update(choices=region_choices(docs)),
                gr.update(choices=[("全部文档", ALL_DOCS)] + dc), gr.update(choices=dc), gr.update(choices=dc))

    # ---- callbacks: call the bot, render the result ----
    def chat(message: str, doc_ids: list[str], regions: list[str], history: list[dict]) -> Iterator:
        history = list(history or [])
        question = (message or "").strip()
        if not question:
            gr.Warning("请输入问题。")
            yield render_chat(history, None), gr.skip(), history, gr.skip(), message
            return
        filters = SearchFilters(doc_ids=list(doc_ids or []), regions=list(regions or []))
        pending = history + [{"role": "user", "content": question}]
        yield (render_chat(pending, None) + [{"role": "assistant", "content": "正在检索相关条款…"}],
               render_sources(Answer(question=question, answer="", done=False)), history, None, "")
        last: Answer | None = None
        for last in bot.answer_stream(question, history, filters):
            shown = render_chat(pending + [{"role": "assistant", "content": last.answer}], last)
            if not last.done:
                yield shown, render_sources(last), history, None, ""
        assert last is not None
        shown_history = pending + [{"role": "assistant", "content": last.answer}]
        # A rejected question (empty, too long) is shown but not kept as context for follow-ups.
        kept = history if last.mode == "input-error" else shown_history
        yield render_chat(shown_history, last), render_sources(last), kept, last.model_dump(), ""

    def clear_chat():
        return [], render_sources(None), [], None, "", ""

    def feedback(rating: str, comment: str, last: dict | None) -> str:
        r = (rating or "").strip()
        r = {"up": "up", "down": "down", "有帮助": "up", "没帮助": "down"}.get(r, "")
        if not r:
            return "反馈类型无效（应为 up 或 down）。"
        if not last:
            return "请先提问，再对回答进行评价。"
        bot.feedback.record(last, r, comment or "")
        return "已记录您的反馈（" + ("有帮助" if r == "up" else "没帮助") + "），谢谢！"

    def lookup(query: str, phrase: bool, doc_id: str) -> tuple[str, list[dict]]:
        q = (query or "").strip()
        filters = SearchFilters(doc_ids=[doc_id] if doc_id else [])
        if phrase:
            filters.phrase = q.strip("“”\"「」『』 ")
        try:
            results = bot.search(q, k=LOOKUP_K, filters=filters)
        except QuestionError as exc:
            return f'<div class="pb-results"><p class="pb-error">{esc(exc)}</p></div>', []
        rows = [c.model_dump(include={"clause_id", "doc_id", "short_name", "item", "item_label", "citation",
                                      "departments", "text", "via", "score"}) for c in results]
        names = [n for d in bot.library.documents() for n in (d.get("short_name"), d.get("title"), d.get("doc_number"),
                                                       *(d.get("aliases") or []))]
        return render_results(q, results, phrase, names), rows

    def outline(doc_id: str) -> str:
        doc = next((d for d in bot.library.documents() if d["doc_id"] == doc_id), None)
        if doc is None and doc_id:
            resolved = bot.library.resolve(doc_id)
            doc = next((d for d in bot.library.documents() if d["doc_id"] == resolved), None)
        return render_outline(doc, bot.library.outline(doc["doc_id"]) if doc else [])

    def documents():
        return documents_table(bot.library.documents())

    def upload(files: list[str] | None):
        rows = []
        for f in files or []:
            path = Path(f if isinstance(f, str) else getattr(f, "name", str(f)))
            try:
                r = bot.library.add_upload(path.name, path)
            except Exception as exc:  # one bad file must not abort the batch
                rows.append([path.name, STATUS_TEXT["skipped"], 0, f"导入失败：{exc}"])
                continue
            msg = r.message or (f"已导入 {r.clauses} 条条款（文档ID：{r.doc_id}）" if r.status in ("added", "updated")
                                else "内容未变化，无需重新索引")
            rows.append([path.name, STATUS_TEXT.get(r.status, r.status), r.clauses, msg])
        if not rows:
            rows = [["—", "—", 0, "请先选择要上传的文件。"]]
        return (rows, documents_table(bot.library.documents()), *choice_updates())

    def remove(doc_id: str):
        if not doc_id:
            msg = "请先选择要删除的文档。"
        else:
            name = next((d.get("short_name") or d.get("title") for d in bot.library.documents() if d["doc_id"] == doc_id), doc_id)
            msg = f"已删除：{name}" if bot.library.remove(doc_id) else f"未找到文档：{doc_id}"
        return (msg, documents_table(bot.library.documents()), *choice_updates())

    def on_load():
        return (documents_table(bot.library.documents()), *choice_updates())

    # ---- layout ----
    with gr.Blocks(title="质量政策智能问答", analytics_enabled=False) as demo:
        with gr.Column(elem_id="pb-header"):
            gr.Markdown("# 质量政策智能问答\n依据已收录的质量政策文件作答，每条回答都附条款出处，可展开核对原文。")
            gr.Markdown(esc(bot.mode_description()), elem_id="pb-mode")

        with gr.Tabs(elem_id="pb-tabs"):
            # -------- 智能问答 --------
            with gr.Tab("智能问答", id="chat", elem_id="pb-tab-chat"):
                history_state = gr.State([])
                last_state = gr.State(None)
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(label="对话", elem_id="pb-chatbot", height=520, feedback_options=None,
                                             placeholder="请输入您关心的质量政策问题，例如认证帮扶、标准制定、计量服务等。",
                                             buttons=["copy"])
                        with gr.Row():
                            msg = gr.Textbox(label="您的问题", placeholder="例如：我们小厂想做质量认证，政府有帮扶吗？",
                                             lines=2, max_lines=6, scale=5, elem_id="pb-question", autofocus=True)
                            with gr.Column(scale=1, min_width=120):
                                send = gr.Button("发送", variant="primary", elem_id="pb-send")
                                clear = gr.Button("清空对话", elem_id="pb-clear")
                        gr.Examples(EXAMPLES, inputs=[msg], label="示例问题", elem_id="pb-examples")
                        with gr.Accordion("筛选范围（可选）", open=False, elem_id="pb-filters"):
                            doc_filter = gr.CheckboxGroup(doc_choices(docs0), label="只在这些文档中查找",
                                                          elem_id="pb-doc-filter")
                            region_filter = gr.CheckboxGroup(region_choices(docs0), label="地区",
                                                             elem_id="pb-region-filter")
                        with gr.Group(elem_id="pb-feedback"):
                            with gr.Row():
                                up = gr.Button("有帮助", size="sm", elem_id="pb-like")
                                down = gr.Button("没帮助", size="sm", elem_id="pb-dislike")
                            rating = gr.Textbox("", visible=False, label="rating")
                            comment = gr.Textbox(label="补充意见（可选）", placeholder="哪里不准确？缺了什么？",
                                                 lines=1, elem_id="pb-comment")
                            feedback_status = gr.Markdown("", label="反馈结果", elem_id="pb-feedback-status")
                    with gr.Column(scale=2):
                        sources = gr.HTML(render_sources(None), label="回答依据", elem_id="pb-sources", js_on_load=CITE_LINK_JS,
                                          padding=True)

                chat_inputs = [msg, doc_filter, region_filter, history_state]
                chat_outputs = [chatbot, sources, history_state, last_state, msg]
                send.click(chat, chat_inputs, chat_outputs, api_name="chat")
                msg.submit(chat, chat_inputs, chat_outputs, api_visibility="private")
                chatbot.clear(clear_chat, None, [chatbot, sources, history_state, last_state, msg, feedback_status],
                              api_visibility="private")
                clear.click(clear_chat, None, [chatbot, sources, history_state, last_state, msg, feedback_status],
                            api_visibility="private")
                # One public ``feedback(rating, comment)`` endpoint; the buttons set the rating first.
                up.click(lambda: "up", None, rating, queue=False, api_visibility="private").then(
                    feedback, [rating, comment, last_state], feedback_status, api_name="feedback")
                down.click(lambda: "down", None, rating, queue=False, api_visibility="private").then(
                    feedback, [rating, comment, last_state], feedback_status, api_visibility="private")

            # -------- 条款检索 --------
            with gr.Tab("条款检索", id="lookup", elem_id="pb-tab-lookup"):
                with gr.Row():
                    query = gr.Textbox(label="检索", placeholder="关键词、条款号或文件名+条款号，如：天津实施意见 15、广东 八、\"计量托管\"",
                                       scale=4, elem_id="pb-lookup-query")
                    lookup_doc = gr.Dropdown([("全部文档", ALL_DOCS)] + doc_choices(docs0), value=ALL_DOCS,
                                             label="文档", scale=2, allow_custom_value=True, elem_id="pb-lookup-doc")
                    with gr.Column(scale=1, min_width=120):
                        phrase = gr.Checkbox(label="精确短语", value=False, elem_id="pb-lookup-phrase")
                        search_btn = gr.Button("检索", variant="primary", elem_id="pb-lookup-btn")
                results = gr.HTML('<div class="pb-results"><p class="pb-empty">输入关键词或条款号后回车。</p></div>',
                                  label="检索结果", elem_id="pb-lookup-results", padding=True)
                results_json = gr.JSON(visible=False, label="检索结果数据")
                search_btn.click(lookup, [query, phrase, lookup_doc], [results, results_json], api_name="lookup")
                query.submit(lookup, [query, phrase, lookup_doc], [results, results_json], api_visibility="private")

                gr.Markdown("### 文档浏览")
                browse_doc = gr.Dropdown(doc_choices(docs0), value=None, label="选择文档查看目录，点击条款展开原文",
                                         allow_custom_value=True, elem_id="pb-browse-doc")
                outline_html = gr.HTML(render_outline(None, []), label="文档目录", elem_id="pb-outline", padding=True)
                browse_doc.change(outline, browse_doc, outline_html, api_name="outline")

            # -------- 文档管理 --------
            with gr.Tab("文档管理", id="docs", elem_id="pb-tab-docs"):
                docs_table = gr.Dataframe(documents_table(docs0), headers=DOC_HEADERS, interactive=False, wrap=True,
                                          column_widths=DOC_COLUMN_WIDTHS, label="已收录文档", elem_id="pb-docs-table")
                refresh = gr.Button("刷新列表", size="sm", elem_id="pb-docs-refresh")
                with gr.Row(equal_height=False):
                    with gr.Column():
                        files = gr.File(file_count="multiple", label="上传政策文件（.txt .md .html .docx .pdf）",
                                        elem_id="pb-upload-files")
                        upload_btn = gr.Button("导入", variant="primary", elem_id="pb-upload-btn")
                    with gr.Column():
                        remove_doc = gr.Dropdown(doc_choices(docs0), value=None, label="选择要删除的文档",
                                                 allow_custom_value=True, elem_id="pb-remove-doc")
                        remove_btn = gr.Button("删除文档", variant="stop", elem_id="pb-remove-btn")
                        remove_status = gr.Markdown("", label="删除结果", elem_id="pb-remove-status")
                upload_table = gr.Dataframe(headers=UPLOAD_HEADERS, interactive=False, wrap=True, label="导入结果",
                                            column_widths=["25%", "8%", "7%", "60%"],
                                            elem_id="pb-upload-results")

                choice_outputs = [doc_filter, region_filter, lookup_doc, browse_doc, remove_doc]
                refresh.click(documents, None, docs_table, api_name="documents")
                upload_btn.click(upload, files, [upload_table, docs_table, *choice_outputs], api_name="upload")
                remove_btn.click(remove, remove_doc, [remove_status, docs_table, *choice_outputs], api_name="remove")

        demo.load(on_load, None, [docs_table, *choice_outputs], api_visibility="private")
    return demo
