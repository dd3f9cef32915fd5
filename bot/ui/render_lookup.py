"""条款检索 and 文档管理 rendering: result cards, document outlines, the document table and choices.

Document dicts are those of :meth:`bot.service.library.DocumentLibrary.documents`; how a document
is named comes from their ``display_name`` (:attr:`ingest.models.DocMeta.display_name`) and
``Citation.doc_name``, so the rule lives in one place.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.answer.schemas import Citation
from bot.ui.render_text import copy_button, esc, highlight_terms, status_badge
from ingest.catalog import STATUS_CHOICES

if TYPE_CHECKING:
    from bot.service import HotlineResult
    from bot.service.library import DepartmentGroup
    from vectorstore.results import FileResult

# what the lookup endpoint returns as data next to the cards
RESULT_FIELDS = {"clause_id", "doc_id", "short_name", "item", "item_label", "citation", "departments", "text",
                 "via", "score", "status", "status_label", "status_source", "based_on", "cited_by"}
RESULTS_PLACEHOLDER = '<div class="pb-results"><p class="pb-empty">输入关键词或条款号后回车。</p></div>'


# ----- 条款检索 ------------------------------------------------------------------------------------
def result_card(c: Citation, terms: list[str], rank: int) -> str:
    """One search hit: document, item label, lead department, copy button, heading path, marked text."""
    dept = f'<span class="pb-dept">牵头：{esc("、".join(c.departments))}</span>' if c.departments else ""
    heading = " › ".join(c.heading_path[:-1]) if len(c.heading_path) > 1 else ""
    return (
        f'<article class="pb-card" data-rank="{rank}" data-clause-id="{esc(c.clause_id)}" data-item="{esc(c.item)}">'
        f'<header><span class="pb-doc">{esc(c.doc_name)}</span><span class="pb-item">{esc(c.item_label or c.item)}</span>'
        f'{status_badge(c)}{dept}{copy_button(c)}</header>'
        + (f'<div class="pb-heading">{esc(heading)}</div>' if heading else "")
        + f'<div class="pb-text">{highlight_terms(c.text, terms)}</div>'
        f'<div class="pb-citation">{esc(c.citation)}</div></article>'
    )


def render_results(r: HotlineResult) -> str:
    """The hotline's result page: a missing number with the outline; an exact reference alone with its
    neighbours one click away; else the clauses that contain the query's terms, counted and marked,
    then the semantic matches collapsed under 相关条款."""
    if r.missing:
        items = "".join(f'<li data-clause-id="{esc(c.clause_id)}">{esc(c.item_label or c.item)} '
                        f'{esc((c.heading_path[-1] if c.heading_path else "")[:60])}</li>' for c in r.outline)
        outline = (f'<details class="pb-outline-list" open><summary>全文目录</summary><ol>{items}</ol></details>'
                   if items else "")  # a document the collection does not hold has no outline
        return f'<div class="pb-results"><p class="pb-missing">{esc(r.missing)}</p>{outline}</div>'
    if r.exact:
        cards = "".join(result_card(c, [], i) for i, c in enumerate(r.exact, start=1))
        bar = step_bar(r) if len(r.exact) == 1 else ""
        return f'<div class="pb-results"><p class="pb-count">{esc(r.headline)}</p>{bar}{cards}</div>'
    if not r.matching and not r.related:
        return f'<div class="pb-results"><p class="pb-empty">没有找到与“{esc(r.query)}”匹配的条款。</p></div>'
    cards = "".join(result_card(c, r.terms, i) for i, c in enumerate(r.matching, start=1))
    related = "".join(result_card(c, [], i) for i, c in enumerate(r.related, start=len(r.matching) + 1))
    rel = (f'<details class="pb-related"{"" if r.matching else " open"}><summary>相关条款（{len(r.related)}，'
           f'不含检索词）</summary>{related}</details>' if related else "")
    return f'<div class="pb-results"><p class="pb-count">{esc(r.headline)}</p>{cards}{rel}</div>'


def step_bar(r: HotlineResult) -> str:
    """上一条 / 下一条 for one shown clause: each names the clause it steps to; clicking (or ← / →)
    replaces the shown clause in place (the script in :mod:`bot.ui.assets` presses the hidden
    Gradio buttons the handlers are wired to)."""
    def button(c: Citation | None, step: str, text: str) -> str:
        if c is None:
            end = "开头" if step == "prev" else "末尾"
            return f'<button type="button" class="pb-step" data-step="{step}" disabled>{text}（已到{end}）</button>'
        label = f"{text}：{c.item_label or c.item}"
        return (f'<button type="button" class="pb-step" data-step="{step}" data-clause-id="{esc(c.clause_id)}" '
                f'title="{esc(c.citation)}">{esc(label)}</button>')

    return (f'<nav class="pb-step-bar">{button(r.previous, "prev", "‹ 上一条")}'
            f'<span class="pb-step-hint">键盘 ← / → 翻条</span>{button(r.following, "next", "下一条 ›")}</nav>')


def render_lookup_error(message: object) -> str:
    """A rejected query (empty, too long): the reason instead of result cards."""
    return f'<div class="pb-results"><p class="pb-error">{esc(message)}</p></div>'


def step_target(rows: list[dict[str, Any]] | None, step: int) -> str:
    """The clause id 上一条 (``step=-1``) or 下一条 (``+1``) goes to from the shown page's data rows."""
    group = "previous" if step < 0 else "following"
    return next((str(r.get("clause_id")) for r in rows or [] if r.get("group") == group), "")


