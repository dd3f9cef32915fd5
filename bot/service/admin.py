"""The admin's writes — upload, remove, undo a removal, edit metadata, rebuild — each checked against
the credential and audited (and the admin's reading: import preview, the review of what users could not get).

The web admin app calls these with the user Gradio authenticated; a call without an authenticated
admin (no password configured, a forged request) raises :class:`NotAllowed` before anything is
touched.  The CLI writes through :class:`~.library.DocumentLibrary` directly: it runs with the data
directory's own file permissions.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.service.access import AdminGuard, AuditLog, file_sha256
from bot.service.apikeys import ApiKeys, KeyRecord
from bot.service.jobs import IngestJobs, Job
from bot.service.library import DocumentLibrary, safe_filename
from vectorstore.results import FileResult

if TYPE_CHECKING:
    from ingest.documents import ParsedDocument


class NotAllowed(PermissionError):
    def __init__(self) -> None:
        super().__init__("需要管理员登录才能修改文档库。")


class AdminActions:
    def __init__(self, library: DocumentLibrary, jobs: IngestJobs, guard: AdminGuard, audit: AuditLog,
                 api_keys: ApiKeys) -> None:
        self.library = library
        self.jobs = jobs
        self.guard = guard
        self.audit = audit
        self.api_keys = api_keys

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
        ok = self.library.remove(resolved, user=who)
        self.audit.record(who, "remove", resolved, result="removed" if ok else "not found")
        return ok

    def restore(self, user: str | None, doc_id: str) -> tuple[bool, str]:
        """撤销删除: bring a removed document back (until the next rebuild)."""
        who = self._check(user, "restore", doc_id)
        ok, message = self.library.restore(doc_id)
        self.audit.record(who, "restore", doc_id, result="restored" if ok else "refused", message=message)
        return ok, message

    def set_meta(self, user: str | None, doc_id: str, fields: dict[str, Any]) -> Job:
        """Queue a metadata edit (the document is re-indexed: its names are part of every clause's
        search text); a bad value fails the job with the message."""
        who = self._check(user, "meta", doc_id)

        def work(job: Job) -> FileResult:
            try:
                result = self.library.set_meta(doc_id, fields, on_embed=job.embedded)
            except ValueError as exc:
                result = FileResult(path=doc_id, doc_id=doc_id, status="skipped", message=str(exc))
            self.audit.record(who, "meta", doc_id, result=result.status, message=result.message,
                              fields={k: v for k, v in fields.items() if v})
            return result

        return self.jobs.submit(f"元数据 {doc_id}", work)

    def preview(self, user: str | None, filename: str, path: Path) -> tuple[ParsedDocument, str]:
        """Parse only (nothing is written); admin-only like the import it prepares."""
        self._check(user, "preview", filename)
        return self.library.preview(filename, path)

    def check_reader(self, user: str | None, what: str) -> None:
        """The admin's reading pages (refused questions, feedback) are for the admin only."""
        self._check(user, "review", what)

    def rebuild(self, user: str | None) -> Job:
        who = self._check(user, "rebuild", "*")

        def work(job: Job) -> FileResult:
            report = self.library.rebuild(progress=False)
            self.audit.record(who, "rebuild", "*", result=report.summary())
            return FileResult(path="rebuild", doc_id="", status="updated", clauses=sum(r.clauses for r in report.results),
                              message=report.summary())

        return self.jobs.submit("rebuild", work)

    # ----- HTTP API keys -------------------------------------------------------------------------
    def api_key_records(self, user: str | None) -> list[KeyRecord]:
        self.check_reader(user, "api-keys")
        return self.api_keys.records()

    def create_api_key(self, user: str | None, name: str) -> tuple[KeyRecord, str]:
        """A named key for one integration; the key itself is returned once, only its hash is kept."""
        who = self._check(user, "api-key-create", name or "")
        return self.api_keys.create(name, who)

    def revoke_api_key(self, user: str | None, key_id: str) -> bool:
        who = self._check(user, "api-key-revoke", key_id or "")
        return self.api_keys.revoke(key_id, who)

