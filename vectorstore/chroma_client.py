"""Opening Chroma: the one place that imports ``chromadb`` for the store, when a client is first needed.

Importing ``chromadb`` costs about half a second (its API, OpenTelemetry, protobuf), more than a clause
lookup takes end to end; a command that finds what it needs in the segments and the registry file
(:mod:`vectorstore.registry_file`) never calls :func:`make_client` and so never pays it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chromadb.api import ClientAPI

    from vectorstore.config import StoreConfig

# The one vector index, which dense search queries (README **Scale**): at Chroma's defaults (16 neighbours,
# ef 100) the bench's 10k collection of near-duplicate copies got 0.61–0.73 of the exact top 76; with these
# 1.00 (3.3 ms a query).  Fixed when a collection is created.
HNSW: dict[str, Any] = {"space": "cosine", "max_neighbors": 48, "ef_construction": 400, "ef_search": 1500}


def make_client(config: StoreConfig) -> ClientAPI:
    """The Chroma client the config asks for; telemetry off (no outbound traffic)."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if config.host:
        headers = {}
        if config.token:
            headers["Authorization"] = f"Bearer {config.token.get_secret_value()}"
        return chromadb.HttpClient(host=config.host, port=config.port, ssl=config.ssl,
                                   headers=headers, settings=chroma_settings)
    config.path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(config.path), settings=chroma_settings)


def retire_system(config: StoreConfig) -> Any | None:
    """Forget this process's embedded Chroma system of ``config.path`` (a new client then reads the
    directory afresh); the system is returned for the caller to stop once searches on it are done."""
    from chromadb.api.shared_system_client import SharedSystemClient

    identifier = str(config.path)
    SharedSystemClient._identifier_to_refcount.pop(identifier, None)
    return SharedSystemClient._identifier_to_system.pop(identifier, None)
