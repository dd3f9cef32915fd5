"""Reading is public, writing needs the admin credential — checked by the server on every route.

The public app has no write endpoint at all; the admin app (same process, own port) refuses every
route without a login, and each write handler checks the authenticated user again in the service.
"""
from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

gradio_client = pytest.importorskip("gradio_client")
from gradio_client import Client, handle_file  # noqa: E402

from tests.security.http import api_names, request  # noqa: E402
from tests.ui_fixtures import ADMIN_AUTH, admin_client, admin_server, ui_data_dir, ui_server  # noqa: E402,F401

pytestmark = pytest.mark.integration

WRITES = {"upload", "remove", "rebuild", "restore", "set_meta", "preview", "review", "export_refused"}


def test_public_app_has_no_write_endpoint(ui_server: str) -> None:
    names = api_names(ui_server)
    assert {"chat", "lookup"} <= names
    assert not names & WRITES, names
    for name in WRITES:  # nothing to call by name, in either API style
        status, _ = request(f"{ui_server}gradio_api/call/{name}", {"data": ["x"]})
        assert status >= 400, (name, status)
    config = json.loads(request(ui_server + "config")[1])
    assert not [c for c in config["components"] if c.get("type") == "file"], "no file input on the public page"


def test_admin_app_refuses_every_route_without_login(admin_server: str) -> None:
    for method, path, data in [("GET", "config", None), ("GET", "gradio_api/info", None),
                               ("POST", "gradio_api/call/upload", {"data": [[], False]}),
                               ("POST", "gradio_api/call/remove", {"data": ["tianjin-2022-qi-private-enterprises"]}),
                               ("POST", "gradio_api/call/rebuild", {"data": []}),
                               ("POST", "gradio_api/call/restore", {"data": ["x"]}),
                               ("POST", "gradio_api/call/set_meta", {"data": ["x", "", "", "", "", "", "", ""]}),
                               ("POST", "gradio_api/call/review", {"data": []}),
                               ("POST", "gradio_api/queue/join", {"data": ["x"], "fn_index": 0, "session_hash": "abc"}),
                               ("POST", "gradio_api/upload", b"")]:
        status, _ = request(admin_server + path, data, method=method)
        assert status == 401, (path, status)
    with pytest.raises(Exception):  # noqa: B017 - gradio_client raises a plain ValueError/HTTP error
        Client(admin_server, verbose=False, download_files=False)


def test_wrong_password_is_refused(admin_server: str) -> None:
    status, body = request(admin_server + "login", b"username=admin&password=wrong-guess",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400 and b"Incorrect credentials" in body, (status, body[:200])
    with pytest.raises(Exception):  # noqa: B017
        Client(admin_server, auth=("admin", "another-wrong-guess"), verbose=False, download_files=False)


def test_admin_writes_work_and_are_audited(admin_server: str, ui_server: str, ui_data_dir: Path,
                                           tmp_path: Path) -> None:
    import hashlib

    tag = uuid.uuid4().hex[:6]
    phrase = f"审计{tag}测试条款"
    path = tmp_path / f"audit-{tag}.txt"
    path.write_text(f"测试市审计办法\n第一条 {phrase}由市场监管部门负责。\n第二条 其他事项另行规定。\n", encoding="utf-8")
    admin = admin_client(admin_server)
    out = admin.predict([handle_file(str(path))], False, api_name="/upload")
    assert out[0]["data"][0][1] == "新增", out[0]["data"]
    public = Client(ui_server, verbose=False, download_files=False)
    _, rows = public.predict(phrase, True, "", api_name="/lookup")
    assert rows and rows[0]["doc_id"] == path.stem
    status, *_ = admin.predict(path.stem, api_name="/remove")
    assert "已删除" in status
    _, rows = public.predict(phrase, True, "", api_name="/lookup")
    assert not any(r["doc_id"] == path.stem for r in rows)

    log = [json.loads(line) for line in (ui_data_dir / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    upload = next(r for r in log if r["action"] == "upload" and r["target"] == path.name)
    assert upload["user"] == ADMIN_AUTH[0] and upload["result"] == "added"
    assert upload["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert upload["time"].startswith("20")
    assert any(r["action"] == "remove" and r["target"] == path.stem and r["result"] == "removed" for r in log)
    assert any(r["action"] == "login-failed" for r in log)  # the wrong-password test above, or any other


def test_rebuild_endpoint_keeps_the_current_collection(admin_server: str) -> None:
    admin = admin_client(admin_server)
    before = {row[-1]: row[-2] for row in admin.predict(api_name="/documents")["data"]}
    status, *_ = admin.predict(api_name="/rebuild")
    assert "重建完成" in status, status
    after = {row[-1]: row[-2] for row in admin.predict(api_name="/documents")["data"]}
    assert after == before


# ----- the service's own checks (no app) ----------------------------------------------------------
@pytest.mark.parametrize("password", [None, ""])
def test_no_password_configured_refuses_every_login_and_write(tmp_path: Path, password) -> None:
    from bot.service.access import AdminGuard, AuditLog
    from bot.service.admin import AdminActions, NotAllowed
    from bot.settings import Settings

    settings = Settings(POLICYBOT_DATA_DIR=str(tmp_path), POLICYBOT_ADMIN_PASSWORD=password)
    audit = AuditLog(settings.audit_log)
    guard = AdminGuard(settings, audit)
    assert not settings.admin_enabled
    assert not guard.login("admin", "") and not guard.login("admin", "anything")
    actions = AdminActions(library=None, jobs=None, guard=guard, audit=audit, api_keys=None)  # type: ignore[arg-type]
    for call in (lambda: actions.upload("admin", "x.txt", tmp_path / "x.txt"), lambda: actions.remove("admin", "d"),
                 lambda: actions.rebuild("admin"), lambda: actions.remove(None, "d")):
        with pytest.raises(NotAllowed):
            call()
    assert {r["action"] for r in audit.entries()} >= {"login-failed", "upload", "remove", "rebuild"}


def test_failed_logins_are_rate_limited(tmp_path: Path) -> None:
    from bot.service.access import AdminGuard
    from bot.settings import Settings

    settings = Settings(POLICYBOT_DATA_DIR=str(tmp_path), POLICYBOT_ADMIN_PASSWORD="right-one")
    guard = AdminGuard(settings, max_failures=3, window=60.0, global_failures=10)
    assert guard.login("admin", "right-one", client="10.0.0.1")
    for guess in ("a", "b", "c"):
        assert not guard.login("admin", guess, client="10.0.0.9")
    assert guard.locked("10.0.0.9", "admin")
    assert not guard.login("admin", "right-one", client="10.0.0.9"), "locked: even the right password waits"
    assert guard.login("admin", "right-one", client="10.0.0.1"), "another address is not locked out"
    for n in range(7):  # many addresses together reach the global ceiling
        assert not guard.login("admin", "wrong", client=f"10.0.1.{n}")
    assert guard.locked("10.0.0.1", "admin") and not guard.login("admin", "right-one", client="10.0.0.1")
    assert not guard.allows(None) and not guard.allows("someone") and guard.allows("admin")
