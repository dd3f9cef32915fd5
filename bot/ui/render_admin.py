"""What the admin app shows, as pure functions: the import preview, the metadata form's values, the
trash picker.  Document and user text goes through :func:`md_text` (Markdown neutralised, escaped)."""
from __future__ import annotations

from typing import Any

from bot.service.clock import DEFAULT_ZONE, shown
from bot.service.trash import Trashed
from bot.ui.render_text import md_text
from ingest.documents import ParsedDocument
from ingest.items import document_items, outline_clauses
from ingest.models import KIND_LABELS, SOURCE_LABELS

META_FIELDS = ("title", "short_name", "aliases", "region", "level", "doc_number", "date", "status", "status_date",
               "status_note")
META_LABELS = {"title": "标题", "short_name": "简称", "aliases": "别名（逗号分隔）", "region": "地区",
               "level": "层级", "doc_number": "文号", "date": "发布日期（YYYY-MM-DD）",
               "status": "效力状态（留空＝按施行日期、有效期和正文自动判断）", "status_date": "状态日期（YYYY-MM-DD）",
               "status_note": "状态说明（如：被某文件废止）"}
# The form's value of a field in a document row, where the row's own key means something else
# ("status" is the computed state; the admin edits the state set by hand).
_ROW_KEYS = {"status": "status_set"}
OUTLINE_ROWS = 200


def preview_markdown(filename: str, parsed: ParsedDocument, note: str = "") -> str:
    """Title, metadata (with where each field came from) and the clause outline the parser found."""
    m = parsed.meta
    body = [c for c in outline_clauses(parsed.clauses) if c.kind != "docinfo"]  # heading-only parts included
    counted = document_items(parsed.clauses, m.doc_id)
    lines = [f"### 导入预览：{md_text(filename)}", "（只解析，未导入；请核对标题和条款划分）", ""]
    if note:
        lines += [f"**注意：** {md_text(note)}", ""]
    rows = [("title", "标题", m.title), ("short_name", "简称", m.short_name), ("issuers", "发文机关", "、".join(m.issuers)),
            ("doc_number", "文号", m.doc_number), ("date", "发布日期", m.date),
            ("effective_date", "施行日期", m.effective_date), ("region", "地区", m.region), ("level", "层级", m.level)]
    lines += ["| 字段 | 解析结果 | 来源 |", "| --- | --- | --- |"]
    for key, label, value in rows:
        src = m.sources.get(key, "")
        lines.append(f"| {label} | {md_text(value) or '—'} | {SOURCE_LABELS.get(src, src) or '—'} |")
    lines += ["", f"**条款大纲**：共 {counted.count_text()}"
                  f"{'（繁体）' if parsed.traditional else ''}", ""]
    seen: set[str] = set()
    shown = 0
    for c in body:
        if c.clause_id in seen:
            continue  # a long clause split into parts: one line
        seen.add(c.clause_id)
        shown += 1
        if shown > OUTLINE_ROWS:
            lines.append(f"- …（另有 {len({x.clause_id for x in body}) - OUTLINE_ROWS} 项未列出）")
            break
        label = c.item if c.kind in ("item", "section") else KIND_LABELS.get(c.kind, c.item)
        depth = max(0, len(c.numbers) - 1) if c.kind == "item" else 0
        text = " ".join(c.text.split())
        snippet = (text[len(label):] if text.startswith(label) else text).strip()[:40]
        lines.append(f"{'  ' * depth}- **{md_text(label)}** {md_text(snippet)}")
    return "\n".join(lines)


def meta_values(doc: dict[str, Any] | None, override: dict[str, Any]) -> list[Any]:
    """The metadata form's field values (:data:`META_FIELDS` order), then a line naming the overrides."""
    if doc is None:
        return [""] * len(META_FIELDS) + [""]
    values = ["，".join(doc.get(k) or []) if k == "aliases" else (doc.get(_ROW_KEYS.get(k, k)) or "")
              for k in META_FIELDS]
    names = "、".join(META_LABELS[k].split("（")[0] for k in META_FIELDS if k in override)
    info = f"文档 {md_text(doc['doc_id'])}（{doc.get('source_file') or '—'}）；" + (
        f"已由管理员修改：{names}" if names else "尚无管理员修改（目录或正文的值）")
    if doc.get("status_label"):
        info += f"；当前效力：{md_text(doc['status_label'])}（{md_text(doc.get('status_source') or '')}）"
    return [*values, info]


def trash_choices(entries: list[Trashed], zone_name: str = DEFAULT_ZONE) -> list[tuple[str, str]]:
    """(label, doc id) of removed documents that can still be restored; the time with its zone."""
    return [(f"{t.meta.display_name or t.doc_id}（{t.doc_id}，{shown(t.removed_at, zone_name)} 删除）", t.doc_id)
            for t in entries]


AUDIT_ACTIONS = {"upload": "上传", "replace": "替换", "remove": "删除", "restore": "撤销删除", "meta": "修改元数据",
                 "rebuild": "重建索引", "login-failed": "登录失败", "review": "查看", "refused-questions": "导出",
                 "unhelpful-feedback": "导出"}
AUDIT_RESULTS = {"added": "新增", "updated": "更新", "unchanged": "未变化", "skipped": "跳过", "removed": "已删除",
                 "not found": "未找到", "restored": "已恢复", "refused": "未执行", "wrong credential": "用户名或密码错误",
                 "locked": "登录已暂时锁定", "disabled": "未设置管理员密码", "refused: not authenticated": "拒绝：未登录"}


def audit_rows(entries: list[dict[str, Any]], zone_name: str = DEFAULT_ZONE) -> list[list[Any]]:
    """The audit log's rows, latest first: time with its zone, the action and result in Chinese, and
    for an upload the id of the document it created ("新增（文档ID：x-2）")."""
    rows = []
    for r in reversed(entries):
        result = str(r.get("result") or "")
        shown_result = AUDIT_RESULTS.get(result, result)
        if r.get("doc_id") and r.get("action") in ("upload", "replace"):
            shown_result += f"（文档ID：{r['doc_id']}）"
        action = str(r.get("action") or "")
        rows.append([shown(r.get("time"), zone_name), r.get("user"), AUDIT_ACTIONS.get(action, action), r.get("target"),
                     shown_result, (r.get("sha256") or "")[:16]])
    return rows
