"""Who may write: the admin credential check, the failed-login brake and the audit log.

Reading (chat, lookup, search) is public; every write (upload, remove, rebuild) happens only in the
admin app, whose every request passes :meth:`AdminGuard.login` first.  The check lives here, not in
the UI, so the rule "no configured password → no web writes" is stated once.
"""
from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import deque
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.service.logs import BoundedLog, RateLimiter
from bot.settings import Settings

FAILURE_WINDOW = 60.0  # seconds over which failed logins are counted
MAX_FAILURES = 5  # failed logins per window before every login is refused for the rest of it


class AdminGuard:
    """Checks the admin credential in constant time; after ``MAX_FAILURES`` wrong ones within
    ``FAILURE_WINDOW`` seconds every attempt (right or wrong) is refused until the window passes,
    so guessing costs minutes per handful of tries."""

    def __init__(self, settings: Settings, audit: AuditLog | None = None,
                 max_failures: int = MAX_FAILURES, window: float = FAILURE_WINDOW) -> None:
        self.settings = settings
        self.audit = audit
        self.max_failures = max_failures
        self.window = window
        self._failures: deque[float] = deque()
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.settings.admin_enabled

    def locked(self, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            while self._failures and now - self._failures[0] > self.window:
                self._failures.popleft()
            return len(self._failures) >= self.max_failures

    def login(self, username: str, password: str) -> bool:
        """True for the configured user and password; never true when no password is configured."""
        if not self.enabled or self.locked():
            self._log_failure(username, "locked" if self.enabled else "disabled")
            return False
        secret = self.settings.admin_password.get_secret_value() if self.settings.admin_password else ""
        ok = hmac.compare_digest((username or "").encode(), self.settings.admin_user.encode())
        ok = hmac.compare_digest((password or "").encode(), secret.encode()) and ok
        if not ok:
            with self._lock:
                self._failures.append(time.monotonic())
            self._log_failure(username, "wrong credential")
        return ok

    def allows(self, username: str | None) -> bool:
        """The server-side check every write handler makes: an authenticated admin session."""
        return self.enabled and bool(username) and username == self.settings.admin_user

    def _log_failure(self, username: str, why: str) -> None:
        if self.audit:
            self.audit.record(username or "-", "login-failed", why)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class AuditLog:
    """Admin actions as JSON lines (who, when, what, the file's SHA-256, the outcome).

    Bounded like every log a sender can write to (:mod:`bot.service.logs`): each field cut to a few
    hundred characters (a 1 MB username is 300 characters here), a total size with one older
    generation, and — for records an anonymous client causes (failed logins) — a rate per address.
    The admin's own actions are never rate-limited."""

    def __init__(self, path: Path, max_bytes: int = 8 * 1024 * 1024, rate: int = 20) -> None:
        self.path = path
        self.log = BoundedLog(path, max_bytes, RateLimiter(rate), {"message": 1000})

    def record(self, user: str, action: str, target: str, *, sha256: str | None = None,
               result: str = "", client: str | None = None, **extra: Any) -> bool:
        """Append one action; ``client`` (an address) marks a record an anonymous sender caused, which
        is dropped (False) past that address's rate."""
        row = {"time": datetime.now(UTC).isoformat(timespec="seconds"), "user": user, "action": action,
               "target": target, "sha256": sha256, "result": result, **extra}
        if client is not None:
            row["client"] = client
        return self.log.append(row, client)

    def entries(self) -> list[dict[str, Any]]:
        """Every record kept (both generations), oldest first."""
        return self.log.entries()

    def latest(self, limit: int) -> list[dict[str, Any]]:
        """The newest ``limit`` records, newest first, read from the end of the log."""
        return self.log.tail(limit)
