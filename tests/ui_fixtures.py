"""Shared fixtures for the UI tests: one real app process per test session.

Import them explicitly into a test module::

    from tests.ui_fixtures import ui_data_dir, ui_server  # noqa: F401

``ui_data_dir`` is a temporary ``POLICYBOT_DATA_DIR`` holding a copy of the session index of the
shipped corpus (``shipped_index`` in ``tests/conftest.py``: built once, so the app embeds nothing);
``ui_server`` starts ``python app.py`` on a free loopback port against it (extractive mode: no LLM
endpoint in its environment) and yields the base URL; the same process serves the admin app
(``admin_server``: its URL; log in with :data:`ADMIN_AUTH`, e.g. ``admin_client``).  The app writes (uploads, feedback) only to
its own copy, never to the index the in-process tests use.

A fixture imported into two modules is registered twice by pytest (once per module), so the
session-scoped fixtures below share one index and one app process through module-level state
(reference-counted; the app stops when the last user is finalised).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.conftest import ShippedIndex

REPO = Path(__file__).resolve().parent.parent
OUTPUT_DIR = REPO / "test-output"
SCREENSHOT_DIR = OUTPUT_DIR / "screenshots"
START_TIMEOUT = 180.0  # Gradio start-up (the index is copied, not built); generous for a loaded machine

# Variables that would point the app at something other than a private, extractive test instance.
ADMIN_AUTH = ("admin", "test-admin-pw-7Hq2")

_DROP_ENV = ("POLICYBOT_ADMIN_PASSWORD", "POLICYBOT_ADMIN_USER", "POLICYBOT_ADMIN_PORT", "POLICYBOT_ADMIN_HOST",
             "OPENAI_API_KEY", "OPENAI_BASE_URL", "POLICYBOT_LLM_MODEL", "CHROMA_HOST", "CHROMA_PORT",
             "CHROMA_SSL", "CHROMA_AUTH_TOKEN", "POLICYBOT_CORPUS_DIR", "POLICYBOT_HOST", "POLICYBOT_PORT",
             "POLICYBOT_COLLECTION")


def app_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROP_ENV}
    env.update({
        "POLICYBOT_DATA_DIR": str(data_dir),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")])),
        "GRADIO_ANALYTICS_ENABLED": "False",
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_docx(path: Path, title: str, paragraphs: list[str]) -> Path:
    """A small Word file: a title line and one paragraph per clause (``第一条 …``)."""
    import docx

    doc = docx.Document()
    doc.add_paragraph(title)
    for p in paragraphs:
        doc.add_paragraph(p)
    doc.save(str(path))
    return path


def _tail(path: Path, n: int = 40) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-n:])
    except OSError:
        return "(no log)"


_shared: dict[str, object] = {"data_dir": None, "proc": None, "url": None, "admin_url": None, "log": None, "users": 0}


def start_app_process(data_dir: Path, log: Path, extra_env: dict[str, str] | None = None,
                      admin: bool = True) -> tuple[subprocess.Popen, str, str]:
    """``python app.py`` on free loopback ports (public, and admin with :data:`ADMIN_AUTH`); returns the
    process and both URLs once the public page serves."""
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    port, admin_port = free_port(), free_port()
    url, admin_url = f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{admin_port}/"
    env = app_env(data_dir)
    env["GRADIO_TEMP_DIR"] = str(data_dir.parent / f"gradio-tmp-{port}")  # where the app keeps upload copies
    if admin:
        env.update(POLICYBOT_ADMIN_PASSWORD=ADMIN_AUTH[1], POLICYBOT_ADMIN_PORT=str(admin_port))
    env.update(extra_env or {})
    fh = log.open("w", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(REPO / "app.py"), "--host", "127.0.0.1", "--port", str(port)],
                            cwd=REPO, env=env, stdout=fh, stderr=subprocess.STDOUT)
    proc.log_handle = fh  # type: ignore[attr-defined]
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if proc.poll() is not None:
            fh.close()
            pytest.fail(f"app.py exited with {proc.returncode} before serving:\n{_tail(log)}")
        try:
            with opener.open(url, timeout=2) as resp:
                if resp.status == 200:
                    return proc, url, admin_url
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop_app_process(proc)
            pytest.fail(f"app.py did not serve {url} within {START_TIMEOUT:.0f} s:\n{_tail(log)}")
        time.sleep(0.5)


def stop_app_process(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)
    fh = getattr(proc, "log_handle", None)
    if fh is not None:
        fh.close()


def _start_app(data_dir: Path) -> str:
    proc, url, admin_url = start_app_process(data_dir, OUTPUT_DIR / "ui-app.log")
    _shared.update(proc=proc, url=url, admin_url=admin_url)
    return url


def _stop_app() -> None:
    proc = _shared.get("proc")
    if isinstance(proc, subprocess.Popen):
        stop_app_process(proc)
    _shared.update(proc=None, url=None, admin_url=None)


@pytest.fixture(scope="session")
def ui_data_dir(tmp_path_factory: pytest.TempPathFactory, shipped_index: ShippedIndex) -> Path:
    """A data directory with the shipped corpus already indexed (a copy of the session index)."""
    if _shared["data_dir"] is None:
        _shared["data_dir"] = shipped_index.copy_to(tmp_path_factory.mktemp("policybot-ui-data"))
    return _shared["data_dir"]  # type: ignore[return-value]


@pytest.fixture(scope="session")
def ui_server(ui_data_dir: Path) -> Iterator[str]:
    """``python app.py`` on a free port (one per session); yields ``http://127.0.0.1:<port>/``."""
    if _shared["url"] is None:
        _start_app(ui_data_dir)
    _shared["users"] = int(_shared["users"]) + 1  # type: ignore[arg-type]
    try:
        yield _shared["url"]  # type: ignore[misc]
    finally:
        _shared["users"] = int(_shared["users"]) - 1  # type: ignore[arg-type]
        if _shared["users"] == 0:
            _stop_app()


@pytest.fixture(scope="session")
def ui_process(ui_server: str) -> subprocess.Popen:
    """The ``ui_server`` process (its pid for memory measurements; its temp dir in ``gradio_temp_dir``)."""
    return _shared["proc"]  # type: ignore[return-value]


def gradio_temp_dir(data_dir: Path, url: str) -> Path:
    return data_dir.parent / f"gradio-tmp-{url.rstrip('/').rsplit(':', 1)[-1]}"


@pytest.fixture(scope="session")
def admin_server(ui_server: str) -> str:
    """The admin app of the ``ui_server`` process (login :data:`ADMIN_AUTH`)."""
    return _shared["admin_url"]  # type: ignore[return-value]


def admin_client(url: str):
    """A ``gradio_client`` logged in to the admin app."""
    from gradio_client import Client

    return Client(url, auth=ADMIN_AUTH, verbose=False, download_files=False)
