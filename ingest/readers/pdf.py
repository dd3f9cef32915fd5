"""PDF → text with pypdf, every page's operators and text counted against the file's budgets while
pypdf interprets it (read in a child process: :mod:`.isolated`)."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ingest.readers.base import UnreadableFileError
from ingest.readers.encoding import normalise_newlines
from ingest.readers.limits import ReadLimits, current_limits


class OverBudget(BaseException):
    """Raised from inside pypdf's interpreter; a BaseException, so that pypdf's ``except Exception``
    around each form XObject cannot swallow it and carry on with the next ``Do``."""

    def __init__(self, error: UnreadableFileError) -> None:
        super().__init__(str(error))
        self.error = error


class PageBudget:
    """The budgets of one page *while* pypdf interprets it: every operator counts — those inside form
    XObjects and nested forms too, each time the form is drawn — against ``max_elements``, the clock
    is read every :data:`CLOCK_EVERY` operators, and extracted text counts against the unpacked bytes."""

    CLOCK_EVERY = 64

    def __init__(self, path: Path, limits: ReadLimits, unpacked: int) -> None:
        self.path = path
        self.limits = limits
        self.operators = 0
        self.chars = unpacked

    def operator(self, op: Any, operands: Any, cm: Any, tm: Any) -> None:
        self.operators += 1
        try:
            self.limits.check_elements(self.path, self.operators)
            if self.operators % self.CLOCK_EVERY == 0:
                self.limits.check_time(self.path)
        except UnreadableFileError as exc:
            raise OverBudget(exc) from None

    def text(self, text: Any, cm: Any, tm: Any, font: Any, size: Any) -> None:
        self.chars += len(text or "")
        try:
            self.limits.check_size(self.path, self.chars)
        except UnreadableFileError as exc:
            raise OverBudget(exc) from None


def read_pdf(path: Path, data: bytes) -> str:
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        reader = PdfReader(io.BytesIO(data))
    except Exception as exc:
        raise UnreadableFileError(path, "PDF 文件已损坏或格式无效", f"corrupt or invalid PDF: {exc}") from exc

    if reader.is_encrypted:
        try:
            # Many official PDFs carry only an owner password (print/copy restrictions): "" opens them.
            ok = reader.decrypt("") != PasswordType.NOT_DECRYPTED
        except DependencyError as exc:
            raise UnreadableFileError(
                path, "PDF 使用 AES 加密，需要安装 cryptography 库", f"AES-encrypted PDF needs 'cryptography': {exc}"
            ) from exc
        except Exception as exc:
            raise UnreadableFileError(path, "PDF 加密方式无法处理", f"cannot decrypt PDF: {exc}") from exc
        if not ok:
            raise UnreadableFileError(path, "PDF 受密码保护，无法打开", "password-protected PDF")

    limits = current_limits()
    pages: list[str] = []
    unpacked = 0
    try:
        limits.check_elements(path, len(reader.pages))
        for page in reader.pages:
            raw = page._get_contents_as_bytes() or b""  # decoded once, before the content stream is parsed
            unpacked += len(raw)
            limits.check_size(path, unpacked)
            limits.check_elements(path, raw.count(b" ") + raw.count(b"\n"))  # operators and operands of this page
            del raw
            limits.check_time(path)
            budget = PageBudget(path, limits, unpacked)
            text = page.extract_text(visitor_operand_before=budget.operator, visitor_text=budget.text)
            unpacked = budget.chars
            text = normalise_newlines(text or "").strip("\n")
            if text.strip():
                pages.append(text)
    except OverBudget as exc:
        raise exc.error from None
    except FileNotDecryptedError as exc:
        raise UnreadableFileError(path, "PDF 受密码保护，无法打开", "password-protected PDF") from exc
    except UnreadableFileError:
        raise
    except Exception as exc:
        raise UnreadableFileError(path, "PDF 文件已损坏，无法提取文字", f"corrupt PDF, text extraction failed: {exc}") from exc
    if not pages:
        raise UnreadableFileError(
            path, "可能是扫描件，未包含可提取的文字", "no extractable text; probably a scanned PDF"
        )
    return "\n".join(pages)
