"""A clause part as a Chroma record: the slim payload reads back as the whole clause, old records too."""
from __future__ import annotations

import pytest

from ingest.documents import parse_document
from tests.conftest import CORPUS
from vectorstore.embedding_model import shipped
from vectorstore.records import clause_from_record, record_id, record_id_to_clause_key, record_metadata

pytestmark = pytest.mark.unit


def test_slim_and_old_records_read_back_as_the_clause():
    doc = parse_document(sorted(CORPUS.glob("*.txt"))[0])
    for c in doc.clauses[:20]:
        meta = record_metadata(c, "v1", shipped.key)
        assert '"doc"' not in str(meta["payload"]) and c.search_text not in str(meta["payload"])
        assert meta["embedding"] == shipped.key and meta["doc_version"] == "v1"
        assert clause_from_record(meta, c.search_text, doc.meta) == c
        old = c.to_chroma_metadata("v1")  # written before the payload was slimmed: the whole clause
        assert clause_from_record(old, c.search_text, None) == c
        assert record_id_to_clause_key(record_id(c, "v1")) == (c.clause_id, c.part)
