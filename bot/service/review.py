"""What users could not get: refused questions and 没帮助 feedback, for whoever keeps the collection.

The service records every refusal (question, the answer shown — its plain text form with the
"可能相关" list, :mod:`bot.answer.text_form` — the reason, time) in
``POLICYBOT_DATA_DIR/refused.jsonl``; the 没帮助 ratings are in the feedback log.  Both are listed in
the admin app and exported as CSV (UTF-8 with a byte-order mark, so that Excel reads the Chinese).
"""
from __future__ import annotations

import csv
import io
import json
import threading
from pathlib import Path
from typing import Any

from bot.answer.schemas import Answer
from bot.answer.text_form import plain_text
from bot.service.clock import DEFAULT_ZONE, shown, stamp

REASONS: dict[str, str] = {
    "no_hits": "没有检索到条款",
    "out_of_scope_region": "所问地区不在文档库中",
    "fact_not_in_sources": "条款中没有所问的事实",
    "weak_evidence": "证据不足",
    "llm": "大模型判断无法回答",
}
REFUSED_HEADERS = ["时间", "问题", "给出的回答", "原因"]
FEEDBACK_HEADERS = ["时间", "问题", "给出的回答", "意见"]


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Every JSON line of a log (a torn last line — a write in progress — is skipped)."""
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out


class RefusalLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def record(self, answer: Answer) -> None:
        reason = answer.refusal_reason or ""
        row = {"time": stamp(), "question": answer.question[:2000],
               "answer": plain_text(answer)[:4000], "reason": reason, "reason_text": REASONS.get(reason, reason),
               "mode": answer.mode}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")

    def entries(self) -> list[dict[str, Any]]:
        return read_jsonl(self.path)


def refused_rows(entries: list[dict[str, Any]], zone_name: str = DEFAULT_ZONE) -> list[list[str]]:
    """Latest first, columns :data:`REFUSED_HEADERS`; times in ``zone_name``, the zone named."""
    return [[shown(e.get("time"), zone_name), str(e.get("question", "")), str(e.get("answer", "")),
             str(e.get("reason_text") or e.get("reason") or "")] for e in reversed(entries)]


def unhelpful_rows(entries: list[dict[str, Any]], zone_name: str = DEFAULT_ZONE) -> list[list[str]]:
    """The 没帮助 ratings, latest first, columns :data:`FEEDBACK_HEADERS`; times as in :func:`refused_rows`."""
    return [[shown(e.get("time"), zone_name), str(e.get("question") or ""), str(e.get("answer") or ""),
             str(e.get("comment") or "")] for e in reversed(entries) if e.get("rating") == "down"]


def csv_bytes(headers: list[str], rows: list[list[str]]) -> bytes:
    """A CSV file's bytes: UTF-8 with BOM (Excel), every field quoted where needed."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headers)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")
