"""Prompt templates shipped as package data.

Prompts live in plain ``.txt`` files (not Python strings) so that reviewers who are not programmers
can read and tune them, and they are read through :mod:`importlib.resources` so that they are found
both in a source checkout and in an installed wheel (``pyproject`` lists ``prompts/*.txt``).
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

__all__ = ["load_prompt"]

_NAME_RE = re.compile(r"^[A-Za-z0-9_\-]+$")


@lru_cache(maxsize=None)
def load_prompt(name: str) -> str:
    """Return the text of ``prompts/<name>.txt`` (UTF-8, trailing whitespace stripped).

    ``name`` is a bare identifier such as ``"answer_system"``; anything that looks like a path is
    rejected so that a configurable prompt name can never read arbitrary files.  Results are cached:
    prompts are immutable package data.
    """
    if not _NAME_RE.match(name):
        raise ValueError(f"invalid prompt name: {name!r}")
    resource = resources.files(__package__).joinpath(f"{name}.txt")
    if not resource.is_file():
        raise FileNotFoundError(f"prompt not found: {name}.txt")
    return resource.read_text(encoding="utf-8").rstrip()
