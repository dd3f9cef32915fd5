"""Policy files (.txt/.md/.html/.docx/.pdf) → plain text, one paragraph per line.

Government policy files arrive in every format and encoding (GBK web pages, Big5 reposts, scanned
PDFs, broken .docx). Ingest must never crash on one bad file: every failure becomes an
:class:`UnreadableFileError` whose message names the file and says why, so the batch can skip it
and tell the user. Text is only extracted here; cleaning (NFKC, boilerplate) happens later.
"""
from __future__ import annotations

import codecs
import io
import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.table import Table

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".html", ".htm", ".docx", ".pdf"})


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


def read_document(path: Path) -> str:
    """Plain text of a policy file, paragraphs separated by "\\n"; raises only UnreadableFileError."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        shown = suffix or "（无扩展名）"
        raise UnreadableFileError(path, f"不支持的文件类型 {shown}", f"unsupported file type {suffix or '(none)'}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(path, "无法读取文件", f"cannot read file: {exc.strerror or exc}") from exc
    if not data.strip():
        raise UnreadableFileError(path, "文件为空", "empty file")

    try:
        if suffix in (".txt", ".md"):
            text = _read_text(path, data)
        elif suffix in (".html", ".htm"):
            text = _read_html(path, data)
        elif suffix == ".docx":
            text = _read_docx(path, data)
        else:
            text = _read_pdf(path, data)
    except UnreadableFileError:
        raise
    except Exception as exc:  # library bugs on odd input must not abort a whole ingest run
        raise UnreadableFileError(path, "解析失败", f"failed to parse: {type(exc).__name__}: {exc}") from exc

    text = _normalise_newlines(text)
    if not text.strip():
        raise UnreadableFileError(path, "文件为空，未包含文字", "file contains no text")
    return text


# --------------------------------------------------------------------------- text decoding

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its LE BOM starts with the UTF-16 LE BOM.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Strictly-decoded fallbacks for Chinese. gb18030 ⊃ GBK ⊃ GB2312; cp950 is Windows' Big5 superset.
_CJK_CANDIDATES = ("gb18030", "big5", "cp950")


def decode_bytes(data: bytes) -> str:
    """Decode a text file's bytes, guessing the encoding robustly for Chinese.

    Order: BOM → strict UTF-8 → BOM-less UTF-16 → charset-normalizer, cross-checked against strict
    gb18030/Big5 decodings scored by how "ordinary Chinese" they look, because detectors often
    confuse GBK and Big5 on short texts (both decode to valid-looking CJK characters).
    Raises ValueError if the bytes do not look like text (binary junk).
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data[len(bom):].decode(encoding))
            except UnicodeDecodeError as exc:
                raise ValueError(f"invalid {encoding} after BOM: {exc}") from exc

    try:
        return _check_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass

    if b"\x00" in data:
        for encoding in ("utf-16-le", "utf-16-be"):
            text = _try_decode(data, encoding)
            if text is not None and _control_share(text) == 0 and _cjk_score(text) > 0.5:
                return text

    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        cn_text = str(best)
        if best.chaos <= 0.1 and not _has_cjk(cn_text) and _cjk_score(cn_text) >= 0.5:
            # Confidently Western (e.g. a Latin-1 note with "café"): don't force a CJK reading on it.
            # Hangul/kana/symbol soup (GBK misread as UTF-16 or EUC-KR) scores low and falls through.
            return _check_text(cn_text)
    # Detectors are unreliable on short Chinese texts, so the plausibility score decides; max()
    # keeps the first of equal scores, so ties go to gb18030 (most policy files are mainland ones).
    candidates = [(enc, text) for enc in _CJK_CANDIDATES if (text := _try_decode(data, enc)) is not None]
    if best is not None:
        candidates.insert(1, (best.encoding, str(best)))
    if not candidates:
        raise ValueError("no candidate encoding decodes these bytes")
    _, text = max(candidates, key=lambda c: _cjk_score(c[1]))
    return _check_text(text)


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _check_text(text: str) -> str:
    """Reject decodings that are really binary data (NULs and other control characters)."""
    if _control_share(text) > 0.02:
        raise ValueError("binary data (control characters)")
    return text


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    return bad / len(text)


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@cache
def _common_hanzi() -> frozenset[str]:
    """Everyday characters: GB2312 level 1 (the 3755 most frequent simplified) plus their
    traditional forms via OpenCC.

    Built from codecs, so no data file is needed. A GBK text misread as Big5 (or vice versa) lands
    on rare characters, kana, symbols or private-use code points, which this set excludes. (Big5's
    own 常用字 block is ordered by radical, not frequency, so it is only the fallback.)
    """
    level1 = "".join(
        ch
        for lead in range(0xB0, 0xD8)
        for trail in range(0xA1, 0xFF)
        if (ch := _try_decode(bytes((lead, trail)), "gb2312")) is not None
    )
    chars = set(level1)
    try:
        from opencc import OpenCC

        for config in ("s2t", "s2tw", "s2hk"):
            chars.update(OpenCC(config).convert(level1))
    except Exception:  # OpenCC missing or broken: fall back to Big5 level 1 (A440–C67E)
        for lead in range(0xA4, 0xC7):
            for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
                if (ch := _try_decode(bytes((lead, trail)), "big5")) is not None and (lead, trail) <= (0xC6, 0x7E):
                    chars.add(ch)
    return frozenset(chars)


