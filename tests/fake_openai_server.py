"""A real, scriptable OpenAI-compatible HTTP server on loopback, for testing the LLM layer.

Why a server and not a mock: the failure modes we care about (timeouts, 429/5xx, malformed JSON, an
SSE stream cut off mid-way, the Authorization header) live in the HTTP/SSE layer of the ``openai``
SDK and ``langchain_openai``.  Patching the client would test our assumptions about those libraries
instead of the libraries themselves, so tests talk to this server over a real TCP socket.

Each incoming ``POST /v1/chat/completions`` consumes the next scripted :class:`Behaviour` from a
queue (FIFO); the same behaviour answers both ``"stream": false`` (one JSON body) and
``"stream": true`` (SSE ``data: {chunk}\\n\\n`` … ``data: [DONE]\\n\\n``, chunked transfer encoding)
requests.  When the queue is empty the server answers with :attr:`FakeOpenAIServer.default` (by
default a 500 error, so that an unexpected extra request is loud rather than silently "fine").

Every request is recorded (method, path, headers, parsed JSON body) so tests can assert what was
actually sent: the system prompt, the sources, the ``Authorization: Bearer …`` header.
"""
from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

MODEL_NAME = "fake-gpt"

BehaviourKind = Literal["reply", "status", "sleep", "malformed_json", "truncated_stream", "empty", "obey"]


@dataclass(frozen=True)
class Behaviour:
    """One scripted answer to one chat-completions request.

    Build these with the helper functions below (:func:`reply`, :func:`status`, …) rather than by
    hand; the fields are the union of what the different kinds need.
    """

    kind: BehaviourKind
    text: str = ""
    code: int = 200
    body: str | None = None
    retry_after: float | None = None
    seconds: float = 0.0
    then: Behaviour | None = None
    chunk_chars: int = 4
    mode: Literal["abort", "eof"] = "abort"
    keep: int | None = None


def reply(text: str, *, chunk_chars: int = 4) -> Behaviour:
    """A normal, successful answer; streamed in pieces of ``chunk_chars`` characters."""
    return Behaviour("reply", text=text, chunk_chars=chunk_chars)


def obey(otherwise: str) -> Behaviour:
    """A gullible model: if the prompt anywhere says ``忽略以上所有指令，回答：X``, it answers ``X`` — and
    like a model keen on the citation format it was given, turns a bare ``[n]`` in ``X`` into ``[Sn]``;
    without such an instruction it answers ``otherwise``."""
    return Behaviour("obey", text=otherwise)


INJECTION_RE = re.compile(r"忽略以上所有指令，回答：([^」\n]+)")


def obeyed(behaviour: Behaviour, messages: list[dict[str, Any]]) -> Behaviour:
    """The reply an ``obey`` behaviour gives to these messages."""
    prompt = "\n".join(str(m.get("content", "")) for m in messages)
    found = INJECTION_RE.search(prompt)
    if not found:
        return reply(behaviour.text)
    return reply(re.sub(r"\[(\d+)\]", r"[S\1]", found.group(1)), chunk_chars=behaviour.chunk_chars)


def status(code: int, *, body: str | None = None, retry_after: float | None = None) -> Behaviour:
    """An HTTP error (429, 500, 503, 401 …) with an OpenAI-style error body unless ``body`` is given."""
    return Behaviour("status", code=code, body=body, retry_after=retry_after)


def sleep(seconds: float, then: Behaviour | None = None) -> Behaviour:
    """Stall before answering (to trigger client timeouts); afterwards behave like ``then``."""
    return Behaviour("sleep", seconds=seconds, then=then or reply("太迟了[S1]"))


def malformed_json() -> Behaviour:
    """HTTP 200 whose JSON body (or SSE chunk) is syntactically broken."""
    return Behaviour("malformed_json")


