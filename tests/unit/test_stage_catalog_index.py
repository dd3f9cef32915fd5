"""Stage test: document naming through the catalog's name index (found by probing the question's substrings)
gives exactly what testing every name of every document gives — scores, stripped text, mention counts —
on a catalog of hundreds of documents."""
from __future__ import annotations

import random

import pytest

from bot.retrieval import catalog as cat
from bot.retrieval.catalog import DocumentCatalog, count_mentions, find_documents, mention_keys, strip_document_names
from ingest.models import DocMeta
from ingest.text.script import search_form
from ingest.text.wordlists import load

pytestmark = pytest.mark.unit

CITIES = ["天津", "广东", "温州", "杭州", "宁波", "苏州", "南京", "合肥", "成都", "西安"]
KINDS = ["实施意见", "纲要", "若干措施", "行动方案", "通知"]


def naive_find(q: str, metas) -> dict[str, float]:
    """The loop over every document (what the index must reproduce)."""
    type_words = load("doc_types")
    scores: dict[str, float] = {}
    keys: dict[str, set[str]] = {}
    for meta in metas:
        score, matched, used = 0.0, q, set()
        for key, weight in mention_keys(meta):
            if key and key in matched and not cat._attributive(key, matched):
                score = max(score, weight) + (0.5 if score else 0.0)
                matched = matched.replace(key, " ")
                used.add(key)
        scores[meta.doc_id], keys[meta.doc_id] = score, used
    for meta in metas:
        if scores[meta.doc_id]:
            others = {k for o, used in keys.items() if o != meta.doc_id for k in used} - keys[meta.doc_id]
            title = search_form(meta.title + meta.short_name)
            scores[meta.doc_id] += 1.0 if cat._kind_said(q, keys[meta.doc_id], others, title, type_words) else 0.0
            scores[meta.doc_id] += 1.0 if meta.date and meta.date[:4] in q else 0.0
    if not any(scores.values()):
        for w in type_words:
            if w in q:
                owners = [m.doc_id for m in metas if w in search_form(m.title + m.short_name)]
                if len(owners) == 1:
                    scores[owners[0]] = 1.5
                    break
    # a document named only by names another document is named by too, less clearly than it, is not meant
    return {k: v for k, v in scores.items() if v > 0 and not (keys.get(k) and any(
        o != k and keys[k] <= keys[o] and scores[o] > v for o in keys))}


def naive_strip(text: str, metas) -> str:
    """Every name of every document, the longest first over them all."""
    out = search_form(text)
    for key in sorted({k for meta in metas for k, _ in mention_keys(meta) if k}, key=lambda k: (-len(k), k)):
        out = out.replace(key, " ")
    return out


def naive_count(q: str, metas) -> int:
    owners: dict[str, set[str]] = {}
    for m in metas:
        for key, weight in mention_keys(m):
            if key and weight >= 2.0:
                owners.setdefault(key, set()).add(m.doc_id)
    spans: list[tuple[int, int]] = []
    groups: list[set[str]] = []
    for key in sorted(owners, key=len, reverse=True):
        if cat._attributive(key, q):
            continue
        start = q.find(key)
        while start >= 0:
            end = start + len(key)
            if not any(s <= start and end <= e for s, e in spans):
                spans.append((start, end))
                if not any(owners[key] & g for g in groups):
                    groups.append(set(owners[key]))
            start = q.find(key, end)
    return len(groups)


@pytest.fixture(scope="module")
def catalog() -> DocumentCatalog:
    metas = []
    for i in range(400):
        city, kind = CITIES[i % len(CITIES)], KINDS[i % len(KINDS)]
        metas.append(DocMeta(doc_id=f"d{i}", title=f"{city}市关于第{i}批质量提升的{kind}", short_name=f"{city}第{i}批{kind}",
                             aliases=[f"{city}{i}号"] if i % 3 == 0 else [], doc_number=f"津政发〔2023〕{i}号" if i % 7 == 0 else "",
                             region=f"{city}市" if i % 11 else "全国", level="市" if i % 2 else "省", date=f"{2018 + i % 7}-03-01",
                             source_file=f"d{i}.txt", content_hash=f"h{i}"))
    metas.append(DocMeta(doc_id="only-outline", title="质量强国建设纲领", short_name="", region="", level="",
                         date="", source_file="o.txt", content_hash="o"))
    return DocumentCatalog(tuple(metas))


def questions() -> list[str]:
    rng = random.Random(7)
    frames = ["{a}对企业有哪些支持？", "{a}和{b}有什么不同", "{a}第6条", "2021年{a}的{b}要求", "质量奖励多少钱",
              "纲领里怎么说", "市级文件里的计量要求", "{a} {a}", "全国的政策"]
    out = []
    for _ in range(300):
        i, j = rng.randrange(400), rng.randrange(400)
        names = [f"{CITIES[i % 10]}第{i}批{KINDS[i % 5]}", f"{CITIES[j % 10]}{j}号", CITIES[j % 10],
                 f"{CITIES[i % 10]}市关于第{i}批质量提升的{KINDS[i % 5]}", f"津政发〔2023〕{j}号"]
        out.append(rng.choice(frames).format(a=rng.choice(names), b=rng.choice(names)))
    return out


def test_the_name_index_names_documents_exactly_like_testing_every_name(catalog):
    metas = catalog.metas
    for q in questions():
        sq = search_form(q)
        assert find_documents(sq, metas) == naive_find(sq, metas), q
        assert strip_document_names(q, metas) == naive_strip(q, metas), q
        assert strip_document_names(q, catalog) == naive_strip(q, metas), q
        assert count_mentions(sq, metas) == naive_count(sq, metas), q
    assert any(cat._names(metas) is n for n in cat._names_cache)  # built once per catalog, not per question


def test_a_national_name_used_as_a_level_is_no_mention():
    national = DocMeta(doc_id="nat", title="关于质量基础设施的意见", short_name="国家意见", region="全国", level="国家",
                       date="2021-09-03", source_file="n.txt", content_hash="n")
    city = DocMeta(doc_id="tj", title="天津市质量强市建设纲要", short_name="天津纲要", region="天津市", level="市",
                   date="2024-01-01", source_file="t.txt", content_hash="t")
    metas = (national, city)
    assert count_mentions(search_form("天津纲要里新增国际、国家和行业标准多少项？"), metas) == 1
    assert count_mentions(search_form("国家那份意见和天津纲要对标准怎么说？"), metas) == 2
