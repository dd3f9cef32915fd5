"""Search latency on a real `chroma run` server vs the embedded store, same dev questions.

    python bench/server_latency.py
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.latency import QUESTIONS, measure
from bot.service import PolicyBot
from bot.settings import Settings
from tests.chroma_server import ChromaServer


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        embedded = PolicyBot(Settings(POLICYBOT_DATA_DIR=f"{tmp}/embedded"))
        embedded.library.ensure_index(progress=False)
        server = ChromaServer(Path(tmp) / "server").start()
        try:
            remote = PolicyBot(Settings(POLICYBOT_DATA_DIR=f"{tmp}/app", CHROMA_HOST="127.0.0.1", CHROMA_PORT=server.port))
            remote.library.ensure_index(progress=False)
            for name, bot in (("embedded", embedded), ("chroma server", remote)):
                p50, p95 = measure(bot.retriever)
                print(f"{name:14} p50={p50:.1f} ms p95={p95:.1f} ms over {len(QUESTIONS)} dev questions x3")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
