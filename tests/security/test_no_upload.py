"""The public app takes no file and no write: every POST route Gradio defines is refused unless it is
one of the named events reading needs, before any body is read (issue 25, item 1).

The route list comes from Gradio itself (an app built in-process, never served), so a route a new
Gradio version adds is tested too; the requests go to the real app over loopback.
"""
from __future__ import annotations

import os
import re
import time
import urllib.error
import uuid
from pathlib import Path

import pytest

from tests.security.http import request
from tests.ui_fixtures import gradio_temp_dir, ui_data_dir, ui_server  # noqa: F401

pytestmark = pytest.mark.integration

MIB = 1024 * 1024


def _multipart(name: str, payload: bytes) -> tuple[bytes, dict[str, str]]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + payload + f"\r\n--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def _files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else set()


def gradio_post_routes() -> list[str]:
    """Every POST route of a Gradio app (``{param}`` filled with ``x``), as this Gradio version defines them."""
    import gradio as gr
    from gradio.routes import App

    with gr.Blocks() as blocks:
        gr.Textbox()
    def walk(routes: list) -> list:  # FastAPI keeps an included router's routes inside it
        out = []
        for r in routes:
            inner = getattr(r, "original_router", None)
            out.extend(walk(inner.routes) if inner is not None else [r])
        return out

    app = App.create_app(blocks)
    return sorted({re.sub(r"\{[^}]+\}", "x", r.path) for r in walk(app.routes)
                   if "POST" in (getattr(r, "methods", None) or set())})


def test_upload_route_refuses_files_and_writes_nothing(ui_server: str, ui_data_dir: Path) -> None:
    temp = gradio_temp_dir(ui_data_dir, ui_server)
    before = _files_under(temp)
    body, headers = _multipart("small.bin", b"\0" * 4096)
    for path in ("gradio_api/upload", "gradio_api/upload?upload_id=abc", "gradio_api/process_recording",
                 "gradio_api/component_server"):
        status, _ = request(ui_server + path, body, method="POST", headers=headers)
        assert status == 403, (path, status)
    # a file smuggled into an allowed route is refused as well (multipart is never read)
    status, _ = request(ui_server + "gradio_api/queue/join", body, method="POST", headers=headers)
    assert status == 403, status
    # a 19 MiB file (the probe's size): refused before its body is read — the server answers 403 and
    # closes, so the sender may see the connection reset instead of the answer
    big, headers = _multipart("big.bin", b"\0" * (19 * MIB))
    try:
        status, _ = request(ui_server + "gradio_api/upload", big, method="POST", headers=headers)
    except urllib.error.URLError:
        status = 403
    assert status == 403, status
    assert _files_under(temp) == before, "nothing written to Gradio's temp folder"


def test_every_write_capable_route_refuses_without_credentials(ui_server: str) -> None:
    allowed = re.compile(r"/gradio_api/(queue/join|call/x|call/v2/x|run/x|api/x|cancel|reset)/?")
    routes = gradio_post_routes()
    assert "/gradio_api/upload" in routes and len(routes) > 10, routes
    checked = []
    for path in routes:
        if allowed.fullmatch(path):
            continue
        status, _ = request(ui_server + path.lstrip("/"), {"data": []}, method="POST")
        assert status == 403, (path, status)
        checked.append(path)
    for method in ("PUT", "DELETE", "PATCH"):
        status, _ = request(ui_server + "gradio_api/upload", b"x", method=method)
        assert status == 403, (method, status)
    assert {"/gradio_api/upload", "/gradio_api/process_recording", "/login"} <= set(checked)


def test_a_large_body_is_refused_before_it_is_read(ui_server: str) -> None:
    import http.client
    from urllib.parse import urlsplit

    # only the headers are sent: the answer comes without the server waiting for 4 MiB of body
    url = urlsplit(ui_server)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    conn.putrequest("POST", "/gradio_api/queue/join")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", str(4 * MIB))
    conn.endheaders()
    assert conn.getresponse().status == 413
    conn.close()


def test_reading_still_works_through_the_gate(ui_server: str) -> None:
    from gradio_client import Client

    client = Client(ui_server, verbose=False, download_files=False)
    _, rows = client.predict("计量", False, "", api_name="/lookup")
    assert rows
    status = client.predict("up", "", api_name="/feedback")
    assert "请先提问" in status


@pytest.mark.parametrize("age,kept", [(600.0, False), (3600.0, True)])
def test_sweep_deletes_what_a_stopped_app_left(tmp_path: Path, age: float, kept: bool) -> None:
    from bot.ui.tempfiles import sweep

    old = tmp_path / "gradio" / "abc123" / "upload.bin"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"x" * 1024)
    hour_ago = time.time() - 1800
    os.utime(old, (hour_ago, hour_ago))
    fresh = tmp_path / "gradio" / "fresh.md"
    fresh.write_text("new", encoding="utf-8")
    sweep(tmp_path / "gradio", age=age)
    assert fresh.exists()
    assert old.exists() == kept
    assert old.parent.exists() == kept, "an emptied upload folder goes too"
