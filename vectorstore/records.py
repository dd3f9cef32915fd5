"""How a clause part is written as a Chroma record and read back: ids, metadata, the packed payload.

A record is ``clause_id/part@version`` with its embedding and metadata: the filterable fields (document,
version, item, kind, region, level, order, part, departments), the embedding model's key (what its vector
is comparable by) and the clause itself, *packed*: its JSON without the document's metadata (one registry
record per document holds it), search text included, deflated against a fixed dictionary and written as
Base85 in strings of at most :data:`CHUNK` characters (``pz0``, ``pz1`` …).  The record has no Chroma
document.  Why (README **Scale**): Chroma's SQLite stores every metadata string twice, the value and its
index entry, and an index entry longer than ~1000 bytes spills into an overflow page of its own (4 KB), so
a 1.5 KB string cost ~6 KB; a document is stored three times more (its value, its index entry, the
full-text table) and indexed by trigrams, which nothing here queries.  Packed, a part's clause costs
~0.85 KB twice.

Records written before read back the same: a slim ``payload`` (JSON without the document's metadata and
the search text, which was the record's document) or, older still, the whole clause as ``payload``.
"""
from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ingest.models import Clause, DocMeta
from vectorstore.embedding_model import EmbeddingModel, shipped

MODEL_FIELDS = ("embedding_model", "embedding_version", "embedding_dimension")
SLIM = {"doc", "search_text"}  # left out of the slim payload of the records before the packed one
PACKED = "pz"  # packed payload keys: pz0, pz1, …
CHUNK = 900  # characters per packed string: its SQLite index entry stays within the page (no overflow page)
# Deflate's preset dictionary: the skeleton every clause's JSON shares.  Part of the stored format — never
# change it (records written with it could not be read back); a new format gets new keys instead.
ZDICT = (b'{"clause_id":"","doc_id":"","doc_title":"","item":"","kind":"item","heading_path":[],"text":"",'
         b'"search_text":"","departments":[],"numbers":[],"ladder":["cn","paren_cn","arabic"],"part":1,'
         b'"parts":1,"order":')


def pack(data: bytes) -> bytes:
    """Raw deflate of ``data`` against :data:`ZDICT` (also the segments' clause records)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, ZDICT)
    return c.compress(data) + c.flush()


def unpack(data: bytes) -> bytes:
    d = zlib.decompressobj(-15, zdict=ZDICT)
    return d.decompress(data) + d.flush()


def record_id(clause: Clause, version: str) -> str:
    return f"{clause.clause_id}/{clause.part}@{version}"


def record_id_to_clause_key(rid: str) -> tuple[str, int]:
    """``doc:item/part@version`` → (clause_id, part)."""
    base = rid.rsplit("@", 1)[0]
    clause_id, part = base.rsplit("/", 1)
    return clause_id, int(part)


def packed_payload(clause: Clause) -> dict[str, str]:
    """The clause without its document's metadata, packed into strings of at most :data:`CHUNK` characters."""
    text = base64.b85encode(pack(clause.model_dump_json(exclude={"doc"}).encode("utf-8"))).decode("ascii")
    return {f"{PACKED}{i}": text[s:s + CHUNK] for i, s in enumerate(range(0, len(text), CHUNK))}


def record_metadata(clause: Clause, version: str, model_key: str) -> dict[str, str | int | float | bool]:
    """A record's metadata: the clause's filterable fields, its packed payload, the model its vector is of."""
    md = clause.to_chroma_metadata(version)
    del md["payload"]
    return {**md, **packed_payload(clause), "embedding": model_key}


def _unpacked(metadata: Mapping[str, Any]) -> dict[str, Any] | None:
    if f"{PACKED}0" not in metadata:
        return None
    chunks = []
    i = 0
    while f"{PACKED}{i}" in metadata:
        chunks.append(str(metadata[f"{PACKED}{i}"]))
        i += 1
    return dict(json.loads(unpack(base64.b85decode("".join(chunks)))))


def clause_from_record(metadata: Mapping[str, Any], document: str | None, doc: DocMeta | None) -> Clause:
    """The clause part a record holds, with its document's metadata put back (and, from a slim payload,
    the search text: the record's document)."""
    payload = _unpacked(metadata)
    if payload is None:
        payload = json.loads(str(metadata["payload"]))
        if "search_text" not in payload:
            payload["search_text"] = document or ""
    if "doc" not in payload:
        payload["doc"] = doc.model_dump() if doc is not None else None
    return Clause.model_validate(payload)


def record_search_text(metadata: Mapping[str, Any], document: str | None) -> str:
    """The text a record's vector was computed from (its search text), whichever format it was written in."""
    payload = _unpacked(metadata)
    if payload is None:
        payload = json.loads(str(metadata.get("payload") or "{}"))
    return str(payload.get("search_text") or document or "")


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
