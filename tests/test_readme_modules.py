"""Every module is in README.md's architecture list, under its own folder.

A newcomer finds where a change goes by reading that list; a module missing from it is a module
nobody knows is there.  The list is the code block of ``## Architecture``: a line whose first word
ends in ``/`` opens a folder (nested by indentation), and a module counts as listed when its file name
appears on a line inside its folder (``clean.py / clutter.py`` lists both) or its path appears anywhere
(``bot/evaluation.py``).  A package's ``__init__.py`` must be listed only when it defines functions or
classes (an entry point such as ``read_document`` or ``PolicyBot``), not when it only re-exports.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "ingest", "vectorstore", "prompts")
_FILE_WORD = re.compile(r"(?<![\w/])([\w]+\.py)\b")


def architecture_block(readme: str) -> list[str]:
    """The lines of the first code block after ``## Architecture``."""
    section = readme.split("\n## Architecture", 1)[1]
    return section.split("```", 2)[1].splitlines()[1:]


def listed_modules(lines: list[str]) -> set[str]:
    """Repository paths (``ingest/readers/base.py``) the block lists, by the folder each line is under."""
    stack: list[tuple[int, str]] = []  # (indent, folder path)
    listed: set[str] = set()
    for line in lines:
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        first = line.split()[0]
        while stack and indent <= stack[-1][0]:
            stack.pop()
        folder = stack[-1][1] if stack else ""
        if first.endswith("/"):
            folder = f"{folder}/{first.rstrip('/')}" if folder and "/" not in first.rstrip("/") else first.rstrip("/")
            stack.append((indent, folder))
        listed.update(w for w in line.split() if w.endswith(".py") and "/" in w)  # a path named in full
        listed.update(f"{folder}/{name}" for name in _FILE_WORD.findall(line) if folder)
    return listed


def needs_listing(path: Path) -> bool:
    """Every module, and an ``__init__.py`` that defines something of its own."""
    if path.name != "__init__.py":
        return True
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) for n in tree.body)


def modules_on_disk() -> list[str]:
    return sorted(p.relative_to(REPO).as_posix() for pkg in PACKAGES for p in (REPO / pkg).rglob("*.py")
                  if "__pycache__" not in p.parts and needs_listing(p))


def test_every_module_is_in_the_readme_architecture_list():
    listed = listed_modules(architecture_block((REPO / "README.md").read_text(encoding="utf-8")))
    missing = [m for m in modules_on_disk() if m not in listed]
    assert not missing, ("add one line per module to README.md's ## Architecture list (under its folder), "
                         f"saying what it is for: {missing}")


def test_the_list_is_read_by_folder():
    """A file name counts only under its own folder: ``errors.py`` under ``bot/api/`` does not list
    ``vectorstore/errors.py``; nesting follows indentation; a full path counts anywhere."""
    block = ["ingest/                      files", "  readers/                   text", "    base.py   the error",
             "  clean.py / clutter.py      pinyin", "bot/api/                     the API", "  errors.py   bodies",
             "bot/evaluation.py            metrics", "bot/cli/   parser in __init__.py; __main__.py: python -m"]
    listed = listed_modules(block)
    assert {"ingest/readers/base.py", "ingest/clean.py", "ingest/clutter.py", "bot/api/errors.py",
            "bot/evaluation.py", "bot/cli/__init__.py", "bot/cli/__main__.py"} <= listed
    assert "vectorstore/errors.py" not in listed
    assert "ingest/readers/clean.py" not in listed
    assert "ingest/base.py" not in listed
