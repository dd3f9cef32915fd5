"""Number lookup (bot/retrieval/lookup.py) and whole-part questions (bot/retrieval/parts.py) on two
hand-made documents: 天津实施意见 numbers its items straight through (1.–6. under 一、二、三、), 广东标准措施
numbers only 一、二、三、."""
from __future__ import annotations

import pytest

from bot.retrieval import lookup
from bot.retrieval.analysis import ItemRef, parse_item_ref
from bot.retrieval.parts import find_part, part_item, part_title
from ingest.models import DocMeta
from tests.unit.handmade import GUANGDONG, TIANJIN, all_parts, clauses_of

pytestmark = pytest.mark.unit

PARTS = all_parts()
TJ = [c for c in PARTS if c.doc_id == TIANJIN.doc_id]


def items(clauses):
    return [c.item for c in clauses]


def test_a_bare_number_counts_in_each_documents_continuous_level():
    ref = ItemRef([(None, 3)], "3")
    assert items(lookup.resolve(ref, PARTS, [TIANJIN.doc_id])) == ["二3"]  # arabic runs through the sections
    assert items(lookup.resolve(ref, PARTS, [GUANGDONG.doc_id])) == ["三、"]  # only 一、二、三、 here
    assert items(lookup.resolve(ref, PARTS, [])) == ["三、", "二3"]  # no document named: each, in id order


def test_a_trailing_number_of_a_phrase_is_no_item():
    """"广东 八" looks up item 8; "质量奖辅导 一对一" ends in a number of a phrase, not an item."""
    assert parse_item_ref("广东 八") == ItemRef([(None, 8)], "八")
    assert parse_item_ref("瓯海 质量奖辅导 一对一") is None


def test_an_explicit_path_and_a_part_number():
    assert items(lookup.resolve(ItemRef([("cn", 2), ("arabic", 4)], "二4"), PARTS, [TIANJIN.doc_id])) == ["二4"]
    assert items(lookup.resolve(ItemRef([("cn", 2), ("arabic", 5)], "二5"), PARTS, [TIANJIN.doc_id])) == []
    # 第二部分: every item of section 二, in document order
    assert items(lookup.resolve(parse_item_ref("第二部分"), PARTS, [TIANJIN.doc_id])) == ["二3", "二4"]


def test_a_number_the_document_lacks_finds_nothing_and_the_outline_counts_its_items():
    assert lookup.resolve(ItemRef([(None, 99)], "第99条"), PARTS, [TIANJIN.doc_id]) == []
    outline = lookup.outline(TJ, TIANJIN.doc_id)
    assert outline.doc_id == TIANJIN.doc_id
    assert items(outline.items) == ["一1", "一2", "二3", "二4", "三5", "三6"]
    assert "6" in outline.count_text()


def test_part_title_drops_the_ladder_label_and_punctuation():
    assert part_title("二、重点任务") == "重点任务"
    assert part_title("（三）保障措施：") == "保障措施"


def test_a_question_naming_a_part_gets_every_item_under_it():
    assert items(find_part("保障措施有哪些", TJ)) == ["三5", "三6"]
    assert items(find_part("主要目标是什么", TJ)) == ["一1", "一2"]


def test_a_question_asking_more_than_the_part_or_naming_no_part_gets_nothing():
    assert find_part("保障措施中专项资金由哪个部门统筹安排", TJ) == []  # more than the part: the ranker answers
    assert find_part("首席质量官有哪些", TJ) == []


def test_a_part_is_found_by_the_conventional_name_of_its_role():
    # 天津实施意见 titles it 三、保障措施; callers also say 组织实施 / 组织保障 (wordlists/part_roles.txt)
    assert items(find_part("组织实施有哪些", TJ)) == ["三5", "三6"]
    assert items(find_part("组织保障一共有几条，每条大概讲什么", TJ)) == ["三5", "三6"]
    assert items(find_part("“保障措施”部分有哪些组织保障？帮我列一下", TJ)) == ["三5", "三6"]
    assert find_part("组织领导的专项资金由哪个部门统筹安排", TJ) == []  # still more than the part


