"""A body's conventional short name (ingest/text/bodies.py): shown beside the full one, found by search."""
from __future__ import annotations

import pytest

from ingest.clauses import docinfo_text
from ingest.models import DocMeta
from ingest.text.bodies import short_name, with_short_name

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("body, short", [
    ("广东省人民政府办公厅", "广东省政府办公厅"),
    ("天津市市场监督管理委员会", "天津市市场监管委"),
    ("温州市瓯海区市场监督管理局", "温州市瓯海区市场监管局"),
    ("国家市场监督管理总局", "市场监管总局"),
    ("国家发展和改革委员会", "国家发展改革委"),
    ("中华全国工商业联合会", "全国工商联"),
    ("天津市人民代表大会常务委员会", "天津市人大常委会"),
    ("天津市住房和城乡建设委员会", "天津市住房城乡建设委"),
])
def test_full_names_get_the_conventional_short_name(body, short):
    assert short_name(body) == short
    assert with_short_name(body) == f"{body}（简称{short}）"


@pytest.mark.parametrize("body", ["市场监管总局", "天津市市场监管委", "商务部", "天津海关"])
def test_a_name_that_is_already_short_is_shown_as_it_is(body):
    assert short_name(body) == ""
    assert with_short_name(body) == body


def test_the_document_record_names_the_issuer_both_ways():
    """"省政府办公厅发的那份" finds the record, and the metadata answer says 省政府办公厅."""
    meta = DocMeta(doc_id="gd", title="关于提升产品质量标准水平的若干政策措施", issuers=["广东省人民政府办公厅", "商务部"])
    assert "发布机关：广东省人民政府办公厅（简称广东省政府办公厅）、商务部" in docinfo_text(meta, [])
