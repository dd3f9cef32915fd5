"""Without ``POLICYBOT_API_KEYS`` the API is absent; keys created in the admin app (gradio_client, logged
in) open it, are stored hashed, show their last use, are revoked there, and every step is audited."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from gradio_client import Client

from tests.ui_fixtures import ADMIN_AUTH, OUTPUT_DIR, start_app_process, stop_app_process

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def app(tmp_path_factory, shipped_index) -> Iterator[tuple[str, str, Path, Path]]:
    data = shipped_index.copy_to(tmp_path_factory.mktemp("api-keys-data"))
    log = OUTPUT_DIR / "api-keys-app.log"
    proc, url, admin_url = start_app_process(data, log)
    yield url, admin_url, data, log
    stop_app_process(proc)


def test_api_absent_without_keys_then_opened_and_closed_by_the_admin(app) -> None:
    url, admin_url, data, log = app
    with httpx.Client(base_url=url, timeout=60, trust_env=False) as http:
        for path in ("/v1/models", "/v1/search?q=质量", "/v1/openapi.json", "/v1/docs"):
            assert http.get(path).status_code == 404, path
        assert http.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "质量"}]}).status_code == 404
        assert http.get("/healthz").status_code == 200 and http.get("/metrics").status_code == 200

        public = Client(url, verbose=False, download_files=False)
        assert not {"/create_api_key", "/revoke_api_key", "/api_keys"} & set(
            public.view_api(return_format="dict", print_info=False)["named_endpoints"])  # admin app only
        admin = Client(admin_url, auth=ADMIN_AUTH, verbose=False, download_files=False)
        status, table, _, name_box = admin.predict("企业微信机器人", api_name="/create_api_key")
        key = re.search(r"`(pb-[A-Za-z0-9_-]{20,})`", status).group(1)
        assert name_box == "" and "只显示这一次" in status
        row = table["data"][0]
        key_id = row[0]
        assert row[1] == "企业微信机器人" and row[3] == ADMIN_AUTH[0] and row[4] == "—" and row[5] == "有效"

        assert http.get("/v1/models").status_code == 401
        assert http.get("/v1/models", headers={"Authorization": f"Bearer {key}"}).status_code == 200
        table, _ = admin.predict(api_name="/api_keys")
        assert table["data"][0][4] != "—"  # last use shown
        assert key not in json.dumps(table, ensure_ascii=False)

        stored = (data / "api_keys.json").read_text(encoding="utf-8")
        assert key not in stored and json.loads(stored)[0]["sha256"] and json.loads(stored)[0]["key_id"] == key_id

        status, table, _ = admin.predict(key_id, api_name="/revoke_api_key")
        assert "已吊销" in status and table["data"][0][5].startswith("已吊销")
        assert http.get("/v1/models", headers={"Authorization": f"Bearer {key}"}).status_code == 404  # no key left

    audit = [json.loads(line) for line in (data / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    actions = [(a["action"], a["user"]) for a in audit if a["action"].startswith("api-key")]
    assert actions == [("api-key-create", ADMIN_AUTH[0]), ("api-key-revoke", ADMIN_AUTH[0])]
    assert key not in (data / "audit.jsonl").read_text(encoding="utf-8") and key not in log.read_text(encoding="utf-8")


def test_key_management_needs_the_admin_login(app) -> None:
    _, admin_url, _, _ = app
    with pytest.raises(Exception):  # noqa: B017  (gradio_client's login error type varies by version)
        Client(admin_url, auth=("admin", "wrong-password"), verbose=False, download_files=False)