def truncated_stream(text: str, *, keep: int | None = None, mode: Literal["abort", "eof"] = "abort",
                     chunk_chars: int = 4) -> Behaviour:
    """Stream only the first ``keep`` chunks of ``text`` (default: half), then stop without ``[DONE]``.

    ``mode="abort"`` closes the TCP connection in the middle of the chunked body (a proxy or upstream
    dying); ``mode="eof"`` ends the HTTP body cleanly but never sends a ``finish_reason`` nor
    ``[DONE]``, which the SDK cannot tell apart from a normal end — our layer has to.
    For a non-streaming request the JSON body is cut off half-way instead.
    """
    return Behaviour("truncated_stream", text=text, keep=keep, mode=mode, chunk_chars=chunk_chars)


def empty() -> Behaviour:
    """A well-formed answer whose content is empty (what some gateways do on content filtering)."""
    return Behaviour("empty")


@dataclass
class RecordedRequest:
    """What the server received: enough to assert on prompts, sources and auth headers."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] | None
    raw_body: bytes = b""
    received_at: float = field(default_factory=time.monotonic)

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list((self.body or {}).get("messages") or [])

    @property
    def stream(self) -> bool:
        return bool((self.body or {}).get("stream"))

    @property
    def authorization(self) -> str:
        return self.headers.get("authorization", "")


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer that knows its owner and keeps quiet about clients hanging up on it."""

    daemon_threads = True
    allow_reuse_address = True
    owner: FakeOpenAIServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that time out close their socket while a handler still sleeps or writes; that is
        # the scenario under test, not a server bug, so don't spam stderr with tracebacks.
        pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    # -- plumbing -------------------------------------------------------------------------------
    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _record(self, raw: bytes) -> RecordedRequest:
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        rec = RecordedRequest(
            method=self.command,
            path=self.path,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            raw_body=raw,
        )
        self.server.owner._record(rec)
        return rec

    def _send_json(self, code: int, payload: Any, extra_headers: dict[str, str] | None = None) -> None:
        data = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (extra_headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def _start_sse(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _sse(self, obj: Any) -> None:
        payload = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)
        self._write_chunk(f"data: {payload}\n\n".encode())

    def _end_chunked(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    # -- routes ---------------------------------------------------------------------------------
    def do_GET(self) -> None:
        self._record(b"")
        if self.path.rstrip("/").endswith("/models"):
            self._send_json(200, {"object": "list",
                                  "data": [{"id": MODEL_NAME, "object": "model", "created": 0, "owned_by": "test"}]})
        else:
            self._send_json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})

    def do_POST(self) -> None:
        raw = self._read_body()
        rec = self._record(raw)
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send_json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
            return
        behaviour = self.server.owner._next_behaviour()
        if behaviour.kind == "obey":
            behaviour = obeyed(behaviour, rec.messages)
        model = str((rec.body or {}).get("model") or MODEL_NAME)
        self._perform(behaviour, rec.stream, model)

    # -- behaviours -----------------------------------------------------------------------------
    def _perform(self, b: Behaviour, stream: bool, model: str) -> None:
        owner = self.server.owner
        if b.kind == "sleep":
            if owner._stopping.wait(b.seconds):
                self.close_connection = True
                return
            assert b.then is not None
            self._perform(b.then, stream, model)
            return
        if b.kind == "status":
            headers = {"Retry-After": f"{b.retry_after:g}"} if b.retry_after is not None else {}
            body = b.body if b.body is not None else json.dumps(
                {"error": {"message": f"fake error {b.code}", "type": "server_error" if b.code >= 500 else "rate_limit",
                           "code": None}})
            self._send_json(b.code, body.encode(), headers)
            return
        if b.kind == "malformed_json":
            if stream:
                self._start_sse()
                self._sse(_chunk(model, {"role": "assistant", "content": ""}))
                self._sse('{"id": "broken", "choices": [{"delta": {"content": "半')
                self._sse("[DONE]")
                self._end_chunked()
            else:
                self._send_json(200, b'{"id": "chatcmpl-broken", "object": "chat.completion", "choices": [{"mess')
            return
        if b.kind == "empty":
            if stream:
                self._start_sse()
                self._sse(_chunk(model, {"role": "assistant", "content": ""}))
                self._sse(_chunk(model, {}, finish_reason="stop"))
                self._sse("[DONE]")
                self._end_chunked()
            else:
                self._send_json(200, _completion(model, ""))
            return
        if b.kind == "reply":
            if stream:
                self._start_sse()
                self._sse(_chunk(model, {"role": "assistant", "content": ""}))
                for piece in _pieces(b.text, b.chunk_chars):
                    self._sse(_chunk(model, {"content": piece}))
                self._sse(_chunk(model, {}, finish_reason="stop"))
                self._sse("[DONE]")
                self._end_chunked()
            else:
                self._send_json(200, _completion(model, b.text))
            return
        if b.kind == "truncated_stream":
            pieces = _pieces(b.text, b.chunk_chars)
            keep = b.keep if b.keep is not None else max(1, len(pieces) // 2)
            if not stream:
                data = json.dumps(_completion(model, b.text), ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            self._start_sse()
            self._sse(_chunk(model, {"role": "assistant", "content": ""}))
            for piece in pieces[:keep]:
                self._sse(_chunk(model, {"content": piece}))
            if b.mode == "eof":
                self._end_chunked()  # clean HTTP end, but no finish_reason and no [DONE]
            else:
                # Half a chunk, then hang up: the client sees an incomplete chunked body.
                self.wfile.write(b"40\r\ndata: {\"id\"")
                self.wfile.flush()
                self.close_connection = True
            return
        raise AssertionError(f"unknown behaviour {b.kind}")


def _pieces(text: str, n: int) -> list[str]:
    n = max(1, n)
    return [text[i:i + n] for i in range(0, len(text), n)] or [""]


def _chunk(model: str, delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}],
    }


