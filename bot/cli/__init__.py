"""``policybot`` command line: a thin layer over :mod:`bot.service` (same behaviour as the UI)."""
from __future__ import annotations

import argparse
import logging
import sys

from bot.cli.commands import (
    cmd_ask,
    cmd_clauses,
    cmd_docs,
    cmd_eval,
    cmd_export,
    cmd_ingest,
    cmd_llm,
    cmd_rebuild,
    cmd_remove,
    cmd_search,
    cmd_show,
)
from bot.settings import get_settings


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="policybot", description="质量政策问答助手 · policy Q&A with clause citations")
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="cmd", required=True)

    s = sub.add_parser("ingest", help="index policy files (default: the shipped corpus)")
    s.add_argument("paths", nargs="*")
    s.add_argument("--force", action="store_true", help="re-parse and re-index even unchanged files")
    s.add_argument("--quiet", action="store_true")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("docs", help="list indexed documents")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_docs)

    s = sub.add_parser("clauses", help="list clauses (one JSON object per line with --json)")
    s.add_argument("--doc")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_clauses)

    s = sub.add_parser("show", help="show one clause: policybot show 天津实施意见 6")
    s.add_argument("doc")
    s.add_argument("item")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_show)

    s = sub.add_parser("remove", help="remove a document from the index")
    s.add_argument("doc")
    s.set_defaults(func=cmd_remove)

    for name, func, helptext in (("search", cmd_search, "ranked clauses (no LLM)"),
                                 ("ask", cmd_ask, "answer with citations")):
        s = sub.add_parser(name, help=helptext)
        s.add_argument("query" if name == "search" else "question", nargs="?")
        s.add_argument("--k", type=int, default=10)
        s.add_argument("--doc", action="append", help="restrict to a document id (repeatable)")
        s.add_argument("--region", action="append")
        s.add_argument("--level", action="append")
        s.add_argument("--department")
        s.add_argument("--phrase", help="exact-phrase mode: every clause containing this phrase")
        s.add_argument("--questions", help="JSONL file of {id, question}; one JSON line out per question")
        s.add_argument("--json", action="store_true")
        s.set_defaults(func=func)

    s = sub.add_parser("eval", help="retrieval and answer metrics on a JSONL question set")
    s.add_argument("file")
    s.add_argument("--retrieval-only", action="store_true")
    s.set_defaults(func=cmd_eval)

    s = sub.add_parser("export", help="export the active index (records + embeddings) as JSONL")
    s.add_argument("out")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("rebuild", help="rebuild the index from the files in the data directory")
    s.set_defaults(func=cmd_rebuild)

    s = sub.add_parser("llm", help="optional local LLM (pip install -e '.[local-llm]')")
    llm_sub = s.add_subparsers(dest="llm_cmd", required=True)
    s = llm_sub.add_parser("serve", help="run a local OpenAI-compatible model server (llama.cpp)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8081)
    s.add_argument("--n-ctx", type=int, default=4096, help="context window in tokens")
    s.add_argument("--threads", type=int, default=2, help="CPU threads for inference")
    s.set_defaults(func=cmd_llm)

    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    get_settings()
    return int(args.func(args) or 0)


