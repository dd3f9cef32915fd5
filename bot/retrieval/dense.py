"""Dense stage: nearest clause parts by cosine similarity to the query embedding.

The parts' embeddings live in the :class:`~.snapshot.IndexSnapshot`, loaded together with the
lexical side, so dense and lexical always describe the same index version, and the search is exact:
every process holding the same versions ranks a question identically (an HNSW graph built in another
order, or not yet refreshed after another process's write, would not).  A snapshot without vectors
(an old store, a test double) falls back to Chroma's HNSW index.
"""
from __future__ import annotations

import numpy as np

from bot.retrieval.snapshot import IndexSnapshot
from vectorstore.chroma_store import ClauseStore, record_id_to_clause_key


def top_stable(scores: np.ndarray, n: int) -> np.ndarray:
    """``np.argsort(-scores, kind="stable")[:n]`` without sorting every row: the n-th best score as a
    threshold, then a stable sort of the rows at or above it (ties keep row order, as in the full sort)."""
    if len(scores) <= 4 * n or n <= 0:
        return np.argsort(-scores, kind="stable")[:n]
    threshold = scores[np.argpartition(-scores, n - 1)[:n]].min()
    candidates = np.flatnonzero(scores >= threshold)
    return candidates[np.argsort(-scores[candidates], kind="stable")][:n]


class ChromaDense:
    """Embeds the query with the store's embedder and scores the snapshot's parts."""

    def __init__(self, store: ClauseStore) -> None:
        self.store = store

    def run(self, text: str, n: int, snapshot: IndexSnapshot) -> dict[int, float]:
        emb = np.asarray(self.store.embedder.embed_query([text])[0], dtype=np.float32)
        if snapshot.has_vectors and snapshot.size:
            q = emb / (float(np.linalg.norm(emb)) or 1.0)
            sims = snapshot.dense_scores(q)
            top = top_stable(sims, n)
            return {int(i): float(sims[i]) for i in top if np.isfinite(sims[i])}
        hits = self.store.query(list(map(float, emb)), n, snapshot.versions)
        out: dict[int, float] = {}
        for rid, sim in hits:
            version = rid.rsplit("@", 1)[-1]
            clause_id, part = record_id_to_clause_key(rid)
            i = snapshot.row_of(clause_id, part)
            if i is not None and snapshot.versions.get(clause_id.split(":", 1)[0]) == version:
                out[i] = sim
        return out
