"""Policy files (.txt/.md/.html/.docx/.pdf: the table in :mod:`.dispatch`) → plain text, one paragraph per line.

Government policy files arrive in every format and encoding (GBK web pages, Big5 reposts, scanned
PDFs, broken .docx). Ingest must never crash on one bad file: every failure becomes an
:class:`UnreadableFileError` whose message names the file and says why, so the batch can skip it
and tell the user. Text is only extracted here; cleaning (NFKC, boilerplate) happens later.
"""
from __future__ import annotations

from pathlib import Path

from ingest.readers.base import UnreadableFileError
from ingest.readers.dispatch import SUPPORTED_SUFFIXES, reader_for, unsupported
from ingest.readers.encoding import decode_bytes, normalise_newlines
from ingest.readers.limits import ReadLimits, file_limits, reading_limits

__all__ = ["SUPPORTED_SUFFIXES", "ReadLimits", "UnreadableFileError", "decode_bytes", "read_document", "reading_limits",
           "unsupported"]


def read_document(path: Path) -> str:
    """Plain text of a policy file, paragraphs separated by "\\n"; raises only UnreadableFileError."""
    path = Path(path)
    reader = reader_for(path)  # an unknown suffix: an error naming the file, before it is read
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(path, "无法读取文件", f"cannot read file: {exc.strerror or exc}") from exc
    if not data.strip():
        raise UnreadableFileError(path, "文件为空", "empty file")

    try:
        with file_limits() as limits:
            text = reader(path, data, limits)
            limits.check_time(path)
    except UnreadableFileError:
        raise
    except RecursionError as exc:
        raise UnreadableFileError(path, "文档结构嵌套过深", "markup nested too deeply") from exc
    except MemoryError as exc:
        raise UnreadableFileError(path, "文件内容过大，无法处理", "out of memory while parsing") from exc
    except Exception as exc:  # library bugs on odd input must not abort a whole ingest run
        raise UnreadableFileError(path, "解析失败", f"failed to parse: {type(exc).__name__}: {exc}") from exc

    text = normalise_newlines(text)
    if not text.strip():
        raise UnreadableFileError(path, "文件为空，未包含文字", "file contains no text")
    return text
