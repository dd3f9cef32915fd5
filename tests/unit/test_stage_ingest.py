"""The ingest stages on hand-made lines: page chrome at both ends (ingest/clutter.py), blocks
(ingest/blocks.py), items and counts (ingest/items.py), dates (ingest/dates.py), 文号
(ingest/doc_number.py), a regulation's history (ingest/promulgation.py), a body's names
(ingest/department_names.py) and the words a question means (ingest/text/thesaurus.py, synonyms.py)."""
from __future__ import annotations

import pytest

from ingest.blocks import parse_blocks, split_signoff
from ingest.clutter import is_chrome, trim_head, trim_tail
from ingest.dates import is_date_line, iso_date
from ingest.department_names import formal_name, variants
from ingest.doc_number import is_doc_number_part, own_doc_number
from ingest.items import document_items, outline_clauses
from ingest.metadata import find_title
from ingest.promulgation import history, is_history_line, is_signatory_line
from ingest.text.synonyms import content_words, synonyms
from ingest.text.thesaurus import expand
from tests.unit.handmade import GUANGDONG, TIANJIN, all_parts

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("text,iso", [
    ("2024年1月15日", "2024-01-15"), ("２００５年８月２３日", "2005-08-23"), ("二〇二四年一月十五日", "2024-01-15"),
    ("二○○五年八月二十三日", "2005-08-23"), ("发布于2023-5-6", "2023-05-06"), ("没有日期", ""),
])
def test_iso_date_reads_every_way_texts_write_a_date(text, iso):
    assert iso_date(text) == iso


def test_a_date_line_is_a_date_alone():
    assert is_date_line("2023年5月10日") and is_date_line("二〇二三年五月十日")
    assert not is_date_line("自2023年5月10日起施行。")


def test_the_documents_own_number_not_one_it_cites():
    lines = ["某市人民政府办公厅文件", "津政办发〔2023〕12号", "关于推进质量提升的实施意见", "根据国发〔2021〕5号文件精神，制定本意见。"]
    assert own_doc_number(lines) == "津政办发〔2023〕12号"
    assert own_doc_number(["关于…的通知", "根据国发〔2021〕5号文件精神，制定本意见。"]) == ""
    assert own_doc_number(["中华人民共和国国务院令", "第735号"]) == "国务院令第735号"
    assert is_doc_number_part("第735号") and is_doc_number_part("粤办函〔2020〕90号")
    assert not is_doc_number_part("通知公告")


def test_a_regulations_history_lines_become_events():
    lines = ["某某条例", "（2004年10月13日国务院第65次常务会议通过 2004年10月20日中华人民共和国国务院令第422号公布 "
             "自2005年1月1日起施行）"]
    assert is_history_line(lines[1]) and not is_history_line(lines[0])
    events = history(lines)
    assert [(e.act, e.body, e.number) for e in events] == [
        ("通过", "国务院", ""), ("公布", "国务院", "国务院令第422号"), ("施行", "", "")]
    assert is_signatory_line("总理 温家宝") and is_signatory_line("局　长　周伯华")
    assert not is_signatory_line("加强组织领导")


def test_page_chrome_is_trimmed_at_both_ends_and_the_policy_kept():
    page = ["首页 > 政务公开 > 政策文件", "扫一扫在手机打开当前页", *TIANJIN_BODY, "分享到：", "【打印本页】【关闭窗口】"]
    assert trim_tail(trim_head(page)) == TIANJIN_BODY
    assert is_chrome("【打印本页】【关闭窗口】") and not is_chrome("2023年5月10日")
    assert not is_chrome("5.加强组织领导，建立质量工作协调机制。")


TIANJIN_BODY = ["天津市关于推进质量提升的实施意见", "各区人民政府：", "现将有关意见通知如下。", "一、主要目标",
                "1.到2025年，建立首席质量官制度的企业达到500家以上。", "二、重点任务", "2.开展计量托管服务。",
                "天津市人民政府", "2023年5月10日"]


