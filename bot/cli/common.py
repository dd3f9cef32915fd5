"""What the ``policybot`` commands share: the service, JSON lines, the search filters, question files.

Nothing heavy is imported here: each command imports what it uses when it runs, so ``policybot show``
loads no answer stack and a usage error loads no model, index or segmenter.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.retrieval import SearchFilters
    from bot.service import PolicyBot


def service(build: bool = False) -> PolicyBot:
    """The service; with ``build``, an empty index is first built from the shipped corpus (a fresh
    install answers ``policybot ask`` at once, as the app does on its first start)."""
    from bot.service import PolicyBot

    bot = PolicyBot()
    if build and not bot.retriever.size:
        print("首次使用：正在为已收录的政策文件建立索引…", file=sys.stderr, flush=True)
        bot.library.ensure_index(progress=False)
    return bot


def print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False))


def filters_of(args: Any) -> SearchFilters:
    from bot.retrieval import SearchFilters

    return SearchFilters(doc_ids=args.doc or [], regions=args.region or [], levels=args.level or [],
                         years=args.year or [], department=args.department, phrase=args.phrase)


def read_questions(path: str) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def batch(path: str, row: Callable[[dict], dict]) -> int:
    """``--questions FILE.jsonl``: one JSON line out per question in."""
    for q in read_questions(path):
        print_json(row(q))
    return 0


def reading(args, text: str | None, noun: str) -> tuple[PolicyBot, SearchFilters] | None:
    """The usage check of ``search``/``ask`` (before any model or index is loaded), then the service
    and the filters; None after printing the usage message."""
    if not (text or args.questions):
        print(f"请提供{noun}，或用 --questions FILE.jsonl", file=sys.stderr)
        return None
    return service(build=True), filters_of(args)
