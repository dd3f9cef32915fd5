"""Question analysis names the answer type (bot.retrieval.intent): a table of questions in both scripts,
the precedence rules when several cues match, and the cue file the classifier reads.

The questions are hotline and enterprise phrasing of our own about quality policy (认证, 标准, 计量,
检验检测, 首席质量官, 质量奖, 品牌, 资金支持 …), not the questions of the evaluation set.
"""
from __future__ import annotations

from collections import Counter

import pytest

from bot.retrieval import answer_types
from bot.retrieval.answer_types.quantity import KINDS
from bot.retrieval.intent import ANSWER_TYPES, QUANTITY_KINDS, QuestionIntent, classify, cue_sections
from ingest.text.script import is_traditional, to_simplified, to_traditional

pytestmark = pytest.mark.unit

# (question, expected): the answer type; "quantity/<kind>" names the quantity kind, "locate/<unit>" and
# "lookup/<unit>" the unit word the question counts in (no suffix: no kind / no unit).
QUESTIONS: list[tuple[str, str]] = [
    ("天津实施意见第十二条具体是什么内容？", "lookup/条"),
    ("国家意见第二部分讲了哪些内容？", "lookup/部分"),
    ("纲要（十六）说的是什么", "lookup"),
    ("瓯海方案三（二）的原文发我看一下", "lookup"),
    ("广东那份文件第五条", "lookup/条"),
    ("帮我查一下国家意见第二十三项", "lookup/项"),
    ("天津纲要 8", "lookup"),
    ("实施意见第3点提到的检验检测服务是怎么回事", "lookup/点"),
    ("第二章第三节讲的是计量吗", "lookup/章"),
    ("國家意見三（一）是關於什麼的", "lookup"),
    ("天津實施意見第20條說了什麼", "lookup/条"),
    ("綱要第十八項對質量人才有什麼要求", "lookup/项"),
    ("首席质量官制度在国家意见的第几条？", "locate/条"),
    ("计量托管服务是哪一项里提到的？", "locate/项"),
    ("质量基础设施一站式服务放在哪方面？", "locate/方面"),
    ("团体标准的内容在纲要哪一部分？", "locate/部分"),
    ("关于品牌建设的要求是第几点？", "locate/点"),
    ("质量奖的事情在哪里提到过？", "locate"),
    ("哪份文件规定了检验检测机构能力验证？", "locate/文件"),
    ("认证认可的内容出自哪个章节？", "locate/章"),
    ("質量強企千百行動在方案的第幾部分？", "locate/部分"),
    ("商標品牌的支持政策是哪一條？", "locate/条"),
    ("計量器具檢定的要求寫在哪裏？", "locate"),
    ("巡迴問診服務屬於第幾款？", "locate/款"),
    ("国家意见的发文字号是什么？", "metadata"),
    ("天津纲要是什么时候印发的？", "metadata"),
    ("这个实施意见是哪个部门发布的？", "metadata"),
    ("瓯海的方案现在还有效吗？", "metadata"),
    ("广东这份文件的发布日期是哪天？", "metadata"),
    ("国家意见由哪几个部门联合印发？", "metadata"),
    ("国家那个意见是哪几个部门联合发的？", "metadata"),  # 哪几个部门 asks who issued it, not who is in charge
    ("國家那個意見是哪幾個部門聯合發的？落款日期是哪天？", "metadata"),
    ("这项工作由哪几个部门负责？", "responsible"),
    ("天津那个实施意见是哪几个部门一起印发的，什么时候？", "metadata"),
    ("这份纲要有效期到什么时候？", "metadata"),
    ("天津实施意见的全称叫什么？", "metadata"),
    ("國家意見是哪一年發佈的？", "metadata"),
    ("這份文件的文號是多少？", "metadata"),
    ("溫州甌海的方案是誰印發的？", "metadata"),
    ("這個政策是不是已經廢止了？", "metadata"),
    ("各地对首席质量官有哪些激励措施？", "compare"),
    ("天津和广东在团体标准方面的规定有什么不同？", "compare"),
    ("国家意见和天津实施意见相比，多了哪些内容？", "compare"),
    ("天津和温州分别对质量奖给多少奖金？", "compare"),
    ("不同城市对品牌建设的支持力度有何差异？", "compare"),
    ("哪个城市对小微企业认证补贴最多？", "compare"),
    ("国家层面和地方层面对计量服务的要求一致吗？", "compare"),
    ("各區縣對質量獎的獎勵標準一樣嗎？", "compare"),
    ("天津的实施意见要求各区制定实施方案，有没有规定期限？", "quantity/deadline"),  # every district's duty, no comparison
    ("天津和廣東都支持企業制定團體標準嗎？", "compare"),
    ("國家和地方的質量強企政策有什麼區別？", "compare"),
    ("跟廣東比，天津對檢驗檢測機構的扶持有哪些特點？", "compare"),
    ("计量托管服务由哪个部门负责？", "responsible"),
    ("首席质量官制度是谁牵头推动的？", "responsible"),
    ("质量奖评审工作归谁管？", "responsible"),
    ("企业标准自我声明公开这块找谁？", "responsible"),
    ("检验检测机构资质认定的主管部门是哪个？", "responsible"),
    ("品牌培育这块工作是市场监管局负责吗？", "responsible"),
    ("质量提升行动的责任单位有哪些？", "responsible"),
    ("产品质量监督抽查由谁来组织？", "responsible"),
    ("質量基礎設施一站式服務由哪些部門牽頭？", "responsible"),
    ("標準化資助資金歸哪個單位審批？", "responsible"),
    ("企業遇到質量糾紛應該聯繫誰？", "responsible"),
    ("認證機構的監管分工是怎樣的？", "responsible"),
    ("到2025年全市要培育多少家质量标杆企业？", "quantity/count"),
    ("每年评选几个政府质量奖？", "quantity/count"),
    ("计划新建多少个国家级检验检测中心？", "quantity/count"),
    ("天津 首席质量官 企业数 目标", "quantity/count"),  # a statistic's name (企业数) in a search-box query
    ("车间里几位老师傅手艺好，有没有培养高技能工人的政策？", "yesno"),  # 几 after a place: a few
    ("瓯海方案里说要建几个标准化基地？", "quantity/count"),  # after a verb it may ask
    ("公司派了十几个员工去非洲，有什么保障？", "general"),  # a round figure asks no count
    ("想买几项高校的专利来用，市里有没有这种交易的地方？", "yesno"),  # 几 of the asker's plan, told before asking
    ("我想知道要建几个中心，有没有名单？", "quantity/count"),  # 想知道 asks
    ("我们车间几个老师傅凑了个小组，天津对这种活动鼓励吗？", "yesno"),  # the asker's situation, told first
    ("我想知道天津计划建几个中心，分别在哪？", "quantity/count"),
    ("我们想申报几个项目？", "quantity/count"),  # nothing asked after it: the 几 may ask
    ("获得省政府质量奖的企业奖励多少钱？", "quantity/amount"),
    ("主导制定国际标准最高资助多少？", "quantity/amount"),
    ("申请浙江制造认证要交多少认证费？", "quantity/amount"),
    ("商会一年收多少會費？", "quantity/amount"),
    ("送检一次要花多少？", "quantity/amount"),
    ("申请检测资质要交多少份材料？", "quantity/count"),
    ("规上工业企业采用先进质量管理方法的比例要达到多少？", "quantity/ratio"),
    ("产品质量监督抽查合格率目标是多少？", "quantity/ratio"),
    ("计量托管服务要在什么时候之前完成？", "quantity/deadline"),
    ("质量强市建设到哪年要见成效？", "quantity/deadline"),
    ("質量獎多久評選一次？", "quantity/frequency"),
    ("质量强企行动的主要目标是什么？", "quantity"),
    ("規上企業設立首席質量官的有多少家？", "quantity/count"),
    ("企業通過認證能拿到多少補貼？", "quantity/amount"),
    ("財政補助佔項目投入的百分之幾？", "quantity/ratio"),
    ("品牌企業培育計劃的期限是多久？", "quantity/deadline"),
    ("對獲得中國質量獎的企業最高獎勵幾萬？", "quantity/amount"),
    ("我们小厂能申请质量奖吗？", "yesno"),
    ("个体工商户可以参加质量提升培训吗？", "yesno"),
    ("有没有针对中小微企业的计量免费服务？", "yesno"),
    ("民营企业是否可以参与制定国家标准？", "yesno"),
    ("没有设首席质量官的企业能不能评质量奖？", "yesno"),
    ("哪些企业可以享受标准化资助？", "yesno"),
    ("我们是一家做食品包装的小企业，想了解一下认证方面的政策", "yesno"),
    ("外地企業在天津設廠，能享受這些政策嗎？", "yesno"),
    ("我們廠是做五金的，算不算專精特新？", "yesno"),
    ("團體標準需不需要備案？", "yesno"),
    ("檢驗檢測費用可以減免麼？", "yesno"),
    ("支持企业品牌建设的措施有哪些？", "list"),
    ("检验检测机构能为企业提供哪些服务？", "list"),
    ("认证有哪几种类型？", "list"),
    ("国家意见提出了几个方面的任务？", "list"),
    ("质量月期间一般有什么活动？", "list"),
    ("首席质量官的职责包括哪些？", "list"),
    ("天津质量强市纲要列了哪些重点工程？", "list"),
    ("政府对质量人才培养有什么支持政策？", "list"),
    ("企業可以獲得哪些質量技術服務？", "list"),
    ("品字標認證都有哪些要求？", "list"),
    ("質量基礎設施包括什麼內容？", "list"),
    ("民營企業質量提升有哪幾類幫扶？", "list"),
    ("申报质量标杆需要满足什么条件？", "requirements"),
    ("计量器具送检需要准备哪些材料？", "requirements"),
    ("首席质量官培训的报名条件是什么？", "requirements"),
    ("品牌示范企业认定有什么门槛？", "requirements"),
    ("申请检验检测补贴要提交什么？", "requirements"),
    ("參評質量獎需要具備哪些條件？", "requirements"),
    ("申報標準化資助要交哪些材料？", "requirements"),
    ("辦理計量認證需要帶什麼資料？", "requirements"),
    ("怎么申请政府质量奖？", "procedure"),
    ("企业标准自我声明公开的流程是什么？", "procedure"),
    ("想参加质量管理体系认证，去哪里办理？", "procedure"),
    ("巡回问诊的专家想请上门，要怎么预约？", "procedure"),  # booking is how to do it
    ("商标注册被驳回了怎么办？", "procedure"),
    ("企业如何获得品字标认证？", "procedure"),
    ("首席质量官怎么备案？", "procedure"),
    ("质量奖申报的步骤有哪些？", "procedure"),
    ("在哪裏可以報名參加首席質量官培訓？", "procedure"),
    ("檢驗檢測報告丟了該怎麼辦？", "procedure"),
    ("企業如何申報標準化項目資助？", "procedure"),
    ("質量保險的理賠手續是什麼？", "procedure"),
    ("什么是首席质量官？", "general"),
    ("质量基础设施一站式服务是什么意思？", "general"),
    ("请介绍一下质量强企千百行动", "general"),
    ("天津纲要里对质量文化建设是怎么说的？", "general"),
    ("计量托管是指什么", "general"),
    ("卓越绩效管理模式的核心理念是什么？", "general"),
    ("質量強市的意義是什麼？", "general"),
    ("請解釋一下“品字標”", "general"),
    ("技術性貿易壁壘對出口企業有什麼影響？", "general"),
    ("數字化轉型對質量管理的作用", "general"),
    ("某区的质量强企行动拿什么来衡量做得好不好？", "criterion"),
    ("这个行动的成效靠什么评判？", "criterion"),
    ("质量工作的考核标准是什么？", "criterion"),
    ("品牌建设效果好坏看什么？", "criterion"),
    ("用什么评价标准来验收这些项目？", "criterion"),
    ("幹得好壞看什麼？", "criterion"),
    ("這項工作憑什麼來考核？", "criterion"),
    ("政府質量獎按什麼評判？", "criterion"),
]


