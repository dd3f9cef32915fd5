"""Word lists as data: one ``<name>.txt`` per list, beside this module.

Each file starts with ``#`` comment lines saying what the list is for and where it comes from; the
words follow, separated by spaces or new lines, in the order that matters where it matters
(``doc_types``: longer words first).  Lists are read through :mod:`importlib.resources`, so they are
found in a source checkout and in an installed wheel alike.
"""
from __future__ import annotations

import re
from functools import cache
from importlib import resources

__all__ = ["load", "load_mappings", "org_suffix_pattern"]


@cache
def load(name: str) -> tuple[str, ...]:
    """The words of ``<name>.txt`` in file order (comments and blank lines skipped)."""
    text = resources.files(__package__).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    words: list[str] = []
    for line in text.splitlines():
        if not line.lstrip().startswith("#"):
            words.extend(line.split())
    return tuple(words)


@cache
def load_mappings(name: str) -> tuple[tuple[str, str], ...]:
    """The ``left => right`` lines of ``<name>.txt``, in file order, each side stripped; text after ``#`` is a
    comment (a line's source) and lines without ``=>`` are skipped."""
    text = resources.files(__package__).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    pairs = []
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        if "=>" in line:
            left, right = line.split("=>", 1)
            pairs.append((left.strip(), right.strip()))
    return tuple(pairs)


def load_groups(name: str) -> tuple[tuple[str, ...], ...]:
    """The words of ``<name>.txt`` line by line: one group per line (comments and blank lines skipped)."""
    text = resources.files(__package__).joinpath(f"{name}.txt").read_text(encoding="utf-8")
    return tuple(tuple(line.split()) for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))


@cache
def org_suffix_pattern(name: str) -> re.Pattern[str]:
    """``(局|委|…)$`` for a list of name endings."""
    return re.compile("(" + "|".join(re.escape(w) for w in load(name)) + ")$")
