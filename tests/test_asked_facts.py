"""A question that asks for a fact the clauses do not state is answered in part, naming what is missing."""
from __future__ import annotations

import pytest

from bot.answer.contract import partial_lead
from bot.answer.refusal import asked_facts, missing_asked_fact
from bot.retrieval.answer_types import by_name
from bot.retrieval.intent import classify
from ingest.text.segment import query_grams

pytestmark = pytest.mark.unit

SUPPORT = "为小微企业提供质量认证帮扶服务，提高管理水平。"


def test_every_entry_names_what_is_missing_in_the_contract_sentence():
    facts = asked_facts()
    assert len(facts) >= 8 and len({f.missing for f in facts}) == len(facts)
    for f in facts:
        assert f.missing and f.missing in partial_lead(f.missing)


@pytest.mark.parametrize("question, missing", [
    ("这个帮扶服务收费吗？", "收费标准"),
    ("认证补贴最高给多少钱", "具体金额（补贴、奖励标准）"),
    ("帮扶服务在哪里办？", "办理地点"),
    ("今年什么时候开始申报？", "具体时间"),
    ("有没有获奖企业名单", "具体名单"),
    ("第一批入选的是哪些企业", "具体名单"),
    ("不按规定做的企业罚款多少", "处罚标准"),
    ("有咨询电话吗", "联系方式"),
    ("有没有电话可以问？", "联系方式"),
    ("申報時間是什麼時候", "具体时间"),  # traditional script
    ("培训费是企业出还是政府出？", "费用由谁承担"),
    ("驻厂监造的费用由谁承担", "费用由谁承担"),
    ("材料要去哪里提交？", "办理地点"),
    ("快速维权中心在哪里", "办理地点"),
    ("是不是所有小微企业都必须做质量认证？", "“必须”“一律”“全部”这类硬性规定"),
    ("认证费用能不能全部免除", "“必须”“一律”“全部”这类硬性规定"),
    ("檢測不合格會不會被直接吊銷證書", "吊销、撤销资格这类处罚"),  # traditional script
    ("弄虚作假的机构会被取消资格吗", "吊销、撤销资格这类处罚"),
    ("重点培育的那5家企业具体是哪几家？", "具体名单"),
    ("纲要说服务中心达到5个，这5个中心分别是哪5个？", "具体名单"),
    ("小微企业做体系认证，认证费可以减免一半吗？", "费用减免"),
    ("首席质量官要什么学历或职称才能担任？要不要持证？", "资格条件"),
    ("会不会被列入黑名单", "吊销、撤销资格这类处罚"),
    ("是不是要求民营企业每年报送质量报告？", "“必须”“一律”“全部”这类硬性规定"),  # 提供/鼓励 is no requirement
    ("国家文件有没有要求企业把售后人手配齐？", "“必须”“一律”“全部”这类硬性规定"),  # a penalty, not a list of names
    ("“四重”清单分别指的是什么？", "这一说法的具体含义"),
    ("“三同”是什么意思", "这一说法的具体含义"),
    ("“六个一”机制具体是哪六个？", "这一说法的具体含义"),  # the number of things asked for, not 什么
    ("「四重」清單是指哪四個「重」？", "这一说法的具体含义"),  # traditional script, corner quotes
    ("我是开小工厂的，想给产品做个认证，政府能给点补贴吗？", "资金补贴"),  # 帮扶服务 is offered, no money
    ("这份政策措施有没有写有效期？过了以后还执行吗", "有效期"),
    ("注册计量师证书有效几年", "有效期"),
    ("说要开展认证一致性抽查，今年具体抽哪些产品？", "具体范围（清单、目录）"),  # a verb between 具体 and 哪些
    ("到现在已经有多少家企业拿过质量奖了？", "实际完成情况（统计数字）"),
    ("去年合格率實際做到了多少？", "实际完成情况（统计数字）"),  # traditional script
    ("企业不设首席质量官会不会被处罚？", "处罚标准"),
    ("各区的实施方案有没有规定什么时候之前要交上来？", "具体时间"),
    ("自我声明要在哪个系统上提交？", "办理系统（网上平台）"),
    ("外资企业能不能参加一企一策技术帮扶？", "是否适用于这类主体"),
    ("個體工商戶能不能申報質量獎？", "是否适用于这类主体"),
    ("企业以前被罚过款还能进培育库吗？", "有处罚记录的企业能否参与"),
    ("认证两次都没通过会怎么样？", "未达到要求的后果"),
    ("这份意见和以前的政策相比有哪些新变化？", "与此前文件的比较"),
    ("眼镜企业里有哪些已经拿到认证了？", "具体名单"),
    ("广东的“产品医院”设在哪里？", "办理地点"),  # a closing quotation mark before 设在哪里
    ("“产品医院”具体设在哪个城市？", "办理地点"),
    ("服务站具体设在哪些区？", "办理地点"),  # 设在哪 asks where, whatever follows
    ("明年的对接大会在哪个城市举办？", "办理地点"),
    ("职业资格考试在本市哪里考？", "办理地点"),  # a place named between 在 and 哪里
    ("质量管理培训班啥时候报名？", "具体时间"),
    ("质量奖申报截止到几月几号？", "具体日期"),  # a day: the year of a target does not state it
    ("申报要满足哪些营收和研发条件？", "资格条件"),  # words between 哪些 and 条件
    ("担任这个岗位要具备什么资格？", "资格条件"),
    ("首席质量官要考证吗？", "资格条件"),  # a credential or an examination asked for
    ("企業首席質量官需要持什麼證書才能上崗？有沒有統一考試？", "资格条件"),
    ("园区里有哪些具体的龙头企业入驻？", "具体名单"),  # 具体 asks for names
    ("最近评上的有哪些企业？", "具体名单"),
    ("实验室建在本市哪个区？", "办理地点"),
    ("北京有没有出台类似的实施意见？", "是否已经出台"),  # whether another has issued one like it
    ("品字标认证，政府能帮企业出多少认证费？", "具体金额（补贴、奖励标准）"),
    ("评上海河工匠以后每个月有没有津贴？", "资金补贴"),
    ("民营检测机构是不是可以免费办资质认定？", "费用减免"),
    ("是不是要求电动自行车都得加装定位才能上市销售？", "“必须”“一律”“全部”这类硬性规定"),
    ("香港公司在东莞开的工厂能不能一样享受？", "是否适用于这类主体"),
    ("那个管理办法现在正式出台了吗？", "是否已经出台"),
    ("抽查不符合的，企业要承担什么责任？", "法律责任"),
    ("今年全国质量月的活动主题是什么？", "活动主题"),
    ("质量奖的申报书模板从哪里下载？", "表格或模板的获取方式"),
    ("去哪里领取计量托管的申请表？", "表格或模板的获取方式"),
    ("产品召回以后，厂家要按什么标准赔给消费者？", "赔偿标准"),
    ("买到不合格的电动车，商家最多赔多少？", "赔偿标准"),
])
def test_a_fact_the_clause_does_not_state_is_named(question, missing):
    assert missing_asked_fact(question, SUPPORT) == missing


