"""``policybot`` command line: a thin layer over :mod:`bot.service` (same behaviour as the UI).

The table below names each command's handler as ``module:function``; the module is imported only when
that command runs, so parsing (and a usage error) loads none of them, and a command loads what it uses:
``show`` and ``docs`` never import the answer stack.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import sys
from typing import Any

from bot.runtime import use_batch_threads
from bot.settings import get_settings
from ingest.catalog import STATUS_CHOICES

Arg = tuple[tuple[str, ...], dict[str, Any]]
JSON: Arg = (("--json",), {"action": "store_true"})
FILTERS: list[Arg] = [
    (("--k",), {"type": int, "default": 10}),
    (("--doc",), {"action": "append", "help": "restrict to a document id (repeatable)"}),
    (("--region",), {"action": "append"}),
    (("--level",), {"action": "append"}),
    (("--year",), {"action": "append", "help": "the year of the document's date, e.g. 2023 (repeatable)"}),
    (("--department",), {}),
    (("--phrase",), {"help": "exact-phrase mode: every clause containing this phrase"}),
    (("--questions",), {"help": "JSONL file of {id, question}; one JSON line out per question"}),
    JSON,
]

# name, handler ("module:function" under bot.cli), help, arguments — one row per command.
COMMANDS: list[tuple[str, str, str, list[Arg]]] = [
    ("ingest", "library:cmd_ingest", "index policy files (default: the shipped corpus)", [
        (("paths",), {"nargs": "*"}),
        (("--force",), {"action": "store_true", "help": "re-parse and re-index even unchanged files"}),
        (("--quiet",), {"action": "store_true"}), JSON]),
    ("docs", "library:cmd_docs", "list indexed documents", [JSON]),
    ("clauses", "library:cmd_clauses", "list clauses (one JSON object per line with --json)", [(("--doc",), {}), JSON]),
    ("show", "reading:cmd_show", "show one clause: policybot show 天津实施意见第15条 | 广东 八 | 纲要（二十四）",
     [(("ref",), {"nargs": "*"}), JSON]),
    ("remove", "library:cmd_remove", "remove a document from the index", [(("doc",), {})]),
    ("search", "reading:cmd_search", "ranked clauses (no LLM)", [
        (("query",), {"nargs": "?"}), *FILTERS,
        (("--status",), {"choices": STATUS_CHOICES, "help": "only documents in this state on POLICYBOT_TODAY"})]),
    ("ask", "reading:cmd_ask", "answer with citations", [(("question",), {"nargs": "?"}), *FILTERS]),
    ("eval", "tools:cmd_eval", "retrieval and answer metrics on JSONL question sets, side by side", [
        (("files",), {"nargs": "+"}), (("--retrieval-only",), {"action": "store_true"})]),
    ("check-ingest", "tools:cmd_check_ingest", "score the parser on files with gold (default: tests/fixtures/ingest)", [
        (("dir",), {"nargs": "?"}),
        (("--details",), {"action": "store_true", "help": "list every failed check under its document"}), JSON]),
    ("export", "library:cmd_export", "export the active index (records + embeddings) as JSONL", [(("out",), {})]),
    ("rebuild", "library:cmd_rebuild", "rebuild the index from the files in the data directory", [
        (("--reembed",), {"action": "store_true",
                          "help": "embed everything again with POLICYBOT_EMBEDDING_MODEL (after a model change)"})]),
    ("meta", "library:cmd_meta", "show or set a document's metadata (stored as an override; re-indexes that document)", [
        (("doc",), {}),
        (("--title",), {}), (("--short-name",), {}),
        (("--aliases",), {"help": "other names, separated by commas (，、 also work)"}),
        (("--region",), {}), (("--level",), {"help": "国家 / 省 / 市 / 区 / 县"}),
        (("--doc-number",), {"help": "文号"}), (("--date",), {"help": "date of issue, YYYY-MM-DD"}),
        (("--status",), {"choices": STATUS_CHOICES, "help": "效力状态 set by the admin (wins over the computed one)"}),
        (("--status-date",), {"help": "the day that status took effect, YYYY-MM-DD"}),
        (("--status-note",), {"help": "why (e.g. 被某文件废止)"}),
        (("--clear",), {"action": "append", "metavar": "FIELD", "default": [],
                        "help": "drop the override of a field (title, short_name, aliases, region, level, doc_number, "
                                "date, status, status_date, status_note)"}),
        JSON]),
]
LLM_SERVE: list[Arg] = [
    (("--host",), {"default": "127.0.0.1"}),
    (("--port",), {"type": int, "default": 8081}),
    (("--n-ctx",), {"type": int, "default": 4096, "help": "context window in tokens"}),
    (("--threads",), {"type": int, "default": 2, "help": "CPU threads for inference"}),
]


def _add(sub: Any, name: str, handler: str, help_text: str, arguments: list[Arg]) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text)
    for flags, options in arguments:
        parser.add_argument(*flags, **options)
    parser.set_defaults(handler=handler)
    return parser


def _run(handler: str, args: argparse.Namespace) -> int:
    """Import the handler's module (now, not at start) and call it."""
    module, func = handler.split(":")
    return int(getattr(importlib.import_module(f"bot.cli.{module}"), func)(args) or 0)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="policybot", description="质量政策问答助手 · policy Q&A with clause citations")
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="cmd", required=True)
    for name, handler, help_text, arguments in COMMANDS:
        _add(sub, name, handler, help_text, arguments)
    llm = sub.add_parser("llm", help="optional local LLM (pip install -e '.[local-llm]')")
    llm_sub = llm.add_subparsers(dest="llm_cmd", required=True)
    _add(llm_sub, "serve", "tools:cmd_llm", "run a local OpenAI-compatible model server (llama.cpp)", LLM_SERVE)
    return p


DISK_FULL_EXIT = 4  # exit status of every command when the data directory's disk is full


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    get_settings()
    if args.handler in ("library:cmd_ingest", "library:cmd_rebuild"):
        use_batch_threads()  # bulk embedding: every core (serving keeps one thread per request)
    from vectorstore.embedding_model import EmbeddingModelMismatch
    from vectorstore.errors import DiskFull, StoreUnavailable, disk_nearly_full, is_disk_full

    try:
        return _run(args.handler, args)
    except (StoreUnavailable, EmbeddingModelMismatch) as exc:  # one line, no traceback: a state, not a bug
        print(f"错误：{exc}", file=sys.stderr)
        return 3
    except Exception as exc:  # a full disk is the machine's state, not a bug: say so, exit 4
        if not (is_disk_full(exc) or disk_nearly_full(get_settings().data_dir)):
            raise
        print(f"错误：{DiskFull(str(get_settings().data_dir))}", file=sys.stderr)
        return DISK_FULL_EXIT


