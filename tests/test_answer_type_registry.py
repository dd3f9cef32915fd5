"""The answer-type registry (bot.retrieval.answer_types): one module per type, registered in one place,
and the stages that read it — cue detection, lead lines, second-stage features, LLM guidance and the
extractive answer's choice of clause — on small hand-made clauses (no index, no model).

The questions are hotline phrasing of our own, not the questions of the evaluation set.
"""
from __future__ import annotations

import pytest

from bot.answer.extractive import extractive_answer
from bot.answer.leads import YES, lead
from bot.answer.prompting import guidance
from bot.retrieval import SearchHit, SearchResult
from bot.retrieval import answer_types as registry
from bot.retrieval.analysis import analyze
from bot.retrieval.catalog import DocumentCatalog
from bot.retrieval.intent import ANSWER_TYPES, QuestionIntent, classify, cue_sections
from bot.retrieval.rerank import FEATURES, features, shipped_weights
from ingest.models import Clause, ClauseKind, DocMeta
from prompts import load_prompt

pytestmark = pytest.mark.unit

DOC = DocMeta(doc_id="sq-2024", title="某市质量强市建设实施方案", short_name="某市方案", region="某市", date="2024-03-01",
              doc_number="某政办发〔2024〕3号", issuers=["某市人民政府办公室"])
CATALOG = DocumentCatalog(metas=(DOC,), numbering={DOC.doc_id: "cn"})


def _clause(n: int, *, item: str, text: str, kind: ClauseKind = "item", departments: tuple[str, ...] = (),
            heading: str = "", ladder: tuple[str, ...] = ("cn",)) -> Clause:
    return Clause(clause_id=f"{DOC.doc_id}#{n}", doc_id=DOC.doc_id, doc_title=DOC.title, item=item,
                  kind=kind, text=text, search_text=text, departments=list(departments), numbers=[n],
                  ladder=list(ladder), heading_path=[heading] if heading else [], order=n, doc=DOC)


BRANDS = _clause(5, item="五、", text="五、加强品牌建设。到2025年，培育省级以上品牌企业50家，品牌价值提升10%。",
                 heading="五、加强品牌建设", departments=("市市场监管局", "市商务局"))
PLAIN = _clause(6, item="六、", text="六、营造质量氛围。用好质量月等活动载体，扩大政策知晓度。", heading="六、营造质量氛围")
RECORD = _clause(0, item="文件信息", kind="docinfo", ladder=(),
                 text="某市质量强市建设实施方案。文号：某政办发〔2024〕3号。发布机关：某市人民政府办公室。发布日期：2024-03-01。")


# --- the registry itself ---------------------------------------------------------------------------

def test_every_type_is_registered_once_with_a_rank_of_its_own():
    names = [t.name for t in registry.REGISTERED]
    assert len(names) == len(set(names)) and "general" in names
    ranks = [t.precedence for t in registry.REGISTERED]
    assert len(ranks) == len(set(ranks))
    assert registry.names() == ANSWER_TYPES and ANSWER_TYPES[-1] == "general"  # precedence order, general last


def test_each_type_brings_its_cues_and_its_prompt_file():
    sections = cue_sections()
    for t in registry.REGISTERED:
        for section in t.asking_sections():
            assert sections.get(section), (t.name, section)
        if t.guidance:
            assert load_prompt(t.guidance).strip(), t.name
    assert {t.name for t in registry.REGISTERED if t.cues is None} == {"lookup"}  # asked by no cue (general also by none)


def test_a_cue_section_belongs_to_one_type():
    owners = [s for t in registry.REGISTERED for s in t.sections()]
    assert len(owners) == len(set(owners))
    assert set(owners) <= set(cue_sections())


def test_an_unknown_name_is_the_general_type():
    assert registry.by_name("no-such-type") is registry.by_name("general")
    assert registry.by_name("general").lead is None and registry.by_name("general").guidance is None


# --- cue detection: the registered cues and ranks decide the type -----------------------------------

@pytest.mark.parametrize("question,answer_type", [
    ("各地对首席质量官的规定有什么不同？", "compare"),
    ("计量托管服务在方案的第几条？", "locate"),
    ("某市方案第五条讲什么", "lookup"),
    ("这份方案的文号是多少？", "metadata"),
    ("品牌培育由哪个部门牵头？", "responsible"),
    ("到2025年要培育多少家品牌企业？", "quantity"),
    ("小微企业有没有认证补贴？", "yesno"),
    ("计量器具检定怎么办理？", "procedure"),
    ("质量提升有哪些举措？", "list"),
    ("质量文化建设", "general"),
])
def test_each_type_is_asked_by_its_cues(question: str, answer_type: str):
    assert classify(question).answer_type == answer_type


