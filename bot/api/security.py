"""Access to ``/v1``: the API exists only with a key configured, every call names a key, each key has a rate.

``Authorization: Bearer <key>`` is checked against :class:`bot.service.ApiKeys` (hashes, constant
time).  No key and a wrong key get the same 401 with no detail.  The rate is a token bucket per key
(``POLICYBOT_API_RATE`` requests per minute, bursts up to that many): over it, 429 with
``Retry-After`` in whole seconds.  The bucket is per process: behind a load balancer each instance
allows the rate (README, integration section).
"""
from __future__ import annotations

import math
import threading
import time

from fastapi import Request

from bot.api.errors import ApiProblem
from bot.service import ApiKeys, Caller

UNAUTHORIZED = ApiProblem(401, "unauthorized", "Unauthorized", headers={"WWW-Authenticate": "Bearer"})


class RateLimiter:
    """A token bucket per key id: ``per_minute`` tokens, refilled continuously."""

    def __init__(self, per_minute: int) -> None:
        self.capacity = float(per_minute)
        self.refill = per_minute / 60.0
        self._buckets: dict[str, tuple[float, float]] = {}  # key id → (tokens, monotonic time)
        self._lock = threading.Lock()

    def take(self, key_id: str, now: float | None = None) -> float:
        """0 when the request may go; else the seconds until it may."""
        if self.capacity <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, then = self._buckets.get(key_id, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - then) * self.refill)
            if tokens >= 1.0:
                self._buckets[key_id] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key_id] = (tokens, now)
            return (1.0 - tokens) / self.refill


class Access:
    """The FastAPI dependency every ``/v1`` route declares."""

    def __init__(self, keys: ApiKeys, limiter: RateLimiter) -> None:
        self.keys = keys
        self.limiter = limiter

    def enabled(self) -> bool:
        return self.keys.enabled

    def require_enabled(self) -> None:
        if not self.keys.enabled:
            raise ApiProblem(404, "not_found", "Not Found")

    def __call__(self, request: Request) -> Caller:
        self.require_enabled()
        scheme, _, key = (request.headers.get("authorization") or "").partition(" ")
        caller = self.keys.verify(key.strip()) if scheme.lower() == "bearer" else None
        if caller is None:
            raise UNAUTHORIZED
        request.state.caller = caller  # the access log names the key's public id, never the key
        wait = self.limiter.take(caller.key_id)
        if wait > 0:
            retry = max(1, math.ceil(wait))
            raise ApiProblem(429, "rate_limited", f"请求过于频繁：每个密钥每分钟最多 {int(self.limiter.capacity)} 次，"
                             f"请 {retry} 秒后重试。", headers={"Retry-After": str(retry)})
        return caller