def test_a_part_named_by_its_roles_one_word_alone():
    """"到底定了哪几个目标" asks for the 主要目标 part (part_role_words); a goal asked of something else does not."""
    assert items(find_part("到底定了哪几个目标？", TJ)) == ["一1", "一2"]
    assert items(find_part("都有哪些保障？", TJ)) == ["三5", "三6"]
    # a title quoted right after the rest of the document's name: the quote mark ends no reference
    assert items(find_part("民企实施意见中“保障措施”这一块包括哪几条", TJ)) == ["三5", "三6"]
    assert find_part("首席质量官的目标是多少", TJ) == []
    assert find_part("目标是哪年定的", TJ) == []


def test_a_question_naming_what_the_items_share_gets_the_items():
    doc = DocMeta(doc_id="y", title="某区质量行动方案")
    clauses = clauses_of(doc, ["某区质量行动方案", "一、总体要求", "以质量提升为主线，推进行动。",
                               "（一）坚持需求导向。深入企业调研。", "（二）坚持问题导向。查找质量短板。",
                               "（三）坚持效果导向。以企业满意度检验成效。", "二、主要目标", "（一）培育一批品牌。",
                               "（二）攻关一批项目。"])
    assert items(find_part("总体要求里一共强调要坚持哪几个导向", clauses)) == ["一（一）", "一（二）", "一（三）"]
    assert find_part("总体要求里需求导向要求深入企业做什么", clauses) == []  # one item's words: that item
    # the title said short before the part ("这个质量行动在", of 某区质量行动方案) refers to the document
    assert items(find_part("这个质量行动在总体要求里强调坚持哪几个导向", clauses)) == ["一（一）", "一（二）", "一（三）"]
    assert len(find_part("这个质量行动在总体要求里讲了什么", clauses)) == 4  # the part, its introduction first
    assert find_part("这个质量奖励在总体要求里讲了什么", clauses) == []  # 奖励: not of the title, asked more


def test_asking_how_a_part_is_done_asks_for_the_part():
    """"…是怎么组织实施的？列一下有哪几方面" asks what the part 组织实施 says; how to do something it names is more."""
    doc = DocMeta(doc_id="z", title="某区质量行动方案")
    clauses = clauses_of(doc, ["某区质量行动方案", "一、主要目标", "（一）培育一批品牌。", "（二）攻关一批项目。",
                               "二、组织实施", "（一）强化组织保障。成立专班。", "（二）强化政策保障。安排项目资金。"])
    assert items(find_part("是怎么组织实施的?列一下有哪几方面。", clauses)) == ["二（一）", "二（二）"]
    assert find_part("组织实施里怎么申请项目资金?", clauses) == []


def test_a_part_with_a_single_item_is_left_to_the_ranker():
    doc = DocMeta(doc_id="x", title="某市质量工作方案")
    clauses = clauses_of(doc, ["某市质量工作方案", "一、主要目标", "1.目标是提升质量。", "二、保障措施", "2.加强领导。", "3.强化保障。"])
    assert find_part("主要目标是什么", clauses) == []
    assert items(find_part("保障措施是什么", clauses)) == ["二2", "二3"]


def test_an_item_of_a_part_written_without_brackets():
    """第三部分第一项 is 三（一）, not the whole of part three."""
    assert parse_item_ref("国家意见第三部分第一项内容是什么").path == [("cn", 3), ("paren_cn", 1)]
    assert parse_item_ref("第二部分的第3条").path == [("cn", 2), ("paren_cn", 3)]
    assert parse_item_ref("第二部分讲什么").path == [("cn", 2)]


def test_a_long_reference_to_the_document_is_no_part_of_what_is_asked():
    """"那个民营企业质量基础设施的意见" and "那个 方案" (where the name was removed) refer to the document: the
    question asks for the part, and a quoted word of the reference (“走出去”) is not a name it asks about."""
    from bot.retrieval.analysis import analyze
    from tests.unit.handmade import catalog

    a = analyze("天津那个关于推进质量提升的实施意见，保障措施部分都有哪几条？", catalog())
    assert items(find_part(a.content, TJ)) == ["三5", "三6"]
    b = analyze("广东那份支持企业“走出去”的措施里，国际标准是第几条？", catalog())
    assert b.phrases == []
    c = analyze("广东措施对“标准化试点”有什么支持？", catalog())
    assert c.phrases == ["标准化试点"]


