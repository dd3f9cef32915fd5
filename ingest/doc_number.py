"""A document's 文号: its shapes (粤办函〔2020〕90号, 国务院令第735号, …公告2023年第3号), the lines that
carry one, and the document's own number as opposed to one it cites.
"""
from __future__ import annotations

import re

from ingest.text.script import to_simplified

# The shapes a 文号 takes: 粤办函〔2020〕90号 / 深医保规〔2023〕5号, 国务院令第735号 / 某省人民政府令第268号,
# 某市人民政府公告 2023年第3号 / 市场监管总局公告2023年第15号.
DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{1,12}[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*第?\s*\d{1,4}\s*号"
    r"|[\u4e00-\u9fff]{1,20}令\s*第\s*\d{1,4}\s*号"
    r"|[\u4e00-\u9fff]{2,20}公告\s*(?:19|20)\d{2}\s*年\s*第\s*\d{1,4}\s*号"
)
# Under a "中华人民共和国国务院令" / "某省人民代表大会常务委员会公告" line: "第735号", "（第89号）", "〔十四届〕第三十一号".
NUMBER_ALONE = re.compile(r"^[(（]?\s*(?:〔[^〕]{1,6}〕)?\s*第\s*(?:\d{1,4}|[一二三四五六七八九十百零〇]{1,7})\s*号\s*[)）]?$")
_HEAD_ENDS = ("令", "公告")  # a decree's or a standing committee's announcement head, its number on the next line
_NUMBER_KEY = re.compile(r"^(?:发文字号|文号|发布文号|文\s+号)\s*[:：]\s*([^|]+)")

def is_doc_number_part(line: str) -> bool:
    """A 文号, or one of the two lines of a decree's number ("中华人民共和国国务院令" / "第735号")."""
    s = to_simplified(line.strip())
    return bool(DOC_NUMBER.search(s) or NUMBER_ALONE.match(s) or (s.endswith("令") and len(s) <= 20)
                or (s.endswith("公告") and 8 <= len(s) <= 24))  # not a menu's "通知公告"


def own_doc_number(lines: list[str]) -> str:
    """This document's 文号: on a line of its own (or after 文号：), in the head or the sign-off.

    A 文号 inside a sentence cites another document, so it is never taken.
    """
    head, tail = lines[:60], lines[-15:]
    for block in (head, tail):
        for i, line in enumerate(block):
            s = to_simplified(line.strip())
            keyed = _NUMBER_KEY.match(s)
            if keyed and keyed.group(1).strip() not in ("", "暂无", "无"):
                return keyed.group(1).strip()
            if DOC_NUMBER.fullmatch(s):
                return s.removeprefix("中华人民共和国")
            if NUMBER_ALONE.match(s) and i and to_simplified(block[i - 1]).strip().endswith(_HEAD_ENDS):
                number = re.sub(r"^[(（]\s*(.*?)\s*[)）]$", r"\1", s)  # "（第89号）" → "第89号"
                return (to_simplified(block[i - 1].strip()) + number).removeprefix("中华人民共和国").replace(" ", "")
    return ""
