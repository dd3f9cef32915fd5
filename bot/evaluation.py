"""Retrieval evaluation on a JSONL question set (format of ``eval/dev.jsonl``).

A hit is a retrieved clause whose text contains a gold anchor after normalisation (NFKC, simplified,
no whitespace), so the traditional-script document is judged against simplified anchors.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bot.retrieval import HybridRetriever
from ingest.text.script import match_form


@dataclass
class RetrievalEval:
    n: int = 0
    recall: dict[int, float] = field(default_factory=dict)
    mrr: float = 0.0
    recall5_by_kind: dict[str, float] = field(default_factory=dict)
    lookup_top1: float = 0.0
    misses: list[dict] = field(default_factory=list)


def load_questions(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def gold_rank(texts: list[str], anchors: list[str]) -> int | None:
    """1-based rank of the first retrieved text holding any anchor."""
    keys = [match_form(a) for a in anchors]
    for rank, t in enumerate(texts, start=1):
        mt = match_form(t)
        if any(k in mt for k in keys):
            return rank
    return None


def evaluate_retrieval(retriever: HybridRetriever, questions: list[dict], k: int = 10) -> RetrievalEval:
    res = RetrievalEval()
    cut = (1, 3, 5, 10)
    hits_at = dict.fromkeys(cut, 0)
    by_kind: dict[str, list[int]] = defaultdict(list)
    lookup_ok: list[int] = []
    rr = 0.0
    for q in questions:
        gold = q.get("gold") or []
        if not gold:
            continue  # unanswerable: judged by the answer metrics
        res.n += 1
        hits = retriever.search(q["question"], k).hits
        rank = gold_rank([h.clause.text for h in hits], [g["anchor"] for g in gold])
        for c in cut:
            hits_at[c] += int(rank is not None and rank <= c)
        rr += 1.0 / rank if rank else 0.0
        by_kind[q.get("kind", "?")].append(int(rank is not None and rank <= 5))
        if q.get("kind") == "lookup":
            lookup_ok.append(int(rank == 1))
        if rank != 1:
            res.misses.append({"id": q["id"], "kind": q.get("kind"), "question": q["question"], "rank": rank,
                               "gold": [g.get("item") for g in gold],
                               "got": [f"{h.clause.doc_id.split('-')[0]}:{h.clause.item}" for h in hits[:3]]})
    if res.n:
        res.recall = {c: hits_at[c] / res.n for c in cut}
        res.mrr = rr / res.n
        res.recall5_by_kind = {kd: sum(v) / len(v) for kd, v in sorted(by_kind.items())}
        res.lookup_top1 = sum(lookup_ok) / len(lookup_ok) if lookup_ok else 1.0
    return res


def format_retrieval(ev: RetrievalEval) -> str:
    lines = [f"检索评测 retrieval eval: {ev.n} questions with gold clauses"]
    lines.append("  " + "  ".join(f"recall@{c}={v:.3f}" for c, v in ev.recall.items()) + f"  MRR={ev.mrr:.3f}")
    lines.append("  recall@5 by kind: " + ", ".join(f"{k}={v:.2f}" for k, v in ev.recall5_by_kind.items()))
    lines.append(f"  lookup questions with gold at rank 1: {ev.lookup_top1:.2f}")
    if ev.misses:
        lines.append("  not at rank 1:")
        for m in ev.misses:
            lines.append(f"    {m['id']} [{m['kind']}] rank={m['rank']} gold={m['gold']} got={m['got']} {m['question']}")
    return "\n".join(lines)


@dataclass
class AnswerEval:
    answerable: int = 0
    unanswerable: int = 0
    refusal_on_unanswerable: float = 0.0
    false_refusal: float = 0.0
    cited_share: float = 0.0
    citation_precision: float = 0.0
    must_mention: float = 0.0
    seconds_per_question: float = 0.0
    modes: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def evaluate_answers(bot, questions: list[dict]) -> AnswerEval:
    """Answer metrics: refusals, citations and whether the answer mentions what it must."""
    import time

    ev = AnswerEval()
    refused_unans = false_ref = cited = 0
    precise = total_cites = 0
    mention_hit = mention_total = 0
    t0 = time.perf_counter()
    for q in questions:
        a = bot.answer(q["question"])
        ev.modes[a.mode] = ev.modes.get(a.mode, 0) + 1
        gold = q.get("gold") or []
        if not gold:
            ev.unanswerable += 1
            refused_unans += int(a.refused)
            if not a.refused:
                ev.problems.append(f"{q['id']} answered an unanswerable question")
            continue
        ev.answerable += 1
        if a.refused:
            false_ref += 1
            ev.problems.append(f"{q['id']} refused an answerable question")
            continue
        cited += int(bool(a.citations))
        anchors = [match_form(g["anchor"]) for g in gold]
        for c in a.citations:
            total_cites += 1
            precise += int(any(k in match_form(c.text) for k in anchors))
        text = match_form(a.answer)
        for m in q.get("must_mention") or []:
            mention_total += 1
            mention_hit += int(match_form(m) in text)
    n = len(questions)
    ev.seconds_per_question = (time.perf_counter() - t0) / max(n, 1)
    answered = ev.answerable - false_ref
    ev.refusal_on_unanswerable = refused_unans / ev.unanswerable if ev.unanswerable else 1.0
    ev.false_refusal = false_ref / ev.answerable if ev.answerable else 0.0
    ev.cited_share = cited / answered if answered else 0.0
    ev.citation_precision = precise / total_cites if total_cites else 0.0
    ev.must_mention = mention_hit / mention_total if mention_total else 0.0
    return ev


def format_answers(ev: AnswerEval) -> str:
    lines = [f"回答评测 answer eval: {ev.answerable} answerable, {ev.unanswerable} unanswerable, modes={ev.modes}"]
    lines.append(f"  refusal on unanswerable={ev.refusal_on_unanswerable:.2f}  false refusals={ev.false_refusal:.3f}  "
                 f"answers with citation={ev.cited_share:.3f}  citation precision={ev.citation_precision:.3f}  "
                 f"must_mention coverage={ev.must_mention:.3f}")
    lines.extend("  " + p for p in ev.problems)
    return "\n".join(lines)
