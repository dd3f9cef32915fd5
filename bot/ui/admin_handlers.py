"""The admin app's callbacks: uploads, removal, rebuild, the job list and the audit log.

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
from bot.ui.render_lookup import doc_choices, documents_table, upload_error_row, upload_row, upload_table
from bot.ui.render_text import md_text

POLL_SECONDS = 0.5
JOB_HEADERS = ["任务", "文件", "状态", "进度"]
AUDIT_HEADERS = ["时间", "用户", "操作", "对象", "结果", "SHA-256"]
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
        docs = self.bot.library.documents()
        return gr.update(choices=doc_choices(docs)), documents_table(docs)

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
            yield (upload_table([[p.name, JOB_STATUS[j.status], 0, j.progress] for p, j in queued]),
                   job_rows(self.bot.jobs.jobs()), gr.skip(), gr.skip())
            time.sleep(POLL_SECONDS)
        for path, job in queued:
            assert job.result is not None
            rows[path] = upload_row(path.name, job.result)
            _discard(path)
        choices, table = self._choices()
        yield upload_table([rows[p] for p in paths if p in rows]), job_rows(self.bot.jobs.jobs()), table, choices

    def remove(self, doc_id: str, request: gr.Request) -> tuple[Any, ...]:
        user = request.username if request else None
        if not doc_id:
            msg = "请先选择要删除的文档。"
        else:
            name = self.bot.library.document_name(doc_id)
            try:
                ok = self.actions.remove(user, doc_id)
            except NotAllowed as exc:
                raise gr.Error(str(exc)) from None
            msg = f"已删除：{name}" if ok else f"未找到文档：{doc_id}"
        choices, table = self._choices()
        return md_text(msg), table, choices

    def rebuild(self, request: gr.Request) -> Iterator[tuple[Any, ...]]:
        user = request.username if request else None
        try:
            job = self.actions.rebuild(user)
        except NotAllowed as exc:
            raise gr.Error(str(exc)) from None
        except QueueFull as exc:
            yield md_text(str(exc)), job_rows(self.bot.jobs.jobs())
            return
        while not job.finished.wait(POLL_SECONDS):
            yield md_text(f"重建索引：{job.progress}"), job_rows(self.bot.jobs.jobs())
        assert job.result is not None
        yield md_text(f"重建完成：{job.result.message}"), job_rows(self.bot.jobs.jobs())

    def jobs(self) -> list[list[Any]]:
        return job_rows(self.bot.jobs.jobs())

    def audit(self) -> list[list[Any]]:
        rows = self.bot.audit.entries()[-100:]
        return [[r.get("time"), r.get("user"), r.get("action"), r.get("target"), r.get("result"),
                 (r.get("sha256") or "")[:16]] for r in reversed(rows)] or [["—"] * len(AUDIT_HEADERS)]
