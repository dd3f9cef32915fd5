"""Who may call the HTTP API: keys from ``POLICYBOT_API_KEYS`` and keys the admin app creates.

A key is only ever held as its SHA-256: the environment's keys are hashed when the process starts,
an admin-created key is shown once at creation and only its hash is written
(``POLICYBOT_DATA_DIR/api_keys.json``, with its name, creator, creation time, last use and whether
it was revoked).  Checks compare hashes in constant time.  The rule "no key configured → no API" is
stated here once (:attr:`ApiKeys.enabled`); creating and revoking keys is audited.
"""
from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from bot.service.access import AuditLog

KEY_PREFIX = "pb-"  # created keys are recognisable in a secret scanner
LAST_USE_WRITE_SECONDS = 60.0  # "last use" is written at most this often per key (not per request)
ENV_KEY_NAME = "env"  # the name of every POLICYBOT_API_KEYS key (they have no names of their own)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class KeyRecord:
    key_id: str  # public handle (for revoking; shown in the admin app and the logs)
    name: str
    sha256: str
    created: str
    created_by: str
    last_used: str = ""
    revoked: str = ""  # time of revocation; empty while active


@dataclass(frozen=True)
class Caller:
    """Who made an API request: the key's public id and name, never the key."""

    key_id: str
    name: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ApiKeys:
    """The environment's keys plus the stored ones; the file is re-read when another process changed it."""

    def __init__(self, env_keys: list[str], path: Path, audit: AuditLog) -> None:
        self._env = {key_hash(k): Caller(f"env-{i + 1}", ENV_KEY_NAME) for i, k in enumerate(env_keys)}
        self.path = path
        self.audit = audit
        self._lock = threading.Lock()
        self._records: list[KeyRecord] = []
        self._seen: tuple[int, int] | None = None  # (inode, mtime ns) of the file last read: each save is a new inode
        self._used: dict[str, float] = {}  # key_id → monotonic time its last use was written

    # ----- reading ---------------------------------------------------------------------------
    def _load(self) -> None:
        try:
            st = self.path.stat()
        except OSError:
            self._records, self._seen = [], None
            return
        if (st.st_ino, st.st_mtime_ns) == self._seen:
            return
        rows = json.loads(self.path.read_text(encoding="utf-8") or "[]")
        self._records = [KeyRecord(**r) for r in rows]
        self._seen = (st.st_ino, st.st_mtime_ns)

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps([asdict(r) for r in self._records], ensure_ascii=False, indent=1), encoding="utf-8")
        os.chmod(tmp, 0o600)
        tmp.replace(self.path)
        st = self.path.stat()
        self._seen = (st.st_ino, st.st_mtime_ns)

    def records(self) -> list[KeyRecord]:
        """Every created key (active and revoked), newest first, hashes included (never shown)."""
        with self._lock:
            self._load()
            return sorted(self._records, key=lambda r: r.created, reverse=True)

    @property
    def enabled(self) -> bool:
        """The API exists only while at least one key is configured or active."""
        if self._env:
            return True
        with self._lock:
            self._load()
            return any(not r.revoked for r in self._records)

    def verify(self, key: str | None) -> Caller | None:
        """The caller for a valid key, None otherwise (no reason given: a caller learns nothing)."""
        if not key:
            return None
        digest = key_hash(key)
        found: Caller | None = None
        for known, caller in self._env.items():
            if hmac.compare_digest(digest, known):
                found = caller
        with self._lock:
            self._load()
            for r in self._records:
                if hmac.compare_digest(digest, r.sha256) and not r.revoked:
                    found = Caller(r.key_id, r.name)
                    self._touch(r)
        return found

    def _touch(self, record: KeyRecord) -> None:
        now = time.monotonic()
        if now - self._used.get(record.key_id, -LAST_USE_WRITE_SECONDS) < LAST_USE_WRITE_SECONDS:
            return
        self._used[record.key_id] = now
        record.last_used = _now()
        with contextlib.suppress(OSError):  # last use is informative: a read-only directory must not fail a request
            self._save()

    # ----- admin writes (audited) ---------------------------------------------------------------
    def create(self, name: str, user: str) -> tuple[KeyRecord, str]:
        """A new key: its record and the key itself, which is shown once and never stored."""
        name = " ".join((name or "").split())[:60]
        if not name:
            raise ValueError("请为密钥命名（例如使用它的系统：企业微信机器人）。")
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        with self._lock:
            self._load()
            record = KeyRecord(key_id=secrets.token_hex(4), name=name, sha256=key_hash(key), created=_now(),
                               created_by=user)
            self._records.append(record)
            self._save()
        self.audit.record(user, "api-key-create", f"{record.key_id} {name}", result="ok")
        return record, key

    def revoke(self, key_id: str, user: str) -> bool:
        with self._lock:
            self._load()
            record = next((r for r in self._records if r.key_id == key_id and not r.revoked), None)
            if record is not None:
                record.revoked = _now()
                self._save()
        self.audit.record(user, "api-key-revoke", key_id, result="ok" if record else "not found")
        return record is not None
