"""A lone surrogate (what a broken client or a fuzzer sends as ``"\\ud800"`` in JSON) gets an answer,
never a raw Python error, on every public endpoint."""
from __future__ import annotations

import json

import pytest

from tests.security.http import OPENER, request
from tests.ui_fixtures import ui_data_dir, ui_server  # noqa: F401

pytestmark = pytest.mark.integration


def _call(url: str, api: str, data: list) -> tuple[str, list | None]:
    status, body = request(f"{url}gradio_api/call/{api}", {"data": data})  # json.dumps escapes it as \ud800
    assert status == 200, body[:300]
    event_id = json.loads(body)["event_id"]
    event, last = "", None
    with OPENER.open(f"{url}gradio_api/call/{api}/{event_id}", timeout=120) as resp:
        for raw in resp:
            line = raw.decode("utf-8").rstrip("\n")
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:"):
                last = json.loads(line[5:]) if line[5:].strip() not in ("", "null") else None
                if event in ("complete", "error"):
                    break
    return event, last


@pytest.mark.parametrize("api,data", [
    ("lookup", ["\ud800天津实施意见 15", False, "", "", "", "", "", ""]),
    ("lookup", ["质量\udfff认证", True, "\ud800", "", "", "", "\udc00市工商联", ""]),
    ("chat", ["\ud800质量认证有帮扶吗", [], [], []]),
    ("outline", ["\udc00tianjin"]),
])
def test_lone_surrogate_is_answered_not_an_error(ui_server: str, api: str, data: list) -> None:
    event, last = _call(ui_server, api, data)
    assert event == "complete", (api, last)
    assert "Error" not in json.dumps(last, ensure_ascii=False)
