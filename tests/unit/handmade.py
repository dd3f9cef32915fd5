"""Two small hand-made documents, their clauses and a snapshot over them: the inputs of the stage tests.

No shipped corpus, no model, no Chroma: the clauses come from :func:`ingest.clauses.build_clauses`
on a dozen lines each, the vectors are hand-made 4-dimensional rows (one axis per topic), and the
snapshot is assembled from a search segment written to a temporary directory — exactly as the product
assembles it, only small.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from bot.retrieval.catalog import DocumentCatalog
from bot.retrieval.snapshot import IndexSnapshot
from bot.retrieval.types import SearchHit
from ingest.clauses import build_clauses
from ingest.metadata import find_title
from ingest.models import Clause, DocMeta
from vectorstore.records import record_id
from vectorstore.segments import SegmentStore

TIANJIN = DocMeta(doc_id="tj-2023-quality", title="天津市关于推进质量提升的实施意见", short_name="天津实施意见",
                  region="天津", level="市", date="2023-05-10", issuers=["天津市人民政府"])
TIANJIN_LINES = [
    "天津市关于推进质量提升的实施意见",
    "一、主要目标",
    "1.到2025年，建立首席质量官制度的企业达到500家以上。",
    "2.质量基础设施一站式服务站点覆盖全部区县。",
    "二、重点任务",
    "3.开展计量托管服务，帮助中小企业完善计量检测体系。（市市场监管委负责）",
    "4.对获得中国质量奖的企业给予100万元奖励。（市财政局、市市场监管委按职责分工负责）",
    "三、保障措施",
    "5.加强组织领导，建立质量工作协调机制。",
    "6.强化资金保障，统筹安排质量提升专项资金。",
]
GUANGDONG = DocMeta(doc_id="gd-2020-standards", title="广东省关于推动标准走出去的若干措施", short_name="广东标准措施",
                    region="广东", level="省", date="2020-03-01", issuers=["广东省市场监督管理局"])
GUANGDONG_LINES = [
    "广东省关于推动标准走出去的若干措施",
    "一、加强国际标准化工作，支持企业参与国际标准制定。",
    "二、对主导制定国际标准的企业给予50万元资助。",
    "三、建设技术性贸易措施研究评议基地，帮助企业应对技术性贸易壁垒。",
]

# One axis per topic: chief quality officers / metrology / money / international standards.
TOPICS = {"首席质量官": 0, "计量": 1, "奖励": 2, "资助": 2, "资金": 2, "国际标准": 3, "贸易": 3}


def clauses_of(meta: DocMeta, lines: list[str]) -> list[Clause]:
    return build_clauses(meta, lines, find_title(lines))


def all_parts() -> list[Clause]:
    return clauses_of(TIANJIN, TIANJIN_LINES) + clauses_of(GUANGDONG, GUANGDONG_LINES)


def topic_vector(text: str) -> np.ndarray:
    """A hand-made embedding: a small constant everywhere, 1 on the axis of each topic the text names."""
    v = np.full(len(set(TOPICS.values())), 0.05, dtype=np.float32)
    for word, axis in TOPICS.items():
        if word in text:
            v[axis] = 1.0
    return v / np.linalg.norm(v)


def build_snapshot(root: Path, parts: list[Clause] | None = None) -> tuple[IndexSnapshot, SegmentStore]:
    parts = parts if parts is not None else all_parts()
    versions = {c.doc_id: "v1" for c in parts}
    store = SegmentStore(root)
    store.write(parts, versions)
    chosen = store.ensure(versions, lambda ids: [])
    return IndexSnapshot(versions, chosen), store


def catalog() -> DocumentCatalog:
    """The two documents as a snapshot's catalog holds them (with the level a bare number counts in)."""
    return DocumentCatalog((GUANGDONG, TIANJIN), {GUANGDONG.doc_id: "cn", TIANJIN.doc_id: "arabic"})


def clause(item: str, doc: DocMeta = TIANJIN) -> Clause:
    """The whole clause of ``doc`` labelled ``item`` (parts are one here: every text is short)."""
    lines = TIANJIN_LINES if doc is TIANJIN else GUANGDONG_LINES
    return next(c for c in clauses_of(doc, lines) if c.item == item)


def hit(item: str, doc: DocMeta = TIANJIN, score: float = 1.0, **kw: float | str) -> SearchHit:
    return SearchHit(clause(item, doc), score, **kw)  # type: ignore[arg-type]


class TopicEmbedder:
    """Embeds a query as :func:`topic_vector` does the parts: the one place a model would be."""

    def embed_query(self, texts: list[str]) -> list[list[float]]:
        return [topic_vector(t).tolist() for t in texts]


class SegmentOnlyStore:
    """What :class:`bot.retrieval.hybrid.HybridRetriever` reads of a clause store — the active versions,
    the search segments, the query embedder — over a segment written to ``root``; no Chroma."""

    def __init__(self, root: Path, parts: list[Clause] | None = None) -> None:
        self._parts = parts if parts is not None else all_parts()
        self._versions = {c.doc_id: "v1" for c in self._parts}
        self.segments = SegmentStore(root)
        self.segments.write(self._parts, self._versions)
        self.embedder = TopicEmbedder()

    def active_versions(self) -> dict[str, str]:
        return dict(self._versions)

    def active_parts(self, doc_ids: list[str], versions: dict[str, str]) -> list[Clause]:
        return [c for c in self._parts if c.doc_id in doc_ids]

    def active_clauses(self) -> list[Clause]:
        return list(self._parts)

    def reopen(self) -> None:
        """Nothing to reopen: the parts are fixed."""

    def query(self, embedding: list[float], n: int, versions: dict[str, str],
              where: dict | None = None) -> list[tuple[str, float]]:
        """Chroma's part, exactly: the ``n`` nearest parts by cosine, as (record id, similarity); ``where``
        as Chroma reads {"doc_id": {"$in": [...]}}."""
        q = np.asarray(embedding)
        allowed = set(where["doc_id"]["$in"]) if where else None
        sims = [(record_id(c, self._versions[c.doc_id]), float(topic_vector(c.text) @ q)) for c in self._parts
                if versions.get(c.doc_id) == self._versions[c.doc_id] and (allowed is None or c.doc_id in allowed)]
        return sorted(sims, key=lambda x: -x[1])[:n]
