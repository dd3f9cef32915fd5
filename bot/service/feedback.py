"""The 有帮助/没帮助 log: one JSON line per rating, with the answer it rates, reviewable — and bounded
(comment cut to a few hundred characters, a rate per client, a total size: :mod:`bot.service.logs`)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.answer.schemas import Answer
from bot.answer.text_form import plain_text
from bot.service.clock import stamp
from bot.service.logs import ANSWER_FIELD_CHARS, BoundedLog, RateLimiter


class FeedbackLog:
    def __init__(self, path: Path, max_bytes: int = 8 * 1024 * 1024, rate: int = 20) -> None:
        self.path = path
        self.log = BoundedLog(path, max_bytes, RateLimiter(rate), ANSWER_FIELD_CHARS)

    def record(self, answer: Answer | dict[str, Any], rating: str, comment: str = "",
               client: str | None = None) -> bool:
        """Append a like/dislike with the answer it rates to ``feedback.jsonl``; False when
        ``client`` (an address) is over its rate and nothing was written."""
        data = answer.model_dump() if isinstance(answer, Answer) else dict(answer)
        try:  # the review table shows the answer as the user saw and copied it (its plain form)
            shown = plain_text(answer if isinstance(answer, Answer) else Answer.model_validate(data))
        except ValueError:
            shown = str(data.get("answer") or "")
        record = {"time": stamp(), "rating": rating, "comment": comment,
                  "question": data.get("question"), "answer": shown, "mode": data.get("mode"),
                  "refused": data.get("refused"),
                  "citations": [{k: c.get(k) for k in ("clause_id", "citation", "item")}
                                for c in data.get("citations", [])]}
        return self.log.append(record, client)

    def entries(self) -> list[dict[str, Any]]:
        """Every rating kept (both generations), oldest first."""
        return self.log.entries()

    def latest(self, limit: int) -> list[dict[str, Any]]:
        """The newest ``limit`` ratings, newest first, read from the end of the log."""
        return self.log.tail(limit)
