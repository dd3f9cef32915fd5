"""What the service has answered since the process started: plain counters for the operations metrics.

Counted where every surface passes — :meth:`bot.service.PolicyBot.answer_stream` — so the chat page,
the HTTP API and the CLI are all in them.  The service knows nothing of Prometheus: ``bot/api/metrics.py``
reads these numbers when ``/metrics`` is scraped.
"""
from __future__ import annotations

import threading
from collections import Counter

from bot.answer.schemas import Answer


class AnswerStats:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.by_mode: Counter[str] = Counter()  # extractive | llm | extractive-fallback
        self.refusals: Counter[str] = Counter()  # by refusal reason ("" when none was given)
        self.partial = 0
        self.fallbacks = 0  # LLM answers replaced by the extractive one

    def record(self, answer: Answer) -> None:
        with self._lock:
            self.by_mode[answer.mode] += 1
            if answer.refused:
                self.refusals[answer.refusal_reason or ""] += 1
            self.partial += int(answer.partial)
            self.fallbacks += int(answer.mode == "extractive-fallback")

    def snapshot(self) -> tuple[dict[str, int], dict[str, int], int, int]:
        """(answers by mode, refusals by reason, partial answers, fallbacks), consistent with each other."""
        with self._lock:
            return dict(self.by_mode), dict(self.refusals), self.partial, self.fallbacks
