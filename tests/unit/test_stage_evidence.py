"""Evidence (bot/answer/evidence.py), in-force preference (bot/answer/in_force.py), comparison blocks
(bot/answer/comparison.py) and honest edges (bot/answer/edges.py) on hand-made clauses."""
from __future__ import annotations

import pytest

from bot.answer.comparison import blocks, order_named, point_words
from bot.answer.edges import missing_item, unknown_year
from bot.answer.evidence import evidence_score, select_sentences, shorten
from bot.answer.in_force import prefer_in_force, similarity
from bot.retrieval.analysis import ItemRef, analyze
from bot.retrieval.lookup import outline
from bot.retrieval.types import SearchResult
from ingest.text.segment import query_grams
from tests.unit.handmade import GUANGDONG, TIANJIN, all_parts, build_snapshot, catalog, clause, hit

pytestmark = pytest.mark.unit


def test_a_long_sentence_is_cut_to_its_relevant_pieces():
    long = "，".join(["加强组织领导", "建立首席质量官制度", "完善质量工作协调机制", "统筹安排专项资金", "开展质量提升行动",
                     "推进标准化建设", "强化计量检测能力", "培育质量品牌", "营造良好质量环境", "落实质量安全责任"]) + "。"
    short = shorten(long, query_grams("首席质量官制度"), limit=30)
    assert "建立首席质量官制度" in short and len(short) < len(long)
    assert short.endswith(("…", "。"))
    assert shorten("很短的句子。", set()) == "很短的句子。"


def test_select_sentences_quotes_what_carries_the_question_in_reading_order():
    c = clause("二4").model_copy(update={"text": "加大扶持力度。对获得中国质量奖的企业给予100万元奖励。其他事项另行规定。"})
    picked = select_sentences(query_grams("中国质量奖奖励多少"), c)
    assert picked[0] == "加大扶持力度。"  # a short item title frames the quote, though it shares no word
    assert "对获得中国质量奖的企业给予100万元奖励。" in picked and "其他事项另行规定。" not in picked
    assert select_sentences(query_grams("中国质量奖"), c.model_copy(update={"text": "奖励[1]。"}))[0] == "奖励(1)。"
    # a title alone is no answer: when it is all that is chosen, the first sentence after it follows
    titled = c.model_copy(update={"text": "(一)加强统筹协调。建立部门协调联络机制,开展专题研究。其他事项另行规定。"})
    assert select_sentences(query_grams("小批量定制订单怎么应对"), titled) == ["(一)加强统筹协调。", "建立部门协调联络机制,开展专题研究。"]


def test_evidence_score_is_the_best_cover_among_the_first_three():
    hits = [hit("三5"), hit("一1")]
    assert evidence_score("首席质量官制度", hits) == pytest.approx(1.0)
    assert evidence_score("火星移民", hits) == 0.0
    assert evidence_score("首席质量官", []) == 0.0


def test_an_in_force_clause_saying_the_same_moves_ahead_of_an_expired_one():
    old = hit("一1")
    new_clause = old.clause.model_copy(update={"doc_id": "tj-2025-quality", "clause_id": "tj-2025-quality:一1",
                                               "text": old.clause.text.replace("500家", "600家")})
    new = type(old)(new_clause, 0.9)
    other = hit("二3", score=0.95)
    result = SearchResult([old, other, new], analyze("首席质量官制度企业多少家", catalog()))
    in_force = {"tj-2025-quality": True}.get
    moved = prefer_in_force(result, lambda d: bool(in_force(d)))
    assert [h.clause.doc_id for h in moved.hits] == ["tj-2025-quality", TIANJIN.doc_id, TIANJIN.doc_id]
    assert similarity(old.clause.text, new_clause.text) > 0.4
    # the question names the old document: it stays first (the answer warns that it has expired)
    named = SearchResult([old, other, new], analyze("天津实施意见首席质量官制度企业多少家", catalog()))
    assert prefer_in_force(named, lambda d: bool(in_force(d))).hits[0] is old


def test_order_named_follows_the_question():
    q = "天津实施意见和广东标准措施分别怎么说？"
    assert order_named(q, [GUANGDONG.doc_id, TIANJIN.doc_id], catalog()) == [TIANJIN.doc_id, GUANGDONG.doc_id]


def test_comparison_blocks_one_per_named_document_and_say_when_one_is_silent():
    q = "广东标准措施和天津实施意见对国际标准分别怎么规定？"
    analysis = analyze(q, catalog())
    grams = query_grams(analysis.content)
    both = SearchResult([hit("一、", GUANGDONG), hit("一1")], analysis)
    out = blocks(q, both, catalog(), grams)
    assert [b.doc_id for b in out] == [GUANGDONG.doc_id, TIANJIN.doc_id]
    assert out[0].hit is not None and out[0].hit.clause.item == "一、"
    assert out[1].hit is None  # 天津 says nothing about international standards: said, never silence


