"""The hotline's search: term matches first and counted, related apart, exact references alone, honest misses."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.retrieval import SearchFilters
from bot.service import QuestionError
from bot.ui.render_lookup import department_choices, render_results, result_rows, step_target
from ingest.text.script import match_form
from tests.conftest import REPO

pytestmark = pytest.mark.integration


def test_a_keyword_search_puts_every_clause_with_the_term_first_and_counts_them(bot):
    r = bot.hotline_search("首席质量官", k=20)
    assert r.terms == ["首席质量官"]  # not its pieces 首席 / 质量
    assert r.matching and all(match_form("首席质量官") in match_form(c.text) for c in r.matching)
    assert all(match_form("首席质量官") not in match_form(c.text) for c in r.related)
    assert r.headline == f"{len(r.matching)} 条含“首席质量官”" and r.matching_total == len(r.matching)
    assert any(c.doc_id.startswith("national") for c in r.matching)  # the traditional document matches too
    html = render_results(r)
    marks = html.split('<details class="pb-related"')[0].count("<mark>")
    assert marks == sum(match_form(c.text).count("首席质量官") for c in r.matching)  # only the term is marked
    assert "<mark>" not in html.split('<details class="pb-related"')[1]


def test_same_clauses_in_either_script(bot):
    simplified = [c.clause_id for c in bot.hotline_search("首席质量官", k=20).matching]
    traditional = [c.clause_id for c in bot.hotline_search("首席質量官", k=20).matching]
    assert simplified == traditional


def test_an_exact_reference_shows_that_clause_alone_with_step_buttons(bot):
    r = bot.hotline_search("天津实施意见第15条", k=20)
    assert [c.item for c in r.exact] == ["二（八）15"] and not r.matching and not r.related
    assert [c.item for c in r.neighbours] == ["二（八）14", "二（九）16"]
    assert (r.previous.item, r.following.item) == ("二（八）14", "二（九）16")
    html = render_results(r)
    assert html.count('class="pb-card"') == 1 and 'class="pb-step-bar"' in html
    assert "‹ 上一条：二、（八）第14项" in html and "下一条 ›：二、（九）第16项" in html
    rows = result_rows(r)
    assert step_target(rows, 1) == r.following.clause_id and step_target(rows, -1) == r.previous.clause_id


def test_step_buttons_walk_the_whole_document_and_stop_at_its_ends(bot):
    doc = [c for c in bot.retriever.doc_clauses("guangdong-2020-quality-standards-going-global") if c.kind != "docinfo"]
    page = bot.hotline_clause(doc[0].clause_id)
    seen = [page.exact[0].clause_id]
    assert page.previous is None and 'disabled>‹ 上一条（已到开头）' in render_results(page)
    while page.following is not None:
        page = bot.hotline_clause(step_target(result_rows(page), 1))
        seen.append(page.exact[0].clause_id)
    assert seen == [c.clause_id for c in doc]
    assert 'disabled>下一条 ›（已到末尾）' in render_results(page)
    back = bot.hotline_clause(step_target(result_rows(page), -1))
    assert back.exact[0].clause_id == doc[-2].clause_id
    assert bot.hotline_clause("no-such:clause").exact == []


def test_a_missing_number_says_so_and_shows_the_outline(bot):
    r = bot.hotline_search("天津实施意见第99条", k=20)
    assert r.missing == "天津实施意见共 19 项条目（各级条款共 34 条），没有第99条。" and len(r.outline) == 19
    assert not r.matching and not r.exact
    assert "没有第99条" in render_results(r) and "全文目录" in render_results(r)


def test_a_number_of_a_document_the_collection_does_not_hold_is_not_anothers(bot):
    """"上海的质量强市纲要第3条": Shanghai has no 纲要 in the collection; item 3 of 天津's is no answer, here or in chat."""
    r = bot.hotline_search("上海的质量强市纲要第3条", k=5)
    assert r.missing == "已收录文件中没有上海的质量强市纲要，无法查到该条款。" and not r.exact
    assert "全文目录" not in render_results(r)
    answer = bot.answer("上海的质量强市纲要第3条讲什么")
    assert answer.partial and "上海的质量强市纲要（该文件未收录）" in answer.answer
    assert bot.hotline_search("天津质量强市纲要第3条", k=5).exact  # the collected one is looked up