@pytest.mark.parametrize("question, evidence", [
    ("奖励多少钱", "对获奖企业给予50万元奖励。"),
    ("什么时候截止申报", "申报截止时间为2024年6月30日。"),
    ("申报截止到几月几号", "申报截止时间为2024年6月30日。"),
    ("在哪里办理", "请到市民中心二楼3号窗口办理。"),
    ("培训费用谁出", "培训费用由市财政承担。"),
    ("企业是不是必须设立首席质量官", "规模以上企业应当设立首席质量官。"),
    ("是不是要求企业设立首席质量官", "规模以上企业应当设立首席质量官。"),
    ("检测费用能全部免除吗", "对小微企业免收检验检测费用。"),
    ("出具虚假报告的机构会被吊销资质吗", "情节严重的，依法吊销资质认定证书。"),
    ("“三同”是什么意思", "“三同”即同线同标同质。"),
    ("四重清单具体指什么", "四重清单包括重点产品、重点企业、重点区域和重点问题。"),
    ("“六个一”具体是哪六个", "“六个一”机制，即一个产业联盟、一张问题清单、一套标准、一个服务站、一个品牌、一批项目。"),
    ("获奖企业有资助吗", "对获得中国标准创新贡献奖的企业进行资助。"),
    ("检测费能减免吗", "对小微企业落实检验检测相关费用减免政策。"),
    ("这份措施有没有写有效期", "文号：粤办函〔2020〕90号\n有效期：2020年6月16日至2025年6月15日"),
    ("办法有效期多久", "本办法自2024年1月1日起施行，有效期5年。"),
    ("申报要满足什么条件", "申报企业应当具有独立法人资格，近三年无重大质量事故。"),
    ("今年具体抽查哪些产品", "对电动自行车、燃气灶具、儿童玩具等重点产品开展监督抽查。"),
    ("随机抽查事项清单里具体有哪些事项", "随机抽查事项清单包括食品、特种设备和工业产品生产许可。"),
    ("目前已经有多少家企业获奖", "截至2023年底，全市累计已有120家企业获奖。"),
    ("到2025年能耗要比现在降多少", "单位地区生产总值能源消耗降低14.5%。"),  # 比现在: a target, not a tally
    ("外资企业能不能申报", "各类市场主体均可申报。"),
    ("被罚过款还能申报吗", "近三年有严重违法失信行为的企业不得申报。"),
    ("检测没通过会怎么样", "检测不合格的，责令限期整改。"),
    ("那个办法出台了吗", "《管理办法》已于2023年5月印发实施。"),
    ("要承担什么责任", "违反本条例规定的，依法追究法律责任。"),
    ("今年质量月的主题是什么", "今年质量月活动主题为“质量强国 标准引领”。"),
    ("申请表在哪里下载", "申请表见附件1，可在市市场监管委网站下载。"),
    ("买到假货能赔多少", "经营者应当按照消费者的要求增加赔偿其受到的损失，增加赔偿的金额为购买商品价款的三倍。"),
    ("按什么标准赔", "食品不符合安全标准的，消费者可以要求支付价款十倍的赔偿金。"),
])