def test_a_types_rank_decides_between_two_asked_in_one_sentence():
    responsible, quantity = registry.by_name("responsible"), registry.by_name("quantity")
    assert responsible.precedence < quantity.precedence
    intent = classify("哪个部门负责培育多少家企业？")
    assert intent.asks == ("responsible", "quantity")


# --- lead lines ------------------------------------------------------------------------------------

def _lead(intent: QuestionIntent, clause: Clause, grams: frozenset[str] = frozenset()) -> str:
    return lead(intent, clause, CATALOG, set(grams))


def test_lead_lines_per_type():
    assert _lead(QuestionIntent("responsible"), BRANDS) == "由市市场监管局、市商务局负责。"
    assert _lead(QuestionIntent("responsible"), PLAIN) == ""  # the clause names no body: no lead
    assert _lead(QuestionIntent("quantity", "count"), BRANDS) == "到2025年，培育省级以上品牌企业50家。"
    assert _lead(QuestionIntent("quantity", "ratio"), BRANDS) == "品牌价值提升10%。"
    assert _lead(QuestionIntent("quantity", None), BRANDS) == "到2025年；培育省级以上品牌企业50家；品牌价值提升10%。"
    assert _lead(QuestionIntent("quantity", "amount"), PLAIN) == ""
    assert _lead(QuestionIntent("locate", unit="条"), BRANDS) == "在《某市方案》中是第五条：五、加强品牌建设。"
    assert _lead(QuestionIntent("metadata"), RECORD) == \
        "《某市质量强市建设实施方案》文号：某政办发〔2024〕3号；发布日期：2024年3月1日（2024-03-01）；发布机关：某市人民政府办公室（简称某市政府办公室）。"
    assert _lead(QuestionIntent("metadata"), BRANDS) == ""  # only the record states it
    assert _lead(QuestionIntent("yesno"), PLAIN) == YES
    for quiet in ("compare", "lookup", "procedure", "list", "general"):
        assert _lead(QuestionIntent(quiet), BRANDS) == "", quiet


def test_a_type_asked_second_adds_its_lead_when_it_says_so():
    asked = QuestionIntent("yesno", secondary=("responsible",))
    assert _lead(asked, BRANDS) == "有。由市市场监管局、市商务局负责。"
    assert _lead(QuestionIntent("yesno", secondary=("quantity",)), BRANDS) == "有。"  # quantity leads only first


# --- second stage, LLM guidance, extractive clause choice -------------------------------------------

def test_every_registered_feature_is_a_rerank_feature_with_a_fitted_weight():
    names = [f.name for f in registry.features()]
    assert names and all(FEATURES.count(n) == 1 for n in names)
    weights = shipped_weights()
    assert weights is not None and len(weights.values) == len(FEATURES)


def _column(question: str, hits: list[Clause], name: str) -> list[float]:
    rows = features(analyze(question, [DOC]), [SearchHit(c, 1.0 - i / 10) for i, c in enumerate(hits)])
    return list(rows[:, FEATURES.index(name)])


def test_type_features_fire_for_their_own_type_only():
    assert _column("某市方案要培育多少家品牌企业？", [BRANDS, PLAIN], "quantity_fit") == [1.0, 0.0]
    assert _column("某市方案品牌建设由哪些部门负责？", [BRANDS, PLAIN], "responsible_fit") == [1.0, 0.0]
    assert _column("某市方案品牌建设怎么做？", [BRANDS, PLAIN], "quantity_fit") == [0.0, 0.0]
    assert _column("某市方案的文号是多少？", [RECORD, PLAIN], "docinfo_ask") == [1.0, 0.0]
    assert _column("某市方案品牌建设怎么做？", [RECORD, PLAIN], "docinfo_other") == [1.0, 0.0]


def test_the_llm_is_guided_by_the_types_prompt_file():
    assert guidance("responsible", []) == load_prompt("guidance_responsible")
    assert guidance("general", []) == "" and guidance("no-such-type", []) == ""
    assert guidance("quantity", ["某市方案"]).splitlines() == [load_prompt("guidance_quantity"),
                                                             "问题涉及的文件（按提问顺序）：《某市方案》。"]


@pytest.mark.parametrize("question,kind", [("某市方案的文号是多少？", "docinfo"), ("某市方案品牌建设怎么做？", "item")])
def test_the_record_answers_the_document_questions_only(question: str, kind: str):
    hits = [SearchHit(RECORD, 1.0, rerank=5.0), SearchHit(BRANDS, 0.9, rerank=4.9)]
    result = SearchResult(hits=hits, analysis=analyze(question, [DOC]), answerable_floor=None)
    answer = extractive_answer(question, result, CATALOG)
    assert answer.citations and answer.citations[0].kind == kind
