"""The clause parser on the shipped corpus and on synthetic ladders."""
from __future__ import annotations

import re

import pytest

from ingest.catalog import load_catalog
from ingest.clauses import build_clauses
from ingest.clean import clean_lines
from ingest.departments import extract_departments
from ingest.documents import parse_document
from ingest.headings import match_heading
from ingest.metadata import extract_meta, find_title
from ingest.models import DocMeta
from ingest.text.script import search_form
from tests.conftest import CORPUS

pytestmark = pytest.mark.unit

CATALOG = load_catalog(CORPUS)


def parsed(stem: str):
    return parse_document(CORPUS / f"{stem}.txt", CATALOG.get(stem))


def items(stem: str) -> list[str]:
    seen: list[str] = []
    for c in parsed(stem).clauses:
        if c.item not in seen:
            seen.append(c.item)
    return seen


CN = "一二三四五六七八九十"


def test_guangdong_labels_and_metadata():
    doc = parsed("guangdong-2020-quality-standards-going-global")
    assert items(doc.meta.doc_id) == ["文件信息", "通知", "前言"] + [f"{c}、" for c in CN]
    assert doc.meta.doc_number == "粤办函〔2020〕90号" and doc.meta.date == "2020-06-16"
    eight = next(c for c in doc.clauses if c.item == "八、")
    assert "技术性贸易壁垒" in eight.text
    assert eight.departments == ["省市场监管局", "商务厅", "海关总署广东分署"]
    ten = next(c for c in doc.clauses if c.item == "十、")
    assert ten.departments == ["省市场监管局", "财政厅", "人力资源社会保障厅", "国资委", "省委组织部"]
    notice = next(c for c in doc.clauses if c.kind == "notice")
    assert "请径向省市场监管局反映" in notice.text
    assert all("相关阅读" not in c.text for c in doc.clauses)


def test_tianjin_2022_three_level_ladder_with_continuous_arabic_items():
    labels = items("tianjin-2022-qi-private-enterprises")
    arabic = [l for l in labels if re.search(r"\d+$", l)]
    assert [int(re.search(r"(\d+)$", l).group(1)) for l in arabic] == list(range(1, 20))
    assert "二（三）6" in labels and "二（八）15" in labels and "二（九）19" in labels
    assert labels[:5] == ["文件信息", "通知", "前言", "一、", "二（一）1"]
    assert labels[-4:] == ["三（一）", "三（二）", "三（三）", "附件"]
    doc = parsed("tianjin-2022-qi-private-enterprises")
    six = next(c for c in doc.clauses if c.item == "二（三）6")
    assert six.heading_path[0] == "二、重点任务" and six.heading_path[-1].startswith("6.增强质量基础设施保障能力")
    assert six.departments == ["市市场监管委"]
    twelve = next(c for c in doc.clauses if c.item == "二（六）12")
    assert twelve.departments == ["市市场监管委", "市科技局"]
    # the cross-reference （国市监质发〔2021〕62号） in the preamble is not a heading
    assert "国市监质发〔2021〕62号" in next(c for c in doc.clauses if c.kind == "preamble").text


def test_tianjin_2024_outline_continuous_paren_numbering_across_sections():
    doc = parsed("tianjin-2024-quality-city-outline")
    labels = [l for l in items(doc.meta.doc_id) if "（" in l]
    expected = []
    sections = [(1, 1, 2), (2, 3, 5), (3, 6, 9), (4, 10, 12), (5, 13, 15), (6, 16, 18), (7, 19, 21), (8, 22, 24),
                (9, 25, 28), (10, 29, 31)]
    from ingest.text.ladder import to_chinese_numeral as cn

    for sec, a, b in sections:
        expected += [f"{cn(sec)}（{cn(n)}）" for n in range(a, b + 1)]
    assert labels == expected
    info = next(c for c in doc.clauses if c.kind == "docinfo")
    assert "发布日期 | 2024-03-13" in info.text and "发布文号 | 暂无" in info.text
    # the metadata table is moved out of the body; the duplicated abstract appears once
    preamble = [c for c in doc.clauses if c.kind == "preamble"]
    assert len(preamble) == 1 and "|" not in preamble[0].text
    goals = [c for c in doc.clauses if c.item == "一（二）"]
    assert len(goals) >= 2 and {c.parts for c in goals} == {len(goals)}  # split, same label
    assert any("——" in c.text for c in goals)  # dash bullets stay inside their item
    twentyfive = next(c for c in doc.clauses if c.item == "九（二十五）")
    assert "市市场监管委" in twentyfive.departments and "各区人民政府" in twentyfive.departments
    assert all("食品伙伴网" not in c.text and "foodmate" not in c.text for c in doc.clauses)