def _expected(spec: str) -> tuple[str, str | None]:
    answer_type, _, detail = spec.partition("/")
    return answer_type, detail or None


@pytest.mark.parametrize("question,spec", QUESTIONS)
def test_answer_type(question: str, spec: str) -> None:
    answer_type, detail = _expected(spec)
    intent = classify(question)
    assert intent.answer_type == answer_type, (question, intent)
    if answer_type == "quantity":
        assert intent.quantity_kind == detail, (question, intent)
    if answer_type in ("locate", "lookup"):
        assert intent.unit == detail, (question, intent)


def test_the_table_covers_every_type_in_both_scripts() -> None:
    types = Counter(_expected(spec)[0] for _, spec in QUESTIONS)
    assert len(QUESTIONS) >= 80 and len({q for q, _ in QUESTIONS}) == len(QUESTIONS)
    assert set(types) == set(ANSWER_TYPES) and min(types.values()) >= 8, types
    traditional = [q for q, _ in QUESTIONS if is_traditional(q)]
    assert len(traditional) >= len(QUESTIONS) / 4
    kinds = {_expected(spec)[1] for _, spec in QUESTIONS if spec.startswith("quantity/")}
    assert kinds == set(QUANTITY_KINDS)


def test_a_question_classifies_the_same_in_either_script() -> None:
    for question, _ in QUESTIONS:
        assert classify(to_traditional(question)) == classify(to_simplified(question)), question


