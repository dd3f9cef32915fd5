"""The admin's writes — upload, remove, rebuild — each checked against the credential and audited.

The web admin app calls these with the user Gradio authenticated; a call without an authenticated
admin (no password configured, a forged request) raises :class:`NotAllowed` before anything is
touched.  The CLI writes through :class:`~.library.DocumentLibrary` directly: it runs with the data
directory's own file permissions.
"""
from __future__ import annotations

from pathlib import Path

from bot.service.access import AdminGuard, AuditLog, file_sha256
from bot.service.jobs import IngestJobs, Job
from bot.service.library import DocumentLibrary, safe_filename
from vectorstore.indexer import FileResult


class NotAllowed(PermissionError):
    def __init__(self) -> None:
        super().__init__("需要管理员登录才能修改文档库。")


class AdminActions:
    def __init__(self, library: DocumentLibrary, jobs: IngestJobs, guard: AdminGuard, audit: AuditLog) -> None:
        self.library = library
        self.jobs = jobs
        self.guard = guard
        self.audit = audit

    def _check(self, user: str | None, action: str, target: str) -> str:
        if not self.guard.allows(user):
            self.audit.record(user or "-", action, target, result="refused: not authenticated")
            raise NotAllowed
        return str(user)

    def upload(self, user: str | None, filename: str, path: Path, replace: bool = False) -> Job:
        """Queue one uploaded file (raises :class:`~.jobs.QueueFull` when the queue is full)."""
        who = self._check(user, "upload", filename)
        digest = file_sha256(path) if path.is_file() else None

        def work(job: Job) -> FileResult:
            result = self.library.add_upload(filename, path, replace=replace, on_embed=job.embedded)
            self.audit.record(who, "replace" if replace else "upload", safe_filename(filename), sha256=digest,
                              result=result.status, doc_id=result.doc_id, message=result.message)
            return result

        return self.jobs.submit(filename, work)

    def remove(self, user: str | None, doc_id: str) -> bool:
        who = self._check(user, "remove", doc_id)
        resolved = self.library.resolve(doc_id) or doc_id
        ok = self.library.remove(resolved)
        self.audit.record(who, "remove", resolved, result="removed" if ok else "not found")
        return ok

    def rebuild(self, user: str | None) -> Job:
        who = self._check(user, "rebuild", "*")

        def work(job: Job) -> FileResult:
            report = self.library.rebuild(progress=False)
            self.audit.record(who, "rebuild", "*", result=report.summary())
            return FileResult(path="rebuild", doc_id="", status="updated", clauses=sum(r.clauses for r in report.results),
                              message=report.summary())

        return self.jobs.submit("rebuild", work)