def result_rows(r: HotlineResult) -> list[dict[str, Any]]:
    """The shown clauses as plain records for API clients (the hidden JSON output of ``/lookup``), each
    with its group: exact, neighbour, matching, related or outline; then the step targets (groups
    previous / following) of a single exact clause."""
    steps = [("previous", r.previous), ("following", r.following)]
    return ([{**c.model_dump(include=RESULT_FIELDS), "group": g} for g, c in r.shown()]
            + [{**c.model_dump(include=RESULT_FIELDS), "group": g} for g, c in steps if c is not None])


def render_outline(doc: dict[str, Any] | None, clauses: list[Citation]) -> str:
    """A document's clauses under their headings (a heading is printed when it changes), each
    clause collapsible with its citation, full text and copy button."""
    if doc is None:
        return '<div class="pb-outline"><p class="pb-empty">请选择一份文档。</p></div>'
    status = f' · {esc(doc["status_label"])}' if doc.get("status_label") else ""
    links = "".join(f'<p class="pb-count">{label}：{esc("；".join(doc[key]))}</p>'
                    for label, key in (("依据", "based_on"), ("被引用", "cited_by")) if doc.get(key))
    head = (f'<h3>{esc(doc.get("title"))}</h3><p class="pb-count">{esc("、".join(doc.get("issuers") or []))}'
            f' · {esc(doc.get("date") or "")} · 共 {esc(doc.get("count_text") or "")}{status}</p>{links}')
    out: list[str] = [head]
    current: list[str] = []
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


# ----- 文档管理 ------------------------------------------------------------------------------------
DOC_HEADERS = ["简称", "标题", "发文机关", "文号", "发布日期", "施行日期", "效力状态", "依据", "被引用", "地区", "层级",
               "条目 / 条款", "字段来源", "文档ID"]
DOC_COLUMN_WIDTHS: list[str | int] = ["7%", "12%", "10%", "7%", "6%", "6%", "8%", "9%", "7%", "5%", "3%", "5%", "8%",
                                      "7%"]
STATUS_FILTERS: list[tuple[str, str]] = [("全部", ""), *((s, s) for s in STATUS_CHOICES)]  # the desk's 效力 filter
UPLOAD_HEADERS = ["文件", "状态", "条目 / 条款", "说明"]
UPLOAD_COLUMN_WIDTHS: list[str | int] = ["22%", "8%", "15%", "55%"]
STATUS_TEXT = {"added": "新增", "updated": "更新", "unchanged": "未变化", "skipped": "跳过"}


def documents_table(docs: list[dict[str, Any]]) -> list[list[Any]]:
    """Rows of the 已收录文档 table (columns :data:`DOC_HEADERS`)."""
    return [[d.get("short_name") or "", d.get("title") or "", "、".join(d.get("issuers") or []),
             d.get("doc_number") or "", d.get("date") or "",
             " ".join(filter(None, [d.get("effective_date"), d.get("validity") and f"有效期{d['validity']}"])),
             " ".join(filter(None, [d.get("status_label"), d.get("status_source") and f"（{d['status_source']}）"])),
             "；".join(d.get("based_on") or []), "；".join(d.get("cited_by") or []),
             d.get("region") or "", d.get("level") or "", d.get("count_text") or "", d.get("provenance") or "",
             d.get("doc_id")] for d in docs]


def doc_choices(docs: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(label, doc id) pairs for the document pickers."""
    return [(d["display_name"] or d["doc_id"], d["doc_id"]) for d in docs]


def lookup_doc_choices(docs: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The lookup scope picker: the documents held (empty means all of them; no "全部文档" entry that
    typing would append to)."""
    return doc_choices(docs)


def department_choices(groups: list[DepartmentGroup]) -> list[tuple[str, str]]:
    """The 责任部门 picker: one entry per body and region, sorted by region so that each region's
    bodies stand together ("天津市 · 市工业和信息化局（又称 市工信局）"); typing narrows it."""
    return [(g.label, g.value) for g in groups]


def region_choices(docs: list[dict[str, Any]]) -> list[str]:
    return sorted({d["region"] for d in docs if d.get("region")})


def level_choices(docs: list[dict[str, Any]]) -> list[str]:
    return sorted({d["level"] for d in docs if d.get("level")})


def year_choices(docs: list[dict[str, Any]]) -> list[str]:
    return sorted({d["date"][:4] for d in docs if d.get("date")}, reverse=True)


def upload_row(filename: str, result: FileResult) -> list[Any]:
    """One row of the 导入结果 table (columns :data:`UPLOAD_HEADERS`)."""
    msg = result.message or (f"已导入 {result.counted or f'{result.clauses} 条'}（文档ID：{result.doc_id}）"
                             if result.status in ("added", "updated") else "内容未变化，无需重新索引")
    return [filename, STATUS_TEXT.get(result.status, result.status), result.counted or result.clauses, msg]


def upload_error_row(filename: str, error: Exception) -> list[Any]:
    """The row of a file whose import raised; the rest of the batch goes on."""
    return [filename, STATUS_TEXT["skipped"], "—", f"导入失败：{error}"]


def upload_table(rows: list[list[Any]]) -> list[list[Any]]:
    """The 导入结果 table; a hint row when no file was chosen."""
    return rows or [["—", "—", "—", "请先选择要上传的文件。"]]
