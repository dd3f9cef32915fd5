"""Who may write: the admin credential check, the failed-login brake and the audit log.

Reading (chat, lookup, search) is public; every write (upload, remove, rebuild) happens only in the
admin app, whose every request passes :meth:`AdminGuard.login` first.  The check lives here, not in
the UI, so the rule "no configured password → no web writes" is stated once.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any

from bot.service.clock import stamp
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
    """Admin actions as JSON lines (who, when, what, the file's SHA-256, the outcome), append-only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def record(self, user: str, action: str, target: str, *, sha256: str | None = None,
               result: str = "", **extra: Any) -> None:
        row = {"time": stamp(), "user": user, "action": action,
               "target": target, "sha256": sha256, "result": result, **extra}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")

    def entries(self) -> list[dict[str, Any]]:
        if not self.path.is_file():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]
