"""Per-request context: the request id (returned in ``X-Request-ID``, put on every log line) and,
optionally, logs as JSON lines (``POLICYBOT_LOG_FORMAT=json``).

The id is taken from the caller's ``X-Request-ID`` when it is a short token (a load balancer's or
the integration platform's own id, so one id follows a request through every hop), else made here.
"""
from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("policybot_request_id", default="")
_CALLER_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


def request_id() -> str:
    """The id of the request being served ("" outside one)."""
    return _request_id.get()


def new_request_id(offered: str | None) -> str:
    return offered if offered and _CALLER_ID.match(offered) else uuid.uuid4().hex


def set_request_id(value: str) -> contextvars.Token[str]:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token[str]) -> None:
    _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Puts ``request_id`` on every record (empty outside a request), for either log format."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id and any ``extra`` fields."""

    _STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id"}

    def format(self, record: logging.LogRecord) -> str:
        row = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
               "level": record.levelname, "logger": record.name, "message": record.getMessage(),
               "request_id": getattr(record, "request_id", "")}
        row.update({k: v for k, v in vars(record).items() if k not in self._STANDARD and not k.startswith("_")
                    and k != "color_message"})  # uvicorn's ANSI-coloured copy of the message
        if record.exc_info:
            row["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(row, ensure_ascii=False, default=str)


def configure_logging(fmt: str) -> None:
    """The process's root logging: text (as before) or JSON lines; both carry the request id."""
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    if fmt.strip().lower() == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
