"""Equal titles told apart, times shown with their zone, the audit row of an upload naming its id."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from bot.retrieval import SearchFilters
from bot.service import PolicyBot
from bot.service.clock import shown, stamp
from bot.service.review import refused_rows
from bot.ui.render_admin import audit_rows
from bot.ui.render_lookup import doc_choices
from tests.conftest import make_settings

DOC = "示例县质量奖励办法\n第一条 为鼓励企业提升质量，制定本办法。\n第二条 获得县质量奖的企业奖励十万元。\n"
DOC_V2 = "示例县质量奖励办法\n第一条 为鼓励企业提升质量，制定本办法。\n第二条 获得县质量奖的企业奖励二十万元。\n"


@pytest.fixture
def twins(tmp_path: Path) -> PolicyBot:
    """One upload, then a different file of the same name (kept apart as ``county-award-2``)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    bot = PolicyBot(make_settings(tmp_path / "data", POLICYBOT_CORPUS_DIR=str(corpus), POLICYBOT_ADMIN_PASSWORD="pw",
                                  POLICYBOT_TIMEZONE="Asia/Shanghai"))
    bot.library.ensure_index(progress=False)
    for n, text in enumerate((DOC, DOC_V2)):
        path = tmp_path / f"v{n}" / "county-award.txt"
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
        job = bot.admin_actions.upload("admin", path.name, path)
        assert job.finished.wait(120) and job.result is not None and job.result.status == "added", job.result
    bot.retriever.refresh_if_changed(0)
    return bot


@pytest.mark.integration
def test_documents_with_equal_titles_are_told_apart(twins: PolicyBot) -> None:
    labels = {v: k for k, v in doc_choices(twins.library.documents())}
    assert set(labels) == {"county-award", "county-award-2"}
    assert labels["county-award"] != labels["county-award-2"]
    assert labels["county-award-2"] == "示例县质量奖励办法（ID county-award-2）"
    found = twins.hotline_search("县质量奖", k=10, filters=SearchFilters())
    names = {c.doc_id: c.doc_name for c in found.matching}
    assert names == {"county-award": labels["county-award"], "county-award-2": labels["county-award-2"]}


@pytest.mark.integration
def test_the_audit_row_of_a_same_name_upload_names_the_new_id(twins: PolicyBot) -> None:
    rows = audit_rows(twins.audit.entries(), twins.settings.timezone)
    uploads = [r for r in rows if r[2] == "上传"]
    assert uploads[0][4] == "新增（文档ID：county-award-2）" and uploads[1][4] == "新增（文档ID：county-award）"
    assert all(r[0].endswith(" Asia/Shanghai") for r in rows)


@pytest.mark.unit
def test_times_are_shown_in_the_configured_zone_with_its_name() -> None:
    assert shown("2026-12-04T18:40:00+00:00") == "2026-12-05 02:40:00 Asia/Shanghai"
    assert shown("2026-12-04T18:40:00+00:00", "UTC") == "2026-12-04 18:40:00 UTC"
    local = datetime(2026, 12, 4, 18, 40).astimezone()  # an old entry: server-local time, no zone
    assert shown("2026-12-04T18:40:00") == shown(local.isoformat())
    assert datetime.fromisoformat(stamp()).utcoffset() is not None
    rows = refused_rows([{"time": "2026-12-04T18:40:00+00:00", "question": "q", "answer": "a", "reason": "x"}], "UTC")
    assert rows[0][0] == "2026-12-04 18:40:00 UTC"
    assert shown("—") == "—"
    with pytest.raises(ValueError, match="未知的时区"):
        shown("2026-12-04T18:40:00+00:00", "Mars/Olympus")


@pytest.mark.integration
def test_refused_question_log_keeps_an_aware_time(twins: PolicyBot) -> None:
    twins.answer("火星移民签证怎么办理？")
    entry = json.loads(twins.refusals.path.read_text(encoding="utf-8").splitlines()[-1])
    assert datetime.fromisoformat(entry["time"]).utcoffset() is not None
