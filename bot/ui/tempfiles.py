"""Temp files the apps leave behind: exported conversations and CSVs, Gradio's cached copies.

Gradio's ``delete_cache`` forgets files it did not create in *this* process, so whatever an app
wrote before it stopped (an export, an upload's copy) would stay for good.  Each app start sweeps
the folders once and a daemon thread sweeps them every :data:`~bot.ui.assets.TEMP_FILE_TTL` period:
a file older than the age is deleted, then any folder left empty.
"""
from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import threading
import time
import uuid
from pathlib import Path

log = logging.getLogger(__name__)

EXPORT_DIR = Path(tempfile.gettempdir()) / "policybot-export"


def export_path(name: str, suffix: str) -> Path:
    """A fresh file name in :data:`EXPORT_DIR` (swept like the rest: exports are for downloading now)."""
    EXPORT_DIR.mkdir(parents=True, exist_ok=True)
    return EXPORT_DIR / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}{suffix}"


def gradio_temp_dir() -> Path:
    """Where Gradio keeps uploads and cached outputs (its own rule: ``GRADIO_TEMP_DIR`` or ``<tmp>/gradio``)."""
    return Path(os.environ.get("GRADIO_TEMP_DIR") or Path(tempfile.gettempdir()) / "gradio")


def sweep(folder: Path, age: float, now: float | None = None) -> int:
    """Delete files under ``folder`` not modified for ``age`` seconds, then empty folders; returns the
    number of files deleted.  Errors (a file deleted meanwhile, no permission) skip that file."""
    if not folder.is_dir():
        return 0
    now = time.time() if now is None else now
    deleted = 0
    for root, dirs, files in os.walk(folder, topdown=False):
        for name in files:
            path = Path(root) / name
            with contextlib.suppress(OSError):
                if now - path.lstat().st_mtime > age:
                    path.unlink()
                    deleted += 1
        for name in dirs:
            with contextlib.suppress(OSError):
                (Path(root) / name).rmdir()  # only succeeds when empty
    return deleted


def start_sweeper(folders: list[Path], age: float, every: float) -> threading.Thread:
    """Sweep ``folders`` now and then every ``every`` seconds on a daemon thread."""

    def run() -> None:
        while True:
            for folder in folders:
                try:
                    n = sweep(folder, age)
                except OSError:  # pragma: no cover - a vanished mount: try again next round
                    n = 0
                if n:
                    log.info("deleted %d stale temp files under %s", n, folder)
            time.sleep(every)

    thread = threading.Thread(target=run, name="policybot-temp-sweep", daemon=True)
    thread.start()
    return thread
