"""The store's one error type, importable without loading Chroma (the CLI catches it in every command),
and how a store call's connection failure becomes it."""
from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar, cast

log = logging.getLogger(__name__)


class StoreUnavailable(Exception):
    """The index store (a Chroma server) cannot be reached; the message is for users."""

    def __init__(self, detail: str = "") -> None:
        super().__init__("政策索引服务暂时无法连接，请稍后再试。")
        self.detail = detail


DISK_FULL_MARKERS = ("no space left on device", "database or disk is full", "disk is full", "disk quota exceeded")


def is_disk_full(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or an exception it was raised from) says the disk or quota is full: an OSError
    with ENOSPC/EDQUOT, SQLite's "database or disk is full" (raw or wrapped by Chroma's Rust layer,
    whose messages carry no errno)."""
    import errno

    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if any(m in str(exc).lower() for m in DISK_FULL_MARKERS):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


NEARLY_FULL_BYTES = 4 * 1024 * 1024  # less free space than this where a write failed: the disk is the cause


def disk_nearly_full(path: object) -> bool:
    """Whether the filesystem holding ``path`` (or its nearest existing parent) has less than
    :data:`NEARLY_FULL_BYTES` free — for errors that lost their cause on the way (Chroma's Rust layer
    reports a failed write as "Failed to apply logs to the metadata segment")."""
    import shutil
    from pathlib import Path

    if path is None:
        return False
    here = Path(str(path))
    while not here.exists() and here != here.parent:
        here = here.parent
    try:
        return shutil.disk_usage(here).free < NEARLY_FULL_BYTES
    except OSError:
        return False


class DiskFull(Exception):
    """The data directory's disk is full; the message is for users (what happened, what to do)."""

    def __init__(self, where: str = "") -> None:
        place = f"（{where}）" if where else ""
        super().__init__(f"磁盘空间已满{place}：本次写入未完成，已生效的索引和文件保持原样。请清理磁盘空间后重试。")


# ----- connection failures -----------------------------------------------------------------------
F = TypeVar("F", bound=Callable[..., Any])
_OUTAGE_TYPES = {"ConnectError", "ConnectTimeout", "ReadTimeout", "RemoteProtocolError", "TransportError",
                 "NetworkError", "TimeoutException"}


def is_outage(exc: BaseException) -> bool:
    """A connection problem rather than a bug: refused/reset sockets, timeouts, a server gone."""
    names = {cls.__name__ for cls in type(exc).__mro__}
    if names & _OUTAGE_TYPES or isinstance(exc, (ConnectionError, TimeoutError)):
        return True
    return isinstance(exc, ValueError) and "Could not connect" in str(exc)


def outage_is_unavailable(method: F) -> F:
    """Connection failures of a store call surface as :class:`StoreUnavailable` (one type to catch)."""
    @functools.wraps(method)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except StoreUnavailable:
            raise
        except Exception as exc:
            if is_outage(exc):
                log.info("Chroma unreachable (%s)", type(exc).__name__)  # the caller tells the user
                raise StoreUnavailable(type(exc).__name__) from exc
            raise
    return cast(F, wrapper)
