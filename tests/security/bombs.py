"""Hostile files generated in the test (nothing checked in): decompression and element-count bombs."""
from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

from tests.ui_fixtures import make_docx

MB = 1024 * 1024


def docx_bomb(path: Path, unpacked_mb: int = 1024, declared_size: int | None = None) -> Path:
    """A real .docx whose word/document.xml unpacks to ``unpacked_mb`` MiB of whitespace inside the body;
    ``declared_size`` makes the zip headers lie about it."""
    make_docx(path, "炸弹文件", ["第一条 正文。"])
    with zipfile.ZipFile(path) as src:
        members = {i.filename: src.read(i) for i in src.infolist()}
    xml = members["word/document.xml"]
    head, tail = xml.split(b"<w:body>", 1)
    prefix, suffix = head + b"<w:body>", tail
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw = comp.compress(prefix) + b"".join(comp.compress(b" " * MB) for _ in range(unpacked_mb)) \
        + comp.compress(suffix) + comp.flush()
    size = len(prefix) + unpacked_mb * MB + len(suffix)
    crc = zlib.crc32(prefix)
    for _ in range(unpacked_mb):  # crc of the whole stream, block by block
        crc = zlib.crc32(b" " * MB, crc)
    crc = zlib.crc32(suffix, crc)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            if name != "word/document.xml":
                out.writestr(name, data)
    # append the bomb member by hand: a stored header whose sizes are true (the reader must not trust them anyway)
    with zipfile.ZipFile(buf, "a") as out:
        info = zipfile.ZipInfo("word/document.xml", date_time=(2024, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.file_size = size if declared_size is None else declared_size
        info.compress_size = len(raw)
        info.CRC = crc
        _write_raw_member(out, info, raw)
    path.write_bytes(buf.getvalue())
    return path


def _write_raw_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, raw: bytes) -> None:
    """Write already-deflated bytes as a member (zipfile has no public API for that)."""
    zf.fp.seek(zf.start_dir)  # type: ignore[union-attr]
    info.header_offset = zf.start_dir
    info.flag_bits = 0
    header = info.FileHeader(zip64=info.file_size > zipfile.ZIP64_LIMIT)
    zf.fp.write(header)  # type: ignore[union-attr]
    zf.fp.write(raw)  # type: ignore[union-attr]
    zf.start_dir = zf.fp.tell()  # type: ignore[union-attr]
    zf.filelist.append(info)
    zf.NameToInfo[info.filename] = info
    zf._didModify = True


def html_bomb(path: Path, size_mb: int = 15) -> Path:
    """Millions of empty tags under the upload size cap."""
    unit = b"<i></i>"
    path.write_bytes(b"<html><body><p>\xe7\xac\xac\xe4\xb8\x80\xe6\x9d\xa1</p>" + unit * (size_mb * MB // len(unit))
                     + b"</body></html>")
    return path


def pdf_bomb(path: Path, unpacked_mb: int = 70, pages: int = 4) -> Path:
    """Pages whose content streams deflate from a few KB to ``unpacked_mb`` MiB of drawing operators."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    w = PdfWriter()
    ops = b"0 0 m\n" * (unpacked_mb * MB // 6)
    for _ in range(pages):
        page = w.add_blank_page(width=200, height=200)
        stream = DecodedStreamObject()
        stream.set_data(ops)
        page[NameObject("/Contents")] = w._add_object(stream.flate_encode(level=9))
    with path.open("wb") as fh:
        w.write(fh)
    return path


def pdf_form_bomb(path: Path, draws: int = 60_000, depth: int = 1, fanout: int = 1) -> Path:
    """One page drawing a form XObject ``draws`` times (a few KB on disk); with ``depth`` > 1 each form
    draws the next one ``fanout`` times, so the work multiplies while the file stays tiny."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject

    w = PdfWriter()
    page = w.add_blank_page(width=200, height=200)
    font = w._add_object(DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                                           NameObject("/Subtype"): NameObject("/Type1"),
                                           NameObject("/BaseFont"): NameObject("/Helvetica")}))

    def form(content: bytes, xobjects: dict[str, object]) -> object:
        stream = DecodedStreamObject()
        stream.set_data(content)
        resources = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F"): font})})
        if xobjects:
            resources[NameObject("/XObject")] = DictionaryObject({NameObject(k): v for k, v in xobjects.items()})
        stream.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                       NameObject("/BBox"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(200),
                                                         NumberObject(200)]),
                       NameObject("/Resources"): resources})
        return w._add_object(stream.flate_encode(level=9))

    inner = form(b"BT /F 12 Tf 10 10 Td " + b"(policy text) Tj " * 200 + b"ET", {})  # 200 operators a draw
    for _ in range(depth - 1):
        inner = form(b"q /X Do Q\n" * fanout, {"/X": inner})
    content = DecodedStreamObject()
    content.set_data(b"q /X Do Q\n" * draws)
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/XObject"): DictionaryObject({NameObject("/X"): inner}),
        NameObject("/Font"): DictionaryObject({NameObject("/F"): font})})
    page[NameObject("/Contents")] = w._add_object(content.flate_encode(level=9))
    with path.open("wb") as fh:
        w.write(fh)
    return path


def stubborn_reader(path: Path, data: bytes) -> str:
    """A reader stuck inside one library call: no check of its own ever runs (the kill must)."""
    import time

    time.sleep(3600)
    return ""
