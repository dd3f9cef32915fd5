"""The ``policybot`` commands: each parses nothing, calls the service and prints what comes back.

The service (and with it the embedding model, Chroma and jieba) is imported inside the commands, so
a usage error is reported without loading any of them.
"""
from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.retrieval import SearchFilters
    from bot.service import PolicyBot


def _bot(build: bool = False) -> PolicyBot:
    """The service; with ``build``, an empty index is first built from the shipped corpus (a fresh
    install answers ``policybot ask`` at once, as the app does on its first start)."""
    from bot.service import PolicyBot

    bot = PolicyBot()
    if build and not bot.retriever.size:
        print("首次使用：正在为已收录的政策文件建立索引…", file=sys.stderr, flush=True)
        bot.library.ensure_index(progress=False)
    return bot


def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False))


def _filters(args) -> SearchFilters:
    from bot.retrieval import SearchFilters

    return SearchFilters(doc_ids=args.doc or [], regions=args.region or [], levels=args.level or [],
                         years=args.year or [], department=args.department, phrase=args.phrase)


def cmd_ingest(args) -> int:
    from rich.console import Console

    bot = _bot()
    paths = [Path(p) for p in args.paths] or [bot.settings.corpus_dir]
    console = Console(stderr=True)
    t0 = time.perf_counter()

    def show(r) -> None:
        style = {"skipped": "yellow", "unchanged": "dim"}.get(r.status, "green")
        msg = r.message or r.counted or f"{r.clauses} 条"
        console.print(f"[{style}]{r.status:9}[/] {Path(r.path).name}  {msg}")

    report = bot.library.ingest(paths, progress=not args.quiet, force=args.force, on_file=show)
    console.print(f"{report.summary()}（{time.perf_counter() - t0:.1f} 秒）")
    if args.json:
        _print_json({"results": [r.__dict__ for r in report.results], "embedded": report.embedded})
    return 0 if all(r.status != "skipped" for r in report.results) else 2


def cmd_docs(args) -> int:
    docs = _bot(build=True).library.documents()
    if args.json:
        for d in docs:
            _print_json(d)
        return 0
    for d in docs:
        print(f"{d['doc_id']}\t{d['display_name']}\t{d['doc_number'] or '-'}\t{d['date'] or '-'}\t"
              f"{d['region'] or '-'}\t{d['count_text']}\t{d.get('status_label') or '-'}\t{d['provenance'] or '-'}")
        if d.get("status_source"):
            print(f"\t效力：{d['status_source']}（{d['status_on']}）")
        for label, key in (("依据", "based_on"), ("被引用", "cited_by")):
            if d.get(key):
                print(f"\t{label}：{'；'.join(d[key])}")
    return 0


def cmd_clauses(args) -> int:
    bot = _bot(build=True)
    doc = bot.library.resolve(args.doc) if args.doc else None
    if args.doc and not doc:
        print(f"找不到文件：{args.doc}", file=sys.stderr)
        return 1
    for part in (bot.store.document_parts(doc) if doc else bot.retriever.parts):
        if args.json:
            _print_json(part.to_record())
        else:
            print(f"{part.doc_id}\t{part.item}\t{part.part}/{part.parts}\t{part.text[:60]}")
    return 0


def cmd_show(args) -> int:
    """One clause by reference, in the forms people type: 天津实施意见第15条, 广东 八, 纲要（二十四）."""
    from bot.service import QuestionError

    ref = " ".join(args.ref).strip()
    if not ref:
        print("请提供条款，例如：policybot show 天津实施意见第15条", file=sys.stderr)
        return 2
    bot = _bot(build=True)
    try:
        result = bot.hotline_search(ref, 5)
    except QuestionError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if result.missing:
        print(result.missing, file=sys.stderr)
        for c in result.outline:
            print(f"  {c.item_label or c.item} {(c.heading_path[-1] if c.heading_path else '')[:50]}", file=sys.stderr)
        return 1
    if not result.exact:
        print(f"没有识别出条款号：{ref}（例如：policybot show 天津实施意见第15条、广东 八、纲要（二十四））", file=sys.stderr)
        return 1
    for c in result.exact:
        if args.json:
            _print_json(c.model_dump())
        else:
            print(f"{c.citation}\n发布机关：{'、'.join(c.issuers) or '-'}  文号：{c.doc_number or '-'}  日期：{c.date or '-'}"
                  f"  效力：{c.status_label or '-'}")
            for label, links in (("依据", c.based_on), ("被引用", c.cited_by)):
                if links:
                    print(f"{label}：{'；'.join(links)}")
            if c.departments:
                print("责任单位：" + "、".join(c.departments))
            print(c.text + "\n")
    if result.neighbours and not args.json:
        print("前后条款：" + "；".join(f"{c.doc_name} {c.item_label or c.item}" for c in result.neighbours))
    return 0