def test_what_is_left_of_a_name_demonstratives_and_a_question_about_each_item_ask_for_the_part():
    """"的民企实施意见里" and "方案里" (the rest of a name the stripping left), "那一块"/"那部分" (pointing at the
    part) and what follows 每个/分别 (asked of each item) are no more than the part."""
    assert items(find_part("的民企实施意见里,保障措施那一块有哪几条?", TJ)) == ["三5", "三6"]
    assert items(find_part("方案里,组织实施那部分讲了哪些保障?", TJ)) == ["三5", "三6"]
    assert items(find_part("那个 ,最后组织保障那部分都讲了些什么?", TJ)) == ["三5", "三6"]
    assert items(find_part("的组织保障部分提了哪几点?", TJ)) == ["三5", "三6"]
    assert items(find_part("的主要目标是哪几个?每个大概要做到什么程度?", TJ)) == ["一1", "一2"]
    # a reference to the document does not hide a question about more than the part
    assert find_part("方案里,保障措施中专项资金由哪个部门统筹安排", TJ) == []


def test_the_rest_of_a_name_just_before_the_part_and_a_request_to_tell_are_no_more_than_the_part():
    """"天津民企实施意见的保障措施" leaves "民企实施意见的" right before the part's title (a reference to the document,
    not something asked); "都给我说说" asks to be told the part; a question about more than the part still is."""
    assert items(find_part(" 民企实施意见的保障措施有几条 分别讲的啥", TJ)) == ["三5", "三6"]
    assert items(find_part(" 的主要目标是哪几条 都给我说说", TJ)) == ["一1", "一2"]
    assert find_part(" 民企实施意见的保障措施里有没有资金补贴", TJ) == []
    # a relayed question's opening, where the part stands and the document's year said relative to now
    assert items(find_part("来电人问 那个 定了哪些主要目标", TJ)) == ["一1", "一2"]
    assert items(find_part("贵中心好,想了解 前年 在保障措施上一共提了哪几方面", TJ)) == ["三5", "三6"]
    assert items(find_part(" 的保障措施部分涵盖哪几个方面?", TJ)) == ["三5", "三6"]
    assert items(find_part(" 在保障措施层面提出了哪些保障安排?", TJ)) == ["三5", "三6"]
    # what the asker tells before the phrase naming the part, asking nothing, is who asks and why
    assert items(find_part("我在区里负责民企质量 ,要写汇报,它最后讲的保障措施有哪几条?", TJ)) == ["三5", "三6"]
    assert find_part("资金补贴方面有什么说法,保障措施里?", TJ) == []  # a phrase before it that asks


def test_a_number_after_a_parts_title_or_place_counts_within_the_part():
    """"保障措施第二条" and "最后一部分第二条" are the part's second item (三6), though the document numbers its items
    straight through (第2条 alone is 一2); a number beyond the part's items is the document's own."""
    second = ItemRef([(None, 2)], "第二条")
    assert items(part_item(" 的保障措施第二条讲什么?", second, TJ)) == ["三6"]
    assert items(part_item(" 最后一部分第二条讲什么?", second, TJ)) == ["三6"]
    assert part_item(" 的保障措施第5条", ItemRef([(None, 5)], "第5条"), TJ) == []
    assert part_item(" 第2条讲什么?", ItemRef([(None, 2)], "第2条"), TJ) == []  # no part named
    assert parse_item_ref("最后一部分第二条讲什么") == ItemRef([(None, 2)], "第二条")  # not 第一部分


def test_the_last_item_of_the_document_or_of_a_part_named():
    """"最后一条讲的啥" is the document's last item; "保障措施最后一条" the last of that part; in a document numbered
    at one level (一、二、三、) its last part is its last item; "最后一条防线" asks no item."""
    gd = [c for c in PARTS if c.doc_id == GUANGDONG.doc_id]
    assert items(find_part(" 最后一条讲的啥?", TJ)) == ["三6"]
    assert items(find_part(" 的主要目标最后一条是什么?", TJ)) == ["一2"]
    assert items(find_part(" 最后一部分讲什么?", gd)) == ["三、"]
    assert find_part(" 质量是最后一条防线吗?", TJ) == []