def test_blocks_cut_notice_items_and_sign_off():
    blocks, table = parse_blocks(TIANJIN_BODY, find_title(TIANJIN_BODY))
    assert [(b.kind, b.path) for b in blocks] == [
        ("preamble", []), ("item", [("cn", 1), ("arabic", 1)]), ("item", [("cn", 2), ("arabic", 2)]), ("signoff", [])]
    assert blocks[0].lines == ["各区人民政府：", "现将有关意见通知如下。"]
    assert blocks[-1].lines == ["天津市人民政府", "2023年5月10日"]
    # the item's title once, in its own characters (its text was titled twice when a "，" came before the 。)
    assert blocks[1].titles == ["一、主要目标", "1.到2025年，建立首席质量官制度的企业达到500家以上"]
    assert table == []
    assert split_signoff(["1.正文。", "附件：1.服务清单", "天津市人民政府", "2023年5月10日"]) == \
        (["1.正文。"], ["天津市人民政府", "2023年5月10日"], ["附件：1.服务清单"])
    assert split_signoff(["1.正文。", "附件：1.服务清单", "2.材料目录"]) == (["1.正文。"], [], ["附件：1.服务清单", "2.材料目录"])
    undated = ["1.正文。", "天津市人民政府", "（此件公开发布）"]
    assert split_signoff(undated) == (undated, [], [])  # no date: no sign-off, the lines stay in the body


def test_items_and_counts_of_a_document():
    parts = all_parts()
    tj = document_items(parts, TIANJIN.doc_id)
    assert tj.style == "arabic" and [c.item for c in tj.items] == ["一1", "一2", "二3", "二4", "三5", "三6"]
    gd = document_items(parts, GUANGDONG.doc_id)
    assert gd.style == "cn" and gd.count_text() == "3 条" and gd.unit == "条"
    outline = [c.item for c in outline_clauses(c for c in parts if c.doc_id == TIANJIN.doc_id)]
    assert outline[:3] == ["文件信息", "一、", "一1"]  # the heading-only part 一、主要目标 is in the outline
    assert tj.count_text() == "6 项条目（各级条款共 9 条）"  # 一、二、三、 count as clauses, not as items


def test_one_body_one_name():
    assert formal_name("市工信局") == "市工业和信息化局"
    assert variants("市工信局") == ("市工业和信息化局", "市工信局")
    assert variants("某个不知道的局") == ("某个不知道的局",)


def test_the_words_a_question_means():
    assert expand("小企业怎么拿补贴")[:3] == ["资金支持", "奖补", "奖励"]  # the policy's words for everyday ones
    assert "中小企业" in expand("小企业怎么拿补贴")
    # the everyday words of the examples reach the terms of art (证书/代管/先赔/3C/不罚款)
    assert {"认证", "托管", "先行赔付", "ccc", "免罚"} <= set(expand("证书 代管 先赔 3C 不罚款"))
    # a question may put a short insertion between the words of an everyday term, not split a word
    assert {"恶意商标注册"} <= set(expand("品牌名被人抢先拿去注册了"))
    assert "先行赔付" in expand("商家和厂家互相推，有没有让谁先把钱赔了的说法")
    assert "一站式服务" in expand("想把计量、检测认证的事一起办了")  # a measure described by what it does
    assert "领军企业" in expand("国家意见对龙头企业带动上下游有什么要求")  # the ministries' word for the leader
    assert "免罚" not in expand("这种情况是不是要罚款")  # 不 belongs to 是不是, not to 不罚款
    assert "流通" not in expand("工商联市场监管")  # 商场 is one word: not found in 工商联市场
    # a term is not found from the middle of one word into the next: 国标 is not in 中国|标准
    assert "国家标准" in expand("国标和行标要多少项") and "国家标准" not in expand("获得中国标准创新贡献奖")
    assert "行业标准" not in expand("政府在搞执行标准")
    assert "首台套" in expand("国产设备第一次用到大工程上")  # from a word's edge: 第一次|用到
    # statistical abbreviations reach the names documents write out (单位GDP能耗 → 单位地区生产总值能源消耗)
    assert {"地区生产总值", "能源消耗"} <= set(expand("单位GDP能耗降多少"))
    assert "奖赏" in synonyms("奖励")
    assert {"质量奖", "奖励"} <= set(content_words("中国质量奖奖励多少钱"))