def test_a_document_that_states_the_point_in_two_measures_gets_both():
    """广东 speaks of 国际标准 in 一、 and in 二、: the block quotes both; 三、 (贸易壁垒) says less of the point."""
    q = "广东标准措施和天津实施意见对国际标准分别怎么规定？"
    analysis = analyze(q, catalog())
    grams = query_grams(analysis.content)
    hits = [hit("一、", GUANGDONG), hit("三、", GUANGDONG), hit("二、", GUANGDONG), hit("一1")]
    out = blocks(q, SearchResult(hits, analysis), catalog(), grams)
    assert out[0].hit is not None and out[0].hit.clause.item == "一、"
    assert out[0].also is not None and out[0].also.clause.item == "二、"
    alone = blocks(q, SearchResult([hit("一、", GUANGDONG), hit("三、", GUANGDONG), hit("一1")], analysis), catalog(), grams)
    assert alone[0].also is None


def test_comparison_point_leaves_out_wording_no_document_uses(tmp_path):
    # "唠唠叨叨", "啰嗦" are the asker's words: no clause of either document could differ on them, so
    # 广东's clause on international standards addresses the point although it says none of them
    q = "广东标准措施和天津实施意见对国际标准，两边领导唠唠叨叨啰嗦些啥？"
    analysis = analyze(q, catalog())
    snap, _ = build_snapshot(tmp_path)
    result = SearchResult([hit("一、", GUANGDONG), hit("一1")], analysis, snapshot=snap)
    assert [w for w, _ in point_words(result, catalog(), [GUANGDONG.doc_id, TIANJIN.doc_id])] == ["国际", "国际标准", "领导"]  # 领导: 天津 三5
    out = blocks(q, result, catalog(), query_grams(analysis.content))
    assert out[0].doc_id == GUANGDONG.doc_id and out[0].hit is not None
    other = "广东那份文件和天津那边的政策对国际标准，两边领导唠唠叨叨啰嗦些啥？"  # 文件, 政策 name documents
    other_result = SearchResult(result.hits, analyze(other, catalog()), snapshot=snap)
    words = [w for w, _ in point_words(other_result, catalog(), [GUANGDONG.doc_id, TIANJIN.doc_id])]
    assert "国际标准" in words and not {"文件", "政策", "那边"} & set(words)
    without_snapshot = SearchResult(result.hits, analysis)  # every word counts: 广东 says too little of them
    assert blocks(q, without_snapshot, catalog(), query_grams(analysis.content))[0].hit is None


def test_a_comparison_that_finds_one_document_only_is_no_comparison():
    q = "小企业跟大企业比，计量托管服务有什么不同？"  # compares enterprises, names no document
    analysis = analyze(q, catalog())
    result = SearchResult([hit("二3"), hit("三、", GUANGDONG)], analysis)
    assert analysis.compare and not analysis.doc_ids
    assert blocks(q, result, catalog(), query_grams(analysis.content)) == []


def test_a_comparison_asked_after_another_question_is_a_comparison():
    """"…是一回事吗？两边各怎么说的？": a yes/no question first, then what each document says — still a comparison."""
    analysis = analyze("广东的措施和天津的实施意见说的计量服务是一回事吗？两边各怎么说的？", catalog())
    assert analysis.intent is not None and analysis.intent.answer_type != "compare" and "compare" in analysis.intent.asks
    assert analysis.compare
    assert not analyze("天津的实施意见说的计量服务是免费的吗？", catalog()).compare


def test_a_missing_number_gets_the_count_and_the_outline():
    tj = [c for c in all_parts() if c.doc_id == TIANJIN.doc_id]
    text = missing_item(ItemRef([(None, 99)], "第99条"), outline(tj, TIANJIN.doc_id), catalog())
    first, *rest = text.splitlines()
    assert first.startswith("天津实施意见共 ") and first.endswith("没有第99条。")
    assert rest[0] == "全文目录：" and len(rest) == 7


def test_a_year_no_named_document_has_is_said_first():
    notice = unknown_year("天津2019年的实施意见讲了什么", [TIANJIN.doc_id], catalog())
    assert notice == "已收录文件中没有2019年的该文件；以下依据天津实施意见作答。"
    assert unknown_year("天津2023年的实施意见讲了什么", [TIANJIN.doc_id], catalog()) == ""
    assert unknown_year("天津2019年的实施意见讲了什么", [], catalog()) == ""
