"""The ``criterion`` answer type: a question asking by what something is judged is answered by the clause
that states the yardstick, not by the items that share the question's topic words.

The questions are phrasings of our own, not the questions of an evaluation set.
Its cues are checked with every other type's in tests/test_question_types.py.
"""
from __future__ import annotations

import pytest

from bot.retrieval.answer_types import criterion
from bot.retrieval.intent import classify
from ingest.models import Clause, DocMeta

DOC = DocMeta(doc_id="sq-2024", title="某区质量强企行动方案", short_name="某区方案", region="某区", date="2024-03-01")


def _clause(n: int, text: str, kind: str = "item") -> Clause:
    return Clause(clause_id=f"{DOC.doc_id}#{n}", doc_id=DOC.doc_id, doc_title=DOC.title, item=f"{n}", kind=kind,  # type: ignore[arg-type]
                  text=text, search_text=text, numbers=[n], ladder=["cn"], order=n, doc=DOC)


WORK = _clause(1, "强化质量强企行动组织保障，建立例会制度，推动工作落实。")
ATMOSPHERE = _clause(2, "营造质量强企浓厚氛围，总结宣传好经验好做法。")
YARDSTICK = _clause(3, "坚持效果导向。以企业的满意度作为检验质量强企工作成效的准绳。")
FOREIGN_YARDSTICK = _clause(4, "以群众满意度为评价标准开展养老服务评估。")


@pytest.mark.unit
@pytest.mark.parametrize("question", ["质量强企行动有哪些保障措施？", "企业标准怎么制定？", "检验检测费用能减免吗？"])
def test_other_questions_are_not_criterion_questions(question: str) -> None:
    assert classify(question).answer_type != "criterion"


@pytest.mark.unit
def test_the_clause_stating_the_yardstick_goes_first() -> None:
    intent = classify("某区的质量强企行动拿什么来衡量做得好不好？")
    grams = {"质量", "强企", "行动"}
    assert criterion.prefer(intent, [WORK, ATMOSPHERE, YARDSTICK], grams) == 2
    # the best clause already states one, or none of the few does: the order stays
    assert criterion.prefer(intent, [YARDSTICK, WORK], grams) == 0
    assert criterion.prefer(intent, [WORK, ATMOSPHERE], grams) == 0
    # a yardstick that shares nothing with the question is another topic's
    assert criterion.prefer(intent, [WORK, FOREIGN_YARDSTICK], grams) == 0
    # another type's question keeps the order
    assert criterion.prefer(classify("质量强企行动有哪些保障措施？"), [WORK, YARDSTICK], grams) == 0


@pytest.mark.unit
def test_a_bare_standard_is_no_yardstick() -> None:
    assert not criterion.states_yardstick("鼓励企业制定高于国家标准的企业标准。")
    assert criterion.states_yardstick("把用户满意作为衡量工作的尺度。")


@pytest.mark.integration
def test_a_yardstick_question_cites_the_principle_that_states_it(bot) -> None:
    answer = bot.answer("温州瓯海那个方案里，质量工作干得怎么样，是以什么为评价标准的？")
    assert not answer.refused
    assert answer.citations[0].doc_id.startswith("wenzhou-ouhai") and answer.citations[0].item == "一（三）"
