"""How the chat shows a composed answer: lead first and bold, one block per document, 另见 collapsed."""
from __future__ import annotations

import pytest

from bot.answer.schemas import Answer, Citation
from bot.ui.render_chat import render_chat_message, render_sources

pytestmark = pytest.mark.unit


def cite(n: int, doc: str, item: str) -> Citation:
    return Citation(clause_id=f"{doc}:{item}", doc_id=doc, doc_title=f"{doc}全称", doc_name=doc, item=item,
                    item_label=item, citation=f"《{doc}全称》{item}", text=f"{doc}的条款原文。", marker=n)


def test_lead_line_first_and_bold_then_the_cited_quote():
    a = Answer(question="q", lead="由市市场监管委负责。", citations=[cite(1, "天津实施意见", "二（九）19")],
               answer="由市市场监管委负责。\n全面推行监管。（天津实施意见二（九）19） [1]")
    html = render_chat_message(a)
    assert '<p class="pb-line pb-lead"><strong>由市市场监管委负责。</strong></p>' in html and "**" not in html
    assert '<a href="#cite-1"' in html


def test_yes_lead_runs_on_into_the_quote():
    a = Answer(question="q", lead="有。", citations=[cite(1, "广东走出去措施", "九、")],
               answer="有。支持参与国际标准化活动。（广东走出去措施九、） [1]")
    assert "<strong>有。</strong>支持参与国际标准化活动" in render_chat_message(a)


def test_comparison_blocks_and_silent_document_line():
    a = Answer(question="q", citations=[cite(1, "瓯海千百行动方案", "二（一）")],
               answer="【国家民企质量意见】未涉及这一点。\n【瓯海千百行动方案】打造“品字标”。（瓯海千百行动方案二（一）） [1]")
    html = render_chat_message(a)
    assert html.count('<div class="pb-block">') == 2 and "\\[" not in html
    assert html.index("国家民企质量意见") < html.index("瓯海千百行动方案")


def test_see_also_is_collapsed_and_linked_to_its_source_card():
    main, also = cite(1, "天津实施意见", "二（一）2"), cite(2, "天津实施意见", "二（九）18")
    a = Answer(question="q", citations=[main], see_also=[also],
               answer="培育企业品牌。（天津实施意见二（一）2） [1]\n另见：天津实施意见 二（九）18 [2]")
    html = render_chat_message(a)
    assert '<details class="pb-see-also">' in html and '<a href="#cite-2"' in html
    sources = render_sources(a)
    assert 'id="cite-1"' in sources and 'id="cite-2"' in sources and "另见" in sources


def test_copied_citation_carries_every_known_part():
    c = cite(1, "广东走出去措施", "八、")
    c.doc_number, c.issuers, c.date = "粤办函〔2020〕90号", ["广东省人民政府办公厅"], "2020-05-09"
    assert c.reference() == "《广东走出去措施全称》（粤办函〔2020〕90号，广东省人民政府办公厅，2020-05-09）八、"
    c.doc_number = "暂无"
    assert c.reference() == "《广东走出去措施全称》（广东省人民政府办公厅，2020-05-09）八、"
    from bot.ui.render_text import copy_button

    assert "粤办函" not in copy_button(c) and "广东省人民政府办公厅，2020-05-09）八、" in copy_button(c)