def test_the_last_part_named_by_its_place_is_that_part():
    """"最后一部分讲怎么确保落地的" names 三、保障措施 by its place; what follows describes it."""
    assert items(find_part("最后一部分讲怎么确保落地的,能把里面几条都列出来吗?", TJ)) == ["三5", "三6"]
    assert items(find_part("收尾讲怎么保证各项任务落实的那一部分有几条?", TJ)) == ["三5", "三6"]
    assert find_part("最后一部分第二条讲什么?", TJ) == []  # an item of it, asked by number


def test_a_removed_name_followed_by_de_ends_the_reference_to_the_document():
    """"国家那份民企质量意见的保障措施": the reference is 那份 + the name; 措施 after it is the part asked about."""
    from bot.retrieval.analysis import strip_frames

    content = strip_frames(" 那份 的保障措施有哪几条?")  # the name removed, a gap left
    assert "保障措施" in content
    assert items(find_part(content, TJ)) == ["三5", "三6"]
    assert "方案" not in strip_frames("瓯海那个 方案里组织实施有哪些?")  # a gap inside the reference
    # past the gap more than two characters or a 的: the part asked about, not the reference
    assert "保障措施" in strip_frames(" 那份 最后的保障措施一共几条?")
    # who passes the question on, before a colon, is no part of what is asked; a topic before a colon is
    assert strip_frames("统计局的同事问: 的保障措施有哪几条?").strip().startswith("的保障措施")
    assert "首席质量官" in strip_frames("首席质量官制度:天津有什么要求?")


def test_a_part_pointed_at_with_words_of_its_title_is_that_part():
    """"关于资金保障那部分" shares 资金保障 with 二、强化资金保障和人才培养: with 那部分 the asker points at a part in their own words
    for its title; another phrase (why they ask) does not count, but a question about something in it does."""
    clauses = clauses_of(TIANJIN, ["天津市关于推进质量提升的实施意见", "一、主要目标", "1.到2025年，建设一批质量标杆。",
                                   "2.质量基础设施覆盖全部区县。", "二、强化资金保障和人才培养", "3.统筹安排专项资金。",
                                   "4.培养质量人才。"])
    assert items(find_part("我们想申请,关于资金保障那部分都包括哪些方面?", clauses)) == ["二3", "二4"]
    assert find_part("关于资金保障那部分有什么补贴?", clauses) == []  # asks about 补贴 within it
    # fewer words: a first-level part whose title alone shares them ("服务业那一部分" → 促进服务供给扩容提质) …
    assert items(find_part("关于资金那部分都包括哪些方面?", clauses)) == ["二3", "二4"]
    # … and not one of two first-level titles that share them
    two = clauses_of(TIANJIN, ["天津市关于推进质量提升的实施意见", "一、强化资金监管", "1.到2025年，建设一批质量标杆。",
                               "二、强化资金保障和人才培养", "2.统筹安排专项资金。"])
    assert find_part("关于资金那部分都包括哪些方面?", two) == []
    assert find_part("关于资那部分都包括哪些方面?", clauses) == []  # one character is too little of any title
    # 质量保障 is as much of the item 4.'s title as of the part's: 部分 points at the part
    tied = clauses_of(TIANJIN, ["天津市关于推进质量提升的实施意见", "一、主要目标", "1.到2025年，建设一批质量标杆。",
                                "2.质量基础设施覆盖全部区县。", "二、强化质量保障和人才培养", "3.统筹安排专项资金。",
                                "4.完善质量保障机制。"])
    assert items(find_part("问 专门讲质量保障的那部分都包括哪些内容?", tied)) == ["二3", "二4"]
    # 那一块, 那一章 point at a part as 那部分 does
    assert items(find_part("资金保障那一块具体有哪几条措施?", clauses)) == ["二3", "二4"]
    assert items(find_part("资金保障那一章总共部署了哪些工作?", clauses)) == ["二3", "二4"]
    # what the part is to do, or the things it tells, asked in everyday words (part_frames)
    assert items(find_part("资金保障那块具体要干什么?", clauses)) == ["二3", "二4"]
    assert items(find_part("资金保障那一大部分主要讲哪几件事?", clauses)) == ["二3", "二4"]
    assert find_part("资金保障那块具体要补贴多少?", clauses) == []
