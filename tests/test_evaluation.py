"""Answer metrics of ``policybot eval`` on hand-made answers: no index, no model."""
from __future__ import annotations

import pytest

from bot.answer.schemas import Answer, Citation
from bot.evaluation import (
    RetrievalEval,
    answer_length,
    format_answers,
    format_retrieval,
    format_side_by_side,
    gold_entries_cited,
    gold_forms,
    gold_rank,
    is_blind,
    is_comparison,
    is_gold_citation,
    is_lookup_answer,
    percentile,
    score_answers,
    summary,
)

pytestmark = pytest.mark.unit

GD = {"doc": "guangdong.txt", "anchor": "设立商标品牌培育指导站", "item": "七、"}
TJ = {"doc": "tianjin.txt", "anchor": "设立一批商标品牌工作指导站", "item": "七(二十一)"}


def cite(text: str, via: str = "dense", doc: str = "d") -> Citation:
    return Citation(clause_id=f"{doc}:{text[:4]}", doc_id=doc, doc_title="T", item="1", text=text, via=via)


def ans(text: str, *cites: Citation, refused: bool = False) -> Answer:
    return Answer(question="q", answer=text, refused=refused, citations=list(cites))


def q(qid: str, *gold: dict, kind: str = "paraphrase", must: list[str] | None = None) -> dict:
    return {"id": qid, "question": "q", "kind": kind, "gold": list(gold), "must_mention": must or []}


def test_gold_citation_matches_across_script_and_whitespace():
    assert is_gold_citation(cite("在重点领域和产业集群 設立商標品牌培育指導站。"), [GD])
    assert not is_gold_citation(cite("推进质量基础设施建设。"), [GD, TJ])


def test_a_part_s_title_above_a_cited_item_holds_its_anchor():
    """五、推动建设工程品质化升级 has no text of its own; its items stand for it.  The item's own title does not widen
    what counts (it is in its text already), and a part's title never counts for a clause outside that part."""
    part = {"doc": "tj.txt", "anchor": "推动建设工程品质化升级", "item": "五"}
    item = cite("(十三)加强工程质量保障。全面落实各方主体的工程质量责任。")
    assert not is_gold_citation(item, [part])
    item.heading_path = ["五、推動建設工程品質化升級", "(十三)加强工程质量保障"]
    assert is_gold_citation(item, [part]) and gold_entries_cited([item], [part, GD]) == [True, False]
    own = cite("(十三)加强工程质量保障。")
    own.heading_path = ["(十三)推动建设工程品质化升级"]  # a title of the clause itself: not a part above it
    assert not is_gold_citation(own, [part])
    assert gold_rank([gold_forms("无关", []), gold_forms(item.text, item.heading_path)], [part["anchor"]]) == 2


def test_comparison_citing_one_of_two_gold_clauses_scores_half():
    question = q("c1", GD, TJ, kind="cross_doc")
    a = ans("广东……天津……", cite("在重点领域设立商标品牌培育指导站", doc="gd"), cite("无关条款", doc="tj"))
    assert gold_entries_cited(a.citations, [GD, TJ]) == [True, False]
    ev = score_answers([(question, a)])
    assert ev.comparison_questions == 1 and ev.comparison_gold == 2
    assert ev.comparison_gold_cited == 0.5
    assert ev.gold_cited == 1.0 and ev.citation_precision == 0.5


def test_comparison_is_cross_doc_kind_or_gold_from_two_documents():
    assert is_comparison(q("a", GD, kind="cross_doc"))
    assert is_comparison(q("b", GD, TJ, kind="paraphrase"))
    assert not is_comparison(q("c", GD, dict(GD, anchor="另一句"), kind="numeric"))
    assert not is_comparison(q("d"))


def test_refused_answers_count_as_refusals_and_are_left_out_of_answer_metrics():
    pairs = [
        (q("u1", kind="unanswerable"), ans("未找到依据", refused=True)),
        (q("u2", kind="unanswerable"), ans("胡乱回答", cite("无关"))),
        (q("a1", GD, must=["培育指导站"]), ans("未找到依据", refused=True)),
        (q("a2", GD, must=["培育指导站", "产业集群"]), ans("设立商标品牌培育指导站 [1]", cite("设立商标品牌培育指导站"))),
    ]
    ev = score_answers(pairs)
    assert (ev.answerable, ev.unanswerable) == (2, 2)
    assert ev.refusal_on_unanswerable == 0.5 and ev.false_refusal == 0.5
    assert ev.cited_share == 1.0 and ev.gold_cited == 1.0 and ev.citation_precision == 1.0
    assert ev.must_mention == 0.5  # refused a1 contributes nothing; a2 mentions one of two
    assert ev.length_n == 1 and ev.comparison_questions == 0
    assert ev.problems == ["u2 answered an unanswerable question", "a1 refused an answerable question"]


