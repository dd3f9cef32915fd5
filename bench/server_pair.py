"""Two app instances on one ``chroma run`` server: start, search latency, memory, and whether they agree.

    python bench/server_pair.py --clauses 10000

The collection is ``bench/scale.py``'s (the shipped corpus replicated, precomputed vectors), written once
through a Chroma server; then two fresh processes — two app instances with their own data directories and
one shared ``POLICYBOT_INDEX_DIR`` — start at the same time and search the dev questions twice each,
concurrently.  Prints per instance start_s, peak_rss_mb, search p50/p95, the server's peak RSS, and
how many questions got the same top 10 from both instances (dense search is the server's index: both
must rank alike).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.scale import QUESTIONS, du_mb, pct, peak_rss_mb, replicate  # noqa: E402
from tests.chroma_server import ChromaServer  # noqa: E402


def settings(work: Path, port: int, name: str):
    from bot.settings import Settings

    return Settings(POLICYBOT_DATA_DIR=str(work / name), CHROMA_HOST="127.0.0.1", CHROMA_PORT=port,
                    POLICYBOT_INDEX_DIR=str(work / "shared-index"))


def child(work: Path, port: int, name: str, spawned: float) -> dict:
    from bot.service import PolicyBot

    bot = PolicyBot(settings(work, port, name))
    bot.search(QUESTIONS[0], 10)
    start_s = time.time() - spawned
    times, tops = [], []
    for round_ in range(2):
        for q in QUESTIONS:
            t0 = time.perf_counter()
            hits = bot.search(q, 10)
            times.append((time.perf_counter() - t0) * 1000)
            if round_:
                tops.append([h.clause.clause_id for h in hits])
    return {"start_s": round(start_s, 1), "peak_rss_mb": peak_rss_mb(), "search_p50_ms": pct(times, 50),
            "search_p95_ms": pct(times, 95), "tops": tops}


def server_rss_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clauses", type=int, default=10000)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--work", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--spawned", type=float, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.work), args.port, args.child, args.spawned), ensure_ascii=False))
        return 0
    work = Path(tempfile.mkdtemp(prefix="policybot-pair-"))
    server = ChromaServer(work / "chroma").start()
    try:
        from vectorstore.chroma_store import ClauseStore

        docs = replicate(args.clauses)
        store = ClauseStore(settings(work, server.port, "ingest").store_config())
        t0 = time.perf_counter()
        store.write_many([(m, ps, v) for m, ps, v in docs])
        store.segments.write([c for _, ps, _ in docs for c in ps], {m.doc_id: m.content_hash for m, _, _ in docs})
        ingest_s = round(time.perf_counter() - t0, 1)
        spawned = time.time()
        procs = [subprocess.Popen([sys.executable, __file__, "--child", name, "--work", str(work), "--port",
                                   str(server.port), "--spawned", str(spawned)], stdout=subprocess.PIPE, text=True)
                 for name in ("app-a", "app-b")]
        rows = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in procs]
        same = sum(a == b for a, b in zip(rows[0].pop("tops"), rows[1].pop("tops"), strict=True))
        print(json.dumps({"clauses": sum(len(ps) for _, ps, _ in docs), "ingest_s": ingest_s,
                          "server_disk_mb": du_mb(work / "chroma"), "segments_mb": du_mb(work / "shared-index"),
                          "server_peak_rss_mb": server_rss_mb(server.proc.pid) if server.proc else 0,
                          "instances": rows, "same_top10": f"{same}/{len(QUESTIONS)}"}, ensure_ascii=False))
    finally:
        server.stop()
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
