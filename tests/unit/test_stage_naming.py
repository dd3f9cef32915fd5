"""Which documents a question names (bot/retrieval/catalog.py:find_documents): a national name counts
for the national document only when it refers to a document, not when it describes a level."""
from __future__ import annotations

import pytest

from bot.retrieval.catalog import find_documents
from ingest.models import DocMeta
from tests.unit.handmade import TIANJIN

pytestmark = pytest.mark.unit

NATIONAL = DocMeta(doc_id="cn-2021-private", title="关于发挥质量基础设施作用支持民营企业的意见", short_name="国家民企意见",
                   region="全国", level="国家", date="2021-09-28", issuers=["市场监管总局"])
METAS = [TIANJIN, NATIONAL]


@pytest.mark.parametrize("question", [
    "国家那份意见对首席质量官有什么要求",
    "国家层面有没有说要简化认证程序",
    "企业二代的培养，国家支持民营企业的那个意见里有没有提到",
    "国家让企业搞质量宣传，都赶哪些纪念日？",  # the name as the actor of a policy (national_actor.txt)
    "国家想扶持哪种小而精的民企？",
])
def test_a_national_name_before_a_document_word_names_the_national_document(question):
    assert NATIONAL.doc_id in find_documents(question, METAS)


@pytest.mark.parametrize("question", [
    "天津到2025年新增主导制修订的国际、国家和行业标准要多少项",
    "全国统一的计量检测体系怎么建",
    "企业主导制定国家标准有没有奖励",  # 国家标准: a level, the verb not right after the name
])
def test_a_national_name_describing_a_level_names_nothing(question):
    assert NATIONAL.doc_id not in find_documents(question, METAS)


OPINION = DocMeta(doc_id="tj-2022-opinion", title="关于发挥质量基础设施作用支持民营企业的实施意见", short_name="天津实施意见",
                  region="天津市", level="市", date="2022-06-01", issuers=["天津市市场监管委"])
OUTLINE = DocMeta(doc_id="tj-2024-outline", title="天津市质量强市建设纲要", short_name="天津质量强市纲要",
                  region="天津市", level="市", date="2024-01-10", issuers=["天津市人民政府"])


def test_a_document_named_by_place_and_kind_outnames_the_same_place_s_other_documents():
    """天津那个实施意见 means the Tianjin 实施意见, not every Tianjin document; 天津的 alone means both, and a
    kind word inside another document's name (国家那份意见和天津的) names none of Tianjin's."""
    metas = [OPINION, OUTLINE, NATIONAL]
    assert set(find_documents("天津那个民营企业的实施意见里有没有银企对接", metas)) == {OPINION.doc_id}
    assert set(find_documents("天津的两个文件有什么不同", metas)) == {OPINION.doc_id, OUTLINE.doc_id}
    assert set(find_documents("国家那份意见和天津的相比有什么不同", metas)) == {NATIONAL.doc_id, OPINION.doc_id, OUTLINE.doc_id}


def test_a_demonstrative_inside_a_short_name_still_names_the_document():
    """"六部门那个意见" and "天津这份质量强市纲要" are 六部门意见 and 天津质量强市纲要 with 那个/这份 said inside."""
    six = NATIONAL.model_copy(update={"aliases": ["六部门意见"]})
    assert set(find_documents("六部门那个意见里有没有讲科研仪器开放共享", [OPINION, OUTLINE, six])) == {six.doc_id}
    docs = find_documents("天津这份质量强市纲要对品牌有什么要求", [OPINION, OUTLINE, six])
    assert max(docs, key=docs.__getitem__) == OUTLINE.doc_id


def test_a_short_name_without_its_place_still_names_the_document():
    """"那份民企意见" names 国家民企意见 (its short name less 国家); a bare document type (实施意见) or a generic
    title (若干政策措施) left by removing the place names nothing."""
    from bot.retrieval.catalog import mention_keys

    assert set(find_documents("六部门那份民企意见里有没有讲科研仪器", [OPINION, OUTLINE, NATIONAL])) == {NATIONAL.doc_id}
    keys = dict(mention_keys(OPINION.model_copy(update={"aliases": ["天津若干政策措施"]})))
    assert "实施意见" not in keys and "若干政策措施" not in keys
    assert keys.get("质量强市纲要") is None and dict(mention_keys(OUTLINE))["质量强市纲要"] == 3.0


def test_a_document_type_said_inside_another_word_names_no_document():
    """Only Guangdong's text is a 措施, but "保障措施" and "减轻负担的措施" use the word as a common noun; a national
    name followed by a long description and its document word still names the national document."""
    measures = DocMeta(doc_id="gd-measures", title="广东省关于推动标准走出去的若干措施", region="广东省")
    metas = [OPINION, OUTLINE, NATIONAL, measures]
    assert find_documents("最后的保障措施一共讲了哪些方面", metas) == {}
    assert find_documents("有没有给民营企业减轻负担的措施", metas) == {}
    assert set(find_documents("措施（三）讲什么", metas)) == {"gd-measures"}
    assert NATIONAL.doc_id in find_documents("国家那份关于民营企业质量基础设施建设的意见", metas)


def test_names_are_removed_longest_first_over_all_documents():
    """"天津纲要" is the outline's name; the opinion's 天津 must not cut it first and leave 纲要 as content."""
    from bot.retrieval.catalog import DocumentCatalog, strip_document_names

    outline = OUTLINE.model_copy(update={"aliases": ["天津纲要"]})
    for metas in ([OPINION, outline], DocumentCatalog(metas=(OPINION, outline))):
        assert "纲要" not in strip_document_names("企业标准要不要公开？天津纲要怎么说？", metas)
