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
])
def test_a_national_name_before_a_document_word_names_the_national_document(question):
    assert NATIONAL.doc_id in find_documents(question, METAS)


@pytest.mark.parametrize("question", [
    "天津到2025年新增主导制修订的国际、国家和行业标准要多少项",
    "全国统一的计量检测体系怎么建",
])
def test_a_national_name_describing_a_level_names_nothing(question):
    assert NATIONAL.doc_id not in find_documents(question, METAS)