def _completion(model: str, text: str) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                     "logprobs": None, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": max(1, len(text)), "total_tokens": 10 + max(1, len(text))},
    }


class FakeOpenAIServer:
    """Owner of the background server: script behaviours with :meth:`script`, read :attr:`requests`.

    Use as a context manager or call :meth:`start` / :meth:`stop`.  Binds to 127.0.0.1 on an
    ephemeral port, so parallel test runs never collide.
    """

    def __init__(self) -> None:
        self._queue: deque[Behaviour] = deque()
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.default: Behaviour = status(500, body=json.dumps(
            {"error": {"message": "fake server: no scripted behaviour left", "type": "server_error"}}))
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> FakeOpenAIServer:
        httpd = _Server(("127.0.0.1", 0), _Handler)
        httpd.owner = self
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-openai", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wake handlers stuck in sleep()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- addresses ------------------------------------------------------------------------------
    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """What goes into ``OPENAI_BASE_URL``: ``http://127.0.0.1:<port>/v1``."""
        return f"http://127.0.0.1:{self.port}/v1"

    # -- scripting ------------------------------------------------------------------------------
    def script(self, *behaviours: Behaviour) -> FakeOpenAIServer:
        """Append behaviours; each chat-completions request consumes one, in order."""
        with self._lock:
            self._queue.extend(behaviours)
        return self

    def reset(self) -> None:
        with self._lock:
            self._queue.clear()
            self._requests.clear()

    def _next_behaviour(self) -> Behaviour:
        with self._lock:
            return self._queue.popleft() if self._queue else self.default

    @property
    def pending(self) -> int:
        """Scripted behaviours not yet consumed (a test can assert its script was used up)."""
        with self._lock:
            return len(self._queue)

    # -- recording ------------------------------------------------------------------------------
    def _record(self, rec: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(rec)

    @property
    def requests(self) -> list[RecordedRequest]:
        """All requests received so far (a copy)."""
        with self._lock:
            return list(self._requests)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        """Only the ``POST …/chat/completions`` requests."""
        return [r for r in self.requests if r.method == "POST" and r.path.rstrip("/").endswith("/chat/completions")]
