"""The 有帮助/没帮助 log: one JSON line per rating, with the full answer, durable and reviewable."""
from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from bot.answer.schemas import Answer
from bot.answer.text_form import plain_text
from bot.service.clock import stamp


class FeedbackLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def record(self, answer: Answer | dict[str, Any], rating: str, comment: str = "") -> Path:
        """Append a like/dislike with the answer it rates to ``feedback.jsonl``."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = answer.model_dump() if isinstance(answer, Answer) else dict(answer)
        try:  # the review table shows the answer as the user saw and copied it (its plain form)
            shown = plain_text(answer if isinstance(answer, Answer) else Answer.model_validate(data))
        except ValueError:
            shown = str(data.get("answer") or "")
        record = {"time": stamp(), "rating": rating, "comment": comment[:2000],
                  "question": data.get("question"), "answer": shown, "mode": data.get("mode"),
                  "refused": data.get("refused"),
                  "citations": [{k: c.get(k) for k in ("clause_id", "citation", "item")}
                                for c in data.get("citations", [])]}
        with self._lock, self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            fh.flush()
        return self.path

    def entries(self) -> list[dict[str, Any]]:
        """Every rating recorded so far, oldest first."""
        from bot.service.review import read_jsonl

        return read_jsonl(self.path)
