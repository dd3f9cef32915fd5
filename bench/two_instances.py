"""Two app instances on one `chroma run` server: what a multi-instance deployment pays and whether it stays correct.

    python bench/two_instances.py [--clauses 10000] [--work DIR] [--keep]

One real `chroma run` server on loopback holds a collection of about ``--clauses`` clause parts (the shipped
corpus and perturbed copies, as ``bench/scale.py`` builds them), written once by the product's store; the
instances share its index directory (``POLICYBOT_INDEX_DIR``, the deployment the README recommends) and each has a
data directory of its own.  Each instance is a fresh process, as a deployment runs them:

* ``alone``: one instance — start (process start to first answer), search p50/p95 over the dev questions twice;
* ``pair``: two instances started together, searching at the same time (each figure per instance); then
  instance A adds a document and instance B (index check every second, as ``app.py`` runs it) reports how long
  after A's ingest returned the document was found by B's search, without a restart;
* ``same ranking``: the top 5 of every dev question, compared between the two instances.

Prints one JSON line per measurement.  Figures are wall times on whatever machine runs it: compare rows of one run.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.scale import NEW_DOC_STEM, QUESTIONS, pct, peak_rss_mb, replicate  # noqa: E402

VISIBLE_WITHIN = 60.0  # seconds B waits for A's document before the bench reports it missing


def settings(work: Path, name: str, port: int, check: float):
    from bot.settings import Settings

    return Settings(POLICYBOT_DATA_DIR=str(work / name), POLICYBOT_INDEX_DIR=str(work / "index"),
                    CHROMA_HOST="127.0.0.1", CHROMA_PORT=port, POLICYBOT_INDEX_CHECK_SECONDS=check)


def build(work: Path, port: int, n: int) -> dict:
    """The collection, written once into the server and the shared index directory by the product's store."""
    from vectorstore.chroma_store import ClauseStore

    docs = replicate(n)
    store = ClauseStore(settings(work, "builder", port, 2.0).store_config())
    t0 = time.perf_counter()
    store.write_many([(m, ps, v) for m, ps, v in docs])
    store.segments.write([c for _, ps, _ in docs for c in ps], {m.doc_id: m.content_hash for m, _, _ in docs})
    return {"clauses": sum(len(ps) for _, ps, _ in docs), "documents": len(docs),
            "build_s": round(time.perf_counter() - t0, 1)}


# ----- one instance (a child process) -------------------------------------------------------------
def child(work: Path, name: str, port: int, role: str, spawned: float) -> dict:
    from bot.service import PolicyBot

    b = PolicyBot(settings(work, name, port, 1.0))
    b.start_index_watch()  # as app.py does
    b.answer(QUESTIONS[0])
    start_s = time.time() - spawned
    (work / f"started-{name}").touch()  # pair: both search at the same time, once both have started
    while role != "alone" and len(list(work.glob("started-*"))) < 2:
        time.sleep(0.05)
    times, top = [], {}
    for _ in range(2):
        for q in QUESTIONS:
            t0 = time.perf_counter()
            hits = b.search(q, 10)
            times.append((time.perf_counter() - t0) * 1000)
            top[q] = [f"{h.clause_id}" for h in hits[:5]]
    out = {"instance": name, "role": role, "start_s": round(start_s, 1), "peak_rss_mb": peak_rss_mb(),
           "search_p50_ms": pct(times, 50), "search_p95_ms": pct(times, 95), "top5": top}
    added = work / "added-at"
    if role == "writer":
        src = next(p for p in sorted(b.settings.corpus_dir.iterdir()) if p.suffix == ".txt")
        tmp = Path(tempfile.mkdtemp())
        new = tmp / f"{NEW_DOC_STEM}.txt"
        new.write_text(src.read_text(encoding="utf-8").replace("质量", "品质", 3), encoding="utf-8")
        t0 = time.perf_counter()
        report = b.library.ingest([new], progress=False)
        out["add_doc_s"] = round(time.perf_counter() - t0, 1)
        out["added"] = report.results[0].status
        added.write_text(str(time.time()), encoding="utf-8")
        shutil.rmtree(tmp, ignore_errors=True)
    elif role == "reader":
        deadline = time.time() + VISIBLE_WITHIN * 2
        while not added.exists() and time.time() < deadline:
            time.sleep(0.05)
        seen = None
        while added.exists() and time.time() < deadline:
            if any(h.doc_id == NEW_DOC_STEM for h in b.search("品质", 50)):
                seen = time.time() - float(added.read_text(encoding="utf-8") or time.time())
                break
            time.sleep(0.1)
        out["sees_added_doc_after_s"] = round(seen, 1) if seen is not None else None
    return out


def spawn(work: Path, name: str, port: int, role: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, __file__, "--child", name, "--role", role, "--port", str(port),
                             "--work", str(work), "--spawned", str(time.time())],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ))


def collect(*procs: subprocess.Popen) -> list[dict]:
    out = []
    for p in procs:
        stdout, stderr = p.communicate()
        if p.returncode:
            raise SystemExit(f"instance failed:\n{stderr[-3000:]}")
        out.append(json.loads(stdout.strip().splitlines()[-1]))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clauses", type=int, default=10000)
    ap.add_argument("--work", default=None)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--role", choices=["alone", "writer", "reader"], help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--spawned", type=float, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.work), args.child, args.port, args.role, args.spawned), ensure_ascii=False))
        return 0
    from tests.chroma_server import ChromaServer

    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="policybot-two-"))
    server = ChromaServer(work / "server").start()
    try:
        print(json.dumps(build(work, server.port, args.clauses)), flush=True)
        alone, = collect(spawn(work, "a", server.port, "alone"))
        alone.pop("top5")
        print(json.dumps(alone), flush=True)
        for f in work.glob("started-*"):
            f.unlink()
        a, b = collect(spawn(work, "a", server.port, "writer"), spawn(work, "b", server.port, "reader"))
        same = sum(a["top5"][q] == b["top5"][q] for q in QUESTIONS)
        for row in (a, b):
            row.pop("top5")
            print(json.dumps(row), flush=True)
        print(json.dumps({"same_top5": f"{same}/{len(QUESTIONS)}"}), flush=True)
    finally:
        server.stop()
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