def test_answered_without_gold_citation():
    ev = score_answers([(q("a", GD), ans("答案", cite("无关条款"))), (q("b", GD), ans("答案"))])
    assert ev.gold_cited == 0.0 and ev.cited_share == 0.5 and ev.citation_precision == 0.0


def test_see_also_tail_is_excluded_from_length():
    assert answer_length("正文十个字正文十个字\n另见：《某文件》第3项") == 10
    assert answer_length("正文\n\n  另见 某条") == 2
    assert answer_length("正文里提到另见不算\n第二行") == len("正文里提到另见不算\n第二行")
    assert answer_length("") == 0


def test_lookup_answers_are_left_out_of_length():
    lookup = ans("整条引用" * 50, cite("某条款", via="lookup"))
    assert is_lookup_answer(lookup) and not is_lookup_answer(ans("x", cite("y", via="bm25")))
    ev = score_answers([(q("l", GD, kind="lookup"), lookup), (q("p", GD), ans("短答案\n另见：很长的尾巴"))])
    assert ev.length_n == 1 and ev.length_median == 3 and ev.length_p90 == 3


def test_percentile_interpolates_between_ranks():
    assert percentile([], 50) == 0.0
    assert percentile([7], 90) == 7
    assert percentile([3, 1, 2], 50) == 2
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 90) == pytest.approx(91)
    assert percentile([1, 2, 3, 4, 5], 100) == 5 and percentile([1, 2, 3, 4, 5], 0) == 1


def test_format_keeps_old_keys_and_adds_new_ones():
    out = format_answers(score_answers([(q("c", GD, TJ), ans("设立商标品牌培育指导站", cite("设立商标品牌培育指导站")))]))
    for key in ("refusal on unanswerable=", "false refusals=", "answers with citation=", "citation precision=",
                "must_mention coverage=", "answers citing a gold clause=1.000", "comparison gold clauses cited=0.500",
                "median=11", "p90=11"):
        assert key in out


def test_partial_answers_count_as_handled_unanswerable_questions_and_as_answers():
    partial = Answer(question="q", answer="文件提到…，未写明补贴标准 [1]", partial=True, citations=[cite("质量认证帮扶")])
    pairs = [
        (q("u1", kind="unanswerable"), partial),
        (q("u2", kind="unanswerable"), ans("未找到依据", refused=True)),
        (q("u3", kind="unanswerable"), ans("胡乱回答", cite("无关"))),
        (q("a1", GD), Answer(question="q", answer="x", partial=True, citations=[cite("设立商标品牌培育指导站")])),
        (q("a2", GD), ans("设立商标品牌培育指导站 [1]", cite("设立商标品牌培育指导站"))),
    ]
    ev = score_answers(pairs)
    assert ev.unanswerable_handled == pytest.approx(2 / 3)
    assert ev.refusal_on_unanswerable == pytest.approx(1 / 3)
    assert ev.false_refusal == 0.0 and ev.gold_cited == 1.0 and ev.partial == 0.5
    assert ev.problems == ["u3 answered an unanswerable question"]


def test_side_by_side_table_has_one_column_per_set():
    ev = score_answers([(q("a", GD, must=["指导站"]), ans("设立商标品牌培育指导站 [1]", cite("设立商标品牌培育指导站")))])
    rev = RetrievalEval(n=1, recall={1: 0.5, 3: 1.0})
    table = format_side_by_side({"dev": summary(rev, ev), "blind": summary(rev, ev)}, {"dev": 40, "blind": 170})
    lines = table.splitlines()
    assert lines[0] == "| | dev (40 q) | blind (170 q) |"
    assert "| recall@1 | 0.500 | 0.500 |" in lines
    assert "| answers citing a gold clause | 1.000 | 1.000 |" in lines


def test_blind_sets_print_figures_without_misses():
    from pathlib import Path

    assert is_blind(Path("eval/blind/blind.jsonl")) and not is_blind(Path("eval/dev.jsonl"))
    ev = score_answers([(q("a1", GD), ans("未找到依据", refused=True))])
    assert "a1 refused" in format_answers(ev) and "a1" not in format_answers(ev, details=False)
    rev = RetrievalEval(n=1, recall={1: 0.0}, misses=[{"id": "b7", "kind": "k", "question": "Q", "rank": None,
                                                      "gold": [], "got": []}])
    assert "b7" in format_retrieval(rev) and "b7" not in format_retrieval(rev, details=False)
