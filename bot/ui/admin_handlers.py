"""The admin app's callbacks: uploads and their preview, removal (confirmed, undoable), rebuild,
metadata edits, the review of refused questions and 没帮助 feedback, the job list and the audit log.

Every write passes the authenticated Gradio user to :class:`bot.service.admin.AdminActions`, which
refuses it unless it is the configured admin — the app's login is one check, the service the second.
Uploads run as background jobs; the handler streams their progress and returns the results when
they finish, and deletes Gradio's temp copy of each file once it is imported (or refused).
"""
from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr

from bot.service import NotAllowed, PolicyBot, QueueFull
from bot.service.jobs import Job
from bot.service.review import FEEDBACK_HEADERS, REFUSED_HEADERS, csv_bytes, refused_rows, unhelpful_rows
from bot.ui.render_admin import META_FIELDS, audit_rows, meta_values, preview_markdown, trash_choices
from bot.ui.render_lookup import doc_choices, documents_table, upload_error_row, upload_row, upload_table
from bot.ui.render_text import md_text
from bot.ui.tempfiles import export_path
from ingest.readers import UnreadableFileError

POLL_SECONDS = 0.5
REVIEW_ROWS = 200  # newest refused questions / ratings a review page shows (the CSV export has them all)
AUDIT_ROWS = 100  # newest audit records the audit page shows
JOB_HEADERS = ["任务", "文件", "状态", "进度"]
AUDIT_HEADERS = ["时间", "用户", "操作", "对象", "结果", "SHA-256"]
KEY_HEADERS = ["编号", "名称", "创建时间", "创建人", "最近使用", "状态"]
JOB_STATUS = {"queued": "排队中", "running": "进行中", "done": "完成", "failed": "失败"}


def job_rows(jobs: list[Job]) -> list[list[Any]]:
    return [[j.job_id, j.label, JOB_STATUS.get(j.status, j.status), j.progress] for j in jobs] or [["—", "—", "—", "—"]]


def _temp_path(f: Any) -> Path:
    return Path(f if isinstance(f, str) else getattr(f, "name", str(f)))


def _discard(path: Path) -> None:
    """Gradio's temp copy of an upload (a binary, a bomb…) must not stay on disk."""
    path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        path.parent.rmdir()  # Gradio puts each upload in a folder of its own


