"""Start-up costs of the text layer, kept small without changing what it computes."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ingest.text.script import search_form, search_forms

pytestmark = pytest.mark.unit
REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("texts", [
    ["質量認證", "ＡＢＣ　１２３", "  多个   空格 ", "", "计量托管", "乾隆", "頭髮", "后来"],
    ["单个"],
    [],
    ["含\n换行", "另一个"],  # a text with a line break of its own: converted one by one
])
def test_search_forms_is_search_form_of_each(texts):
    assert search_forms(texts) == [search_form(t) for t in texts]


def test_the_cilin_table_is_unchanged_by_batch_conversion():
    from ingest.text import synonyms

    table = synonyms.table()
    assert len(table) > 20000  # 词林 (a dependency) is read
    assert table["罚款"] == ("罚金",) and "资助" in table["补助"]
    assert all(w not in syns for w, syns in table.items())  # a word is never its own synonym
    assert all(w in table[s] for w, syns in table.items() for s in syns)  # membership is mutual


def test_segmenting_does_not_import_pkg_resources():
    """jieba imports pkg_resources (~0.1 s at start) only to open its own files; the segmenter keeps it out."""
    probe = ("import sys; from ingest.text.segment import tokenize; print(tokenize('质量认证帮扶服务')); "
             "import jieba; print(jieba.lcut('质量基础设施')); print('pkg_resources' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO)
    lines = out.stdout.strip().splitlines()
    assert "认证" in lines[0] and "质量" in lines[1]
    assert lines[-1] == "False"


def test_overlap_of_a_search_form_text_skips_no_gram():
    from ingest.text.segment import best_sentence_overlap, overlap, overlap_form, query_grams

    grams = query_grams("小微企業質量認證幫扶")
    text = "開展小微企業質量管理體系認證提升行動。為小微企業提供質量認證幫扶服務。"
    form = search_form(text)
    assert overlap_form(grams, form) == overlap(grams, text) > 0.5
    assert best_sentence_overlap(grams, form, form=True) == best_sentence_overlap(grams, text)
    assert overlap_form(set(), form) == 0.0