def test_a_fact_the_clause_states_is_not_missing(question, evidence):
    assert missing_asked_fact(question, evidence) == ""


def test_the_window_a_question_asks_for_is_not_another_window_the_clause_names():
    question = "商标被人抢注了，该去哪个窗口举报？"
    assert missing_asked_fact(question, "提升综合窗口接件人员服务能力，严厉打击恶意商标注册行为。") == "办理地点"
    assert missing_asked_fact(question, "请到市民中心二楼3号窗口举报。") == ""


def test_a_plan_s_new_targets_are_no_comparison_with_its_predecessor():
    """新增 and 调整 are a plan's own targets, 制修订 the drafting of standards: none says what changed from before."""
    question = "纲要跟上一版的质量发展规划比，目标有什么变化？"
    assert missing_asked_fact(question, "新增主导制修订国际标准300项，调整产业结构。") == "与此前文件的比较"
    assert missing_asked_fact(question, "本纲要自印发之日起施行，原《质量发展规划》同时废止。") == ""


def test_a_list_named_by_the_question_is_not_its_contents():
    """The clause that names the 清单 the question asks about does not say what is on it; another 清单 would."""
    question = "《随机抽查事项清单》里具体有哪些抽查事项？"
    assert missing_asked_fact(question, "逐年更新《随机抽查事项清单》。") == "具体范围（清单、目录）"
    assert missing_asked_fact("具体有哪些抽查事项？", "逐年更新《随机抽查事项清单》。") == ""


