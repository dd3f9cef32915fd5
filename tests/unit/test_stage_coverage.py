"""Every stage module is imported by at least one unit test, so ``make test-fast`` reaches it.

A module reached only through a built index (the shipped corpus embedded, a Chroma server) is tested
by the slow suite alone: a regression in it waits for ``make test``.  This test reads the imports of
the test modules marked ``unit`` (module-level ``pytestmark = pytest.mark.unit``) and names the stage
modules none of them imports.  The readers (``ingest/readers/*``) are reached through their package's
entry point (``ingest.readers.read_document`` in tests/test_readers.py) and are not listed one by one;
the answer types through their registry (``answer_types.REGISTERED``, every registered type walked by
tests/test_answer_type_registry.py; :func:`test_every_answer_type_module_is_registered` keeps that whole).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]
STAGE_PACKAGES = ("bot/retrieval", "bot/answer", "ingest")
NOT_ONE_BY_ONE = ("ingest/readers", "bot/retrieval/answer_types")


def module_mark(tree: ast.Module) -> str | None:
    """The kind of ``pytestmark = pytest.mark.<kind>`` at module level, if any."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets):
            return ast.unparse(node.value).removeprefix("pytest.mark.")
    return None


def _imports(nodes: list[ast.stmt]) -> dict[str, set[str]]:
    """Local name → the dotted names its import brings: ``from a.b import c`` binds ``c`` to ``a.b``
    and ``a.b.c`` (``c`` may be a module or a member of ``a.b``)."""
    bound: dict[str, set[str]] = {}
    for root in nodes:
        for node in ast.walk(root):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for a in node.names:
                    bound.setdefault(a.asname or a.name, set()).update({node.module, f"{node.module}.{a.name}"})
            elif isinstance(node, ast.Import):
                for a in node.names:
                    bound.setdefault(a.asname or a.name.split(".")[0], set()).add(a.name)
    return bound


def _used(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def imported_by_unit_tests(tree: ast.Module) -> set[str]:
    """What the unit tests of one test module import: everything, when the whole module is marked
    ``unit``; else what the functions marked ``@pytest.mark.unit`` (and the module's own fixtures they
    take) use of the module's imports, plus their own local imports."""
    bound = _imports(tree.body)
    if module_mark(tree) == "unit":
        return set().union(*bound.values()) if bound else set()
    functions = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)}
    names: set[str] = set()
    for f in functions.values():
        if not any(ast.unparse(d) == "pytest.mark.unit" for d in f.decorator_list):
            continue
        used = set().union(*(_used(n) for n in f.body))  # not the decorators: every test names pytest there
        for arg in f.args.args:  # the module's own fixtures, one level deep
            if arg.arg in functions:
                used |= set().union(*(_used(n) for n in functions[arg.arg].body))
        names |= set().union(set(), *(bound.get(n, set()) for n in used))
        names |= set().union(set(), *_imports(f.body).values())
    return names


def unit_test_imports() -> set[str]:
    names: set[str] = set()
    for path in (REPO / "tests").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names |= imported_by_unit_tests(tree)
    return names


def stage_modules() -> list[str]:
    out = []
    for pkg in STAGE_PACKAGES:
        for path in sorted((REPO / pkg).rglob("*.py")):
            rel = path.relative_to(REPO)
            if path.name == "__init__.py" or rel.as_posix().startswith(NOT_ONE_BY_ONE):
                continue
            out.append(".".join(rel.with_suffix("").parts))
    return out


def test_every_stage_module_is_imported_by_a_unit_test():
    imported = unit_test_imports()
    missing = [m for m in stage_modules() if m not in imported]
    assert not missing, ("these stage modules are reached by no unit test (make test-fast); add a test on "
                         f"small hand-made inputs (tests/unit/handmade.py) that imports each: {missing}")


def test_the_reading_of_imports():
    whole = ast.parse("import pytest\nfrom bot.retrieval import lookup\nimport numpy as np\npytestmark = pytest.mark.unit\n")
    assert module_mark(whole) == "unit"
    assert imported_by_unit_tests(whole) == {"pytest", "bot.retrieval", "bot.retrieval.lookup", "numpy"}
    mixed = ast.parse(
        "import pytest\nfrom bot.answer import refusal\nfrom bot.answer.edges import unknown_year\n"
        "@pytest.fixture\ndef fx():\n    return unknown_year\n"
        "@pytest.mark.unit\ndef test_a(fx):\n    from ingest import items\n"
        "@pytest.mark.integration\ndef test_b():\n    refusal.judge\n")
    assert module_mark(mixed) is None
    assert imported_by_unit_tests(mixed) == {"bot.answer.edges", "bot.answer.edges.unknown_year", "ingest", "ingest.items"}
    assert len(stage_modules()) > 50 and "bot.retrieval.hybrid" in stage_modules()


def test_every_answer_type_module_is_registered():
    from importlib import import_module

    from bot.retrieval import answer_types

    on_disk = sorted(p.stem for p in (REPO / "bot/retrieval/answer_types").glob("*.py") if p.stem not in ("__init__", "base"))
    loose = [n for n in on_disk if import_module(f"bot.retrieval.answer_types.{n}").TYPE not in answer_types.REGISTERED]
    assert on_disk and not loose, f"answer type modules not in REGISTERED: {loose}"
