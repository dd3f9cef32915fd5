"""The login brake is keyed by client address and username, under a global ceiling (issue 25, item 3).

An app process of its own with a short window (``POLICYBOT_LOGIN_WINDOW=10`` s, 5 failures per
address + username, a ceiling of 30 failures per window from everyone).  Attackers' connections come
from other loopback addresses (127.0.0.2 …: Linux routes all of 127/8 to lo), so the server sees
distinct peers without any trusted header.
"""
from __future__ import annotations

import http.client
import os
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.ui_fixtures import ADMIN_AUTH, OUTPUT_DIR, start_app_process, stop_app_process

pytestmark = pytest.mark.integration

WINDOW = 10.0
CEILING = 30


@pytest.fixture(scope="module")
def brake_app(tmp_path_factory, shipped_index) -> Iterator[str]:
    data = shipped_index.copy_to(tmp_path_factory.mktemp("brake-app-data"))
    # what an earlier, stopped app left in its temp folder (an upload an hour old) and a fresh file
    temp = data.parent / "brake-gradio-tmp"
    (temp / "abc123").mkdir(parents=True)
    stale = temp / "abc123" / "left-behind.bin"
    stale.write_bytes(b"\0" * 4096)
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    (temp / "fresh.md").write_text("new", encoding="utf-8")
    proc, _, admin_url = start_app_process(data, OUTPUT_DIR / "brake-app.log", extra_env={
        "POLICYBOT_LOGIN_WINDOW": str(WINDOW), "POLICYBOT_LOGIN_FAILURES": "5",
        "POLICYBOT_LOGIN_CEILING": str(CEILING), "GRADIO_TEMP_DIR": str(temp)})
    try:
        yield admin_url
    finally:
        stop_app_process(proc)


def test_the_app_sweeps_what_a_stopped_app_left(brake_app: str, tmp_path_factory) -> None:
    temp = Path(tmp_path_factory.getbasetemp()) / "brake-gradio-tmp"
    deadline = time.monotonic() + 10
    while (temp / "abc123").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not (temp / "abc123").exists(), "the stale upload and its folder are gone"
    assert (temp / "fresh.md").exists()


def login(admin_url: str, username: str, password: str, source: str = "127.0.0.1") -> bool:
    """One POST /login from ``source``; True when Gradio accepted the credential."""
    url = urlsplit(admin_url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10, source_address=(source, 0))
    body = f"username={username}&password={password}".encode()
    conn.request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded"})
    status = conn.getresponse().status
    conn.close()
    assert status in (200, 400), status
    return status == 200


def test_a_slow_trickle_never_locks_the_admin_out(brake_app: str) -> None:
    attacker = "127.0.0.2"
    admin_ok, attacker_refused_right_password = [], None
    started = time.monotonic()
    n = 0
    while time.monotonic() - started < 1.5 * WINDOW:  # one wrong login every 0.5 s (2/s), 15 s long
        assert not login(brake_app, "admin", f"guess-{n}", attacker)
        if n % 3 == 2:
            admin_ok.append(login(brake_app, *ADMIN_AUTH))
        if n == 8:  # past 5 failures: the attacker's own pair is braked, even with the right password
            attacker_refused_right_password = not login(brake_app, *ADMIN_AUTH, source=attacker)
        n += 1
        time.sleep(0.5)
    assert all(admin_ok) and len(admin_ok) >= 8, admin_ok
    assert attacker_refused_right_password


def test_the_global_ceiling_stops_a_distributed_guess(brake_app: str) -> None:
    time.sleep(WINDOW + 0.5)  # the previous test's failures expire
    for n in range(CEILING):
        assert not login(brake_app, "admin", "wrong", f"127.0.1.{n + 1}")
    assert not login(brake_app, *ADMIN_AUTH), "past the ceiling every login waits"
    time.sleep(WINDOW + 0.5)
    assert login(brake_app, *ADMIN_AUTH), "and the window passes"
