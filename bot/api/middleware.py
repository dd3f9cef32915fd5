"""One ASGI middleware in front of the API and operations routes: request id, body limit, metrics, access log.

Pure ASGI (not ``BaseHTTPMiddleware``) so that streamed answers pass through chunk by chunk.  It only
looks at the API's own paths; the Gradio page mounted at ``/`` is left alone.  The body limit is
enforced while the body is read — a declared ``Content-Length`` over the limit is refused before any
byte is read, a chunked body as soon as it passes the limit — so an oversize request never reaches
JSON parsing.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.api.context import new_request_id, reset_request_id, set_request_id
from bot.api.errors import ApiProblem, error_response
from bot.api.metrics import ApiMetrics

log = logging.getLogger("bot.api.access")

API_PATHS = ("/v1/", "/v1", "/healthz", "/readyz", "/metrics")


def _header(scope: Scope, name: bytes) -> str | None:
    for k, v in scope.get("headers", []):
        if k == name:
            return v.decode("latin-1")
    return None


class ApiMiddleware:
    def __init__(self, app: ASGIApp, metrics: ApiMetrics, max_body: int, enabled: Callable[[], bool]) -> None:
        self.app = app
        self.metrics = metrics
        self.max_body = max_body
        self.enabled = enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith(API_PATHS):
            await self.app(scope, receive, send)
            return
        rid = new_request_id(_header(scope, b"x-request-id"))
        token = set_request_id(rid)
        started = time.perf_counter()
        status = {"code": 500}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode())]
            await send(message)

        try:
            if path.startswith("/v1") and scope.get("method") in ("POST", "PUT", "PATCH") and self.enabled():
                body = await self._read_limited(scope, receive)
                if body is None:
                    problem = ApiProblem(413, "payload_too_large", f"请求体超过 {self.max_body} 字节的上限。")
                    await error_response(path, problem)(scope, receive, send_with_id)
                    return
                receive = _replay(body, receive)
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            self.metrics.observe(route, scope.get("method", ""), status["code"], seconds)
            caller = (scope.get("state") or {}).get("caller")
            log.info("%s %s %s %.0f ms", scope.get("method"), route, status["code"], seconds * 1000,
                     extra={"http_status": status["code"], "route": route, "duration_ms": round(seconds * 1000, 1),
                            "key_id": getattr(caller, "key_id", None)})
            reset_request_id(token)

    async def _read_limited(self, scope: Scope, receive: Receive) -> bytes | None:
        """The whole body, or None once it is known to exceed the limit."""
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body:
            return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def _replay(body: bytes, original: Receive) -> Receive:
    """The body already read, then the client's own messages (a streamed answer waits for its disconnect)."""
    sent = {"done": False}

    async def receive() -> Message:
        if not sent["done"]:
            sent["done"] = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await original()

    return receive
