"""Bounds on what one file may cost to read: unpacked bytes, markup elements, seconds.

A 2 MB .docx can unpack to gigabytes and a 20 MB HTML page can hold millions of tags; each reader
checks these limits *while* it reads (zip members in bounded chunks, tags counted on the raw bytes,
PDF pages one by one) and stops with a clear message before building the large string or tree.
The limits are set per ingest by the caller (:func:`reading_limits`); the defaults hold for every
other reader call.
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from ingest.readers.base import UnreadableFileError


@dataclass(frozen=True)
class ReadLimits:
    max_unpacked_bytes: int = 64 * 1024 * 1024  # a docx's members together, a PDF's decoded streams
    max_elements: int = 400_000  # XML/HTML tags of one file
    max_seconds: float = 60.0  # reading and parsing one file
    started: float = field(default_factory=time.monotonic)

    def remaining(self) -> float:
        """Seconds left of this file's budget (the clock is system-wide: a child process reads it too)."""
        return self.max_seconds - (time.monotonic() - self.started)

    def timeout_error(self, path: Path) -> UnreadableFileError:
        return UnreadableFileError(path, f"解析超时（超过 {self.max_seconds:.0f} 秒），文件过于复杂",
                                   f"parsing took longer than {self.max_seconds:.0f} s")

    def check_time(self, path: Path) -> None:
        if time.monotonic() - self.started > self.max_seconds:
            raise self.timeout_error(path)

    def check_size(self, path: Path, unpacked: int) -> None:
        if unpacked > self.max_unpacked_bytes:
            raise UnreadableFileError(path, f"解压后内容过大（超过 {self.max_unpacked_bytes // (1024 * 1024)} MB），"
                                      "可能是压缩炸弹", f"unpacks to more than {self.max_unpacked_bytes} bytes")

    def check_elements(self, path: Path, count: int) -> None:
        if count > self.max_elements:
            raise UnreadableFileError(path, f"文档结构过于复杂（超过 {self.max_elements} 个元素）",
                                      f"more than {self.max_elements} markup elements")


_current: ContextVar[ReadLimits | None] = ContextVar("read_limits", default=None)


def current_limits() -> ReadLimits:
    """The limits of the file being read (its clock started when :func:`file_limits` began)."""
    return _current.get() or ReadLimits()


_configured: ContextVar[ReadLimits | None] = ContextVar("configured_read_limits", default=None)


@contextmanager
def reading_limits(limits: ReadLimits) -> Iterator[None]:
    """Use ``limits`` for every file read in this context (an ingest run)."""
    token = _configured.set(limits)
    try:
        yield
    finally:
        _configured.reset(token)


@contextmanager
def file_limits() -> Iterator[ReadLimits]:
    """The configured limits with a fresh clock, for one file."""
    base = _configured.get() or ReadLimits()
    limits = ReadLimits(base.max_unpacked_bytes, base.max_elements, base.max_seconds)
    token = _current.set(limits)
    try:
        yield limits
    finally:
        _current.reset(token)


@contextmanager
def file_limits_from(limits: ReadLimits) -> Iterator[ReadLimits]:
    """``limits`` as they are (clock included) for the file read in this context — a reading child
    process continues its parent's budget, it does not start a new one."""
    token = _current.set(limits)
    try:
        yield limits
    finally:
        _current.reset(token)
