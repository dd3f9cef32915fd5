""".docx → text: paragraphs and tables in document order (tables as rows), the zip unpacked under the
file's budgets first."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.readers.base import UnreadableFileError
from ingest.readers.limits import current_limits
from ingest.readers.tables import table_lines

if TYPE_CHECKING:
    from docx.table import Table

def read_docx(path: Path, data: bytes) -> str:
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2 container: legacy .doc or an encrypted .docx
        raise UnreadableFileError(
            path,
            "不是有效的 .docx（可能是旧版 .doc 或加密文档，请另存为 .docx）",
            "not a valid .docx (legacy .doc or encrypted document?)",
        )
    import docx
    from docx.table import Table

    _check_zip(path, data)
    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        # iter_inner_content keeps paragraphs and tables in document order.
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_docx_table_rows(block))
            else:
                lines.append(block.text)
    except Exception as exc:
        raise UnreadableFileError(path, "Word 文件已损坏或格式无效", f"corrupt or invalid .docx: {exc}") from exc
    return "\n".join(lines)


_CHUNK = 1 << 20


def _check_zip(path: Path, data: bytes) -> None:
    """Unpack every member in bounded chunks, counting real bytes and tags (a member's declared size
    can lie) and the clock; nothing is kept, so a zip bomb costs one chunk of memory."""
    limits = current_limits()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            limits.check_elements(path, len(infos))
            limits.check_size(path, sum(i.file_size for i in infos))
            unpacked = tags = 0
            for info in infos:
                with zf.open(info) as fh:
                    while chunk := fh.read(_CHUNK):
                        unpacked += len(chunk)
                        limits.check_size(path, unpacked)
                        if info.filename.endswith(".xml") or info.filename.endswith(".rels"):
                            tags += chunk.count(b"<")
                            limits.check_elements(path, tags)
                        limits.check_time(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise UnreadableFileError(path, "Word 文件已损坏或格式无效", f"corrupt or invalid .docx: {exc}") from exc


def _docx_table_rows(table: Table) -> Iterator[str]:
    """The table's rows as readable lines (:func:`table_lines`); merged cells count once; nested tables follow."""
    rows: list[list[str]] = []
    nested: list[Table] = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(cell)
        rows.append([" ".join(p.text for p in cell.paragraphs if p.text.strip()) for cell in cells])
        nested.extend(inner for cell in cells for inner in cell.tables)
    yield from table_lines(rows)
    for inner in nested:
        yield from _docx_table_rows(inner)