@pytest.mark.parametrize("question", [
    "我们小厂想做质量认证，政府有帮扶吗？",  # yes/no: the clause that names who is supported answers it
    "天津实施意见第9项讲什么",
    "小微企业能申请质量认证帮扶吗",
    "到2025年获奖企业要达到多少家？",  # a count, not a list of names
    "热线上有市民问，怎么帮消费者维权？",  # who asks, not a hotline asked for
    "热线来电问：小微企业有没有质量认证帮扶？",  # who passes the question on, before a colon
    "员工在国外，家属天天打电话问，政府会提醒企业哪些地方风险高吗？",  # a call in the asker's story
    "我是热线新来的，天津实施意见里讲双随机一公开的是第几条？",  # the asker works on the hotline
    "我在热线值班，小微企业有没有质量认证帮扶？",
    "能不能请专家针对我们一家企业单独出个方案，而不是千篇一律地培训？",  # an idiom, not "without exception"
    "出口常被国外的技术门槛卡住，有什么帮助？",  # a barrier, not the conditions of an application
    "到2025年计划一共评出多少家？",  # 评出多少家 counts bodies: 出多少 asks a sum only before no measure word
    "3C强制性认证有没有简化",  # 强制性产品认证 names a scheme, not a strict requirement
])
def test_questions_that_ask_no_such_fact_are_answered(question):
    assert missing_asked_fact(question, SUPPORT) == ""


def _type_missing(question: str, evidence: str) -> str:
    """What the question's answer types find missing in the evidence (their ``missing`` hooks)."""
    intent = classify(question)
    checks = [by_name(t).missing for t in intent.asks]
    return next((m for c in checks if c and (m := c(intent, query_grams(question), evidence))), "")


@pytest.mark.parametrize("question, missing", [
    ("申请质量认证帮扶需要交哪些材料？", "所需材料"),
    ("申报要满足什么条件？", "具体申报条件"),
    ("补贴标准是多少万元？", "具体金额（补贴、奖励标准）"),
    ("认证帮扶怎么申请？流程是什么", "办理流程和所需材料"),
])
def test_answer_types_name_the_fact_the_clause_does_not_state(question, missing):
    assert _type_missing(question, SUPPORT.replace("提供", "给予")) == missing


@pytest.mark.parametrize("question, evidence", [
    ("申请需要交哪些材料？", "申请人应提交申请表、营业执照复印件等材料。"),
    ("要满足什么条件", "申报企业应当符合以下条件：依法登记注册。"),
    ("补贴标准是多少万元？", "对通过认证的企业给予每家5万元补贴。"),
])
def test_answer_types_find_nothing_missing_when_the_clause_states_it(question, evidence):
    assert _type_missing(question, evidence) == ""


def test_a_body_named_in_the_closing_parentheses_is_no_subsidy():
    assert missing_asked_fact("做认证政府有补贴吗", "推行绿色建造。(市财政局、市市场监管委按职责分工负责)") == "资金补贴"


CLAUSE = ("(九)优化发展环境。深化计量、标准、认证认可、检验检测等领域改革。加大CCC认证自我声明实施力度，"
          "简化认证产品变更程序。")


@pytest.mark.parametrize("question, missing", [
    ("具体哪些产品可以走自我声明？", "具体范围（清单、目录）"),
    ("自我声明打算扩展到哪些产品？", "具体范围（清单、目录）"),  # the sentence about 自我声明 names no products
    ("自我声明有产品目录吗", "具体范围（清单、目录）"),
    ("具體哪些產品可以改用自我聲明？", "具体范围（清单、目录）"),  # traditional script
    ("具体哪些领域要深化改革？", ""),  # the sentence about 改革 lists the fields
])
def test_which_things_a_measure_covers_is_read_beside_the_measure(question, missing):
    """A series elsewhere in the clause (计量、标准、认证认可) does not list what falls under 自我声明."""
    assert missing_asked_fact(question, CLAUSE) == missing


def test_a_year_does_not_state_the_day_asked_for():
    """"截止到几月几号" asks a day: a target's year (到2025年) does not state one; 文号 "几号" asks no date."""
    assert missing_asked_fact("质量奖申报截止到几月几号？", "到2025年，获奖企业达到45家。") == "具体日期"
    assert missing_asked_fact("这份文件是几号文？", "到2025年，获奖企业达到45家。") != "具体日期"
