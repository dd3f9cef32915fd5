"""Dense stage: nearest clause parts by cosine similarity to the query embedding, from Chroma's index.

The vectors live in one place, the Chroma collection, and so does the one vector index (HNSW) built on
them: the query goes to Chroma (embedded, or the server every instance shares), and each hit is mapped
to its row of the :class:`~.snapshot.IndexSnapshot` by its record id.  A hit whose document version is
not the snapshot's (a version being written, or swept) is dropped, so dense and lexical describe the
same index version.  Why not the segments' own vectors any more: see README **Scale** (one vector
index: measured side by side).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.retrieval.snapshot import IndexSnapshot
from vectorstore.chroma_store import ClauseStore, record_id_to_clause_key

STALE_SLACK = 1.25  # over-fetch: hits of versions being written or swept are dropped after the query


class ChromaDense:
    """Embeds the query with the store's model and asks the collection's vector index for its neighbours."""

    def __init__(self, store: ClauseStore) -> None:
        self.store = store

    def run(self, text: str, n: int, snapshot: IndexSnapshot, docs: Sequence[str] | None = None) -> dict[int, float]:
        """Rows of the ``n`` parts nearest to ``text``, with their cosine similarity.  ``docs``: the
        documents a question names — their parts only, or in a large collection the nearest parts of other
        documents fill every place and the named ones get no dense evidence at all."""
        if not snapshot.size:
            return {}
        emb = np.asarray(self.store.embedder.embed_query([text])[0], dtype=np.float32)
        where = {"doc_id": {"$in": list(docs)}} if docs else None
        hits = self.store.query(list(map(float, emb)), min(int(n * STALE_SLACK) + 1, snapshot.size),
                                snapshot.versions, where=where)
        out: dict[int, float] = {}
        for rid, sim in hits:
            version = rid.rsplit("@", 1)[-1]
            clause_id, part = record_id_to_clause_key(rid)
            i = snapshot.row_of(clause_id, part, version)
            if i is not None and i not in out:
                out[i] = sim
                if len(out) == n:
                    break
        return out
