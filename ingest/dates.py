"""Dates as policy texts write them: 2024年1月15日, ２００５年, 二〇二四年一月十五日 (○ for 〇), 2024-01-15.

One reading for every date in ingest: the metadata's issue, effective and last days, a sign-off's date
line, a regulation's history lines.
"""
from __future__ import annotations

import re
import unicodedata

from ingest.text.ladder import parse_chinese_numeral

DATE_CN = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_CN_DIGIT = "〇○零一二三四五六七八九"  # ○ (a circle, U+25CB) stands for 〇 in many typed sign-offs
_HANZI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0}
_HZ = "十" + _CN_DIGIT  # month and day numerals
_DATE_HANZI = re.compile(rf"([{_CN_DIGIT}]{{4}})\s*年\s*([{_HZ}]{{1,3}})\s*月\s*([{_HZ}]{{1,3}})\s*日")
_DATE_ISO = re.compile(r"((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})")
_DATE_LINE = re.compile(rf"^\s*(?:(?:19|20)\d{{2}}\s*年\s*\d{{1,2}}\s*月\s*\d{{1,2}}"
                        rf"|[{_HZ}]{{4}}\s*年\s*[{_HZ}]{{1,3}}\s*月\s*[{_HZ}]{{1,3}})\s*日\s*$")


def iso_date(text: str) -> str:
    """First date in ``text`` as YYYY-MM-DD ('' if none); full-width digits (２００５年) count as digits."""
    text = unicodedata.normalize("NFKC", text)
    m = DATE_CN.search(text) or _DATE_ISO.search(text)
    if not m:
        h = _DATE_HANZI.search(text)  # 二〇二四年一月十五日, as sign-offs are often written
        if not h:
            return ""
        year = "".join(str(_HANZI_DIGITS[c]) for c in h.group(1))
        return f"{int(year):04d}-{parse_chinese_numeral(h.group(2)) or 0:02d}-{parse_chinese_numeral(h.group(3)) or 0:02d}"
    y, mo, d = m.groups()
    return f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"


def chinese_date(iso: str) -> str:
    """YYYY-MM-DD as a text says it, with the stored form after it (2021-09-28 → 2021年9月28日（2021-09-28）):
    callers ask "哪天印发的" and read either form back; anything else is returned as it is."""
    m = re.fullmatch(r"((?:19|20)\d{2})-(\d{1,2})(?:-(\d{1,2}))?", iso.strip())
    if not m:
        return iso
    y, mo, d = m.groups()
    return f"{int(y)}年{int(mo)}月" + (f"{int(d)}日" if d else "") + f"（{iso.strip()}）"


def is_date_line(line: str) -> bool:
    return bool(_DATE_LINE.match(line))