def cmd_remove(args) -> int:
    bot = _bot()
    doc = bot.library.resolve(args.doc)
    if not doc or not bot.library.remove(doc):
        print(f"找不到文件：{args.doc}", file=sys.stderr)
        return 1
    print(f"已删除 {doc}")
    return 0


def _read_questions(path: str) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def _batch(path: str, row: Callable[[dict], dict]) -> int:
    """``--questions FILE.jsonl``: one JSON line out per question in."""
    for q in _read_questions(path):
        _print_json(row(q))
    return 0


def _result_rows(cites) -> list[dict]:
    return [{"rank": i, "clause_id": c.clause_id, "doc_id": c.doc_id, "doc_title": c.doc_title, "item": c.item,
             "text": c.text, "score": c.score, "via": c.via, "status": c.status, "status_label": c.status_label}
            for i, c in enumerate(cites, 1)]


def _reading(args, text: str | None, noun: str) -> tuple[PolicyBot, SearchFilters] | None:
    """The usage check of ``search``/``ask`` (before any model or index is loaded), then the service
    and the filters; None after printing the usage message."""
    if not (text or args.questions):
        print(f"请提供{noun}，或用 --questions FILE.jsonl", file=sys.stderr)
        return None
    return _bot(build=True), _filters(args)


def cmd_search(args) -> int:
    """The hotline search: clauses containing the query's terms first (counted), related ones apart."""
    from bot.service import QuestionError

    reading = _reading(args, args.query, "查询")
    if reading is None:
        return 2
    bot, filters = reading

    def rows(result) -> list[dict]:
        shown = result.shown()
        return [{**row, "group": g} for row, (g, _) in zip(_result_rows([c for _, c in shown]), shown, strict=True)]

    def batch_row(q: dict) -> dict:
        try:
            result = bot.hotline_search(q["question"], args.k, filters, args.status)
            return {"id": q.get("id"), "headline": result.headline, "results": rows(result)}
        except QuestionError as exc:
            print(f"{q.get('id')}: {exc}", file=sys.stderr)
            return {"id": q.get("id"), "results": []}

    if args.questions:
        return _batch(args.questions, batch_row)
    try:
        result = bot.hotline_search(args.query, args.k, filters, args.status)
    except QuestionError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.json:
        _print_json({"query": args.query, "headline": result.headline, "terms": result.terms, "results": rows(result)})
        return 0
    print(result.headline)
    titles = {"neighbour": "前后条款：", "related": "相关条款（不含检索词）：", "outline": "全文目录："}
    group = ""
    for i, (g, c) in enumerate(result.shown(), 1):
        if g != group and g in titles:
            print(titles[g])
        group = g
        print(f"{i:2}. {c.doc_name} {c.item_label or c.item} 【{c.status_label or '-'}】  {c.text[:80]}")
    return 0 if result.shown() else 1


def _answer_row(qid, a) -> dict:
    return {"id": qid, "question": a.question, "answer": a.answer, "lead": a.lead, "refused": a.refused,
            "mode": a.mode, "notice": a.notice,
            "citations": [c.model_dump(include={"clause_id", "doc_id", "doc_title", "item", "item_label", "citation",
                                                 "issuers", "doc_number", "date", "text", "highlights", "status",
                                                 "status_label", "status_source", "based_on", "cited_by"})
                          for c in a.citations],
            "see_also": [c.model_dump(include={"clause_id", "doc_title", "item", "citation"}) for c in a.see_also],
            "retrieved": [c.model_dump(include={"clause_id", "doc_title", "item", "text"}) for c in a.retrieved[:5]]}


