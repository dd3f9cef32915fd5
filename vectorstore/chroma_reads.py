"""Reading clause records back out of Chroma: a document as written, the active parts, dense queries, export.

The part of :class:`vectorstore.chroma_store.ClauseStore` that reads the clause collection (its writes and
the registry are there); a command served by the search segments calls none of it.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, cast

from ingest.models import Clause, DocMeta
from vectorstore.errors import outage_is_unavailable as _outage_is_unavailable
from vectorstore.records import clause_from_record, record_search_text

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection


class ClauseReads:
    """Reads of the clause collection; the store supplies the collections and the active versions."""

    if TYPE_CHECKING:
        @property
        def clauses(self) -> Collection: ...

        @property
        def registry(self) -> Collection: ...

        @property
        def stored_model_key(self) -> str: ...

        def active_versions(self) -> dict[str, str]: ...

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
