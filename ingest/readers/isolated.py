"""Reading a file in a child process that is killed when the file's time is up.

A reader checks its budgets while it works (:mod:`.limits`), but a library can spend a long time
inside one call between two checks.  Run in a child process, such a file costs at most its budget:
the parent waits for the answer until the budget (plus :data:`GRACE`, 5 %) has passed, then kills the
child and refuses the file.  The child also gets an address-space limit, so a file that would need
gigabytes fails there with a memory error instead of in the serving process.

The child is a fresh interpreter (``python -m ingest.readers.isolated``; the request and the answer
are pickles on its stdin and stdout), not a fork: nothing of the parent's threads, open index or
``__main__`` (a CLI, a server) is copied or re-run.  Starting it costs about as much as importing
pypdf, a fraction of a second per file.
"""
from __future__ import annotations

import contextlib
import importlib
import os
import pickle
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ingest.readers.base import UnreadableFileError
from ingest.readers.limits import ReadLimits, file_limits_from

GRACE = 0.05  # beyond the budget, as a share of it: the child's own checks fire first; the kill is the backstop
MEMORY_BYTES = 2 * 1024 * 1024 * 1024  # address space of a reading child

Reader = Callable[[Path, bytes], str]


def _reply(reader: Reader, path: Path, data: bytes, limits: ReadLimits) -> tuple[str, ...]:
    """In the child: ("ok", text) or ("error", message, detail)."""
    try:
        with file_limits_from(limits):
            return ("ok", reader(path, data))
    except UnreadableFileError as exc:
        return ("error", exc.reason_zh, exc.reason_en)
    except MemoryError:
        return ("error", "文件内容过大，无法处理", "out of memory while parsing")
    except RecursionError:
        return ("error", "文档结构嵌套过深", "markup nested too deeply")
    except Exception as exc:  # a library bug on odd input: one file's problem
        return ("error", "解析失败", f"failed to parse: {type(exc).__name__}: {exc}")


def _child_main() -> None:
    with contextlib.suppress(ValueError, OSError):  # a platform without the limit: read anyway
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    module, name, path, data, limits = pickle.load(sys.stdin.buffer)
    reader = getattr(importlib.import_module(module), name)
    reply = _reply(reader, path, data, limits)
    pickle.dump(reply, sys.stdout.buffer)
    sys.stdout.flush()


def read_isolated(reader: Reader, path: Path, data: bytes, limits: ReadLimits) -> str:
    """``reader(path, data)`` in a child process under ``limits`` (its clock keeps running from
    ``limits.started``: the monotonic clock is system-wide); the child is killed once the budget
    and :data:`GRACE` of it have passed."""
    request = pickle.dumps((reader.__module__, reader.__qualname__, path, data, limits))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))  # the same code as ours
    with subprocess.Popen([sys.executable, "-m", "ingest.readers.isolated"], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env) as child:
        try:
            out, _ = child.communicate(request, timeout=max(limits.remaining(), 0.0) + GRACE * limits.max_seconds)
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            raise limits.timeout_error(path) from None
    try:
        reply: Any = pickle.loads(out)
    except Exception:  # the child died without an answer (the memory limit, a crash)
        raise UnreadableFileError(path, "文件内容过大或结构异常，无法处理",
                                  f"reading process ended with {child.returncode}") from None
    if reply[0] == "ok":
        return str(reply[1])
    raise UnreadableFileError(path, str(reply[1]), str(reply[2]))


if __name__ == "__main__":
    _child_main()
