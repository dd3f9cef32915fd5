"""At most ``POLICYBOT_CONCURRENCY`` API requests compute at once, as the page's queue allows its events.

Answers are CPU work (embedding, ranking) on a few cores: twenty threads computing twenty answers at once
finish each later than eight at a time with the rest waiting, and they compete with the page.  Waiting
requests hold no core; they queue here in arrival order (roughly: a semaphore is not strictly fair).
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Slots:
    def __init__(self, n: int) -> None:
        self._sem = threading.BoundedSemaphore(max(1, n))

    @contextmanager
    def held(self) -> Iterator[None]:
        with self._sem:
            yield

    def around(self, events: Iterator[str]) -> Iterator[str]:
        """A stream that computes its next events inside a slot (the rest of a streamed answer)."""
        with self._sem:
            yield from events
