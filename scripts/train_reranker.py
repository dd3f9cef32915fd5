"""Fit the reranker's weights on questions generated from the corpus (never on the dev set).

    .venv/bin/python scripts/make_training_questions.py > eval/train_generated.jsonl
    .venv/bin/python scripts/train_reranker.py eval/train_generated.jsonl

Builds (or reuses, with POLICYBOT_DATA_DIR) an index of the shipped corpus, takes the fused top
candidates of every training question *without* reranking, and fits a softmax over each question's
candidates (listwise: the gold clause should be the most probable) with L2 regularisation, by plain
gradient descent in numpy.  Clauses are split into a training and a held-out part, so the printed
held-out figures are for clauses whose questions the fit never saw.  The dev set is only reported.
Writes bot/retrieval/rerank_weights.json.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.retrieval.rerank import FEATURES, POOL, RerankWeights, features
from bot.service import PolicyBot
from bot.settings import Settings
from ingest.text.script import match_form

OUT = Path(__file__).resolve().parent.parent / "bot" / "retrieval" / "rerank_weights.json"
L2 = 0.05
STEPS = 3000
RATE = 0.5
FLOOR_PERCENTILE = 2


def gold_index(hits: list, gold: list[dict]) -> int | None:
    ids = {g["clause_id"] for g in gold if g.get("clause_id")}
    anchors = [match_form(g["anchor"]) for g in gold if g.get("anchor")]
    for i, h in enumerate(hits):
        if h.clause.clause_id in ids or (not ids and any(a in match_form(h.clause.text) for a in anchors)):
            return i
    return None


def collect(bot: PolicyBot, questions: list[dict]) -> list[tuple[np.ndarray, int]]:
    """(candidate features, index of the gold candidate) per question whose gold is among the candidates."""
    out = []
    for q in questions:
        result = bot.retriever.search(q["question"], POOL, rerank=False)
        hits = [h for h in result.hits if h.via != "lookup"][:POOL]
        g = gold_index(hits, q["gold"])
        if g is not None and len(hits) > 1:
            out.append((features(result.analysis, hits), g))
    return out


def fit(data: list[tuple[np.ndarray, int]]) -> np.ndarray:
    """Gradient descent on the mean softmax cross-entropy of the gold candidate, plus L2."""
    x = np.zeros((len(data), POOL, len(FEATURES)))
    mask = np.full((len(data), POOL), -np.inf)
    gold = np.array([g for _, g in data])
    for i, (rows, _) in enumerate(data):
        x[i, : len(rows)] = rows
        mask[i, : len(rows)] = 0.0
    w = np.zeros(len(FEATURES))
    w[FEATURES.index("fused")] = 1.0  # start from the fused order
    for _ in range(STEPS):
        s = x @ w + mask
        p = np.exp(s - s.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        grad = np.einsum("qc,qcf->f", p, x) - x[np.arange(len(data)), gold].sum(axis=0)
        w -= RATE * (grad / len(data) + L2 * w)
    return w


def top1(data: list[tuple[np.ndarray, int]], w: np.ndarray) -> float:
    return sum(int(np.argmax(x @ w) == g) for x, g in data) / max(len(data), 1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("questions", type=Path)
    ap.add_argument("--dev", type=Path, default=Path("eval/dev.jsonl"), help="reported only, never fitted")
    args = ap.parse_args()
    questions = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    clauses = sorted({q["gold"][0]["clause_id"] for q in questions})
    random.Random(7).shuffle(clauses)
    held_out = set(clauses[: len(clauses) // 5])
    data_dir = os.environ.get("POLICYBOT_DATA_DIR") or tempfile.mkdtemp(prefix="policybot-train-")
    bot = PolicyBot(Settings(POLICYBOT_DATA_DIR=data_dir))
    bot.library.ensure_index(progress=False)
    train = collect(bot, [q for q in questions if q["gold"][0]["clause_id"] not in held_out])
    test = collect(bot, [q for q in questions if q["gold"][0]["clause_id"] in held_out])
    w = fit(train)
    base = np.zeros(len(FEATURES))
    base[FEATURES.index("fused")] = 1.0
    report = {"train_questions": len(train), "held_out_questions": len(test),
              "train_top1": [round(top1(train, base), 3), round(top1(train, w), 3)],
              "held_out_top1": [round(top1(test, base), 3), round(top1(test, w), 3)]}
    if args.dev.is_file():
        dev = [json.loads(line) for line in args.dev.read_text(encoding="utf-8").splitlines() if line.strip()]
        dev_data = collect(bot, [q for q in dev if q.get("gold")])
        report["dev_top1_reported_only"] = [round(top1(dev_data, base), 3), round(top1(dev_data, w), 3)]
    # How low the best candidate of an answerable question scores: the 2nd percentile over every generated
    # question (all answerable by construction) is the floor below which the evidence counts as weak.
    tops = [float(np.max(x @ w)) for x, _ in train + test]
    floor = round(float(np.percentile(tops, FLOOR_PERCENTILE)), 3)
    report["answerable_floor"] = floor
    print(json.dumps(report, ensure_ascii=False))
    weights = {name: round(float(v), 4) for name, v in zip(FEATURES, w, strict=True)}
    RerankWeights.from_dict(weights)  # round-trip check
    OUT.write_text(json.dumps({"weights": weights, "answerable_floor": floor, "fitted_on": args.questions.name,
                               "report": report},
                              ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
