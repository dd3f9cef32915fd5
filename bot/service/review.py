"""What users could not get: refused questions and 没帮助 feedback, for whoever keeps the collection.

The service records every refusal (question, the answer shown — its plain text form with the
"可能相关" list, :mod:`bot.answer.text_form` — the reason, time) in
``POLICYBOT_DATA_DIR/refused.jsonl``; the 没帮助 ratings are in the feedback log.  Both are listed in
the admin app and exported as CSV (UTF-8 with a byte-order mark, so that Excel reads the Chinese).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from bot.answer.schemas import Answer
from bot.answer.text_form import plain_text
from bot.service.clock import DEFAULT_ZONE, shown, stamp
from bot.service.logs import ANSWER_FIELD_CHARS, BoundedLog, RateLimiter

REASONS: dict[str, str] = {
    "no_hits": "没有检索到条款",
    "out_of_scope_region": "所问地区不在文档库中",
    "fact_not_in_sources": "条款中没有所问的事实",
    "name_not_in_sources": "条款中没有问题点名的事项",
    "term_not_in_document": "所指文件没有问题所问的事项",
    "member_not_named": "文件未点名所问企业或品牌",
    "document_not_collected": "所问的文件未收录",
    "subject_not_in_sources": "文档库没有问题所问的事物",
    "weak_evidence": "证据不足",
    "llm": "大模型判断无法回答",
}
REFUSED_HEADERS = ["时间", "问题", "给出的回答", "原因"]
FEEDBACK_HEADERS = ["时间", "问题", "给出的回答", "意见"]


class RefusalLog:
    """``refused.jsonl``, bounded like every log a user can write to (:mod:`bot.service.logs`): the
    question cut to 500 characters, the answer to 2,000, a rate per client address, a total size."""

    def __init__(self, path: Path, max_bytes: int = 8 * 1024 * 1024, rate: int = 20) -> None:
        self.path = path
        self.log = BoundedLog(path, max_bytes, RateLimiter(rate), ANSWER_FIELD_CHARS)

    def record(self, answer: Answer, client: str | None = None) -> bool:
        """False when ``client`` is over its rate (the refusal is still answered, just not logged)."""
        reason = answer.refusal_reason or ""
        row = {"time": stamp(), "question": answer.question,
               "answer": plain_text(answer), "reason": reason, "reason_text": REASONS.get(reason, reason),
               "mode": answer.mode}
        return self.log.append(row, client)

    def entries(self) -> list[dict[str, Any]]:
        """Every refusal kept (both generations), oldest first — for the CSV export."""
        return self.log.entries()

    def latest(self, limit: int) -> list[dict[str, Any]]:
        """The newest ``limit`` refusals, newest first, read from the end of the log."""
        return self.log.tail(limit)


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
