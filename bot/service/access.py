"""Who may write: the admin credential check, the failed-login brake and the audit log.

Reading (chat, lookup, search) is public; every write (upload, remove, rebuild) happens only in the
admin app, whose every request passes :meth:`AdminGuard.login` first.  The check lives here, not in
the UI, so the rule "no configured password → no web writes" is stated once.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
from pathlib import Path
from typing import Any

from bot.service.clock import stamp
from bot.service.logs import BoundedLog, RateLimiter
from bot.settings import Settings

log = logging.getLogger(__name__)

FAILURE_WINDOW = 60.0  # seconds over which failed logins are counted
MAX_FAILURES = 5  # failed logins of one address with one username per window; then that pair waits
ADDRESS_FACTOR = 4  # one address may fail this many times MAX_FAILURES per window, whatever the usernames
GLOBAL_FAILURES = 100  # failed logins of everyone per window: the ceiling for guessing from many addresses


class AdminGuard:
    """Checks the admin credential in constant time, behind a brake on failed logins.

    The brake is keyed by who knocks: after ``max_failures`` wrong logins within ``window`` seconds
    from one client address with one username, that pair is refused (right password or not) until
    the window passes; an address that cycles usernames is stopped at ``ADDRESS_FACTOR`` times that.
    A slow trickle of wrong logins from anywhere therefore never locks the real admin out of their
    own address.  Only past ``global_failures`` failures per window from all addresses together —
    a distributed guess, many times faster than a trickle — is every login refused until it slows."""

    def __init__(self, settings: Settings, audit: AuditLog | None = None,
                 max_failures: int | None = None, window: float | None = None,
                 global_failures: int | None = None) -> None:
        self.settings = settings
        self.audit = audit
        self.max_failures = max_failures or settings.login_failures
        self.window = window or settings.login_window
        self.global_failures = global_failures or settings.login_ceiling
        self._pairs = RateLimiter(self.max_failures, self.window)
        self._addresses = RateLimiter(self.max_failures * ADDRESS_FACTOR, self.window)
        self._everyone = RateLimiter(self.global_failures, self.window)

    @property
    def enabled(self) -> bool:
        return self.settings.admin_enabled

    @staticmethod
    def _pair(client: str, username: str) -> str:
        return f"{client}\n{hashlib.sha256((username or '').encode()).hexdigest()}"  # a 1 MB name is 64 chars here

    def locked(self, client: str = "", username: str = "", now: float | None = None) -> bool:
        """Whether a login from ``client`` as ``username`` is refused without looking at the password."""
        return (self._pairs.count(self._pair(client, username), now) >= self.max_failures
                or self._addresses.count(client, now) >= self.max_failures * ADDRESS_FACTOR
                or self._everyone.count("*", now) >= self.global_failures)

    def login(self, username: str, password: str, client: str = "") -> bool:
        """True for the configured user and password; never true when no password is configured.
        ``client`` is the address the attempt comes from (the brake's key)."""
        if not self.enabled or self.locked(client, username):
            self._log_failure(username, "locked" if self.enabled else "disabled", client)
            return False
        secret = self.settings.admin_password.get_secret_value() if self.settings.admin_password else ""
        ok = hmac.compare_digest((username or "").encode(), self.settings.admin_user.encode())
        ok = hmac.compare_digest((password or "").encode(), secret.encode()) and ok
        if not ok:
            self._pairs.add(self._pair(client, username))
            self._addresses.add(client)
            self._everyone.add("*")
            self._log_failure(username, "wrong credential", client)
        return ok

    def allows(self, username: str | None) -> bool:
        """The server-side check every write handler makes: an authenticated admin session."""
        return self.enabled and bool(username) and username == self.settings.admin_user

    def _log_failure(self, username: str, why: str, client: str) -> None:
        """Audited at the address's log rate (a flood of refused logins is not a flood of lines)."""
        if self.audit:
            try:
                self.audit.record(username or "-", "login-failed", why, client=client)
            except OSError:  # a full disk must not turn a refused login into a server error
                log.warning("could not audit a failed login (%s)", why)


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
        row = {"time": stamp(), "user": user, "action": action,
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
