"""Nothing a sender controls grows a log without a bound (issue 25, item 2), driven over HTTP against
an app process of its own with small limits: ``POLICYBOT_LOG_RATE=5`` records per client per minute,
``POLICYBOT_LOG_MAX_BYTES=256 KiB`` per log.

- a feedback flood (one session, 2,000-character comments) writes at most the rate, each comment cut;
- a flood of refused questions logs at most the rate (every question is still answered);
- 1 MB usernames at the login cost 300 characters each in the audit log;
- with a 200 MB audit log written the old way, the admin's audit and review pages answer in < 1 s;
- a log written past its size rotates: both generations stay under the configured size.
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.security.http import request
from tests.ui_fixtures import OUTPUT_DIR, admin_client, start_app_process, stop_app_process

pytestmark = pytest.mark.integration

RATE = 5
MAX_BYTES = 256 * 1024
MB = 1024 * 1024
REFUSED_QUESTION = "火星移民签证怎么办理？"


@pytest.fixture(scope="module")
def bounded_app(tmp_path_factory, shipped_index) -> Iterator[tuple[str, str, Path]]:
    data = shipped_index.copy_to(tmp_path_factory.mktemp("bounded-app-data"))
    proc, url, admin_url = start_app_process(data, OUTPUT_DIR / "bounded-app.log", extra_env={
        "POLICYBOT_LOG_RATE": str(RATE), "POLICYBOT_LOG_MAX_BYTES": str(MAX_BYTES)})
    try:
        yield url, admin_url, data
    finally:
        stop_app_process(proc)


def _lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def test_feedback_flood_is_rate_limited_and_cut(bounded_app: tuple[str, str, Path]) -> None:
    from gradio_client import Client

    url, _, data = bounded_app
    client = Client(url, verbose=False, download_files=False)
    client.predict(REFUSED_QUESTION, [], [], api_name="/chat")
    answers = [client.predict("down", "意" * 2000, api_name="/feedback") for _ in range(40)]
    recorded = [a for a in answers if "已记录" in a]
    assert len(recorded) == RATE, answers[:8]
    assert all("过于频繁" in a for a in answers[RATE:])
    rows = _lines(data / "feedback.jsonl")
    assert len(rows) == RATE
    assert all(len(r["comment"]) <= 301 for r in rows)
    assert max(len(json.dumps(r, ensure_ascii=False).encode()) for r in rows) < 16 * 1024


def test_refused_question_flood_logs_at_most_the_rate(bounded_app: tuple[str, str, Path]) -> None:
    from gradio_client import Client

    url, _, data = bounded_app
    before = len(_lines(data / "refused.jsonl"))
    client = Client(url, verbose=False, download_files=False)
    long_question = "火星移民签证" * 330  # 1,980 characters: under the question limit, refused
    outs = [client.predict(long_question, [], [], api_name="/chat") for _ in range(RATE + 4)]
    assert all(out[0] for out in outs), "every question is still answered"
    rows = _lines(data / "refused.jsonl")
    assert len(rows) - before <= RATE
    assert all(len(r["question"]) <= 501 for r in rows)


def test_huge_usernames_cost_a_few_hundred_characters(bounded_app: tuple[str, str, Path]) -> None:
    _, admin_url, data = bounded_app
    audit = data / "audit.jsonl"
    size = audit.stat().st_size if audit.exists() else 0
    for _ in range(3):
        status, _ = request(admin_url + "login", b"username=" + b"u" * (MB - 1024) + b"&password=x",
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert status in (400, 401), status
    grown = audit.stat().st_size - size
    assert 0 < grown < 3 * 2048, grown
    assert all(len(r["user"]) <= 301 for r in _lines(audit))


def test_admin_pages_stay_fast_with_a_200_mb_audit_log(bounded_app: tuple[str, str, Path]) -> None:
    _, admin_url, data = bounded_app
    audit = data / "audit.jsonl"
    junk = json.dumps({"time": "2026-01-01T00:00:00+00:00", "user": "u" * MB, "action": "login-failed",
                       "target": "wrong credential", "sha256": None, "result": ""}).encode() + b"\n"
    with audit.open("ab") as fh:  # what 200 failed logins wrote before usernames were cut
        for _ in range(200):
            fh.write(junk)
    assert audit.stat().st_size > 200 * MB
    admin = admin_client(admin_url)
    for api in ("/audit", "/review"):
        started = time.monotonic()
        admin.predict(api_name=api)
        elapsed = time.monotonic() - started
        assert elapsed < 1.0, (api, elapsed)
    # the next record rotates the oversized file: what stays on disk is under the configured size
    admin.predict(api_name="/rebuild")
    assert audit.stat().st_size + audit.with_name("audit.jsonl.1").stat().st_size <= MAX_BYTES
    assert any(r["action"] == "rebuild" for r in _lines(audit))


@pytest.mark.parametrize("records", [2000])
def test_a_log_rotates_within_its_size(tmp_path: Path, records: int) -> None:
    from bot.service.logs import BoundedLog, RateLimiter

    log = BoundedLog(tmp_path / "feedback.jsonl", MAX_BYTES, RateLimiter(RATE))
    for i in range(records):
        assert log.append({"n": i, "comment": "评" * 2000})  # the service's own records: no rate
    total = sum(p.stat().st_size for p in tmp_path.glob("feedback.jsonl*"))
    assert total <= MAX_BYTES
    newest = log.tail(3)
    assert [r["n"] for r in newest] == [records - 1, records - 2, records - 3]
    assert [log.append({"n": 0}, client="10.0.0.1") for _ in range(RATE + 1)][-1] is False
    assert log.append({"n": 0}, client="10.0.0.2"), "another client has its own rate"
