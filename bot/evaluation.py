"""Retrieval and answer evaluation on a JSONL question set (format of ``eval/dev.jsonl``).

A hit is a retrieved clause whose text contains a gold anchor after normalisation (NFKC, simplified,
no whitespace), so the traditional-script document is judged against simplified anchors.  A citation
"is gold" the same way: its clause text contains a gold anchor.  A part whose heading has no text of its own
("五、推动建设工程品质化升级" over （十三）…（十五）) is no clause of the index: its items stand for it, so an anchor
in the title of a part above a clause counts for that clause too (a question about the whole part, its gold the
part's title, is answered by the part's items).

Answer metrics (``score_answers``; "answered" = an answerable question the bot did not refuse):

* ``refusal_on_unanswerable``: share of unanswerable questions (no gold) that were refused;
* ``false_refusal``: share of answerable questions that were refused;
* ``cited_share``: share of answered questions with at least one citation;
* ``gold_cited``: share of answered questions with at least one gold citation;
* ``citation_precision``: share of the citations of answered questions that are gold;
* ``comparison_gold_cited``: over answered comparison questions (kind ``cross_doc``, or gold entries
  from two or more documents), the share of gold entries whose anchor some citation contains;
* ``must_mention``: share of the must_mention strings of answered questions found in the answer text
  (both sides in ``match_form``);
* ``partial``: share of answered questions answered as a *partial answer* (what the documents
  provide, and what they do not say);
* ``unanswerable_handled``: share of unanswerable questions refused or answered partially — an
  in-domain question the documents do not answer should never get a confident full answer;
* answer length: median and 90th percentile (linear interpolation) of ``len(answer)`` over answered
  questions that are not lookups.  A lookup answer is one with a citation retrieved ``via == "lookup"``
  (the question named a clause number and the answer quotes whole clauses).  The length counts only
  the text before the first line starting with "另见" (the see-also tail).
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from bot.answer.schemas import Answer, Citation
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


def gold_forms(text: str, heading_path: list[str] | tuple[str, ...] = ()) -> list[str]:
    """What an anchor is looked for in: the clause's text and the titles of the parts above it (module doc)."""
    return [match_form(t) for t in (text, *heading_path[:-1])]


def _holds(forms: list[str], keys: list[str]) -> bool:
    return any(k in f for k in keys for f in forms)


def gold_rank(forms: list[list[str]], anchors: list[str]) -> int | None:
    """1-based rank of the first retrieved clause (its :func:`gold_forms`) holding any anchor."""
    keys = [match_form(a) for a in anchors]
    return next((rank for rank, f in enumerate(forms, start=1) if _holds(f, keys)), None)


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
        rank = gold_rank([gold_forms(h.clause.text, h.clause.heading_path) for h in hits], [g["anchor"] for g in gold])
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


def is_blind(path: Path) -> bool:
    """A question set under a ``blind`` folder only measures: its misses are never printed, so that no
    rule is written from one."""
    return "blind" in path.parts[:-1]


def format_retrieval(ev: RetrievalEval, details: bool = True) -> str:
    lines = [f"检索评测 retrieval eval: {ev.n} questions with gold clauses"]
    lines.append("  " + "  ".join(f"recall@{c}={v:.3f}" for c, v in ev.recall.items()) + f"  MRR={ev.mrr:.3f}")
    if details:  # per kind and per question only where misses may be read
        lines.append("  recall@5 by kind: " + ", ".join(f"{k}={v:.2f}" for k, v in ev.recall5_by_kind.items()))
        lines.append(f"  lookup questions with gold at rank 1: {ev.lookup_top1:.2f}")
    if ev.misses and details:
        lines.append("  not at rank 1:")
        for m in ev.misses:
            lines.append(f"    {m['id']} [{m['kind']}] rank={m['rank']} gold={m['gold']} got={m['got']} {m['question']}")
    return "\n".join(lines)


SEE_ALSO = "另见"


