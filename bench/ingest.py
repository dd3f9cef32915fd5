"""Ingest benchmark: the shipped corpus from scratch, then a no-op re-ingest (prints figures)."""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.settings import SHIPPED_CORPUS_DIR, Settings
from vectorstore.chroma_store import ClauseStore
from vectorstore.indexer import ingest_paths


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(POLICYBOT_DATA_DIR=tmp)
        store = ClauseStore(settings.store_config())
        t0 = time.perf_counter()
        report = ingest_paths([SHIPPED_CORPUS_DIR], store, progress=False)
        scratch = time.perf_counter() - t0
        n = sum(r.clauses for r in report.results)
        t0 = time.perf_counter()
        again = ingest_paths([SHIPPED_CORPUS_DIR], ClauseStore(settings.store_config()), progress=False)
        noop = time.perf_counter() - t0
    print(f"from scratch: {len(report.results)} files, {n} clause parts, {scratch:.1f} s, {n / scratch:.1f} clauses/s")
    print(f"no-op re-ingest: {noop:.2f} s ({again.summary()})")


if __name__ == "__main__":
    main()