def test_national_traditional_text_loses_pinyin_and_site_noise():
    doc = parsed("national-2021-qi-private-enterprises")
    assert doc.traditional
    body = "\n".join(c.text for c in doc.clauses)
    assert not re.search(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", body)
    assert "服務電話" not in body and "來源" not in body and "閱讀次數" not in body
    assert items(doc.meta.doc_id) == ["文件信息", "前言", "一、"] + [f"二（{c}）" for c in CN[:9]] + \
        ["三（一）", "三（二）", "三（三）", "落款"]
    four = next(c for c in doc.clauses if c.item == "二（四）")
    assert "强化民营企业家质量素质的培养" in four.search_text  # simplified search form
    assert "強化民營企業家質量素質的培養" in four.text  # original script for display
    signoff = next(c for c in doc.clauses if c.kind == "signoff")
    assert "2021年9月28日" in signoff.text


def test_wenzhou_document_without_title_line():
    doc = parsed("wenzhou-ouhai-2023-quality-enterprises-action")
    labels = items(doc.meta.doc_id)
    assert labels[:6] == ["文件信息", "通知", "一、", "一（一）", "一（二）", "一（三）"]
    assert labels[-1] == "落款" and "四（五）" in labels
    assert next(c for c in doc.clauses if c.item == "一、").kind == "section"
    # without the catalog: metadata read off the text
    lines = clean_lines((CORPUS / "wenzhou-ouhai-2023-quality-enterprises-action.txt").read_text(encoding="utf-8"))
    meta = extract_meta("w", lines, find_title(lines))
    assert meta.issuers == ["温州市瓯海区市场监督管理局"] and meta.date == "2023-10-16"


def test_auto_metadata_without_catalog():
    lines = clean_lines((CORPUS / "guangdong-2020-quality-standards-going-global.txt").read_text(encoding="utf-8"))
    span = find_title(lines)
    meta = extract_meta("g", lines, span)
    assert meta.title == "关于提升产品质量标准水平支持企业“走出去”的若干政策措施"
    assert meta.doc_number == "粤办函〔2020〕90号" and meta.date == "2020-06-16" and meta.issuers == ["省政府办公厅"]
    lines = clean_lines((CORPUS / "tianjin-2022-qi-private-enterprises.txt").read_text(encoding="utf-8"))
    meta = extract_meta("t", lines, find_title(lines))
    assert meta.doc_number == ""  # the 文号 quoted in a sentence belongs to another document
    assert meta.issuers[:2] == ["市市场监管委", "市工商联"] and meta.date == "2022-07-22"


def test_article_ladder_and_cross_references():
    text = """某市质量促进条例
第一章 总则
第一条 为了提升质量，制定本条例。
第二条 本条例适用于本市。根据第十二条的规定执行。
第二章 质量促进
第三条 政府应当支持企业：
（一）开展质量认证；
（二）参与标准制定。
第四条 依照第三条规定给予支持（国市监质发〔2021〕62号）。
第五条 本条例自2024年1月1日起施行。"""
    lines = clean_lines(text)
    meta = DocMeta(doc_id="reg", title="某市质量促进条例")
    clauses = build_clauses(meta, lines, find_title(lines))
    labels = [c.item for c in clauses]
    assert labels == ["文件信息", "第一条", "第二条", "第三条", "第三条（一）", "第三条（二）", "第四条", "第五条"]
    third = next(c for c in clauses if c.item == "第三条")
    assert third.heading_path[0].startswith("第二章")
    assert "根据第十二条" in next(c for c in clauses if c.item == "第二条").text


def test_heading_matcher_rejects_non_headings():
    assert match_heading("（三）支持民营企业加强质量基础能力建设。") == ("paren_cn", 3, "支持民营企业加强质量基础能力建设。")
    assert match_heading("1.5亿元用于质量提升") is None
    assert match_heading("2021年，全市开展") is None
    assert match_heading("第十二条规定的情形") is None
    assert match_heading("(1)开展培训")[0] == "paren_arabic"


def test_department_extraction_forms():
    assert extract_departments("……。(市市场监管委、市工商联)") == ["市市场监管委", "市工商联"]
    assert extract_departments("……。（省市场监管局、财政厅负责）") == ["省市场监管局", "财政厅"]
    assert extract_departments("…(市市场监管委、天津海关和各区人民政府等按职责分工负责)") == \
        ["市市场监管委", "天津海关", "各区人民政府"]
    assert extract_departments("推进国家会展中心(天津)项目建设。") == []
    assert extract_departments("开展质量难点(项目)攻关") == []


def test_every_shipped_numbered_line_is_its_own_clause():
    """Every line that starts with a ladder numeral in the source appears as a clause label."""
    for path in sorted(CORPUS.glob("*.txt")):
        doc = parse_document(path, CATALOG.get(path.stem))
        starts = {search_form(c.text.split("\n")[0])[:12] for c in doc.clauses}
        for line in clean_lines(path.read_text(encoding="utf-8")):
            m = match_heading(line)
            if m and not (m[0] == "cn" and not re.search(r"[。；]", m[2])):
                if m[0] == "paren_cn" and not re.search(r"[。；]", m[2]):
                    continue  # a heading-only line: it heads the arabic items below it
                assert search_form(line)[:12] in starts, (path.name, line[:30])


def test_traditional_article_ladder():
    text = "某市質量條例\n第一條 為提升質量，制定本條例。\n第二條 鼓勵企業開展質量認證。\n第三條 本條例自公布之日起施行。"
    lines = clean_lines(text)
    clauses = build_clauses(DocMeta(doc_id="t", title="某市質量條例"), lines, find_title(lines))
    assert [c.item for c in clauses] == ["文件信息", "第一条", "第二条", "第三条"]
    assert clauses[2].text.startswith("第二條")  # display keeps the original script


def test_traditional_heading_paths_keep_the_original_script():
    doc = parsed("national-2021-qi-private-enterprises")
    one = next(c for c in doc.clauses if c.item == "二（一）")
    assert one.heading_path == ["二、重點任務", "(一)引導民營企業牢固樹立“質量第一”的意識"]
