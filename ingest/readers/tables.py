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