class AdminHandlers:
    def __init__(self, bot: PolicyBot) -> None:
        self.bot = bot
        self.actions = bot.admin_actions

    def _choices(self) -> tuple[Any, list[list[Any]]]:
        """The delete picker (never keeping a removed id) and the documents table."""
        docs = self.bot.library.documents()
        return gr.update(choices=doc_choices(docs), value=None), documents_table(docs)

    def _trash(self, value: str | None = None) -> Any:
        return gr.update(choices=trash_choices(self.bot.library.removed(), self.bot.settings.timezone), value=value)

    def _meta_picker(self) -> Any:
        return gr.update(choices=doc_choices(self.bot.library.documents()))

    def documents(self) -> list[list[Any]]:
        return documents_table(self.bot.library.documents())

    def upload(self, files: list[str] | None, replace: bool,
               request: gr.Request) -> Iterator[tuple[Any, ...]]:
        # Queue each file, stream the job list while they run, then the results (temp copies deleted).
        user = request.username if request else None
        paths = [_temp_path(f) for f in files or []]
        queued: list[tuple[Path, Job]] = []
        rows: dict[Path, list[Any]] = {}
        for path in paths:
            try:
                queued.append((path, self.actions.upload(user, path.name, path, bool(replace))))
            except NotAllowed as exc:
                for p in paths:
                    _discard(p)
                raise gr.Error(str(exc)) from None
            except QueueFull as exc:
                rows[path] = upload_error_row(path.name, exc)
                _discard(path)
        while not all(job.finished.is_set() for _, job in queued):
            yield (upload_table([[p.name, JOB_STATUS[j.status], "—", j.progress] for p, j in queued]),
                   job_rows(self.bot.jobs.jobs()), gr.skip(), gr.skip(), gr.skip())
            time.sleep(POLL_SECONDS)
        for path, job in queued:
            assert job.result is not None
            rows[path] = upload_row(path.name, job.result)
            _discard(path)
        choices, table = self._choices()
        yield (upload_table([rows[p] for p in paths if p in rows]), job_rows(self.bot.jobs.jobs()), table, choices,
               self._meta_picker())

    def preview(self, files: list[str] | None, request: gr.Request) -> str:
        """Parse the chosen files as an import would, index nothing (the files stay for 导入)."""
        user = request.username if request else None
        if not files:
            return "请先选择要预览的文件。"
        out = []
        for path in (_temp_path(f) for f in files):
            try:
                parsed, note = self.actions.preview(user, path.name, path)
            except NotAllowed as exc:
                raise gr.Error(str(exc)) from None
            except (UnreadableFileError, ValueError) as exc:
                out.append(f"### 导入预览：{md_text(path.name)}\n无法解析：{md_text(str(exc))}")
                continue
            out.append(preview_markdown(path.name, parsed, note))
        return "\n\n---\n\n".join(out)

    def ask_remove(self, doc_id: str | None) -> tuple[Any, ...]:
        """First step of a removal: name the document and show the confirmation (nothing is removed)."""
        if not doc_id:
            return md_text("请先选择要删除的文档。"), gr.update(visible=False), ""
        name = self.bot.library.document_name(doc_id)
        question = (f"确定删除《{md_text(name)}》（{md_text(doc_id)}）吗？删除后检索和问答不再引用它；"
                    "在下次重建索引之前可以“撤销删除”。")
        return "", gr.update(visible=True), question

    def cancel_remove(self) -> tuple[Any, ...]:
        return md_text("已取消删除。"), gr.update(visible=False)

    def remove(self, doc_id: str, request: gr.Request) -> tuple[Any, ...]:
        """The confirmed removal (API ``remove``): status, table, delete picker, confirmation hidden,
        trash picker (the removed document selected, ready for 撤销删除), metadata picker."""
        user = request.username if request else None
        removed = None
        if not doc_id:
            msg = "请先选择要删除的文档。"
        else:
            name = self.bot.library.document_name(doc_id)
            try:
                ok = self.actions.remove(user, doc_id)
            except NotAllowed as exc:
                raise gr.Error(str(exc)) from None
            resolved = self.bot.library.resolve(doc_id) or doc_id
            if ok:
                removed = next((t.doc_id for t in self.bot.library.removed() if t.doc_id in (doc_id, resolved)), None)
            msg = (f"已删除：{name}（下次重建索引前可在下方“撤销删除”）" if ok else f"未找到文档：{doc_id}")
        choices, table = self._choices()
        return md_text(msg), table, choices, gr.update(visible=False), self._trash(removed), self._meta_picker()

    def restore(self, doc_id: str | None, request: gr.Request) -> tuple[Any, ...]:
        """撤销删除 (API ``restore``): status, table, delete picker, trash picker, metadata picker."""
        user = request.username if request else None
        if not doc_id:
            msg = "请先选择要恢复的文档。"
        else:
            try:
                _, msg = self.actions.restore(user, doc_id)
            except NotAllowed as exc:
                raise gr.Error(str(exc)) from None
        choices, table = self._choices()
        return md_text(msg), table, choices, self._trash(), self._meta_picker()

    def trash(self) -> Any:
        return self._trash()

    def on_load(self) -> tuple[Any, ...]:
        """A fresh page: the pickers and the table as the library is now (not as at start-up)."""
        choices, table = self._choices()
        return table, choices, self._trash(), self._meta_picker()

    # ----- metadata ---------------------------------------------------------------------------
    def meta_load(self, doc_id: str | None) -> list[Any]:
        doc = next((d for d in self.bot.library.documents() if d["doc_id"] == doc_id), None)
        return meta_values(doc, self.bot.library.overrides().get(doc_id or "", {}))

    def meta_save(self, doc_id: str | None, title: str, short_name: str, aliases: str, region: str, level: str,
                  doc_number: str, date: str, status: str | None, status_date: str, status_note: str,
                  request: gr.Request) -> Iterator[tuple[Any, ...]]:
        """Store the form as the document's override and re-index it (API ``set_meta``): status,
        documents table, delete picker, metadata picker, then the form as stored (fields and the line
        naming the overrides).  A field left empty drops its override (an empty 效力状态: computed again)."""
        values = (title, short_name, aliases, region, level, doc_number, date, status, status_date, status_note)
        user = request.username if request else None
        unchanged = (gr.skip(),) * (3 + len(META_FIELDS) + 1)
        if not doc_id:
            yield md_text("请先选择文档。"), *unchanged
            return
        fields = dict(zip(META_FIELDS, ("" if v is None else v for v in values), strict=True))
        try:
            job = self.actions.set_meta(user, doc_id, fields)
        except NotAllowed as exc:
            raise gr.Error(str(exc)) from None
        except QueueFull as exc:
            yield md_text(str(exc)), *unchanged
            return
        while not job.finished.wait(POLL_SECONDS):
            yield md_text(f"正在保存并重新索引：{job.progress}"), *unchanged
        assert job.result is not None
        r = job.result
        msg = f"保存失败：{r.message}" if r.status == "skipped" else f"已保存：{r.message}"
        choices, table = self._choices()
        yield (md_text(msg), table, choices, gr.update(choices=doc_choices(self.bot.library.documents()), value=doc_id),
               *self.meta_load(doc_id))

    # ----- what users could not get -----------------------------------------------------------
    def review(self, request: gr.Request) -> tuple[list[list[Any]], list[list[Any]]]:
        """Refused questions and 没帮助 feedback, latest first (API ``review``)."""
        try:
            self.actions.check_reader(request.username if request else None, "review")
        except NotAllowed as exc:
            raise gr.Error(str(exc)) from None
        # the newest page of each log, read from its end: the time does not grow with the file
        zone = self.bot.settings.timezone
        refused = (refused_rows(list(reversed(self.bot.refusals.latest(REVIEW_ROWS))), zone)
                   or [["—"] * len(REFUSED_HEADERS)])
        unhelpful = (unhelpful_rows(list(reversed(self.bot.feedback.latest(REVIEW_ROWS))), zone)
                     or [["—"] * len(FEEDBACK_HEADERS)])
        return refused, unhelpful

    def _export(self, request: gr.Request, name: str, headers: list[str], rows: list[list[str]]) -> str:
        try:
            self.actions.check_reader(request.username if request else None, name)
        except NotAllowed as exc:
            raise gr.Error(str(exc)) from None
        path = export_path(name, ".csv")
        path.write_bytes(csv_bytes(headers, rows))
        return str(path)

    def export_refused(self, request: gr.Request) -> str:
        rows = refused_rows(self.bot.refusals.entries(), self.bot.settings.timezone)
        return self._export(request, "refused-questions", REFUSED_HEADERS, rows)

    def export_unhelpful(self, request: gr.Request) -> str:
        return self._export(request, "unhelpful-feedback", FEEDBACK_HEADERS,
                            unhelpful_rows(self.bot.feedback.entries(), self.bot.settings.timezone))

    def rebuild(self, request: gr.Request) -> Iterator[tuple[Any, ...]]:
        user = request.username if request else None
        try:
            job = self.actions.rebuild(user)
        except NotAllowed as exc:
            raise gr.Error(str(exc)) from None
        except QueueFull as exc:
            yield md_text(str(exc)), job_rows(self.bot.jobs.jobs()), gr.skip()
            return
        while not job.finished.wait(POLL_SECONDS):
            yield md_text(f"重建索引：{job.progress}"), job_rows(self.bot.jobs.jobs()), gr.skip()
        assert job.result is not None
        yield (md_text(f"重建完成：{job.result.message}（已删除的文档不能再撤销）"), job_rows(self.bot.jobs.jobs()),
               self._trash())

    def jobs(self) -> list[list[Any]]:
        return job_rows(self.bot.jobs.jobs())

    def audit(self) -> list[list[Any]]:
        # the newest page, read from the end of the log (audit_rows shows it latest first)
        rows = audit_rows(list(reversed(self.bot.audit.latest(AUDIT_ROWS))), self.bot.settings.timezone)
        return rows or [["—"] * len(AUDIT_HEADERS)]

    # ----- HTTP API keys ----------------------------------------------------------------------
    def _key_view(self, user: str | None) -> tuple[list[list[Any]], Any]:
        records = self.actions.api_key_records(user)
        rows = [[r.key_id, r.name, r.created, r.created_by, r.last_used or "—", f"已吊销 {r.revoked}" if r.revoked else "有效"]
                for r in records] or [["—"] * len(KEY_HEADERS)]
        active = [(f"{r.name}（{r.key_id}）", r.key_id) for r in records if not r.revoked]
        return rows, gr.update(choices=active, value=None)

    def api_keys(self, request: gr.Request) -> tuple[Any, ...]:
        # The created keys (never the keys themselves: only their hashes are stored) and the revoke picker.
        try:
            return self._key_view(request.username if request else None)
        except NotAllowed as exc:
            raise gr.Error(str(exc)) from None

    def create_api_key(self, name: str, request: gr.Request) -> tuple[Any, ...]:
        # The new key is shown once, here; afterwards only its id and name.
        user = request.username if request else None
        try:
            record, key = self.actions.create_api_key(user, name)
        except NotAllowed as exc:
            raise gr.Error(str(exc)) from None
        except ValueError as exc:
            return md_text(str(exc)), *self._key_view(user), ""
        shown = (f"已创建密钥「{md_text(record.name)}」（编号 {record.key_id}）。请立即复制保存，它只显示这一次：\n\n"
                 f"`{key}`\n\n调用时使用请求头 `Authorization: Bearer <密钥>`。")
        return shown, *self._key_view(user), ""

    def revoke_api_key(self, key_id: str | None, request: gr.Request) -> tuple[Any, ...]:
        user = request.username if request else None
        try:
            ok = self.actions.revoke_api_key(user, key_id or "")
        except NotAllowed as exc:
            raise gr.Error(str(exc)) from None
        return ("已吊销密钥 " + md_text(key_id or "") if ok else "请选择一个有效的密钥。"), *self._key_view(user)

