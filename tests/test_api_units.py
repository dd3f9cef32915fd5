"""The API's pure parts: the rate limiter, the key store, stream assembly, JSON log lines, partial answers."""
from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

import pytest

from bot.answer.schemas import Answer
from bot.api.chat import stream_events
from bot.api.context import JsonFormatter, RequestIdFilter, new_request_id, reset_request_id, set_request_id
from bot.api.models import AnswerInfo
from bot.api.security import RateLimiter
from bot.service.access import AuditLog
from bot.service.apikeys import ApiKeys, key_hash

pytestmark = pytest.mark.unit


def test_rate_limiter_allows_the_rate_then_says_when() -> None:
    rl = RateLimiter(60)  # one per second, bursts of 60
    assert all(rl.take("a", now=100.0) == 0 for _ in range(60))
    wait = rl.take("a", now=100.0)
    assert 0.9 < wait <= 1.0
    assert rl.take("b", now=100.0) == 0  # per key
    assert rl.take("a", now=101.01) == 0 and rl.take("a", now=101.01) > 0
    assert RateLimiter(0).take("a") == 0  # 0: no limit


def test_keys_are_stored_hashed_verified_revoked_and_audited(tmp_path: Path) -> None:
    audit = AuditLog(tmp_path / "audit.jsonl")
    keys = ApiKeys(["env-secret-1"], tmp_path / "api_keys.json", audit)
    assert keys.enabled and keys.verify("env-secret-1").key_id == "env-1"
    assert keys.verify("env-secret-2") is None and keys.verify("") is None and keys.verify(None) is None
    record, key = keys.create("  钉钉  机器人 ", "admin")
    assert record.name == "钉钉 机器人" and key.startswith("pb-") and len(key) > 40
    stored = (tmp_path / "api_keys.json").read_text(encoding="utf-8")
    assert key not in stored and key_hash(key) in stored
    assert oct(os.stat(tmp_path / "api_keys.json").st_mode & 0o777) == "0o600"
    caller = keys.verify(key)
    assert caller is not None and caller.key_id == record.key_id and caller.name == "钉钉 机器人"
    assert keys.records()[0].last_used  # written on first use
    other = ApiKeys([], tmp_path / "api_keys.json", audit)  # another process, same data directory
    assert other.enabled and other.verify(key) is not None
    assert keys.revoke(record.key_id, "admin") and not keys.revoke(record.key_id, "admin")
    time.sleep(0.01)
    assert other.verify(key) is None and not other.enabled  # re-read: the revocation reaches it
    with pytest.raises(ValueError):
        keys.create("   ", "admin")
    rows = audit.entries()
    assert [(r["action"], r["result"]) for r in rows] == [("api-key-create", "ok"), ("api-key-revoke", "ok"),
                                                          ("api-key-revoke", "not found")]
    assert key not in (tmp_path / "audit.jsonl").read_text(encoding="utf-8")


def test_no_keys_no_api(tmp_path: Path) -> None:
    assert not ApiKeys([], tmp_path / "api_keys.json", AuditLog(tmp_path / "a.jsonl")).enabled


def _events(answers: list[Answer]) -> list[dict]:
    lines = list(stream_events(iter(answers[1:]), answers[0], "http://x/"))
    assert lines[-1] == "data: [DONE]\n\n"
    return [json.loads(line[6:]) for line in lines[:-1]]


def test_stream_sends_appended_text_and_flags_a_replaced_answer() -> None:
    grown = [Answer(question="q", answer="甲", done=False), Answer(question="q", answer="甲乙", done=False),
             Answer(question="q", answer="甲乙丙", mode="llm")]
    ev = _events(grown)
    assert [e["choices"][0]["delta"].get("content") for e in ev] == ["", "甲", "乙", "丙", None]
    assert ev[-1]["choices"][0]["finish_reason"] == "stop" and ev[-1]["policybot"]["content"] is None
    assert all("policybot" not in e for e in ev[:-1])
    replaced = [Answer(question="q", answer="甲[S1]", done=False), Answer(question="q", answer="甲[1]", mode="llm")]
    ev = _events(replaced)
    assert "".join(e["choices"][0]["delta"].get("content") or "" for e in ev) == "甲[S1]"
    assert ev[-1]["policybot"]["content"] == "甲[1]"


def test_partial_answers_reach_the_api_record() -> None:
    """"Partial" is the answer's own outcome (the documents address the subject, not the fact asked),
    carried as it is: a cut or re-marked answer is not partial by that alone."""
    partial = Answer(question="q", answer="已收录文件未写明网址，相关规定如下：…", partial=True)
    assert AnswerInfo.from_answer(partial, "http://x").partial
    assert not AnswerInfo.from_answer(Answer(question="q", answer="a", invalid_markers=["[S9]"]), "http://x").partial


def test_request_ids_and_json_log_lines() -> None:
    assert new_request_id("lb-0001-abcdef") == "lb-0001-abcdef"
    for offered in (None, "short", "bad id with spaces!", "x" * 65):
        assert len(new_request_id(offered)) == 32
    record = logging.LogRecord("bot.api.access", logging.INFO, __file__, 1, "GET %s %s", ("/v1/models", 200), None)
    record.key_id = "env-1"
    token = set_request_id("req-123456789")
    try:
        RequestIdFilter().filter(record)
    finally:
        reset_request_id(token)
    row = json.loads(JsonFormatter().format(record))
    assert row["message"] == "GET /v1/models 200" and row["request_id"] == "req-123456789" and row["key_id"] == "env-1"
    assert row["level"] == "INFO" and row["logger"] == "bot.api.access"
