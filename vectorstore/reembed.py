"""Re-embedding: the collection's documents embedded by the configured model into a new collection beside
it, which then takes its place — so vectors of two models are never in one collection, and a run killed
half-way leaves the old collection as it was (``policybot rebuild --reembed``)."""
from __future__ import annotations

import os
import shutil

from vectorstore.chroma_store import ClauseStore
from vectorstore.errors import outage_is_unavailable

SUFFIX = "__reembed"


@outage_is_unavailable
def store_beside(store: ClauseStore) -> ClauseStore:
    """An empty store of the configured model next to ``store``, on the same client (a killed earlier
    run's leftovers are dropped first)."""
    config = store.config.model_copy(update={"collection": store.config.collection + SUFFIX})
    existing = {getattr(c, "name", str(c)) for c in store.client.list_collections()}
    for name in (config.collection, f"{config.collection}_docs"):
        if name in existing:
            store.client.delete_collection(name)
    shutil.rmtree(config.segments_dir, ignore_errors=True)
    return ClauseStore(config, client=store.client)


@outage_is_unavailable
def replace_collections(store: ClauseStore, fresh: ClauseStore) -> None:
    """Make ``fresh``'s collections ``store``'s: the old ones are deleted, ``fresh``'s renamed to their names
    and its segments moved to ``store``'s directory.  Other instances see an empty index for the moment
    between the delete and the rename, and then the new one (their version check reloads it)."""
    names = (store.config.collection, f"{store.config.collection}_docs")
    for name in names:
        store.client.delete_collection(name)
    fresh.clauses.modify(name=names[0])
    fresh.registry.modify(name=names[1])
    target = store.config.segments_dir
    if fresh.config.segments_dir.is_dir():
        shutil.rmtree(target, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(fresh.config.segments_dir, target)
    store.reset(fresh.model, fresh.embedder)