@pytest.mark.parametrize("question,named,answer_type,secondary", [
    # the first sentence that asks something gives the primary type; the rest are secondary, in order
    ("有没有针对小微企业的认证补贴？这事由哪些部门负责？", 0, "yesno", ("responsible",)),
    ("這事由哪些部門負責？有沒有專項補貼？", 0, "responsible", ("yesno",)),
    # within a sentence: compare cue > locate > lookup > metadata > named-only compare > responsible
    # > quantity > yesno > procedure > list
    ("各地分别在第几条规定了首席质量官？", 0, "compare", ("locate",)),
    ("第15条在哪一部分？", 0, "locate", ()),  # a locate cue cancels the number reference
    ("天津实施意见第15条由哪个部门负责？", 0, "lookup", ("responsible",)),
    ("國家意見由哪些部門聯合印發？", 0, "metadata", ("responsible",)),
    ("国家意见和天津实施意见是谁发的？", 2, "metadata", ("compare",)),
    ("品牌培育是市场监管局负责吗？", 0, "responsible", ("yesno",)),
    ("质量奖奖金有没有上限？", 0, "quantity", ("yesno",)),
    ("能不能网上办理？流程是什么？", 0, "yesno", ("procedure",)),
    ("补贴申请的流程有哪些步骤？", 0, "procedure", ("list",)),
    # two named documents make a comparison; 分别/都 lift it to the top only then
    ("国家意见和天津实施意见对计量托管怎么规定？", 2, "compare", ()),
    ("国家意见和天津实施意见对计量托管怎么规定？", 0, "general", ()),
    ("标准对不上的问题，那份文件打算怎么弄？", 0, "general", ()),
    ("纲要中部署质量法治建设的条目编号是多少？", 0, "locate", ()),  # the item's number, not a quantity
    ("鼓励企业去哪个展会参展？", 0, "general", ()),  # 去哪 with no errand to run asks no procedure  # what a document plans, not how to apply
    ("國家意見和天津實施意見都是誰發的？", 2, "compare", ("metadata",)),
    ("天津和温州分别怎么支持团体标准？", 0, "compare", ()),  # two places named
    ("三个阶段的目标分别是什么？", 0, "quantity", ()),  # 分别 within one document
    # eligibility said about oneself counts only when nothing else is asked
    ("我们是一家五金小厂。", 0, "yesno", ()),
    ("我们小厂想申请质量奖，流程是怎样的？", 0, "procedure", ()),
    ("", 0, "general", ()),
])
def test_precedence(question: str, named: int, answer_type: str, secondary: tuple[str, ...]) -> None:
    intent = classify(question, named_documents=named)
    assert (intent.answer_type, intent.secondary) == (answer_type, secondary), intent
    assert intent.asks == (answer_type, *secondary)


