"""The one text form of an answer (bot/answer/text_form.py): plain, complete, the same on every surface."""
from __future__ import annotations

import json
import re

import pytest

from bot.answer.schemas import Answer, Citation
from bot.answer.text_form import answer_text, conversation_text, plain_text, write_out_markers
from bot.service.feedback import FeedbackLog
from bot.service.review import RefusalLog, refused_rows
from bot.ui.render_chat import assistant_turn, conversation_plain, render_chat, render_chat_message, render_sources

pytestmark = pytest.mark.unit

MARKUP = re.compile(r"\*\*|\\\[|<[a-z/]|&[a-z]+;|^#", re.M)


def cite(n: int | None, doc: str, item: str, number: str = "津市监〔2022〕1号") -> Citation:
    return Citation(clause_id=f"{doc}:{item}", doc_id=doc, doc_title=f"{doc}全称", doc_name=doc, item=item,
                    item_label=item, citation=f"《{doc}全称》{item}", text=f"{doc}的条款原文。", marker=n,
                    doc_number=number, issuers=["天津市市场监管委"], date="2022-07-22")


def refusal() -> Answer:
    near = [cite(None, "天津实施意见", f"二（{i}）") for i in "一二三四"]
    return Answer(question="今天天气怎么样？", answer="现有政策文件中未找到与该问题直接对应的规定。\n以下条款可能相关，供参考：",
                  refused=True, notice="检索到的条款与问题关联较弱。", retrieved=near, refusal_reason="weak_evidence")


def test_refusal_keeps_its_list_in_the_plain_form_and_the_chat():
    a = refusal()
    text = plain_text(a)
    assert text.endswith("以下条款可能相关，供参考：\n"
                         "[1] 《天津实施意见全称》（津市监〔2022〕1号，天津市市场监管委，2022-07-22）二（一）\n"
                         "[2] 《天津实施意见全称》（津市监〔2022〕1号，天津市市场监管委，2022-07-22）二（二）\n"
                         "[3] 《天津实施意见全称》（津市监〔2022〕1号，天津市市场监管委，2022-07-22）二（三）")
    assert text.startswith("提示：检索到的条款与问题关联较弱。\n未找到直接依据\n")
    html = render_chat_message(a)
    assert html.count("<li>") == 3 and 'href="#cite-3"' in html
    assert 'id="cite-3"' in render_sources(a) and 'id="cite-4"' not in render_sources(a)


def test_partial_answer_lists_related_clauses_after_its_own_markers():
    """Another change adds ``partial`` to Answer; the text form reads any answer's lists generically."""
    a = Answer(question="q", answer="部分依据如下。（天津实施意见二（一）） [1]", citations=[cite(1, "天津实施意见", "二（一）")],
               retrieved=[cite(None, "天津实施意见", "二（一）"), cite(None, "国家意见", "三、")])
    object.__setattr__(a, "partial", True)  # what the other change's field will hold
    form = answer_text(a)
    assert [s.title for s in form.sections] == ["来源", "可能相关的条款（仅供参考）"]
    assert form.sections[1].labels() == ["[2] 《国家意见全称》（津市监〔2022〕1号，天津市市场监管委，2022-07-22）三、"]
    assert 'id="cite-2"' in render_sources(a)


def test_comparison_and_yes_answers_carry_no_markup():
    comp = Answer(question="q", citations=[cite(1, "瓯海千百行动方案", "二（一）")],
                  answer="【国家民企质量意见】未涉及这一点。\n【瓯海千百行动方案】打造“品字标”。（瓯海千百行动方案二（一）） [1]")
    yes = Answer(question="q", lead="有。", citations=[cite(1, "广东走出去措施", "九、")],
                 answer="有。支持参与国际标准化活动。（广东走出去措施九、） [1]")
    for a in (comp, yes):
        text = plain_text(a)
        assert not MARKUP.search(text), text
        assert "\n来源：\n[1] 《" in text
    assert plain_text(yes).startswith("有。支持参与国际标准化活动。")


def test_see_also_line_becomes_the_see_also_list():
    main, also = cite(1, "天津实施意见", "二（一）2"), cite(2, "天津实施意见", "二（九）18")
    a = Answer(question="q", citations=[main], see_also=[also],
               answer="培育企业品牌。（天津实施意见二（一）2） [1]\n另见：天津实施意见 二（九）18 [2]")
    text = plain_text(a)
    assert "另见：天津实施意见" not in text
    assert text.endswith("另见：\n[2] 《天津实施意见全称》（津市监〔2022〕1号，天津市市场监管委，2022-07-22）二（九）18")


def test_llm_markdown_is_dropped_and_bare_markers_written_out():
    a = Answer(question="q", mode="llm", citations=[cite(1, "天津实施意见", "第15条")],
               answer="## 结论\n**有。** 可获奖励[1]。")
    text = plain_text(a)
    assert text.startswith("结论\n有。 可获奖励（天津实施意见 第15条）[1]。")
    assert write_out_markers("见（天津实施意见 第15条） [1]", a.citations) == "见（天津实施意见 第15条） [1]"


def test_history_export_and_review_all_hold_the_plain_form(tmp_path):
    a = refusal()
    history = [{"role": "user", "content": a.question}, assistant_turn(a)]
    expected = conversation_text([(a.question, a)])
    assert conversation_plain(history) == expected and "[3] 《天津实施意见全称》" in expected
    # a past answer (not the last) is rendered from its record, its list included
    msgs = render_chat([*history, {"role": "user", "content": "再问"}, assistant_turn(Answer(question="再问", answer="好"))],
                       None)
    assert msgs[1]["content"].count("<li>") == 3 and "#cite-" not in msgs[1]["content"]
    log = RefusalLog(tmp_path / "refused.jsonl")
    log.record(a)
    assert refused_rows(log.entries())[0][2] == plain_text(a)
    fb = FeedbackLog(tmp_path / "feedback.jsonl")
    fb.record(a.model_dump(), "down")
    assert json.loads(fb.path.read_text(encoding="utf-8"))["answer"] == plain_text(a)
