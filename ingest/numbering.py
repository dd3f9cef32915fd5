"""Chinese numerals ↔ integers, for item labels and number lookup (第十八项, （二十四）, 第15条)."""
from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千"


def parse_chinese_numeral(s: str) -> int | None:
    """'二十四' → 24, '十' → 10, '一百零三' → 103; Arabic digits pass through; None if not a numeral."""
    s = s.strip()
    if not s:
        return None
    if s.isdigit():
        return int(s)
    total, current = 0, 0
    for ch in s:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
        else:
            return None
    return total + current


def to_chinese_numeral(n: int) -> str:
    """24 → '二十四', 10 → '十', 103 → '一百零三' (enough for item numbers, < 1000)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n - 10] if n > 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    hundreds, rest = divmod(n, 100)
    if rest == 0:
        return digits[hundreds] + "百"
    if rest < 10:
        return digits[hundreds] + "百零" + digits[rest]
    tail = to_chinese_numeral(rest)
    if rest < 20:
        tail = "一" + tail
    return digits[hundreds] + "百" + tail


# How each ladder level is written: (canonical label piece, spoken form staff read out).
LABEL_FORMATS: dict[str, tuple[str, str]] = {
    "chapter": ("第{cn}章", "第{cn}章"),
    "section": ("第{cn}节", "第{cn}节"),
    "article": ("第{cn}条", "第{cn}条"),
    "cn": ("{cn}", "{cn}、"),
    "paren_cn": ("（{cn}）", "（{cn}）"),
    "arabic": ("{n}", "第{n}项"),
    "paren_arabic": ("（{n}）", "（{n}）"),
}


def format_number(style: str, n: int, spoken: bool = False) -> str:
    """One level of an item label: ``format_number("arabic", 6, spoken=True)`` → ``第6项``."""
    return LABEL_FORMATS[style][int(spoken)].format(cn=to_chinese_numeral(n), n=n)
