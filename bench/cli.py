"""How long a hotline worker waits for the command line: wall time of whole ``policybot`` processes.

    POLICYBOT_DATA_DIR=… python bench/cli.py [--rounds 5]

Each command runs as a fresh process (what staff do), after one warm-up run that fills the OS file cache;
prints p50/p95 per command.  Needs an index in POLICYBOT_DATA_DIR (``policybot ingest`` first).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

POLICYBOT = Path(sys.executable).with_name("policybot")
COMMANDS = [
    ("ask \"\" (input error)", ["ask", ""]),
    ("show 天津实施意见第15条", ["show", "天津实施意见第15条"]),
    ("show 广东 八", ["show", "广东", "八"]),
    ("search 首席质量官", ["search", "首席质量官"]),
    ("search --department --k 5", ["search", "质量", "--department", "市市场监管委", "--k", "5"]),
    ("ask 我们小厂想做质量认证，政府有帮扶吗？", ["ask", "我们小厂想做质量认证，政府有帮扶吗？"]),
    ("ask 天津实施意见第15条讲什么", ["ask", "天津实施意见第15条讲什么"]),
    ("docs", ["docs"]),
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    if not os.environ.get("POLICYBOT_DATA_DIR"):
        sys.exit("set POLICYBOT_DATA_DIR to a data directory with an index (policybot ingest)")
    print(f"{'command':44} {'p50 s':>7} {'p95 s':>7}   (load average {os.getloadavg()[0]:.1f})")
    for name, argv in COMMANDS:
        subprocess.run([str(POLICYBOT), *argv], capture_output=True)  # warm-up
        times = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            subprocess.run([str(POLICYBOT), *argv], capture_output=True)
            times.append(time.perf_counter() - start)
        print(f"{name:44} {np.percentile(times, 50):7.2f} {np.percentile(times, 95):7.2f}")


if __name__ == "__main__":
    main()
