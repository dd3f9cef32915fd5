"""What a stated quantity looks like (bot/retrieval/quantities.py) and a hotline query's own words
(bot/retrieval/terms.py)."""
from __future__ import annotations

import pytest

from bot.retrieval.quantities import states_quantity
from bot.retrieval.terms import contains_terms, query_terms, term_spans
from ingest.text.segment import Segmenter, domain_terms, use_segmenter

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("text,kind,expected", [
    ("企业达到500家以上", "count", True),
    ("给予100万元奖励", "amount", True),
    ("给予100万元奖励", "count", False),
    ("覆盖率达到90%", "ratio", True),
    ("到2025年底完成", "deadline", True),
    ("在15个工作日内办结", "deadline", True),
    ("加强组织领导", None, False),
    ("给予100万元奖励", None, True),  # any kind
    ("每季度形成数据分析报告", "frequency", True),
    ("每两年评选一次", "frequency", True),
    ("三年一次开展复评", "frequency", True),
    ("定期开展监督检查", "frequency", False),  # that it recurs, not how often
    ("建立日管控、周排查、月调度工作机制", "frequency", True),  # a unit of time before each task
    ("实行一月一调度、一季一通报", "frequency", True),
    ("根据实际情况，逐年更新抽查事项清单", "frequency", True),  # year by year
    ("年度计划、季度安排", "frequency", False),  # a period named, not how often
    ("每月10日前报送", "deadline", False),
    ("每年开展质量月活动", None, False),  # how often is no target's figure
])
def test_states_quantity_by_kind(text, kind, expected):
    assert states_quantity(text, kind) is expected


def test_query_terms_drop_the_documents_names_and_the_pieces_of_a_long_word():
    use_segmenter(Segmenter(domain_terms()))  # as every index snapshot does: policy compounds stay whole
    terms = query_terms("天津实施意见 首席质量官", doc_names=["天津实施意见"])
    assert terms == ["首席质量官"]  # not 天津实施意见, not 首席 / 质量
    assert query_terms("“计量 托管”") == ["计量 托管"]  # a quoted query is one phrase
    assert query_terms("计量托管 首席质量官", phrase=True) == ["计量托管 首席质量官"]


def test_terms_match_in_either_script():
    assert contains_terms("建立首席質量官制度", ["首席质量官"])
    assert not contains_terms("建立首席质量官制度", ["首席质量官", "计量"])
    text = "開展計量托管，計量檢測"
    assert term_spans(text, ["计量"]) == [(2, 4), (7, 9)]
    assert term_spans(text, ["", " "]) == []
