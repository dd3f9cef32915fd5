"""Which reader reads which file: one table, suffix → reader.

A suffix the table lacks is an error that names the file and says what to do (legacy Office formats)
or which types are read — never a guess: before the table, every suffix that was not text, HTML or
.docx went to the PDF reader.  The supported suffixes are the table's keys, so adding a format is one
row here.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest.readers.base import UnreadableFileError
from ingest.readers.encoding import read_text
from ingest.readers.html import read_html
from ingest.readers.isolated import read_isolated
from ingest.readers.limits import ReadLimits
from ingest.readers.pdf import read_pdf
from ingest.readers.word import read_docx

FileReader = Callable[[Path, bytes, ReadLimits], str]  # (path, its bytes, the file's budgets) → text

# Formats people have but no maintained pure-Python reader parses: say what to do instead.
LEGACY_SUFFIXES: dict[str, str] = {
    ".doc": "旧版 Word 格式（.doc）无法直接读取，请在 Word/WPS 中另存为 .docx 后再上传",
    ".wps": "WPS 文字格式（.wps）无法直接读取，请在 WPS 中另存为 .docx 后再上传",
    ".et": "WPS 表格格式无法读取，请另存为 .docx 或 .pdf",
    ".rtf": "RTF 格式无法直接读取，请另存为 .docx",
}


def _in_process(reader: Callable[[Path, bytes], str]) -> FileReader:
    return lambda path, data, limits: reader(path, data)


def _pdf(path: Path, data: bytes, limits: ReadLimits) -> str:
    """One call into pypdf can outlast every check: a child process that can be killed."""
    return read_isolated(read_pdf, path, data, limits)


READERS: dict[str, FileReader] = {
    ".txt": _in_process(read_text),
    ".md": _in_process(read_text),
    ".html": _in_process(read_html),
    ".htm": _in_process(read_html),
    ".xhtml": _in_process(read_html),
    ".docx": _in_process(read_docx),
    ".pdf": _pdf,
}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(READERS)


def unsupported(path: Path | str) -> UnreadableFileError:
    """The error for a file type we do not read: what to do for legacy Office files, else the list we read."""
    suffix = Path(path).suffix.lower()
    if suffix in LEGACY_SUFFIXES:
        return UnreadableFileError(path, LEGACY_SUFFIXES[suffix], f"legacy format {suffix}: save as .docx")
    shown = suffix or "（无扩展名）"
    return UnreadableFileError(path, f"不支持的文件类型 {shown}（支持 {'、'.join(sorted(SUPPORTED_SUFFIXES))}）",
                               f"unsupported file type {suffix or '(none)'}")


def reader_for(path: Path) -> FileReader:
    """The reader of ``path``'s suffix (any case); raises :func:`unsupported`'s error for any other."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise unsupported(path)
    return reader
