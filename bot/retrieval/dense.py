"""Dense stage: nearest clause parts by embedding, from Chroma's HNSW index."""
from __future__ import annotations

from bot.retrieval.snapshot import IndexSnapshot
from vectorstore.chroma_store import ClauseStore, record_id_to_clause_key


class ChromaDense:
    """Embeds the query with the store's embedder and asks Chroma for neighbours.

    No metadata filter goes to Chroma: filtered queries scan, and at 10k+ parts that costs hundreds
    of milliseconds.  The caller over-fetches instead, and only parts of the snapshot's active
    versions are kept here.
    """

    def __init__(self, store: ClauseStore) -> None:
        self.store = store

    def run(self, text: str, n: int, snapshot: IndexSnapshot) -> dict[int, float]:
        emb = self.store.embedder.embed_query([text])[0]
        hits = self.store.query(list(map(float, emb)), n, snapshot.versions)
        out: dict[int, float] = {}
        for rid, sim in hits:
            version = rid.rsplit("@", 1)[-1]
            i = snapshot.part_index.get(record_id_to_clause_key(rid))
            if i is not None and snapshot.versions.get(snapshot.parts[i].doc_id) == version:
                out[i] = sim
        return out