def test_filters_by_year_level_region_and_department(bot):
    by_year = bot.hotline_search("质量", k=50, filters=SearchFilters(years=["2024"]))
    assert {c.doc_id for c in by_year.matching} == {"tianjin-2024-quality-city-outline"}
    by_level = bot.hotline_search("质量", k=50, filters=SearchFilters(levels=["区"]))
    assert {c.doc_id for c in by_level.matching} == {"wenzhou-ouhai-2023-quality-enterprises-action"}
    by_region = bot.hotline_search("质量", k=50, filters=SearchFilters(regions=["广东"]))
    assert {c.doc_id for c in by_region.matching} == {"guangdong-2020-quality-standards-going-global"}
    dept = bot.hotline_search("质量", k=3, filters=SearchFilters(department="市市场监管委"))
    assert len(dept.shown()) <= 3 and all("市市场监管委" in c.departments for c in dept.matching)


def _cli(data_dir, *args):
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, cwd=REPO,
                          env={"POLICYBOT_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin"})


def test_cli_show_accepts_the_forms_people_type_and_search_honours_k_with_filters(shipped_data_dir):
    for ref, item in (("天津实施意见第15条", "二（八）15"), ("广东 八", "八、"), ("纲要（二十四）", "八（二十四）")):
        out = _cli(shipped_data_dir, "show", ref, "--json")
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout.splitlines()[0])["item"] == item
    missing = _cli(shipped_data_dir, "show", "天津实施意见第99条")
    assert missing.returncode == 1 and "没有第99条" in missing.stderr
    searched = _cli(shipped_data_dir, "search", "质量", "--department", "市市场监管委", "--k", "2", "--json")
    rows = json.loads(searched.stdout)["results"]
    assert 0 < len(rows) <= 2 and rows[0]["group"] == "matching"


def test_an_unknown_document_name_is_said_so(bot):
    with pytest.raises(QuestionError, match="没有名为“温州文件”的文档。您要找的是不是“瓯海千百行动方案”？"):
        bot.hotline_search("质量", filters=SearchFilters(doc_ids=["温州文件"]))
    by_name = bot.hotline_search("质量", filters=SearchFilters(doc_ids=["瓯海千百行动方案"]))
    assert by_name.matching and {c.doc_id for c in by_name.matching} == {"wenzhou-ouhai-2023-quality-enterprises-action"}


def test_departments_are_grouped_by_region_with_their_names_merged(bot):
    groups = bot.library.department_groups()
    regions = [g.region for g in groups]
    assert regions == sorted(regions)  # each region's bodies stand together
    labels = [label for label, _ in department_choices(groups)]
    assert "天津市 · 市工业和信息化局（又称 市工信局）" in labels
    assert not any(label.endswith("· 市工信局") for label in labels)  # one body, one entry
    assert "广东省 · 省发展和改革委员会（又称 发展改革委）" in labels and "天津市 · 市发展和改革委员会（又称 市发展改革委）" in labels
    assert len(groups) < len(bot.library.departments())
    value = next(v for label, v in department_choices(groups) if label.startswith("天津市 · 市工业和信息化局"))
    r = bot.hotline_search("质量", k=50, filters=SearchFilters(department=value))
    names = {n for c in r.matching for n in c.departments}
    assert {"市工信局", "市工业和信息化局"} <= names and {c.region for c in r.matching} == {"天津市"}
    with pytest.raises(QuestionError, match="没有名为“市外星局”的责任部门"):
        bot.hotline_search("质量", filters=SearchFilters(department="市外星局"))
