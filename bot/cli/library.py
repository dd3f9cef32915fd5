"""``policybot`` commands over the document library: ingest, docs, clauses, remove, export, rebuild, meta."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from bot.cli.common import print_json, service


def cmd_ingest(args) -> int:
    from rich.console import Console

    bot = service()
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
        print_json({"results": [r.__dict__ for r in report.results], "embedded": report.embedded})
    return 0 if all(r.status != "skipped" for r in report.results) else 2


def cmd_docs(args) -> int:
    docs = service(build=True).library.documents()
    if args.json:
        for d in docs:
            print_json(d)
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
    bot = service(build=True)
    doc = bot.library.resolve(args.doc) if args.doc else None
    if args.doc and not doc:
        print(f"找不到文件：{args.doc}", file=sys.stderr)
        return 1
    for part in (bot.store.document_parts(doc) if doc else bot.retriever.parts):
        if args.json:
            print_json(part.to_record())
        else:
            print(f"{part.doc_id}\t{part.item}\t{part.part}/{part.parts}\t{part.text[:60]}")
    return 0


def cmd_remove(args) -> int:
    bot = service()
    doc = bot.library.resolve(args.doc)
    if not doc or not bot.library.remove(doc):
        print(f"找不到文件：{args.doc}", file=sys.stderr)
        return 1
    print(f"已删除 {doc}")
    return 0


def cmd_export(args) -> int:
    from vectorstore.chroma_store import dumps_records

    bot = service()
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
    replacements stay); an empty index is built from the shipped corpus and the uploads.  ``--reembed``
    embeds everything again with the configured model (the store is opened without the model check that
    would refuse it)."""
    if getattr(args, "reembed", False):
        from bot.service import PolicyBot
        from bot.settings import get_settings
        from vectorstore.chroma_store import ClauseStore

        settings = get_settings()
        report = PolicyBot(settings, ClauseStore(settings.store_config(), check_model=False)).library.reembed()
    else:
        report = service().library.rebuild()
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
    bot = service(build=True)
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
        print_json({"doc_id": doc, "meta": {k: meta[k] for k in META_OPTIONS}, "override": override})
        return 0
    for k in META_OPTIONS:
        value = "、".join(meta[k]) if isinstance(meta[k], list) else meta[k]
        print(f"{k:11} {value or '-'}{'  （覆盖）' if k in override else ''}")
    return 0
