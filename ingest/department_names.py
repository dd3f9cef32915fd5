"""One responsible body, one name: the variants of a body's name (``wordlists/department_names.txt``).

Documents write 市工信局 in one item and 市工业和信息化局 in the next; the search desk lists each body
once, under its formal name with the variants beside it, and a filter on any of the names finds the
clauses naming any of them.
"""
from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def _groups() -> tuple[tuple[str, ...], ...]:
    text = resources.files("ingest.text.wordlists").joinpath("department_names.txt").read_text(encoding="utf-8")
    groups = []
    for line in text.splitlines():
        if line.lstrip().startswith("#") or "=" not in line:
            continue
        formal, short = line.split("=", 1)
        groups.append((formal.strip(), *short.split()))
    return tuple(groups)


@cache
def _index() -> dict[str, tuple[str, ...]]:
    return {name: group for group in _groups() for name in group}


def formal_name(name: str) -> str:
    """The body's formal name (the name itself when the list does not know it)."""
    return _index().get(name.strip(), (name.strip(),))[0]


def variants(name: str) -> tuple[str, ...]:
    """Every name of the body ``name`` stands for, the formal one first."""
    return _index().get(name.strip(), (name.strip(),))
