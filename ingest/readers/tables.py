"""Tables → readable lines: a data table's rows as ``列名：值；列名：值``, a key-value table as it is.

A policy's attachment often is a table (service packages, fee schedules, lists of bodies).  Cells
joined with ``|`` lose their meaning once a row is quoted on its own ("2 | 经开区服务站 | 0577-…");
each row that names its columns can be quoted, searched and cited alone, and a clause split between
rows keeps every row whole.  A page's metadata box (``索引号： | … | 发文机关： | …``) is a key-value
table, not a data table: it stays in ``key | value`` form, which the metadata reader parses.
"""
from __future__ import annotations

import re

_KEY_CELL = re.compile(r"[:：]\s*$")
# The keys of a government page's 信息公开 metadata box (索引号 / 发文机关 / 文号 …): rows that start with one
# stay in ``key | value`` form for the metadata reader.
METADATA_BOX_KEYS = frozenset({
    "索引号", "主题分类", "发文机关", "发布机关", "发布单位", "发布机构", "成文日期", "发布日期", "生效日期", "施行日期",
    "文号", "发文字号", "发布文号", "标题", "名称", "主题词", "有效性", "备注", "信息来源",
})
HEADER_CELL_MAX = 20


def is_data_table(rows: list[list[str]], header_cells: bool = False) -> bool:
    """A header row of column names over at least one row of values (not a key-value box)."""
    if len(rows) < 2 or len(rows[0]) < 2:
        return False
    head = rows[0]
    if any(_KEY_CELL.search(c) for row in rows for c in row[:1]):
        return False  # 索引号： | … — a key-value box
    if header_cells:
        return True
    return all(c and len(c) <= HEADER_CELL_MAX and not re.search(r"\d{3,}", c) for c in head)


def table_lines(rows: list[list[str]], header_cells: bool = False) -> list[str]:
    """One line per row: ``列名：值；…`` under a header row, else the cells joined with `` | ``."""
    rows = [[re.sub(r"\s+", " ", c).strip() for c in row] for row in rows]
    rows = [row for row in rows if any(row)]
    if not rows:
        return []
    if not is_data_table(rows, header_cells):
        return [" | ".join(row) for row in rows]
    head = rows[0]
    out = []
    for row in rows[1:]:
        pairs = [f"{name}：{value}" if name else value for name, value in zip(head, row, strict=False) if value]
        pairs.extend(v for v in row[len(head):] if v)
        out.append("；".join(pairs) + "。")
    return out


_SEPARATOR_ROW = re.compile(r"^[\s|:：\-—]+$")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def is_metadata_row(line: str) -> bool:
    return "|" in line and _cells(line)[0].rstrip(":：").strip() in METADATA_BOX_KEYS


def pipe_tables(lines: list[str], keep: frozenset[str] = METADATA_BOX_KEYS) -> list[str]:
    """Tables already flattened to ``a | b | c`` lines (plain text, markdown) → readable rows.

    A run of two or more pipe lines is one table; markdown's ``|---|`` rows are dropped.  A run whose
    first cell is in ``keep`` (the metadata box's keys: 发布单位, 文号 …) is left for the metadata reader.
    """
    out: list[str] = []
    i = 0
    while i < len(lines):
        if "|" not in lines[i]:
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and "|" in lines[j]:
            j += 1
        run = [line for line in lines[i:j] if not _SEPARATOR_ROW.match(line)]
        if len(run) >= 2 and _cells(run[0])[0].rstrip(":：") not in keep:
            out.extend(table_lines([_cells(line) for line in run]))
        else:
            out.extend(lines[i:j])
        i = j
    return out
