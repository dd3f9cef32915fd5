"""The admin sets and clears a document's status over the admin app's API (a real app process over a copy
of the shipped index, ``POLICYBOT_TODAY`` pinned); the public app's documents table and lookup show it."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import ShippedIndex
from tests.ui_fixtures import OUTPUT_DIR, admin_client, start_app_process, stop_app_process

pytestmark = pytest.mark.integration

DOC = "wenzhou-ouhai-2023-quality-enterprises-action"


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory, shipped_index: ShippedIndex) -> Iterator[tuple[str, str]]:
    data = shipped_index.copy_to(tmp_path_factory.mktemp("lifecycle-admin") / "data")
    proc, url, admin_url = start_app_process(data, OUTPUT_DIR / "lifecycle-admin-app.log",
                                             {"POLICYBOT_TODAY": "2026-12-04"})
    try:
        yield url, admin_url
    finally:
        stop_app_process(proc)


def _status_cell(client, doc_id: str) -> str:
    table = client.predict(api_name="/documents")
    return table["data"][[row[-1] for row in table["data"]].index(doc_id)][table["headers"].index("效力状态")]


def test_admin_sets_and_clears_a_status_over_the_api(apps: tuple[str, str]) -> None:
    from gradio_client import Client

    url, admin_url = apps
    admin = admin_client(admin_url)
    public = Client(url, verbose=False, download_files=False)
    assert _status_cell(public, DOC).startswith("现行有效")
    fields = admin.predict(DOC, api_name="/meta")
    status, *_ = admin.predict(DOC, *fields[:7], "已废止", "2026-06-30", "被区政府决定废止", api_name="/set_meta")
    assert "已保存" in status and "效力状态" in status, status
    assert _status_cell(public, DOC) == "已废止（2026年6月30日） （管理员设置：被区政府决定废止）"
    _, rows = public.predict("瓯海 质量强企", False, "", api_name="/lookup")
    ours = [r for r in rows if r["doc_id"] == DOC]
    assert ours and all(r["status"] == "已废止" for r in ours)
    status, *_ = admin.predict(DOC, *fields[:7], "", "", "", api_name="/set_meta")
    assert "已保存" in status, status
    assert _status_cell(public, DOC).startswith("现行有效")
