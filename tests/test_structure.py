"""Structure of documents the project has never seen: continuations, regulations, attachments, enumerations."""
from __future__ import annotations

import pytest

from ingest.clauses import build_clauses
from ingest.clean import clean_lines
from ingest.metadata import extract_meta, find_title

pytestmark = pytest.mark.unit


def parse(text: str):
    lines = clean_lines(text)
    span = find_title(lines)
    meta = extract_meta("doc", lines, span)
    return {c.item: c for c in build_clauses(meta, lines, span) if c.part == 1}


PLAN = """某市质量提升行动方案
一、重点任务
（一）夯实质量基础。围绕重点产业，重点做好以下工作：
1.建设计量测试平台。
2.推动标准化试点。
3.提升检验检测能力。
各区要结合实际，制定本区实施细则，确保各项任务落地见效。
（二）强化质量监管。加强重点产品质量监督抽查。
（三）优化质量服务。开展质量诊断服务。
各部门要加强协作，形成工作合力。
二、保障措施
（一）加强组织领导
1.建立联席会议制度。
2.定期调度任务进展。
联席会议办公室设在市市场监管局，负责日常工作。
（二）强化资金保障。统筹安排质量提升资金。
"""


def test_a_paragraph_after_a_sub_list_stays_with_the_item_it_closes():
    c = parse(PLAN)
    assert "各区要结合实际" in c["一（一）"].text and "各区要结合实际" not in c["一（一）3"].text
    assert c["一（一）3"].text == "3.提升检验检测能力。"
    assert "各部门要加强协作" in c["一、"].text and "各部门要加强协作" not in c["一（三）"].text


def test_a_heading_only_parent_becomes_the_clause_that_holds_its_closing_paragraph():
    c = parse(PLAN)
    assert c["二（一）"].text.startswith("（一）加强组织领导") and "联席会议办公室设在" in c["二（一）"].text
    assert "联席会议办公室" not in c["二（一）2"].text
    labels = list(c)
    assert labels.index("二（一）") < labels.index("二（一）1")  # the parent keeps its reading position


def test_bullets_after_an_item_stay_with_it():
    c = parse("某市质量强市纲要\n一、总体要求\n（一）指导思想。坚持质量第一。\n（二）主要目标。到2025年：\n"
              "——质量效益明显提升。\n——品牌建设取得进展。\n二、重点任务\n（三）夯实基础。建设平台。\n")
    assert "——品牌建设取得进展" in c["一（二）"].text and "一、" not in c  # nothing moved up to the heading


def test_multi_paragraph_sub_items_keep_their_paragraphs():
    c = parse("某市方案\n一、任务\n1.建设平台。\n平台由市局负责。\n2.开展试点。\n试点为期两年。\n二、保障\n1.加强领导。\n")
    assert "试点为期两年" in c["一2"].text


REGULATION = """某省计量监督管理条例
第一章 总则
第一条 为了加强计量监督管理，根据有关法律，制定本条例。
第二条 本省行政区域内的计量活动，适用本条例。
第二章 计量器具管理
第三条 县级以上市场监督管理部门应当履行下列职责：
（一）组织实施计量器具检定；
（二）开展计量监督检查；
（三）查处计量违法行为。
有前款第三项规定情形的，应当依法公开处理结果。
第四条 使用强制检定的计量器具，应当一是登记造册，二是按期送检，三是妥善保管。
第三章 附则
第五条 本条例自2022年3月1日起施行。
"""


def test_regulation_chapters_are_context_and_article_lists_are_labelled_under_the_article():
    c = parse(REGULATION)
    assert [k for k in c if k != "文件信息"] == ["第一条", "第二条", "第三条", "第三条（一）", "第三条（二）", "第三条（三）",
                                             "第四条", "第五条"]
    assert c["第三条（一）"].heading_path[0] == "第二章 计量器具管理"
    assert "有前款第三项规定情形的" in c["第三条"].text and "有前款" not in c["第三条（三）"].text
    assert "一是登记造册，二是按期送检" in c["第四条"].text  # inline enumerations stay inside
