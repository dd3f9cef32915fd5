"""Chroma access: embedded ``PersistentClient`` by default, ``HttpClient`` when CHROMA_HOST is set.

Two collections:
- ``<name>`` holds one record per clause part, with its embedding and the clause packed into its
  metadata (:mod:`vectorstore.records`); record ids carry the document version (``clause_id/part@version``).
- ``<name>_docs`` is the registry: one record per document naming its *active* version.

Replacing a document writes the new version's records first and then flips the registry record —
a single upsert — so a reader, or an ingest killed half-way, only ever sees a complete version.
Stale versions are swept afterwards (and at the start of the next ingest).

The clause collection's metadata names the embedding model that computed its vectors (name, version,
dimension); opening it with another configured model raises :class:`EmbeddingModelMismatch` unless
the caller is the re-embed path (``check_model=False``, :mod:`vectorstore.reembed`).
"""
from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.types import Embeddable, EmbeddingFunction
from chromadb.config import Settings as ChromaSettings

from ingest.models import Clause, DocMeta
from vectorstore.config import StoreConfig
from vectorstore.embedding_model import EmbeddingModel, EmbeddingModelMismatch, get_model, shipped
from vectorstore.errors import StoreUnavailable, is_outage
from vectorstore.errors import outage_is_unavailable as _outage_is_unavailable
from vectorstore.records import (
    clause_from_record,
    dumps_records,
    model_metadata,
    record_id,
    record_id_to_clause_key,
    record_metadata,
    record_search_text,
    stored_model,
)
from vectorstore.segments import SegmentStore

log = logging.getLogger(__name__)
__all__ = ["ClauseStore", "EmbeddingModelMismatch", "StoreUnavailable", "StoredDocument", "dumps_records", "is_outage",
           "make_client", "record_id_to_clause_key"]
