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


NOTICE_WITH_ATTACHMENTS = """某市人民政府办公厅关于印发某市质量服务行动方案的通知
某政办发〔2023〕12号
各区人民政府，市政府各部门：
现将《某市质量服务行动方案》印发给你们，请认真贯彻执行。
附件：1.某市质量服务包清单
2.牵头单位名单
某市人民政府办公厅
2023年5月8日
（此件公开发布）
一、工作目标
到2025年，服务企业1000家。
二、重点任务
（一）开展质量诊断。组织专家上门服务。
（二）推广质量融资。发展质量保险。
附件1
某市质量服务包清单
一、基础服务包
（一）计量校准服务。
（二）标准查询服务。
二、提升服务包
（一）质量诊断服务。
附件2：牵头单位名单
市市场监管局、市工业和信息化局、市财政局
"""


def test_attachments_get_their_own_numbering_and_are_cited_by_name():
    lines = clean_lines(NOTICE_WITH_ATTACHMENTS)
    span = find_title(lines)
    meta = extract_meta("doc", lines, span)
    clauses = [c for c in build_clauses(meta, lines, span) if c.part == 1]
    main = [c.item for c in clauses if c.kind in ("item", "section")]
    assert main == ["一、", "二（一）", "二（二）"]  # the attachments do not continue the plan's numbering
    att = {c.item: c for c in clauses if c.kind == "attachment"}
    assert list(att) == ["附件1", "附件1 一（一）", "附件1 一（二）", "附件1 二（一）", "附件2"]
    assert att["附件1 一（一）"].heading_path[0] == "附件1 某市质量服务包清单"
    assert "市财政局" in att["附件2"].text and att["附件2"].text.startswith("附件2：牵头单位名单")
    assert meta.date == "2023-05-08" and meta.issuers == ["某市人民政府办公厅"]  # the covering notice's sign-off


SCRAPED = """首页
政务公开
政策文件
当前位置：首页 > 政务公开 > 政策文件
【字体：大 中 小】
关于开展2023年质量月活动的通知 2023-09-01
某区市场监管局关于印发质量强企行动方案的通知
各科室，各市场监管所：
现将方案印发给你们，请认真贯彻落实。
一、工作目标
培育一批质量标杆企业，推广先进质量管理方法。
二、保障措施
加强组织领导，落实工作责任。
某区市场监督管理局
2023年10月16日
（此件公开发布）
打印本页
关闭窗口
扫一扫在手机打开当前页
相关链接：
某区质量奖管理办法 2023-05-06
关于公布2023年度标准化试点名单的通知
主办单位：某区人民政府办公室 承办单位：某区大数据中心
网站标识码：3303040001 浙ICP备12345678号
下一个专题
"""


def test_page_chrome_is_trimmed_at_both_ends_and_the_signoff_stays():
    lines = clean_lines(SCRAPED)
    assert lines[0] == "某区市场监管局关于印发质量强企行动方案的通知"
    assert lines[-1] == "（此件公开发布）" and "2023年10月16日" in lines
    c = parse(SCRAPED)
    assert all(not any(w in x.text for w in ("打印", "扫一扫", "ICP", "主办单位", "相关链接", "首页")) for x in c.values())
    assert c["二、"].text == "二、保障措施\n加强组织领导，落实工作责任。"


@pytest.mark.parametrize("text,field,expected", [
    ("# 某市质量奖管理办法\n第一条 为规范质量奖评审，制定本办法。\n第二条 本办法自印发之日起施行。", "title", "某市质量奖管理办法"),
    ("某市人民政府门户网站 - 关于印发某市标准化资助办法的通知\n一、资助范围\n主导制定国际标准的。", "title",
     "关于印发某市标准化资助办法的通知"),
    ("关于加强计量工作的通知_某市人民政府\n一、总体要求\n提升计量能力。", "title", "关于加强计量工作的通知"),
    ("中华人民共和国国务院令\n第735号\n某某条例已经国务院常务会议通过，现予公布。\n第一条 为了规范……，制定本条例。", "doc_number",
     "国务院令第735号"),
    ("某市人民政府公告 2023年第3号\n一、范围\n本公告适用于全市。", "doc_number", "某市人民政府公告 2023年第3号"),
    ("关于印发某市医保支付办法的通知\n深医保规〔2023〕5号\n一、范围\n适用于全市。", "doc_number", "深医保规〔2023〕5号"),
    ("某市计量监督条例\n第一条 为了加强计量监督，制定本条例。\n第二条 本条例自2022年3月1日起施行。", "effective_date", "2022-03-01"),
    ("某市质量提升办法\n一、范围\n本办法有效期5年。", "validity", "5年"),
    ("某局关于印发质量月方案的通知\n各科室：\n现印发给你们。\n某市市场监督管理局\n2023年5月1日\n一、目标\n提升质量。", "date", "2023-05-01"),
])
def test_metadata_read_off_unseen_files(text, field, expected):
    lines = clean_lines(text)
    meta = extract_meta("file-stem", lines, find_title(lines))
    assert getattr(meta, field) == expected
    assert meta.sources[field] == "text"


def test_a_field_the_text_does_not_give_says_it_came_from_the_file_name():
    lines = clean_lines("为提升质量，制定本措施。\n一、范围\n适用于全市。")
    meta = extract_meta("file-stem", lines, find_title(lines))
    assert meta.title == "file-stem" and meta.sources["title"] == "file name" and "doc_number" not in meta.sources


def test_every_field_says_where_it_came_from():
    from ingest.catalog import merge_meta

    lines = clean_lines("关于印发某市质量奖办法的通知\n某政发〔2023〕2号\n一、范围\n适用于全市。\n某市人民政府\n2023年1月5日")
    auto = extract_meta("stem", lines, find_title(lines))
    merged = merge_meta(auto, {"short_name": "某市质量奖办法", "date": "2023-01-06"})
    assert merged.sources == {"title": "text", "doc_number": "text", "issuers": "text", "date": "catalog",
                              "short_name": "catalog"}
    assert merged.provenance() == "标题:正文 文号:正文 发文机关:正文 日期:目录 简称:目录"

    from bot.ui.render_lookup import DOC_HEADERS, documents_table

    row = documents_table([{**merged.model_dump(), "provenance": merged.provenance(), "clause_count": 2}])[0]
    assert row[DOC_HEADERS.index("字段来源")] == merged.provenance()
    assert row[DOC_HEADERS.index("发布日期")] == "2023-01-06"


def test_a_short_closing_line_of_the_policy_is_not_page_clutter():
    lines = clean_lines("某市质量公告\n一、范围\n本公告适用于全市。\n特此公告\n某市市场监督管理局\n2024年1月5日\n打印本页\n关闭窗口")
    assert lines[-3:] == ["特此公告", "某市市场监督管理局", "2024年1月5日"]