def _char_weight(ch: str) -> float:
    if ch in _common_hanzi():
        return 1.0
    cp = ord(ch)
    if 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF:
        return 0.25  # real but uncommon hanzi
    if (
        0x3000 <= cp <= 0x303F  # CJK punctuation
        or 0xFF00 <= cp <= 0xFFEF  # full-width forms
        or 0x2000 <= cp <= 0x206F  # general punctuation “”—…
        or 0x2100 <= cp <= 0x218F  # letterlike, Roman numerals
        or 0x2460 <= cp <= 0x24FF  # ①②③
        or 0x00A0 <= cp <= 0x00FF  # Latin-1 (·, ×, °, é)
    ):
        return 0.5
    return -1.0  # kana, Greek, Cyrillic, box drawing, bopomofo, private use, U+FFFD …


def _cjk_score(text: str) -> float:
    """Average plausibility of the non-ASCII characters, in [-1, 1]; ASCII says nothing here."""
    weights = [_char_weight(ch) for ch in text if ord(ch) > 0x7F]
    if not weights:
        return 1.0 if _control_share(text) == 0 else -1.0
    return sum(weights) / len(weights)


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_text(path: Path, data: bytes) -> str:
    try:
        return decode_bytes(data)
    except ValueError as exc:
        raise UnreadableFileError(
            path, "无法识别文本编码，可能是二进制文件", f"undecodable text or binary data: {exc}"
        ) from exc


# --------------------------------------------------------------------------- HTML

_HTML_DROP = frozenset(
    {"script", "style", "nav", "header", "footer", "noscript", "iframe", "form", "head", "template", "svg"}
)
_HTML_BLOCKS = frozenset(
    {
        "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "table",
        "thead", "tbody", "tfoot", "caption", "section", "article", "main", "aside", "blockquote",
        "pre", "address", "figure", "figcaption", "center", "hr", "body",
    }
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML collapses only these; &nbsp; / U+3000 are content


def _decode_html(data: bytes) -> str:
    """BOM beats <meta charset>, which beats guessing; GB2312/GBK labels are read as gb18030."""
    if any(data.startswith(bom) for bom, _ in _BOMS):
        return decode_bytes(data)
    match = _META_CHARSET.search(data[:8192])
    if match:
        label = match.group(1).decode("ascii", "ignore").lower()
        if label in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "euc-cn"):
            label = "gb18030"  # pages labelled GB2312 routinely contain GBK-only characters
        elif label == "big5":
            label = "cp950"
        if (text := _try_decode(data, label)) is not None:
            return text
    return decode_bytes(data)


def _read_html(path: Path, data: bytes) -> str:
    from bs4 import BeautifulSoup

    try:
        markup = _decode_html(data)
    except ValueError as exc:
        raise UnreadableFileError(path, "无法识别网页编码", f"undecodable HTML: {exc}") from exc
    soup = BeautifulSoup(markup, "lxml")
    pieces: list[str] = []
    _html_walk(soup, pieces)
    lines = (line.strip(" \t") for line in "".join(pieces).split("\n"))
    text = "\n".join(line for line in lines if line.strip())
    if not text:
        raise UnreadableFileError(path, "网页中没有正文文字", "no text in HTML page")
    return text


def _html_walk(node: object, out: list[str]) -> None:
    """Append text, with "\\n" at block boundaries so paragraphs survive as lines."""
    from bs4 import NavigableString, Tag
    from bs4.element import PreformattedString

    for child in getattr(node, "children", ()):
        if isinstance(child, PreformattedString):  # comments, doctype, CDATA
            continue
        if isinstance(child, NavigableString):
            out.append(_HTML_SPACE.sub(" ", str(child)))
            continue
        if not isinstance(child, Tag):
            continue
        name = (child.name or "").lower()
        if name in _HTML_DROP:
            continue
        if name == "br":
            out.append("\n")
        elif name == "tr":
            cells = []
            for cell in child.find_all(("td", "th"), recursive=False):
                parts: list[str] = []
                _html_walk(cell, parts)
                cells.append(_HTML_SPACE.sub(" ", "".join(parts)).strip())
            out.append("\n" + " | ".join(cells) + "\n")
        elif name in _HTML_BLOCKS:
            out.append("\n")
            _html_walk(child, out)
            out.append("\n")
        else:
            _html_walk(child, out)


# --------------------------------------------------------------------------- DOCX

def _read_docx(path: Path, data: bytes) -> str:
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2 container: legacy .doc or an encrypted .docx
        raise UnreadableFileError(
            path,
            "不是有效的 .docx（可能是旧版 .doc 或加密文档，请另存为 .docx）",
            "not a valid .docx (legacy .doc or encrypted document?)",
        )
    import docx
    from docx.table import Table

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


def _docx_table_rows(table: Table) -> Iterator[str]:
    """One line per row, cells joined with " | "; merged cells appear once, not once per grid column."""
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(cell)
        yield " | ".join(" ".join(p.text for p in cell.paragraphs if p.text.strip()) for cell in cells)
        for cell in cells:  # nested tables follow their row
            for inner in cell.tables:
                yield from _docx_table_rows(inner)


# --------------------------------------------------------------------------- PDF

def _read_pdf(path: Path, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf import PasswordType
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

    pages: list[str] = []
    try:
        for page in reader.pages:
            text = _normalise_newlines(page.extract_text() or "").strip("\n")
            if text.strip():
                pages.append(text)
    except FileNotDecryptedError as exc:
        raise UnreadableFileError(path, "PDF 受密码保护，无法打开", "password-protected PDF") from exc
    except Exception as exc:
        raise UnreadableFileError(path, "PDF 文件已损坏，无法提取文字", f"corrupt PDF, text extraction failed: {exc}") from exc
    if not pages:
        raise UnreadableFileError(
            path, "可能是扫描件，未包含可提取的文字", "no extractable text; probably a scanned PDF"
        )
    return "\n".join(pages)
