"""What every reader shares: the one error type users see."""
from __future__ import annotations

from pathlib import Path


class UnreadableFileError(Exception):
    """A file that cannot be turned into text; the message is shown to users, hence bilingual."""

    def __init__(self, path: Path | str, reason_zh: str, reason_en: str) -> None:
        # Keep all parts in ``args`` so the exception survives pickling (multiprocessing ingest).
        super().__init__(path, reason_zh, reason_en)
        self.path = Path(path)
        self.reason_zh = reason_zh
        self.reason_en = reason_en

    def __str__(self) -> str:
        return f"跳过 {self.path.name}：{self.reason_zh} ({self.reason_en})"
