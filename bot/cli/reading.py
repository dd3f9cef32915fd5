"""``policybot`` reading commands: show (one clause by reference), search (the hotline's result), ask."""
from __future__ import annotations

import sys

from bot.cli.common import batch, print_json, reading, service


def cmd_show(args) -> int:
    """One clause by reference, in the forms people type: 天津实施意见第15条, 广东 八, 纲要（二十四）."""
    from bot.service import QuestionError

    ref = " ".join(args.ref).strip()
    if not ref:
        print("请提供条款，例如：policybot show 天津实施意见第15条", file=sys.stderr)
        return 2
    bot = service(build=True)
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
            print_json(c.model_dump())
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


def _result_rows(cites) -> list[dict]:
    return [{"rank": i, "clause_id": c.clause_id, "doc_id": c.doc_id, "doc_title": c.doc_title, "item": c.item,
             "text": c.text, "score": c.score, "via": c.via, "status": c.status, "status_label": c.status_label}
            for i, c in enumerate(cites, 1)]


def cmd_search(args) -> int:
    """The hotline search: clauses containing the query's terms first (counted), related ones apart."""
    from bot.service import QuestionError

    got = reading(args, args.query, "查询")
    if got is None:
        return 2
    bot, filters = got

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
        return batch(args.questions, batch_row)
    try:
        result = bot.hotline_search(args.query, args.k, filters, args.status)
    except QuestionError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if args.json:
        print_json({"query": args.query, "headline": result.headline, "terms": result.terms, "results": rows(result)})
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
    got = reading(args, args.question, "问题")
    if got is None:
        return 2
    bot, filters = got
    if args.questions:
        return batch(args.questions, lambda q: _answer_row(q.get("id"), bot.answer(q["question"], None, filters)))
    if args.json:
        answer = bot.answer(args.question, None, filters)
        print_json(_answer_row(None, answer))
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
