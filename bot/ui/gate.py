"""What reaches the apps' routes at all: an ASGI layer in front of Gradio's own routes.

Gradio serves ``/gradio_api/upload`` (files into its temp folder), ``/process_recording``,
``/component_server`` (multipart bodies) and others on every app, whether or not the page has a
file input, and only a login (``auth=``) closes them.  The public app has no login and no use for
any of them, so :class:`PublicGate` lets through what reading needs — pages, assets, ``GET`` routes
and the event routes (``queue/join``, ``call``/``run``/``api`` by name, ``cancel``, ``reset``) with a
small JSON body — and answers everything else with 403 before Gradio reads a byte of the body.

Both apps also note the client's address for the request (:func:`client_address`): Gradio calls an
``auth`` function with the username and password only, and the login brake needs to know who is
knocking (:class:`bot.service.access.AdminGuard`).
"""
from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from contextvars import ContextVar
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY_BYTES = 256 * 1024
"""Largest request body the public app reads: a question (≤ 2,000 characters) and a few filters are
a few KB of JSON; nothing the public app does needs more."""

# POST routes the public page and API clients use (after Gradio's ``/gradio_api`` prefix).
PUBLIC_POSTS = re.compile(r"/gradio_api/(queue/join|call/(v2/)?[\w-]+|run/[\w-]+|api/[\w-]+|cancel|reset)/?")
READ_METHODS = {"GET", "HEAD", "OPTIONS"}

_client: ContextVar[str] = ContextVar("client_address", default="")


def client_address() -> str:
    """The address of the client whose request is being served ("" outside a request)."""
    return _client.get()


async def _refuse(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message}, ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class ClientAddress:
    """Notes the peer address of each HTTP request for :func:`client_address` (no proxy header is
    trusted: a header is whatever the client says)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client") or ("", 0)
        token = _client.set(str(client[0]))
        try:
            await self.app(scope, receive, send)
        finally:
            _client.reset(token)


class PublicGate(ClientAddress):
    """The public app's gate: read-only routes and the named events; no file, no large body."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES) -> None:
        super().__init__(app)
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        method = scope.get("method", "GET")
        path = scope.get("path", "")
        root = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root):]
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        if method not in READ_METHODS and not PUBLIC_POSTS.fullmatch(path):
            await _refuse(send, 403, "公开页面只供查询，不接受上传或修改。")
            return
        if headers.get(b"content-type", b"").lower().startswith(b"multipart/"):
            await _refuse(send, 403, "公开页面不接受文件。")
            return
        try:
            declared = int(headers.get(b"content-length", b"0") or 0)
        except ValueError:
            declared = self.max_body + 1
        if declared > self.max_body:
            await _refuse(send, 413, "请求内容过大。")
            return
        await super().__call__(scope, self._bounded(receive), send)

    def _bounded(self, receive: Receive) -> Receive:
        """A chunked body without a length is counted as it arrives and cut off past the cap."""
        seen = 0

        async def bounded() -> Message:
            nonlocal seen
            message = await receive()
            if message.get("type") == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    return {"type": "http.disconnect"}
            return message

        return bounded


def public_app_kwargs() -> dict[str, Any]:
    """``launch(app_kwargs=…)`` of the public app: the gate is the outermost layer of its routes, then
    every page in Chinese (:mod:`bot.ui.locale`)."""
    from starlette.middleware import Middleware

    from bot.ui.locale import ChineseLocale

    return {"middleware": [Middleware(PublicGate), Middleware(ChineseLocale)]}


def admin_app_kwargs() -> dict[str, Any]:
    """``launch(app_kwargs=…)`` of the admin app: its login needs the client's address; its pages
    (the login page too) are in Chinese."""
    from starlette.middleware import Middleware

    from bot.ui.locale import ChineseLocale

    return {"middleware": [Middleware(ClientAddress), Middleware(ChineseLocale)]}


def login_with_address(login: Callable[..., bool]) -> Callable[[str, str], bool]:
    """Gradio's ``auth=`` callable: ``login(username, password, client=<the request's address>)``."""

    def auth(username: str, password: str) -> bool:
        return login(username, password, client=client_address())

    return auth
