"""Extractive answer latency: the full path a chat question takes without an LLM (input check,
question analysis, hybrid search, rerank, composed answer), warm and in-process.

    python bench/answer.py [--rounds 3]        # uses POLICYBOT_DATA_DIR if set, else a fresh index

Questions: the dev set and the questions generated from the corpus (eval/train_generated.jsonl).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.service import PolicyBot
from bot.settings import Settings

REPO = Path(__file__).resolve().parent.parent


def questions() -> list[str]:
    out = []
    for name in ("dev.jsonl", "train_generated.jsonl"):
        path = REPO / "eval" / name
        if path.is_file():
            out += [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    data_dir = os.environ.get("POLICYBOT_DATA_DIR") or tempfile.mkdtemp(prefix="policybot-bench-")
    bot = PolicyBot(Settings(POLICYBOT_DATA_DIR=data_dir, OPENAI_BASE_URL="", OPENAI_API_KEY=""))
    bot.library.ensure_index(progress=False)
    qs = questions()
    for q in qs[:10]:
        bot.answer(q)  # warm up
    times = []
    for _ in range(args.rounds):
        for q in qs:
            t0 = time.perf_counter()
            bot.answer(q)
            times.append((time.perf_counter() - t0) * 1000)
    print(f"extractive answer over {len(qs)} questions x{args.rounds}: p50={np.percentile(times, 50):.1f} ms "
          f"p95={np.percentile(times, 95):.1f} ms max={max(times):.1f} ms")


if __name__ == "__main__":
    main()
