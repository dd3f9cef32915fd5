"""Probe of issue 25's figures against a running app: log growth under a feedback flood and the admin
pages' time with a 200 MB audit log.

    python bench/bounds.py --public URL --admin URL --data-dir DIR [--flood 20000] [--audit-mb 200]

The app (``python app.py`` with ``POLICYBOT_ADMIN_PASSWORD``) must use ``DIR`` as its data directory;
the audit probe appends ``--audit-mb`` lines of 1 MB usernames to ``DIR/audit.jsonl`` (what failed
logins wrote before usernames were cut), then times ``/audit`` and ``/review``.  The flood sends
``--flood`` feedback calls with 2,000-character comments from one session, 8 at a time.
"""
from __future__ import annotations

import argparse
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

MB = 1024 * 1024


def log_bytes(data_dir: Path, name: str) -> int:
    return sum(p.stat().st_size for p in data_dir.glob(name + "*") if not p.name.endswith(".lock"))


def flood(public: str, data_dir: Path, calls: int) -> dict[str, float]:
    from gradio_client import Client

    client = Client(public, verbose=False, download_files=False)
    client.predict("火星移民签证怎么办理？", [], [], api_name="/chat")
    before = log_bytes(data_dir, "feedback.jsonl")
    started = time.monotonic()
    comment = "意见" * 1000

    def one(_: int) -> str:
        try:
            return str(client.predict("down", comment, api_name="/feedback"))
        except Exception as exc:  # a dropped stream under load: counted, the flood goes on
            return f"error: {type(exc).__name__}"

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(one, range(calls)))
    return {"calls": calls, "seconds": round(time.monotonic() - started, 1),
            "recorded": sum("已记录" in a for a in answers), "errors": sum(a.startswith("error") for a in answers),
            "feedback_growth_bytes": log_bytes(data_dir, "feedback.jsonl") - before}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def audit_pages(admin: str, data_dir: Path, audit_mb: int, user: str, password: str, pid: int | None) -> dict:
    from gradio_client import Client

    junk = json.dumps({"time": "2026-01-01T00:00:00+00:00", "user": "u" * MB, "action": "login-failed",
                       "target": "wrong credential", "sha256": None, "result": ""}).encode() + b"\n"
    with (data_dir / "audit.jsonl").open("ab") as fh:
        for _ in range(audit_mb):
            fh.write(junk)
    out: dict = {"audit_bytes": (data_dir / "audit.jsonl").stat().st_size}
    if pid:
        out["rss_before_mb"] = round(rss_mb(pid))
    client = Client(admin, auth=(user, password), verbose=False, download_files=False)
    for api in ("/audit", "/review"):
        started = time.monotonic()
        client.predict(api_name=api)
        out[api] = round(time.monotonic() - started, 3)
    if pid:
        out["rss_after_mb"] = round(rss_mb(pid))
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--public", required=True)
    p.add_argument("--admin", required=True)
    p.add_argument("--data-dir", type=Path, required=True)
    p.add_argument("--flood", type=int, default=20000)
    p.add_argument("--audit-mb", type=int, default=200)
    p.add_argument("--pid", type=int, default=None, help="the app's pid (RSS before/after the pages)")
    a = p.parse_args()
    password = os.environ.get("POLICYBOT_ADMIN_PASSWORD", "")
    result = {}
    if a.audit_mb:
        result["audit"] = audit_pages(a.admin, a.data_dir, a.audit_mb, "admin", password, a.pid)
        print(json.dumps(result, ensure_ascii=False), flush=True)
    if a.flood:
        result["flood"] = flood(a.public, a.data_dir, a.flood)
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