@pytest.mark.parametrize("question,answer_type,kind", [
    ("第几条提到了计量？", "locate", None),  # 第几条, not a 几条 count
    ("奖励多少家企业？", "quantity", "count"),  # 多少家 beats the 多少 of 奖励…多少
    ("補貼比例是多少？", "quantity", "ratio"),
    ("哪几家企业获得了质量奖？", "list", None),  # 哪几 is a list, not a 几家 count
    ("首席质量官是企业的质量负责人吗？", "yesno", None),  # 负责人 asks for no responsible body
    ("几乎所有企业都能申请吗？", "yesno", None),  # 几乎 is no quantity
    ("同比增长多少？", "quantity", None),  # 同比 is no comparison
    ("计量器具的检定费用怎么理解？", "general", None),  # 怎么 alone is no procedure, its 么 no 吗
    ("数据分析报告多长时间出一次？", "quantity", "frequency"),  # how often, not by when
    ("运行情况的数据分析报告多久出一份？", "quantity", "frequency"),
    ("随机抽查事项清单多久更新？", "quantity", "frequency"),  # an act that recurs: how often
    ("多久能办下来？", "quantity", "deadline"),
    ("我们几家同行想制定团体标准，有支持吗？", "yesno", None),  # 我们几家: a few of us, not how many
    ("这几个远郊区是怎么定位的？", "general", None),
])
def test_the_longer_cue_wins_an_overlap(question: str, answer_type: str, kind: str | None) -> None:
    intent = classify(question)
    assert (intent.answer_type, intent.quantity_kind) == (answer_type, kind), intent


