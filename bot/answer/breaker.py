"""A circuit breaker in front of the LLM: after repeated failures, stop calling it for a while.

A dead endpoint otherwise costs every chat the full timeout (30 s) and every follow-up a second one.
After ``failures`` consecutive failures the breaker opens: answers go extractive at once (with the
usual notice) and follow-ups use the non-LLM rewrite, until ``cooldown`` seconds have passed; then
one call is let through, and its outcome closes or re-opens the breaker.
"""
from __future__ import annotations

import threading
import time

OPEN_MESSAGE = "大模型服务近期连续出错，暂停调用"


class CircuitBreaker:
    def __init__(self, failures: int = 3, cooldown: float = 60.0) -> None:
        self.failures = max(1, failures)
        self.cooldown = cooldown
        self._count = 0
        self._opened_at: float | None = None
        self._lock = threading.Lock()
        self.total_failures = 0  # every failed call since start (the /metrics counter)

    def allow(self) -> bool:
        """True when a call may go to the LLM (closed, or the cooling period is over)."""
        with self._lock:
            if self._opened_at is None:
                return True
            if time.monotonic() - self._opened_at >= self.cooldown:
                self._opened_at = time.monotonic()  # one trial call; others keep waiting a period
                return True
            return False

    def success(self) -> None:
        with self._lock:
            self._count, self._opened_at = 0, None

    def failure(self) -> None:
        with self._lock:
            self.total_failures += 1
            self._count += 1
            if self._count >= self.failures:
                self._opened_at = time.monotonic()

    def remaining(self) -> float:
        with self._lock:
            if self._opened_at is None:
                return 0.0
            return max(0.0, self.cooldown - (time.monotonic() - self._opened_at))

    @property
    def notice(self) -> str:
        return f"{OPEN_MESSAGE}（约 {self.remaining():.0f} 秒后重试）。"


_breakers: dict[tuple[str, int, float], CircuitBreaker] = {}
_registry_lock = threading.Lock()


def breakers() -> list[tuple[str, CircuitBreaker]]:
    """Every breaker of the process with its endpoint (for the operations metrics)."""
    with _registry_lock:
        return [(key[0], b) for key, b in _breakers.items()]


def breaker_for(endpoint: str, failures: int, cooldown: float) -> CircuitBreaker:
    """One breaker per endpoint and policy in a process (every session shares what it learnt)."""
    key = (endpoint, failures, cooldown)
    with _registry_lock:
        return _breakers.setdefault(key, CircuitBreaker(failures, cooldown))
