"""How long a hotline worker waits for the command line: wall time of whole ``policybot`` processes.

    POLICYBOT_DATA_DIR=… python bench/cli.py [--rounds 5] [--only show --only docs] [--policybot PATH]

Each command runs as a fresh process (what staff do), after one warm-up run that fills the OS file cache;
prints p50/p95 wall time per command and the p50 of the CPU time the process used (user + system: on a
machine shared with other jobs the wall time swings with their load, the CPU time much less).  Needs an
index in POLICYBOT_DATA_DIR (``policybot ingest`` first).  ``--policybot`` times another entry point (an
older checkout's, to compare before and after on the same machine at the same time).
"""
from __future__ import annotations

import argparse
import os
import resource
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


def cpu_seconds() -> float:
    """User + system time of every child process waited for so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--only", action="append", default=[], help="commands whose name contains this (repeatable)")
    ap.add_argument("--policybot", default=str(POLICYBOT), help="the entry point to time")
    args = ap.parse_args()
    if not os.environ.get("POLICYBOT_DATA_DIR"):
        sys.exit("set POLICYBOT_DATA_DIR to a data directory with an index (policybot ingest)")
    print(f"{'command':44} {'p50 s':>7} {'p95 s':>7} {'cpu s':>7}   (load average {os.getloadavg()[0]:.1f})")
    for name, argv in COMMANDS:
        if args.only and not any(word in name for word in args.only):
            continue
        subprocess.run([args.policybot, *argv], capture_output=True)  # warm-up
        times, cpu = [], []
        for _ in range(args.rounds):
            start, used = time.perf_counter(), cpu_seconds()
            subprocess.run([args.policybot, *argv], capture_output=True)
            times.append(time.perf_counter() - start)
            cpu.append(cpu_seconds() - used)
        print(f"{name:44} {np.percentile(times, 50):7.2f} {np.percentile(times, 95):7.2f} {np.percentile(cpu, 50):7.2f}")

if __name__ == "__main__":
    main()