def cmd_ask(args) -> int:
    reading = _reading(args, args.question, "问题")
    if reading is None:
        return 2
    bot, filters = reading
    if args.questions:
        return _batch(args.questions, lambda q: _answer_row(q.get("id"), bot.answer(q["question"], None, filters)))
    if args.json:
        answer = bot.answer(args.question, None, filters)
        _print_json(_answer_row(None, answer))
        return 2 if answer.mode == "input-error" else 0
    final = None
    printed = 0
    for final in bot.answer_stream(args.question, None, filters):
        if not final.done and final.answer[printed:]:
            print(final.answer[printed:], end="", flush=True)
            printed = len(final.answer)
    assert final is not None
    if final.mode == "input-error":  # like `search`: a usage problem, exit status 2
        print(final.answer, file=sys.stderr)
        return 2
    if printed:
        print("\n")
    if printed and final.mode == "extractive-fallback":
        print("（以上大模型输出未通过引用校验，已作废，请以下方回答为准）")
    if final.notice and final.mode != "extractive":
        print(f"[提示] {final.notice}")
    if not printed or final.mode != "llm":
        print(final.answer)
    elif final.answer != final.answer[:printed]:
        print("——校验引用后的回答——\n" + final.answer)
    cites = final.citations or (final.retrieved[:3] if final.refused else [])
    if cites:
        print("\n来源：" if not final.refused else "\n相关条款（仅供参考）：")
        for i, c in enumerate(cites, 1):
            print(f"[{c.marker or i}] {c.citation}  发布机关：{'、'.join(c.issuers) or '-'}  文号：{c.doc_number or '-'}  "
                  f"日期：{c.date or '-'}  效力：{c.status_label or '-'}")
    return 0


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

    bot = _bot(build=True)
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
        _print_json(report_json(scores))
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


def cmd_export(args) -> int:
    from vectorstore.chroma_store import dumps_records

    bot = _bot()
    out = Path(args.out)
    with out.open("w", encoding="utf-8") as fh:
        n = 0
        for line in dumps_records(bot.store.export_records()):
            fh.write(line + "\n")
            n += 1
    print(f"导出 {n} 条记录到 {out}")
    return 0


def cmd_rebuild(args) -> int:
    """Re-index exactly the current collection from its files (removed documents stay removed, confirmed
    replacements stay); an empty index is built from the shipped corpus and the uploads."""
    if getattr(args, "reembed", False):
        from bot.service import PolicyBot
        from bot.settings import get_settings
        from vectorstore.chroma_store import ClauseStore

        settings = get_settings()
        bot = PolicyBot(settings, ClauseStore(settings.store_config(), check_model=False))
        report = bot.library.reembed()
    else:
        report = _bot().library.rebuild()
    print(report.summary())
    return 0


META_OPTIONS = ("title", "short_name", "aliases", "region", "level", "doc_number", "date", "status", "status_date",
                "status_note")


def cmd_meta(args) -> int:
    """``policybot meta DOC [--short-name …] [--region …] [--clear FIELD]``: without options, print the
    metadata and the override; with options, store the override and re-index that document only."""
    fields = {k: getattr(args, k) for k in META_OPTIONS if getattr(args, k) is not None}
    unknown = [f for f in args.clear if f not in META_OPTIONS]
    if unknown:
        print(f"未知字段：{'、'.join(unknown)}（可用：{'、'.join(META_OPTIONS)}）", file=sys.stderr)
        return 2
    fields.update(dict.fromkeys(args.clear, ""))
    bot = _bot(build=True)
    doc = bot.library.resolve(args.doc)
    if not doc:
        print(f"找不到文件：{args.doc}", file=sys.stderr)
        return 1
    if fields:
        try:
            result = bot.library.set_meta(doc, fields)
        except ValueError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 2
        if result.status == "skipped":
            print(result.message, file=sys.stderr)
            return 1
        print(result.message, file=sys.stderr)
    meta = next(d for d in bot.library.documents() if d["doc_id"] == doc)
    override = bot.library.overrides().get(doc, {})
    if args.json:
        _print_json({"doc_id": doc, "meta": {k: meta[k] for k in META_OPTIONS}, "override": override})
        return 0
    for k in META_OPTIONS:
        value = "、".join(meta[k]) if isinstance(meta[k], list) else meta[k]
        print(f"{k:11} {value or '-'}{'  （覆盖）' if k in override else ''}")
    return 0


def cmd_llm(args) -> int:
    """``policybot llm serve``: the optional local model server (needs ``pip install -e '.[local-llm]'``)."""
    from bot.answer.local_llm import serve

    return serve(host=args.host, port=args.port, n_ctx=args.n_ctx, threads=args.threads)


