"""Query latency: warm, in-process, over the dev questions on the shipped corpus; then synthetic
corpora of 1k/10k/100k clause parts (real clause text recombined, random unit vectors so the run
does not wait on embedding) reporting index build time, latency and memory.

    python bench/latency.py [--sizes 1000,10000,100000]
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.retrieval import HybridRetriever
from bot.service import PolicyBot
from bot.settings import Settings
from vectorstore.chroma_store import ClauseStore

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = [json.loads(l)["question"] for l in (REPO / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines() if l]


def pct(values: list[float], p: float) -> float:
    return float(np.percentile(values, p))


def measure(retriever: HybridRetriever, rounds: int = 3) -> tuple[float, float]:
    for q in QUESTIONS[:5]:
        retriever.search(q, 10)  # warm up
    times = []
    for _ in range(rounds):
        for q in QUESTIONS:
            t0 = time.perf_counter()
            retriever.search(q, 10)
            times.append((time.perf_counter() - t0) * 1000)
    return pct(times, 50), pct(times, 95)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic(size: int, base: list, store: ClauseStore) -> float:
    """Write `size` recombined clause parts with random vectors; returns build seconds."""
    rng = random.Random(size)
    docs = max(1, size // 200)
    t0 = time.perf_counter()
    for d in range(docs):
        meta = base[0].doc.model_copy(update={"doc_id": f"syn{d}", "title": f"合成文件{d}", "short_name": f"合成{d}",
                                              "aliases": [], "content_hash": f"v{d}"})
        parts = []
        for i in range(size // docs):
            a, b = rng.choice(base), rng.choice(base)
            text = a.text[: len(a.text) // 2] + b.text[len(b.text) // 2:]
            parts.append(a.model_copy(update={"clause_id": f"syn{d}:{i}", "doc_id": f"syn{d}", "item": f"（{i + 1}）",
                                              "text": text, "search_text": text, "order": i, "doc": meta,
                                              "part": 1, "parts": 1}))
        vecs = np.random.default_rng(d).normal(size=(len(parts), 384)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        store.write_document(meta, parts, vecs.tolist())
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bot = PolicyBot(Settings(POLICYBOT_DATA_DIR=tmp))
        bot.library.ensure_index(progress=False)
        p50, p95 = measure(bot.retriever)
        print(f"shipped corpus ({len(bot.retriever.parts)} parts): p50={p50:.1f} ms p95={p95:.1f} ms "
              f"over {len(QUESTIONS)} dev questions x3")
        base = list(bot.retriever.parts)
    for size in [int(s) for s in args.sizes.split(",") if s]:
        with tempfile.TemporaryDirectory() as tmp:
            store = ClauseStore(Settings(POLICYBOT_DATA_DIR=tmp).store_config())
            write_s = synthetic(size, base, store)
            t0 = time.perf_counter()
            retriever = HybridRetriever(store)
            load_s = time.perf_counter() - t0
            p50, p95 = measure(retriever, rounds=1)
            print(f"{size:>7} parts: chroma write {write_s:.1f} s, first start (segment built) {load_s:.1f} s, "
                  f"p50={p50:.1f} ms p95={p95:.1f} ms, peak RSS {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
