"""A government body's conventional short name (``wordlists/body_short_forms.txt``).

Documents sign with the full name (广东省人民政府办公厅); people ask with the short one (省政府办公厅发的那份
文件, 市场监管总局牵头的意见).  The 文件信息 record and the metadata answer show both, so the short name is
found by search and read in the answer.
"""
from __future__ import annotations

from ingest.text.wordlists import load_mappings


def short_name(body: str) -> str:
    """The body's conventional short name, or "" when it has none shorter than itself."""
    short = body
    for full, abbreviated in load_mappings("body_short_forms"):
        short = short.replace(full, abbreviated)
    return short if short != body else ""


def with_short_name(body: str) -> str:
    """``广东省人民政府办公厅（简称广东省政府办公厅）``: the full name, then the short one when there is one."""
    short = short_name(body)
    return f"{body}（简称{short}）" if short else body


def issuers_text(bodies: list[str]) -> str:
    """The issuers as a record or an answer names them: each with its short name, joined by 、."""
    return "、".join(with_short_name(b) for b in bodies)
