"""A content word's policy terms as the question uses it (ingest/text/thesaurus.expand_word)."""
from __future__ import annotations

import pytest

from bot.retrieval.analysis import analyze
from ingest.text.thesaurus import expand, expand_word
from tests.unit.handmade import catalog

pytestmark = pytest.mark.unit


def test_an_everyday_term_around_the_word_lends_it_its_policy_terms():
    """"不罚款" is said around the word 罚款: 免罚 is what 罚款 means here, not only 处罚."""
    question = "小企业第一次犯点小错，是不是可以不罚款？"
    assert "免罚" not in expand("罚款")
    assert "免罚" in expand_word("罚款", question) and "处罚" in expand_word("罚款", question)
    assert "免罚" not in expand_word("罚款", "罚款标准是多少")  # no 不罚款 in this question


def test_the_reranker_and_the_refusal_rule_see_it_as_the_words_alternative():
    analysis = analyze("小企业第一次犯点小错，是不是可以不罚款？", catalog())
    alternatives = dict(analysis.word_alternatives())
    assert "免罚" in alternatives["罚款"]
