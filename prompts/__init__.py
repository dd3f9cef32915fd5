"""Prompt templates and the answer contract, shipped as package data.

Prompts live in plain ``.txt`` files (not Python strings) so that reviewers who are not programmers
can read and tune them, and they are read through :mod:`importlib.resources` so that they are found
both in a source checkout and in an installed wheel.  The refusal sentence and the marker syntax live
once, in ``contract.toml``: :func:`load_prompt` renders its ``{refusal_prefix}``-style placeholders
from there, and the code checks answers against the same values (:mod:`bot.answer.contract`).
"""
from __future__ import annotations

import re
import tomllib
from functools import cache, lru_cache
from importlib import resources
from typing import Any

__all__ = ["contract", "load_prompt"]

_NAME_RE = re.compile(r"^[A-Za-z0-9_\-]+$")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@lru_cache(maxsize=1)
def contract() -> dict[str, Any]:
    """The answer contract (``prompts/contract.toml``)."""
    text = resources.files(__package__).joinpath("contract.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _contract_values() -> dict[str, str]:
    c = contract()
    values = {k: v for k, v in c.items() if isinstance(v, str)}
    values["source_marker_example"] = c["source_marker"].format(n=1)
    values["source_marker_pattern"] = c["source_marker"].format(n="编号")
    return values


@cache
def load_prompt(name: str) -> str:
    """Return ``prompts/<name>.txt`` with the contract's values filled in (trailing whitespace stripped).

    Placeholders that are not contract values (``{sources}``, ``{question}``) are left for the
    caller's ``format``.  ``name`` is a bare identifier such as ``"answer_system"``; anything that
    looks like a path is rejected so that a configurable prompt name can never read arbitrary files.
    """
    if not _NAME_RE.match(name):
        raise ValueError(f"invalid prompt name: {name!r}")
    resource = resources.files(__package__).joinpath(f"{name}.txt")
    if not resource.is_file():
        raise FileNotFoundError(f"prompt not found: {name}.txt")
    values = _contract_values()
    text = resource.read_text(encoding="utf-8").rstrip()
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