class Answerer(Protocol):
    def answer(self, question: str) -> Answer: ...


@dataclass
class AnswerEval:
    answerable: int = 0
    unanswerable: int = 0
    refusal_on_unanswerable: float = 0.0
    false_refusal: float = 0.0
    cited_share: float = 0.0
    gold_cited: float = 0.0
    citation_precision: float = 0.0
    partial: float = 0.0
    unanswerable_handled: float = 0.0
    comparison_questions: int = 0
    comparison_gold: int = 0
    comparison_gold_cited: float = 0.0
    must_mention: float = 0.0
    length_n: int = 0
    length_median: float = 0.0
    length_p90: float = 0.0
    seconds_per_question: float = 0.0
    modes: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def is_gold_citation(c: Citation, gold: list[dict]) -> bool:
    """Does the cited clause contain any gold anchor (or a part above it have it in its title)?"""
    return _holds(gold_forms(c.text, c.heading_path), [match_form(g["anchor"]) for g in gold])


def gold_entries_cited(citations: list[Citation], gold: list[dict]) -> list[bool]:
    """Per gold entry: does some citation contain its anchor?"""
    forms = [gold_forms(c.text, c.heading_path) for c in citations]
    return [any(_holds(f, [match_form(g["anchor"])]) for f in forms) for g in gold]


def is_comparison(q: dict) -> bool:
    gold = q.get("gold") or []
    return q.get("kind") == "cross_doc" or len({g.get("doc") for g in gold}) >= 2


def is_lookup_answer(a: Answer) -> bool:
    return any(c.via in ("lookup", "part") for c in a.citations)


