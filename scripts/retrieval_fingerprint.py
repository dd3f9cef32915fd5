"""Dump (or compare) the top-10 of every dev question, plus the filter modes, as a retrieval fingerprint.

    python scripts/retrieval_fingerprint.py dump  eval/dev.jsonl > before.json
    python scripts/retrieval_fingerprint.py check eval/dev.jsonl before.json     # exit 1 on any difference

Uses the data directory of the environment (``POLICYBOT_DATA_DIR``) like every other command.  The
scores are rounded to 4 places (what ``policybot search --json`` prints); ids and order must match exactly.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

EXTRA = [  # the listing and lookup modes the dev set does not reach
    ("x-phrase", "计量托管", {"phrase": "计量托管"}),
    ("x-dept", "市场监管部门负责哪些", {"department": "市市场监管委"}),
    ("x-region", "质量奖励", {"regions": ["天津"]}),
    ("x-lookup1", "天津实施意见第15条", {}),
    ("x-lookup2", "广东 八", {}),
    ("x-lookup3", "纲要（二十四）", {}),
    ("x-quoted", "\"双随机、一公开\"怎么做", {}),
    ("x-missing", "天津实施意见第99条", {}),
]


def fingerprint(questions: list[tuple[str, str, dict]]) -> dict[str, list[list]]:
    from bot.retrieval import SearchFilters
    from bot.service import PolicyBot

    bot = PolicyBot()
    out: dict[str, list[list]] = {}
    for qid, q, f in questions:
        res = bot.retriever.search(q, 10, SearchFilters(**f))
        out[qid] = [[h.clause.clause_id, round(h.score, 4), h.via] for h in res.hits[:10]]
        out[qid + "#missing"] = [[res.missing_item.doc_id, len(res.missing_item.items)]] if res.missing_item else []
    return out


def main() -> int:
    mode, dev = sys.argv[1], Path(sys.argv[2])
    qs = [(r["id"], r["question"], {}) for r in map(json.loads, dev.read_text(encoding="utf-8").splitlines()) if r]
    got = fingerprint(qs + EXTRA)
    if mode == "dump":
        print(json.dumps(got, ensure_ascii=False, indent=0))
        return 0
    want = json.loads(Path(sys.argv[3]).read_text(encoding="utf-8"))
    bad = [k for k in want if [r[0] for r in want[k]] != [r[0] for r in got.get(k, [])]]
    drift = [k for k in want if k not in bad and want[k] != got.get(k)]
    for k in bad:
        print(f"DIFFERENT {k}: {[r[0] for r in want[k]]} → {[r[0] for r in got.get(k, [])]}")
    for k in drift:
        print(f"score drift {k}: {want[k]} → {got.get(k)}")
    print(f"{len(want) - len(bad)}/{len(want)} identical top-10 ({len(drift)} with score drift only)")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
