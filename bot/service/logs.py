"""Logs that anyone can make the service write to — feedback, refused questions, failed logins — kept
bounded on every axis a sender controls.

- **Per record**: every text field is cut to a few hundred characters (:data:`FIELD_CHARS`, more for
  the question and the answer shown) and lists to :data:`MAX_ITEMS` before the line is written.
- **Per client**: a sliding-window :class:`RateLimiter` keyed by the client's address; a record past
  the rate is not written (the caller decides what to say).  The limiter forgets the oldest clients
  past :data:`MAX_CLIENTS`, so its own memory is bounded too.
- **In total**: a log is one current file and one older generation (``<name>.1``); a write that would
  take the current file past half the configured size first moves it to ``.1``, so both together
  stay under ``max_bytes``.
- **Reading**: the admin pages read the newest lines from the end of the file (:meth:`BoundedLog.tail`),
  scanning at most :data:`TAIL_SCAN_BYTES`, so a page costs the same whatever the file's size — even
  a file written before these limits existed.

Appends, rotation and the reader share an ``flock`` on ``<name>.lock``: the app and a CLI run may
write the same log.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

FIELD_CHARS = 300  # a username, a comment, an audit target: cut to this many characters
ANSWER_FIELD_CHARS = {"question": 500, "answer": 2000}  # what a rated or refused answer keeps of itself
MAX_ITEMS = 20  # a list field (citations) keeps this many entries
MAX_RECORD_BYTES = 16 * 1024  # a line longer than this (only an old, unbounded log has one) is skipped when read
TAIL_SCAN_BYTES = 4 * 1024 * 1024  # the most a page reads from the end of a log
MAX_CLIENTS = 10_000  # clients a rate limiter remembers
BLOCK = 64 * 1024


def clip(value: Any, chars: int = FIELD_CHARS) -> Any:
    """``value`` with every string cut to ``chars`` characters (marked …), lists to :data:`MAX_ITEMS`."""
    if isinstance(value, str):
        return value if len(value) <= chars else value[:chars] + "…"
    if isinstance(value, dict):
        return {str(k)[:64]: clip(v, chars) for k, v in list(value.items())[:MAX_ITEMS]}
    if isinstance(value, (list, tuple)):
        return [clip(v, chars) for v in value[:MAX_ITEMS]]
    return value


class RateLimiter:
    """At most ``limit`` events per ``window`` seconds per key (a sliding window of timestamps)."""

    def __init__(self, limit: int, window: float = 60.0, max_keys: int = MAX_CLIENTS) -> None:
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._events: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        """Count one event for ``key``; False (and not counted) when the key is over its limit."""
        if self.limit <= 0:
            return True
        with self._lock:
            allowed = self._count(key, now) < self.limit
            if allowed:
                self._add(key, now)
            return allowed

    def count(self, key: str, now: float | None = None) -> int:
        """Events of ``key`` within the window."""
        with self._lock:
            return self._count(key, now)

    def add(self, key: str, now: float | None = None) -> None:
        """Count one event for ``key`` whatever its count."""
        with self._lock:
            self._add(key, now)

    def _count(self, key: str, now: float | None) -> int:
        now = time.monotonic() if now is None else now
        events = self._events.get(key)
        if events is None:
            return 0
        while events and now - events[0] > self.window:
            events.popleft()
        if not events:
            del self._events[key]
            return 0
        return len(events)

    def _add(self, key: str, now: float | None) -> None:
        now = time.monotonic() if now is None else now
        events = self._events.pop(key, None) or deque()
        events.append(now)
        self._events[key] = events  # most recently seen last
        while len(self._events) > self.max_keys:
            self._events.popitem(last=False)


class BoundedLog:
    """A JSON-lines log with per-record, per-client and total bounds (see the module docstring)."""

    def __init__(self, path: Path, max_bytes: int, rate: RateLimiter | None = None,
                 field_chars: dict[str, int] | None = None) -> None:
        self.path = path
        self.max_bytes = max(max_bytes, 2 * MAX_RECORD_BYTES)
        self.rate = rate
        self.field_chars = field_chars or {}
        self._lock = threading.Lock()

    @property
    def older(self) -> Path:
        return self.path.with_name(self.path.name + ".1")

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def record_line(self, row: dict[str, Any]) -> bytes:
        """The line written for ``row``: each field cut (its own limit or :data:`FIELD_CHARS`)."""
        bounded = {k: clip(v, self.field_chars.get(k, FIELD_CHARS)) for k, v in row.items()}
        line = json.dumps(bounded, ensure_ascii=False).encode("utf-8") + b"\n"
        if len(line) > MAX_RECORD_BYTES:  # only with very generous field limits: keep the record, not its bulk
            bounded = {k: clip(v, FIELD_CHARS) for k, v in row.items()}
            line = json.dumps(bounded, ensure_ascii=False).encode("utf-8") + b"\n"
        return line

    def append(self, row: dict[str, Any], client: str | None = None) -> bool:
        """Write ``row``; False when ``client`` (an address) is over its rate — nothing is written then.
        ``client=None`` is the service's own record (an admin's action): never rate-limited."""
        if client is not None and self.rate is not None and not self.rate.allow(client):
            return False
        line = self.record_line(row)
        with self._locked():
            try:
                size = self.path.stat().st_size
            except FileNotFoundError:
                size = 0
            if size + len(line) > self.max_bytes // 2:
                self._rotate()
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                start = os.lseek(fd, 0, os.SEEK_END)
                try:
                    view = memoryview(line)
                    while view:  # unbuffered: a short write is seen, not left in a buffer
                        view = view[os.write(fd, view):]
                except OSError:  # a full disk: no torn line stays behind (the caller is told)
                    with contextlib.suppress(OSError):
                        os.ftruncate(fd, start)
                    raise
            finally:
                os.close(fd)
        return True

    def _rotate(self) -> None:
        """The current file becomes the older generation (a file grown past the limit before the
        limits existed keeps only its newest half-limit of lines)."""
        if not self.path.exists():
            return
        os.replace(self.path, self.older)
        if self.older.stat().st_size > self.max_bytes // 2:
            tmp = self.older.with_name(self.older.name + ".tmp")
            with self.older.open("rb") as src, tmp.open("wb") as dst:
                src.seek(-(self.max_bytes // 2), os.SEEK_END)
                src.readline()  # start at a line boundary
                while block := src.read(1 << 20):
                    dst.write(block)
            os.replace(tmp, self.older)

    def tail(self, limit: int, scan_bytes: int = TAIL_SCAN_BYTES) -> list[dict[str, Any]]:
        """The newest ``limit`` records, newest first, reading at most ``scan_bytes`` from the end of
        the log (both generations); torn and oversized lines are skipped."""
        out: list[dict[str, Any]] = []
        budget = scan_bytes
        for path in (self.path, self.older):
            if len(out) >= limit or budget <= 0:
                break
            for raw in _lines_backwards(path, budget):
                budget -= len(raw) + 1
                if len(raw) > MAX_RECORD_BYTES:
                    continue
                with contextlib.suppress(ValueError):
                    out.append(json.loads(raw))
                if len(out) >= limit or budget <= 0:
                    break
        return out[:limit]

    def entries(self) -> list[dict[str, Any]]:
        """Every record, oldest first (both generations: at most ``max_bytes``) — for a CSV export."""
        return list(reversed(self.tail(limit=10 ** 9, scan_bytes=self.max_bytes + MAX_RECORD_BYTES)))


def _lines_backwards(path: Path, budget: int) -> Iterator[bytes]:
    """The lines of ``path`` from the last to the first, reading blocks from the end and at most
    ``budget`` bytes (a line longer than :data:`MAX_RECORD_BYTES` comes back as a marker of its length)."""
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        return
    with fh:
        pos = fh.seek(0, os.SEEK_END)
        buf = b""
        long_line = 0  # bytes of an oversized line seen so far (its content is not kept)
        read = 0
        while pos > 0 and read < budget:
            step = min(BLOCK, pos)
            pos -= step
            fh.seek(pos)
            block = fh.read(step)
            read += step
            buf = block + buf
            parts = buf.split(b"\n")
            buf = parts[0]
            for part in reversed(parts[1:]):
                if long_line:
                    yield _oversized(long_line + len(part))
                    long_line = 0
                elif part:
                    yield part
            if len(buf) > MAX_RECORD_BYTES:  # an oversized line: count it, do not keep it
                long_line += len(buf)
                buf = b""
        if pos == 0 and read <= budget:
            if long_line:
                yield _oversized(long_line + len(buf))
            elif buf:
                yield buf


def _oversized(length: int) -> bytes:
    """Stands for a line of ``length`` bytes that was not kept (callers skip it by its length)."""
    return b"\0" * (MAX_RECORD_BYTES + 1) if length > MAX_RECORD_BYTES else b""
