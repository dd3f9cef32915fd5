"""Where the index lives: the settings the vector store needs, passed in by the layer above.

The store never reads the environment itself; :meth:`bot.settings.Settings.store_config` builds this
record, so ingest scripts, tests and benches can point a store anywhere without global state.
"""
from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, SecretStr

from vectorstore.embedding_model import DEFAULT_MODEL


class StoreConfig(BaseModel):
    """An embedded Chroma under ``path``, or a Chroma server when ``host`` is set."""

    model_config = ConfigDict(frozen=True)

    path: Path
    collection: str = "policy_clauses"
    host: str | None = None
    port: int = 8000
    ssl: bool = False
    token: SecretStr | None = None
    embedding_model: str = DEFAULT_MODEL  # a name registered in vectorstore.embedding_model
    index_dir: Path | None = None  # stored search segments; default: beside the embedded store, per collection

    @property
    def segments_dir(self) -> Path:
        """Where the search segments of this collection live (a shared path for instances of one server)."""
        if self.index_dir is not None:
            return self.index_dir / self.collection
        where = f"{self.host}_{self.port}_{self.collection}" if self.host else self.collection
        return self.path.parent / "segments" / where