REEMBED_COMMAND = "policybot rebuild --reembed"
# The one vector index, which dense search queries (README **Scale**): at Chroma's defaults (16 neighbours,
# ef 100) the bench's 10k collection of near-duplicate copies got 0.61–0.73 of the exact top 76; with these
# 1.00 (3.3 ms a query).  Fixed when a collection is created.
HNSW: dict[str, Any] = {"space": "cosine", "max_neighbors": 48, "ef_construction": 400, "ef_search": 1500}

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

    @_outage_is_unavailable
    def __init__(self, config: StoreConfig, client: ClientAPI | None = None, check_model: bool = True) -> None:
        self.config = config
        self.model = get_model(config.embedding_model)
        self.embedder = self.model.embedder()
        self.check_model = check_model
        self._own_client = client is None
        self._retired: list[Any] = []  # chromadb Systems replaced by reopen()
        self.segments = SegmentStore(config.segments_dir)
        self._open(client or make_client(config))

    def _open(self, client: ClientAPI) -> None:
        self.client = client
        # Chroma's stubs type embedding functions for text *and* images; ours embeds text only.
        embedding_function = cast("EmbeddingFunction[Embeddable]", self.embedder)
        self.clauses = self.client.get_or_create_collection(
            self.config.collection, embedding_function=embedding_function,
            configuration=cast(Any, {"hnsw": dict(HNSW)}), metadata=model_metadata(self.model),
        )
        self.registry = self.client.get_or_create_collection(
            f"{self.config.collection}_docs", embedding_function=embedding_function,
        )
        self.stored_model_key, stored_text = stored_model(self.clauses.metadata)
        if not (self.clauses.metadata or {}).get("embedding_model"):  # written before the model was recorded
            self.clauses.modify(metadata=model_metadata(shipped))
        if self.check_model and self.stored_model_key != self.model.key:
            raise EmbeddingModelMismatch(self.config.collection, stored_text, self.model, REEMBED_COMMAND)

    def reset(self, model: EmbeddingModel, embedder: Any) -> None:
        """Open this store's collections again, now of ``model`` (after :mod:`vectorstore.reembed` swapped them)."""
        self.model, self.embedder = model, embedder
        self.segments = SegmentStore(self.config.segments_dir)
        self._open(self.client)

    @_outage_is_unavailable
    def reopen(self) -> None:
        """See what another process wrote.  An embedded client keeps the segments it loaded, so a
        document another process (the CLI, a second app) indexed stays invisible to it; a fresh
        client on the same directory reads the current state.  A server client sees it anyway."""
        if self.config.host or not self._own_client:
            return
        from chromadb.api.shared_system_client import SharedSystemClient

        # The old client stays usable for searches already running on it; the system retired before
        # it had a whole refresh interval to finish, and is stopped now.
        identifier = str(self.config.path)
        old_system = SharedSystemClient._identifier_to_system.pop(identifier, None)
        SharedSystemClient._identifier_to_refcount.pop(identifier, None)
        if old_system is not None:
            self._retired.append(old_system)
        while len(self._retired) > 1:
            self._retired.pop(0).stop()
        self._open(make_client(self.config))

    @_outage_is_unavailable
    def ping(self) -> None:
        """Raises :class:`StoreUnavailable` unless the store answers (readiness checks)."""
        self.client.heartbeat()

    # ----- registry -------------------------------------------------------------------------
    @_outage_is_unavailable
    def documents(self) -> list[StoredDocument]:
        got = self.registry.get(include=["metadatas"])
        docs = [
            StoredDocument(DocMeta.model_validate_json(str(m["meta"])), str(m["version"]), int(str(m["clause_count"])))
            for m in got["metadatas"] or []
        ]
        return sorted(docs, key=lambda d: d.meta.doc_id)

    @_outage_is_unavailable
    def active_versions(self) -> dict[str, str]:
        """Document id → active version, read from the registry without parsing its metadata records
        (checked every few seconds by every instance)."""
        got = self.registry.get(include=["metadatas"])
        return dict(sorted((str(i), str(m["version"])) for i, m in zip(got["ids"], got["metadatas"] or [], strict=True)))

    @_outage_is_unavailable
    def version_of(self, doc_id: str) -> str | None:
        got = self.registry.get(ids=[doc_id], include=["metadatas"])
        metas = got["metadatas"] or []
        return str(metas[0]["version"]) if metas else None

    # ----- writing --------------------------------------------------------------------------
    @_outage_is_unavailable
    def reusable_embeddings(self, doc_id: str) -> dict[tuple[str, str], list[float]]:
        """Embeddings already stored for this document, keyed by (model key, embedded text): a changed
        file usually keeps most of its clauses, and those are not embedded again — by the same model."""
        got = self.clauses.get(where={"doc_id": doc_id}, include=["documents", "embeddings", "metadatas"])
        metas = got.get("metadatas") or []
        docs: list[str | None] = list(got.get("documents") or []) or [None for _ in metas]
        embs = got.get("embeddings")
        if embs is None:
            return {}
        return {(str(m.get("embedding") or self.stored_model_key), record_search_text(m, d)): list(e)
                for d, m, e in zip(docs, metas, embs, strict=True)}

    @_outage_is_unavailable
    def write_document(self, meta: DocMeta, clauses: list[Clause], embeddings: list[list[float]]) -> None:
        """Write a complete new version, then make it the active one, then sweep the old one."""
        self.write_records(meta, clauses, embeddings)
        self.activate(meta, len(clauses))

    @_outage_is_unavailable
    def write_records(self, meta: DocMeta, clauses: list[Clause], embeddings: list[list[float]] | np.ndarray,
                      batch: int = _BATCH) -> None:
        """The records of a new version, not yet active (``activate`` flips the registry)."""
        version = meta.content_hash
        ids = [record_id(c, version) for c in clauses]
        for start in range(0, len(clauses), batch):
            sl = slice(start, start + batch)
            self.clauses.upsert(ids=ids[sl], embeddings=cast("list[Sequence[float]]", embeddings[sl]),
                                metadatas=[self._metadata(c, version) for c in clauses[sl]])

    def _metadata(self, clause: Clause, version: str) -> dict[str, str | int | float | bool]:
        return record_metadata(clause, version, self.model.key)

    @_outage_is_unavailable
    def activate(self, meta: DocMeta, clause_count: int, sweep: bool = True) -> None:
        """Make ``meta``'s version the active one (one registry upsert), then sweep the old version."""
        version = meta.content_hash
        self.registry.upsert(
            ids=[meta.doc_id],
            embeddings=cast("list[Sequence[float]]", [_REGISTRY_VECTOR]),
            documents=[meta.title],
            metadatas=[{"version": version, "meta": meta.model_dump_json(), "clause_count": clause_count}],
        )
        if sweep:
            self.sweep(meta.doc_id)

    @_outage_is_unavailable
    def sweep(self, doc_id: str | None = None) -> int:
        """Delete records that are not part of an active version (left by replaced or killed ingests).

        The whole-collection sweep asks Chroma for the ids of records whose version is not active
        (no metadata travels), so it costs the stale records, not the collection."""
        active = self.active_versions()
        if doc_id is None:
            live = sorted(set(active.values()))
            where: dict[str, Any] = {"doc_version": {"$nin": live}} if live else {}
            got = self.clauses.get(where=where or None, include=[])
            stale = list(got["ids"])
        else:
            got = self.clauses.get(where={"doc_id": doc_id}, include=["metadatas"])
            stale = [
                rid for rid, m in zip(got["ids"], got["metadatas"] or [], strict=True)
                if active.get(str(m["doc_id"])) != m["doc_version"]
            ]
        for start in range(0, len(stale), _BATCH):
            self.clauses.delete(ids=stale[start : start + _BATCH])
        return len(stale)

    @_outage_is_unavailable
    def write_many(self, docs: Sequence[tuple[DocMeta, list[Clause], Any]], batch: int = 2048) -> None:
        """Many new documents at once (a bulk import): records in large batches, then one registry
        upsert that makes them all active.  Documents already indexed go through ``write_document``."""
        ids: list[str] = []
        metas: list[dict[str, str | int | float | bool]] = []
        blocks: list[np.ndarray] = []
        for meta, clauses, embeddings in docs:
            version = meta.content_hash
            ids.extend(record_id(c, version) for c in clauses)
            metas.extend(self._metadata(c, version) for c in clauses)
            blocks.append(np.asarray(embeddings, dtype=np.float32).reshape(len(clauses), -1))
        vecs = np.concatenate(blocks) if blocks else np.zeros((0, 0), dtype=np.float32)
        for start in range(0, len(ids), batch):
            sl = slice(start, start + batch)
            self.clauses.upsert(ids=ids[sl], metadatas=cast(Any, metas[sl]), embeddings=vecs[sl])
        for start in range(0, len(docs), batch):
            chunk = docs[start:start + batch]
            self.registry.upsert(
                ids=[m.doc_id for m, _, _ in chunk],
                embeddings=cast("list[Sequence[float]]", [_REGISTRY_VECTOR] * len(chunk)),
                documents=[m.title for m, _, _ in chunk],
                metadatas=[{"version": m.content_hash, "meta": m.model_dump_json(), "clause_count": len(c)}
                           for m, c, _ in chunk],
            )

    @_outage_is_unavailable
    def remove_document(self, doc_id: str) -> bool:
        if self.version_of(doc_id) is None:
            return False
        self.registry.delete(ids=[doc_id])  # invisible from here on
        self.clauses.delete(where={"doc_id": doc_id})
        return True

    @_outage_is_unavailable
    def document_record(self, doc_id: str) -> tuple[DocMeta, list[Clause], list[list[float]]] | None:
        """One active document as written: its metadata, clause parts and their embeddings (what
        :meth:`write_document` takes back, so a removed document can be restored without embedding)."""
        got = self.registry.get(ids=[doc_id], include=["metadatas"])
        metas = got["metadatas"] or []
        if not metas:
            return None
        meta = DocMeta.model_validate_json(str(metas[0]["meta"]))
        version = str(metas[0]["version"])
        rows = self.clauses.get(where={"$and": [{"doc_id": doc_id}, {"doc_version": version}]},
                                include=["metadatas", "documents", "embeddings"])
        embs = rows.get("embeddings")
        vectors = [list(map(float, e)) for e in embs] if embs is not None else []
        clauses = (clause_from_record(m, d, meta) for m, d in zip(rows["metadatas"] or [], rows["documents"] or [],
                                                                  strict=True))
        parts = sorted(zip(clauses, vectors, strict=True), key=lambda cv: (cv[0].order, cv[0].part))
        return meta.model_copy(update={"content_hash": version}), [c for c, _ in parts], [v for _, v in parts]

    # ----- reading --------------------------------------------------------------------------
    def active_clauses(self) -> list[Clause]:
        """Every clause part of every active document version, in document order."""
        return [c for c, _ in self.active_parts(vectors=False)]

    def document_parts(self, doc_id: str) -> list[Clause]:
        """The active clause parts of one document, in order."""
        return [c for c, _ in self.active_parts(vectors=False, doc_ids=[doc_id])]

    @_outage_is_unavailable
    def active_parts(self, vectors: bool = True, doc_ids: Sequence[str] | None = None,
                     versions: dict[str, str] | None = None) -> list[tuple[Clause, list[float]]]:
        """Every active clause part (of ``doc_ids``: all by default) with its embedding (empty without
        ``vectors``), in document order: what a search segment is built from when none holds it."""
        versions = versions if versions is not None else self.active_versions()
        if doc_ids is not None:
            versions = {d: versions[d] for d in doc_ids if d in versions}
        out: list[tuple[Clause, list[float]]] = []
        doc_metas = self._doc_metas(list(versions))
        for doc_id, version in versions.items():
            got = self.clauses.get(where={"$and": [{"doc_id": doc_id}, {"doc_version": version}]},
                                   include=["metadatas", "documents", "embeddings"] if vectors
                                   else ["metadatas", "documents"])
            metas = got["metadatas"] or []
            embs = got.get("embeddings")
            rows = [list(map(float, e)) for e in embs] if vectors and embs is not None else [[] for _ in metas]
            out.extend((clause_from_record(m, d, doc_metas.get(doc_id)), e)
                       for m, d, e in zip(metas, got["documents"] or [], rows, strict=True))
        out.sort(key=lambda ce: (ce[0].doc_id, ce[0].order))
        return out

    def _doc_metas(self, doc_ids: list[str]) -> dict[str, DocMeta]:
        """The registry's metadata of these documents (what a slim record's payload leaves out)."""
        if not doc_ids:
            return {}
        got = self.registry.get(ids=doc_ids, include=["metadatas"])
        return {str(i): DocMeta.model_validate_json(str(m["meta"]))
                for i, m in zip(got["ids"], got["metadatas"] or [], strict=True)}

    @_outage_is_unavailable
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
                yield {"id": rid, "document": record_search_text(meta, doc), "metadata": meta,
                       "embedding": [float(x) for x in emb]}