def test_units_places_and_levels() -> None:
    assert classify("国家意见第二部分第（三）项").unit == "项"  # the deepest unit of the number given
    assert classify("国家意见二（六）").unit is None
    assert classify("品牌建设放在哪方面？").unit == "方面"
    assert classify("质量奖的事情在哪里提到过？").unit is None
    intent = classify("天津和溫州的國家級、省級檢驗檢測中心各有幾個？")
    assert intent.regions == ("天津", "温州") and intent.levels == ("国家级", "省级")
    assert (intent.answer_type, intent.secondary, intent.quantity_kind) == ("compare", ("quantity",), "count")
    assert classify("品牌建设放在哪方面？").quantity_kind is None


def test_the_intent_is_a_value() -> None:
    intent = classify("质量奖奖金是多少钱？")
    assert intent == QuestionIntent("quantity", "amount") and hash(intent) == hash(QuestionIntent("quantity", "amount"))
    with pytest.raises(AttributeError):
        intent.answer_type = "general"  # type: ignore[misc]


def test_the_cue_files_have_every_section_the_classifier_reads() -> None:
    sections = cue_sections()  # the answer types' cue files and the shared question_cues.txt
    shared = {"unit", "ignore", "level", "department_duty"}
    read_by_intent = {"compare_weak", "eligibility", *KINDS}  # sections classify reads by name
    registered = {s for t in answer_types.REGISTERED for s in t.sections()}
    assert set(sections) == shared | registered and read_by_intent <= registered and all(sections.values())