def answer_length(text: str) -> int:
    """Characters before the first line starting with 另见 (trailing line breaks dropped)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if line.lstrip().startswith(SEE_ALSO):
            return len("\n".join(lines[:i]).rstrip("\n"))
    return len(text)


def mentions(text: str, must: list[str]) -> list[bool]:
    mt = match_form(text)
    return [match_form(m) in mt for m in must]


def percentile(values: list[float], p: float) -> float:
    """p-th percentile (0-100) with linear interpolation between closest ranks; 0.0 for no values."""
    if not values:
        return 0.0
    v = sorted(values)
    pos = (len(v) - 1) * p / 100
    lo = int(pos)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)


def _share(hits: int, total: int, empty: float = 0.0) -> float:
    return hits / total if total else empty


def score_answers(pairs: list[tuple[dict, Answer]]) -> AnswerEval:
    """Answer metrics (module docstring) from (question, answer) pairs; no index needed."""
    ev = AnswerEval()
    refused_unans = handled_unans = false_ref = cited = gold_hit = partial = 0
    precise = total_cites = mention_hit = mention_total = comp_hit = 0
    lengths: list[float] = []
    for q, a in pairs:
        ev.modes[a.mode] = ev.modes.get(a.mode, 0) + 1
        gold = q.get("gold") or []
        if not gold:
            ev.unanswerable += 1
            refused_unans += int(a.refused)
            handled_unans += int(a.refused or a.partial)
            if not (a.refused or a.partial):
                ev.problems.append(f"{q['id']} answered an unanswerable question")
            continue
        ev.answerable += 1
        if a.refused:
            false_ref += 1
            ev.problems.append(f"{q['id']} refused an answerable question")
            continue
        cited += int(bool(a.citations))
        partial += int(a.partial)
        golds = [is_gold_citation(c, gold) for c in a.citations]
        gold_hit += int(any(golds))
        precise += sum(golds)
        total_cites += len(golds)
        if is_comparison(q):
            covered = gold_entries_cited(a.citations, gold)
            ev.comparison_questions += 1
            ev.comparison_gold += len(covered)
            comp_hit += sum(covered)
        ment = mentions(a.answer, q.get("must_mention") or [])
        mention_hit += sum(ment)
        mention_total += len(ment)
        if not is_lookup_answer(a):
            lengths.append(answer_length(a.answer))
    answered = ev.answerable - false_ref
    ev.refusal_on_unanswerable = _share(refused_unans, ev.unanswerable, empty=1.0)
    ev.unanswerable_handled = _share(handled_unans, ev.unanswerable, empty=1.0)
    ev.false_refusal = _share(false_ref, ev.answerable)
    ev.partial = _share(partial, answered)
    ev.cited_share = _share(cited, answered)
    ev.gold_cited = _share(gold_hit, answered)
    ev.citation_precision = _share(precise, total_cites)
    ev.comparison_gold_cited = _share(comp_hit, ev.comparison_gold)
    ev.must_mention = _share(mention_hit, mention_total)
    ev.length_n = len(lengths)
    ev.length_median = percentile(lengths, 50)
    ev.length_p90 = percentile(lengths, 90)
    return ev


def evaluate_answers(bot: Answerer, questions: list[dict]) -> AnswerEval:
    """Ask every question, then score the answers (see ``score_answers``)."""
    import time

    t0 = time.perf_counter()
    pairs = [(q, bot.answer(q["question"])) for q in questions]
    ev = score_answers(pairs)
    ev.seconds_per_question = (time.perf_counter() - t0) / max(len(questions), 1)
    return ev


def format_answers(ev: AnswerEval, details: bool = True) -> str:
    lines = [f"回答评测 answer eval: {ev.answerable} answerable, {ev.unanswerable} unanswerable, modes={ev.modes}"]
    lines.append(f"  refusal on unanswerable={ev.refusal_on_unanswerable:.2f}  false refusals={ev.false_refusal:.3f}  "
                 f"answers with citation={ev.cited_share:.3f}  citation precision={ev.citation_precision:.3f}  "
                 f"must_mention coverage={ev.must_mention:.3f}")
    lines.append(f"  answers citing a gold clause={ev.gold_cited:.3f}  "
                 f"comparison gold clauses cited={ev.comparison_gold_cited:.3f} "
                 f"({ev.comparison_gold} gold clauses in {ev.comparison_questions} answered comparison questions)")
    lines.append(f"  unanswerable refused or answered partially={ev.unanswerable_handled:.2f}  "
                 f"partial answers among answered={ev.partial:.3f}")
    lines.append(f"  answer length (answered, non-lookup, before 另见; n={ev.length_n}): "
                 f"median={ev.length_median:.0f}  p90={ev.length_p90:.0f}")
    if details:
        lines.extend("  " + p for p in ev.problems)
    return "\n".join(lines)


# The figures the side-by-side table shows, with the row labels people read.
SUMMARY_ROWS: tuple[tuple[str, str], ...] = (
    ("answers citing a gold clause", "gold_cited"),
    ("must-mention in the answer", "must_mention"),
    ("recall@1", "recall1"),
    ("citation precision", "citation_precision"),
    ("answerable questions refused", "false_refusal"),
    ("unanswerable refused or partial", "unanswerable_handled"),
)


def summary(rev: RetrievalEval, aev: AnswerEval) -> dict[str, float]:
    """The headline figures of one question set (the rows of :data:`SUMMARY_ROWS`)."""
    return {"gold_cited": aev.gold_cited, "must_mention": aev.must_mention, "recall1": rev.recall.get(1, 0.0),
            "citation_precision": aev.citation_precision, "false_refusal": aev.false_refusal,
            "unanswerable_handled": aev.unanswerable_handled}


def format_side_by_side(columns: dict[str, dict[str, float]], sizes: dict[str, int]) -> str:
    """A Markdown table: one row per headline figure, one column per question set."""
    names = list(columns)
    lines = ["| | " + " | ".join(f"{n} ({sizes.get(n, 0)} q)" for n in names) + " |",
             "|---|" + "---|" * len(names)]
    for label, key in SUMMARY_ROWS:
        lines.append(f"| {label} | " + " | ".join(f"{columns[n][key]:.3f}" for n in names) + " |")
    return "\n".join(lines)
