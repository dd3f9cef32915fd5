"""The numbering ladder of Chinese policy texts, and Chinese numerals.

Policy documents number their items on a fixed ladder (GB/T 9704): ``一、`` → ``（一）`` → ``1.`` →
``（1）``, or ``第X章`` → ``第X节`` → ``第X条`` for regulations.  :data:`LEVELS` is the one table of
that ladder: how a level is recognised at the start of a line, its rank (outermost first), how its
label is written in a citation and how staff read it out.  The clause parser, number lookup and
query analysis all read it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

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


_CN = f"[{CN_NUMERAL_CHARS}]+"


@dataclass(frozen=True)
class Level:
    """One rung of the ladder."""

    style: str
    pattern: re.Pattern[str]  # matched against the simplified, NFKC form of a line
    label: str  # canonical label piece (citations, clause ids)
    spoken: str  # the form staff read out on the phone
    unit: str  # the word staff count this level in (第八条 for 八、, 第十八项 for （十八）)


# Outermost first; the position in this tuple is the level's rank.
LEVELS: tuple[Level, ...] = (
    Level("chapter", re.compile(rf"^第({_CN}|\d+)章(?:\s+|$)"), "第{cn}章", "第{cn}章", "章"),
    Level("section", re.compile(rf"^第({_CN}|\d+)节(?:\s+|$)"), "第{cn}节", "第{cn}节", "节"),
    Level("article", re.compile(rf"^第({_CN}|\d+)条(?:\s+|(?=[^\s规的中所款项]))"), "第{cn}条", "第{cn}条", "条"),
    Level("cn", re.compile(rf"^({_CN})[、.．](?!\d)"), "{cn}", "{cn}、", "条"),
    Level("paren_cn", re.compile(rf"^[(（]({_CN})[)）]"), "（{cn}）", "（{cn}）", "项"),
    Level("arabic", re.compile(r"^(\d{1,3})(?:[、．]|\.(?!\d))"), "{n}", "第{n}项", "项"),
    Level("paren_arabic", re.compile(r"^[(（](\d{1,3})[)）]"), "（{n}）", "（{n}）", "项"),
)
STYLES: tuple[str, ...] = tuple(level.style for level in LEVELS)
STYLE_RANK: dict[str, int] = {style: i for i, style in enumerate(STYLES)}
_BY_STYLE = {level.style: level for level in LEVELS}

# The unit word a reader puts after a number (第二部分, 第三章) names the level it counts.
UNIT_STYLES: dict[str, str] = {"部分": "cn", "章": "chapter", "节": "section"}


def format_number(style: str, n: int, spoken: bool = False) -> str:
    """One level of an item label: ``format_number("arabic", 6, spoken=True)`` → ``第6项``."""
    level = _BY_STYLE[style]
    return (level.spoken if spoken else level.label).format(cn=to_chinese_numeral(n), n=n)


def unit_word(style: str | None) -> str:
    """The word a level is counted in (条, 项, 章 …); 项 when the level is unknown."""
    level = _BY_STYLE.get(style or "")
    return level.unit if level else "项"


def match_level(simplified_line: str) -> tuple[str, int, int] | None:
    """(style, number, end of the numeral) when a line starts with a ladder numeral."""
    for level in LEVELS:
        m = level.pattern.match(simplified_line)
        if m:
            n = parse_chinese_numeral(m.group(1))
            if not n:
                return None
            return level.style, n, m.end()
    return None


def starts_body(simplified_line: str) -> bool:
    """Does the line open the numbered body (一、 or 第X章/条/节)? Titles never come after it."""
    found = match_level(simplified_line)
    return found is not None and found[0] in ("chapter", "section", "article", "cn")
