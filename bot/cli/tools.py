"""``policybot`` tools: eval (question sets side by side), check-ingest (the parser's scorecard), llm serve."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from bot.cli.common import print_json, service


def cmd_eval(args) -> int:
    """Each question set in turn (misses, problems), then their headline figures side by side."""
    from bot.evaluation import (
        evaluate_answers,
        evaluate_retrieval,
        format_answers,
        format_retrieval,
        format_side_by_side,
        is_blind,
        load_questions,
        summary,
    )

    bot = service(build=True)
    bot.record_refusals = False  # the admin's list of refused questions is for users' questions
    columns: dict[str, dict[str, float]] = {}
    sizes: dict[str, int] = {}
    for file in args.files:
        questions = load_questions(Path(file))
        blind = is_blind(Path(file))
        print(f"== {file}" + ("  (blind: figures only, no misses)" if blind else ""))
        t0 = time.perf_counter()
        ev = evaluate_retrieval(bot.retriever, questions, k=10)
        print(format_retrieval(ev, details=not blind))
        print(f"  ({time.perf_counter() - t0:.1f} s)")
        if args.retrieval_only:
            continue
        t0 = time.perf_counter()
        aev = evaluate_answers(bot, questions)
        print(format_answers(aev, details=not blind))
        print(f"  ({time.perf_counter() - t0:.1f} s, {aev.seconds_per_question * 1000:.0f} ms/question)")
        columns[Path(file).stem] = summary(ev, aev)
        sizes[Path(file).stem] = len(questions)
    if len(columns) > 1:
        docs = len(bot.library.documents())
        print(f"\n== side by side ({docs} documents in the collection)")
        print(format_side_by_side(columns, sizes))
    return 0


def cmd_check_ingest(args) -> int:
    """Score the parser on a fixture directory (files + ``<file>.gold.json``); a report, so always exit 0."""
    from ingest.scorecard import format_report, report_json, score_dir

    directory = Path(args.dir) if args.dir else _fixture_dir()
    if not directory.is_dir():
        print(f"找不到目录：{directory}", file=sys.stderr)
        return 0
    scores = score_dir(directory)
    if not scores:
        print(f"{directory} 中没有带 .gold.json 的文件", file=sys.stderr)
        return 0
    if args.json:
        print_json(report_json(scores))
    else:
        print(format_report(scores, details=args.details))
    return 0


def _fixture_dir() -> Path:
    """tests/fixtures/ingest under the working directory, else beside the source tree (editable install)."""
    here = Path("tests/fixtures/ingest")
    if here.is_dir():
        return here
    import ingest

    return Path(ingest.__file__).resolve().parent.parent / "tests" / "fixtures" / "ingest"


def cmd_llm(args) -> int:
    """``policybot llm serve``: the optional local model server (needs ``pip install -e '.[local-llm]'``)."""
    from bot.answer.local_llm import serve

    return serve(host=args.host, port=args.port, n_ctx=args.n_ctx, threads=args.threads)
