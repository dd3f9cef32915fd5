"""One definition of a document's items (ingest/items.py), counted the same everywhere: the answer to a
missing number, the search desk, `policybot docs`, the documents table, the outline, the upload
preview and the import message — over the shipped corpus and an uploaded document whose parts carry
no text under their headings."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.service import PolicyBot
from bot.ui.render_admin import preview_markdown
from bot.ui.render_lookup import DOC_HEADERS, documents_table, render_outline, render_results, upload_row
from tests.conftest import ShippedIndex, make_settings

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parent.parent
UPLOAD = ("某县质量提升行动方案\n"
          "一、总体要求\n（一）坚持需求导向。深入企业调查研究。\n（二）坚持问题导向。分析企业质量堵点。\n"
          "二、重点任务\n（一）优化质量奖创奖服务。完善培育库建设。\n（二）优化计量技术服务。组建技术服务联盟。\n"
          "（三）优化检测认证服务。加大绿色认证企业培育力度。\n"
          "某县市场监督管理局\n2024年5月6日\n")
EXPECTED = {  # items at the primary level, clauses at every level (heading-only parts included)
    "tianjin-2022-qi-private-enterprises": "19 项条目（各级条款共 34 条）",
    "wenzhou-ouhai-2023-quality-enterprises-action": "4 项条目（各级条款共 24 条）",
    "guangdong-2020-quality-standards-going-global": "10 条",
    "county-plan": "2 项条目（各级条款共 7 条）",
}


@pytest.fixture(scope="module")
def counted(tmp_path_factory: pytest.TempPathFactory, shipped_index: ShippedIndex) -> tuple[PolicyBot, str, str]:
    data = shipped_index.copy_to(tmp_path_factory.mktemp("counts-data"))
    bot = PolicyBot(make_settings(data))
    path = tmp_path_factory.mktemp("counts-upload") / "county-plan.txt"
    path.write_text(UPLOAD, encoding="utf-8")
    parsed, _ = bot.library.preview(path.name, path)
    preview = preview_markdown(path.name, parsed)
    result = bot.library.add_upload(path.name, path)
    assert result.status == "added", result.message
    return bot, preview, " ".join(map(str, upload_row(path.name, result)))


def test_every_surface_counts_the_same(counted: tuple[PolicyBot, str, str]) -> None:
    bot, preview, imported = counted
    bot.retriever.refresh_if_changed(0)
    docs = {d["doc_id"]: d for d in bot.library.documents()}
    table = {row[DOC_HEADERS.index("文档ID")]: row for row in documents_table(list(docs.values()))}
    env = {**os.environ, "POLICYBOT_DATA_DIR": str(bot.settings.data_dir), "PYTHONPATH": str(REPO)}
    cli = subprocess.run([sys.executable, "-m", "bot.cli", "docs"], capture_output=True, text=True, env=env,
                         cwd=REPO, timeout=300, check=True).stdout
    cli_rows = {line.split("\t")[0]: line.split("\t") for line in cli.splitlines() if "\t" in line}
    for doc_id, text in EXPECTED.items():
        d = docs[doc_id]
        assert d["count_text"] == text, doc_id
        assert table[doc_id][DOC_HEADERS.index("条目 / 条款")] == text
        assert text in cli_rows[doc_id]
        name = d["display_name"]
        answer = bot.answer(f"{name}第99条讲什么")
        assert answer.answer.splitlines()[0] == f"{name}共 {text}，没有第99条。"
        desk = bot.hotline_search(f"{name}第99条")
        assert desk.missing == f"{name}共 {text}，没有第99条。" and "没有第99条" in render_results(desk)
        assert len(desk.outline) == d["item_count"]
        outline = bot.library.outline(doc_id)
        assert f"共 {text}" in render_outline(d, outline)
        numbered = [c for c in outline if c.kind in ("item", "section")]
        assert len({c.clause_id for c in numbered}) == d["clause_total"]
    assert "共 2 项条目（各级条款共 7 条）" in preview and "已导入 2 项条目（各级条款共 7 条）" in imported


def test_parts_whose_heading_has_no_text_are_outlined(counted: tuple[PolicyBot, str, str]) -> None:
    bot, preview, _ = counted
    ouhai = bot.library.outline("wenzhou-ouhai-2023-quality-enterprises-action")
    assert [c.item for c in ouhai if c.kind == "section"] == ["一、", "二、", "三、", "四、"]
    assert next(c for c in ouhai if c.item == "二、").text == "二、主要目标"
    desk = bot.hotline_search("瓯海千百行动方案第99条")
    assert [c.item for c in desk.outline] == ["一、", "二、", "三、", "四、"]
    assert "**二、** 重点任务" in preview
