"""How a clause part is written as a Chroma record and read back: ids, metadata, the slim payload.

A record is ``clause_id/part@version`` with the part's search text as its document, its embedding, and
metadata: the filterable fields (document, version, item, kind, region, level, order, part, departments),
the embedding model's key (what its vector is comparable by) and the clause as a JSON payload.  The
payload leaves out what the record already holds elsewhere — the document's metadata (one registry record
per document) and the search text (the record's document) — since Chroma stores every metadata string
twice (the value and its index) and the full payload was most of the collection's disk (README **Scale**).
Records written before keep their full payload and read back the same.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ingest.models import Clause, DocMeta
from vectorstore.embedding_model import EmbeddingModel, shipped

MODEL_FIELDS = ("embedding_model", "embedding_version", "embedding_dimension")
SLIM = {"doc", "search_text"}  # kept beside the payload, not in it


def record_id(clause: Clause, version: str) -> str:
    return f"{clause.clause_id}/{clause.part}@{version}"


def record_id_to_clause_key(rid: str) -> tuple[str, int]:
    """``doc:item/part@version`` → (clause_id, part)."""
    base = rid.rsplit("@", 1)[0]
    clause_id, part = base.rsplit("/", 1)
    return clause_id, int(part)


def record_metadata(clause: Clause, version: str, model_key: str) -> dict[str, str | int | float | bool]:
    """A record's metadata: the clause's filterable fields, its slim payload, the model its vector is of."""
    return {**clause.to_chroma_metadata(version), "payload": clause.model_dump_json(exclude=SLIM),
            "embedding": model_key}


def clause_from_record(metadata: Mapping[str, Any], document: str | None, doc: DocMeta | None) -> Clause:
    """The clause part a record holds: its payload with the document's metadata and search text put back."""
    payload = json.loads(str(metadata["payload"]))
    if "doc" not in payload:
        payload["doc"] = doc.model_dump() if doc is not None else None
        payload["search_text"] = document or ""
    return Clause.model_validate(payload)


def model_metadata(model: EmbeddingModel) -> dict[str, str | int]:
    """What the collection records of the model that computed its vectors."""
    return dict(zip(MODEL_FIELDS, (model.name, model.version, model.dimension), strict=True))


def stored_model(metadata: Mapping[str, Any] | None) -> tuple[str, str]:
    """(key, description) of the model a collection's metadata names; a collection written before the
    model was recorded holds the shipped model's vectors (the only one there was)."""
    md = metadata or {}
    if not md.get("embedding_model"):
        return shipped.key, shipped.describe()
    name, version, dim = (str(md[f]) for f in MODEL_FIELDS)
    return f"{name}@{version}/{dim}", f"{name}（版本 {version}，{dim} 维）"


def dumps_records(records: Iterable[dict]) -> Iterator[str]:
    for r in records:
        yield json.dumps(r, ensure_ascii=False)
