"""A clause part as a Chroma record: the packed payload reads back as the whole clause, older records too."""
from __future__ import annotations

import json

import pytest

from ingest.documents import parse_document
from tests.conftest import CORPUS
from vectorstore.embedding_model import shipped
from vectorstore.records import (
    CHUNK,
    PACKED,
    SLIM,
    clause_from_record,
    pack,
    record_id,
    record_id_to_clause_key,
    record_metadata,
    record_search_text,
    unpack,
)

pytestmark = pytest.mark.unit


def test_packed_slim_and_old_records_read_back_as_the_clause():
    for path in sorted(CORPUS.glob("*.txt")):
        doc = parse_document(path)
        for c in doc.clauses:
            meta = record_metadata(c, "v1", shipped.key)
            assert "payload" not in meta and meta["embedding"] == shipped.key and meta["doc_version"] == "v1"
            chunks = [str(v) for k, v in meta.items() if k.startswith(PACKED)]
            # every packed string stays short enough for its SQLite index entry to fit in the page
            assert chunks and all(0 < len(x) <= CHUNK and x.isascii() for x in chunks)
            assert c.search_text not in "".join(chunks) and doc.meta.title not in "".join(chunks)
            assert clause_from_record(meta, None, doc.meta) == c  # no Chroma document: the payload has it all
            assert record_search_text(meta, None) == c.search_text
            slim = {**c.to_chroma_metadata("v1"), "payload": c.model_dump_json(exclude=SLIM)}  # the format before
            assert clause_from_record(slim, c.search_text, doc.meta) == c
            assert record_search_text(slim, c.search_text) == c.search_text
            old = c.to_chroma_metadata("v1")  # written before the payload was slimmed: the whole clause
            assert clause_from_record(old, c.search_text, None) == c
            assert record_id_to_clause_key(record_id(c, "v1")) == (c.clause_id, c.part)


def test_a_long_clause_is_packed_into_several_strings_and_read_back():
    doc = parse_document(sorted(CORPUS.glob("*.txt"))[0])
    c = doc.clauses[1].model_copy(update={"text": "".join(f"第{i}项质量基础设施建设" for i in range(600))})
    meta = record_metadata(c, "v2", shipped.key)
    assert f"{PACKED}2" in meta
    assert clause_from_record(meta, None, doc.meta) == c


def test_pack_round_trips_and_shrinks_clause_json():
    doc = parse_document(sorted(CORPUS.glob("*.txt"))[0])
    raw = [c.model_dump_json(exclude={"doc"}).encode("utf-8") for c in doc.clauses]
    packed = [pack(r) for r in raw]
    assert [unpack(p) for p in packed] == raw
    assert sum(map(len, packed)) < 0.6 * sum(map(len, raw))
    assert json.loads(unpack(pack(b"{}"))) == {}
