"""What every reader shares: the supported suffixes and the one error type users see."""
from __future__ import annotations

from pathlib import Path

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".html", ".htm", ".xhtml", ".docx", ".pdf"})
# Formats people have but no maintained pure-Python reader parses: say what to do instead.
LEGACY_SUFFIXES: dict[str, str] = {
    ".doc": "旧版 Word 格式（.doc）无法直接读取，请在 Word/WPS 中另存为 .docx 后再上传",
    ".wps": "WPS 文字格式（.wps）无法直接读取，请在 WPS 中另存为 .docx 后再上传",
    ".et": "WPS 表格格式无法读取，请另存为 .docx 或 .pdf",
    ".rtf": "RTF 格式无法直接读取，请另存为 .docx",
}


def unsupported(path: Path | str) -> UnreadableFileError:
    """The error for a file type we do not read: what to do for legacy Office files, else the list we read."""
    suffix = Path(path).suffix.lower()
    if suffix in LEGACY_SUFFIXES:
        return UnreadableFileError(path, LEGACY_SUFFIXES[suffix], f"legacy format {suffix}: save as .docx")
    shown = suffix or "（无扩展名）"
    return UnreadableFileError(path, f"不支持的文件类型 {shown}（支持 {'、'.join(sorted(SUPPORTED_SUFFIXES))}）",
                               f"unsupported file type {suffix or '(none)'}")


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
