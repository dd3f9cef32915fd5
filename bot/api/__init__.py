"""The HTTP API: OpenAI-compatible chat, REST for the hotline desk, and the operations routes.

:func:`create_api` builds one FastAPI app over the one :class:`bot.service.PolicyBot` of the process;
``app.py`` mounts the public Gradio page on the same app at ``/``, so the page and ``/v1`` share a port,
a process and an index.  Modules: :mod:`.models` (the contract), :mod:`.chat` and :mod:`.rest` (routes),
:mod:`.security` (keys, rate), :mod:`.middleware` (request id, body limit, metrics, access log),
:mod:`.slots` (concurrency), :mod:`.errors`, :mod:`.metrics`, :mod:`.ops`, :mod:`.context` (request id, JSON logs),
:mod:`.docs_page`.
Routes are thin: every answer comes from the service, as on the page and in the CLI.
"""
from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse

from bot.api import chat, ops, rest
from bot.api.docs_page import render_docs
from bot.api.errors import ApiProblem, install_error_handlers
from bot.api.metrics import ApiMetrics
from bot.api.middleware import ApiMiddleware
from bot.api.security import Access, RateLimiter
from bot.api.slots import Slots
from bot.service import PolicyBot

__all__ = ["create_api"]

DESCRIPTION = ("质量政策问答 API：OpenAI 兼容的 /v1/chat/completions（流式与非流式），热线检索 /v1/search、"
               "/v1/clauses、/v1/documents。认证：Authorization: Bearer <key>。")


def create_api(bot: PolicyBot) -> FastAPI:
    """The API app (mount the page on it at ``/`` afterwards: routes registered here match first)."""
    app = FastAPI(title="policybot API", version="1", description=DESCRIPTION,
                  openapi_url=None, docs_url=None, redoc_url=None)
    access = Access(bot.api_keys, RateLimiter(bot.settings.api_rate))
    metrics = ApiMetrics(bot)
    install_error_handlers(app)
    app.include_router(ops.build_router(bot, metrics))
    slots = Slots(bot.settings.concurrency)
    app.include_router(chat.build_router(bot, access, slots))
    app.include_router(rest.build_router(bot, access, slots))

    @app.get("/v1/openapi.json", include_in_schema=False)
    def openapi() -> JSONResponse:
        access.require_enabled()
        return JSONResponse(app.openapi())

    @app.get("/v1/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        access.require_enabled()
        return HTMLResponse(render_docs(app.openapi()))

    @app.api_route("/v1/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
    def unknown(rest: str, request: Request) -> None:
        """Anything else under /v1 is answered here in the API's error shape (not by the page mounted at /)."""
        access.require_enabled()
        known = set(app.openapi()["paths"])  # the contract's paths (FastAPI caches the schema)
        if request.url.path in known:
            raise ApiProblem(405, "method_not_allowed", f"{request.method} 不适用于 {request.url.path}。")
        raise ApiProblem(404, "not_found", f"没有这个接口：{request.url.path}（见 /v1/docs）")

    app.add_middleware(ApiMiddleware, metrics=metrics, max_body=bot.settings.api_max_body_bytes, enabled=access.enabled)
    origins = bot.settings.cors_origins()
    if origins:  # none by default: browsers on other sites cannot call the API.  Outermost: a 413 carries it too.
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["GET", "POST", "OPTIONS"],
                           allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
                           expose_headers=["X-Request-ID", "Retry-After"])
    return app
