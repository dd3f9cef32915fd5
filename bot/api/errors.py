"""Error bodies: the OpenAI shape for the OpenAI-compatible routes, :class:`~bot.api.models.ApiError` for the rest.

Every failure a route or a check raises is an :class:`ApiProblem`; the handlers here turn it, FastAPI's
validation errors (malformed JSON, wrong types) and any unexpected exception into one of the two
shapes, with the request id.  Messages never repeat what the client sent (a key, a body).
"""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from bot.api.context import request_id
from bot.api.models import ApiError, OpenAIError, OpenAIErrorBody

log = logging.getLogger("bot.api")

OPENAI_PATHS = ("/v1/chat/", "/v1/models")
OPENAI_TYPES = {400: "invalid_request_error", 401: "authentication_error", 404: "not_found_error", 405: "invalid_request_error",
                413: "invalid_request_error", 429: "rate_limit_error", 503: "server_error", 500: "server_error"}


class ApiProblem(Exception):
    """A request the API answers with an error: HTTP status, machine code, message for the integrator."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None,
                 param: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers, self.param = status, code, message, headers or {}, param


def error_response(path: str, problem: ApiProblem) -> JSONResponse:
    if path.startswith(OPENAI_PATHS):
        body = OpenAIError(error=OpenAIErrorBody(message=problem.message, type=OPENAI_TYPES.get(problem.status, "error"),
                                                 param=problem.param, code=problem.code)).model_dump()
    else:
        body = ApiError(code=problem.code, message=problem.message, request_id=request_id()).model_dump()
    return JSONResponse(body, status_code=problem.status, headers=problem.headers)


def _validation_message(exc: RequestValidationError) -> tuple[str, str | None]:
    errors = exc.errors()
    first = errors[0] if errors else {}
    if first.get("type") == "json_invalid":
        return "请求体不是合法的 JSON（malformed JSON body）。", None
    loc = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
    return f"请求参数无效：{loc or '请求体'}：{first.get('msg', 'invalid')}", loc or None


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiProblem)
    async def _problem(request: Request, exc: ApiProblem) -> JSONResponse:
        return error_response(request.url.path, exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        message, param = _validation_message(exc)
        return error_response(request.url.path, ApiProblem(400, "bad_request", message, param=param))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error in %s", request.url.path)
        return error_response(request.url.path, ApiProblem(500, "internal_error", "服务器内部错误，请稍后再试。"))
