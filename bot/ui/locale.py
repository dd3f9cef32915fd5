"""Every page in Chinese, whatever the browser's language: Gradio's built-in strings (the admin login
page's "Login", "Incorrect Credentials", upload and clear buttons) follow ``navigator.language``.

An ASGI middleware (passed to both apps through ``launch(app_kwargs=…)``) puts a one-line script at
the top of every HTML page that reports ``zh-CN`` as the browser's language before Gradio reads it;
Gradio's own zh-CN strings do the rest ("登录", "用户名", "密码", "凭据不正确").
"""
from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOCALE = "zh-CN"
LOCALE_SCRIPT = (
    "<script>(function(){try{var l=['" + LOCALE + "','zh'];"
    "Object.defineProperty(navigator,'language',{get:function(){return l[0];}});"
    "Object.defineProperty(navigator,'languages',{get:function(){return l;}});}catch(e){}})();</script>"
).encode()


class ChineseLocale:
    """Insert :data:`LOCALE_SCRIPT` right after ``<head>`` of HTML responses (others pass untouched)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        body: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                sent = dict(message.get("headers") or [])
                if b"text/html" not in sent.get(b"content-type", b""):
                    await send(message)
                    start = {"passthrough": True}
                    return
                start = message
                return
            if start is None or start.get("passthrough"):
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            html = b"".join(body).replace(b"<head>", b"<head>" + LOCALE_SCRIPT, 1)
            headers: list[tuple[bytes, bytes]] = [(k, v) for k, v in start.get("headers", [])
                                                  if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(html)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": html})

        await self.app(scope, receive, capture)



