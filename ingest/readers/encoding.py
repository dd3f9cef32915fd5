"""Plain-text files in any encoding people have: BOMs, UTF-8/16/32, GB18030/GBK, Big5.

A strict decode that succeeds is not enough (GBK bytes often decode as Big5 too); candidates are
scored by how plausible their characters are for Chinese text, and the most plausible one wins.
"""
from __future__ import annotations

import codecs
import unicodedata
from functools import cache
from pathlib import Path

from ingest.readers.base import UnreadableFileError

BOMS: tuple[tuple[bytes, str], ...] = (
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
    for bom, encoding in BOMS:
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
            text = try_decode(data, encoding)
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
    candidates = [(enc, text) for enc in _CJK_CANDIDATES if (text := try_decode(data, enc)) is not None]
    if best is not None:
        candidates.insert(1, (best.encoding, str(best)))
    if not candidates:
        raise ValueError("no candidate encoding decodes these bytes")
    _, text = max(candidates, key=lambda c: _cjk_score(c[1]))
    return _check_text(text)


def try_decode(data: bytes, encoding: str) -> str | None:
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
        if (ch := try_decode(bytes((lead, trail)), "gb2312")) is not None
    )
    chars = set(level1)
    try:
        from opencc import OpenCC

        for config in ("s2t", "s2tw", "s2hk"):
            chars.update(OpenCC(config).convert(level1))
    except Exception:  # OpenCC missing or broken: fall back to Big5 level 1 (A440–C67E)
        for lead in range(0xA4, 0xC7):
            for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
                if (ch := try_decode(bytes((lead, trail)), "big5")) is not None and (lead, trail) <= (0xC6, 0x7E):
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


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path, data: bytes) -> str:
    try:
        return decode_bytes(data)
    except ValueError as exc:
        raise UnreadableFileError(
            path, "无法识别文本编码，可能是二进制文件", f"undecodable text or binary data: {exc}"
        ) from exc
