"""One file → one parsed document (metadata + clauses); the pure part of ingest, no index involved."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ingest.catalog import CatalogEntry, merge_meta
from ingest.clauses import MAX_PART_CHARS, build_clauses
from ingest.clean import clean_lines
from ingest.links import extract_references
from ingest.metadata import extract_meta, find_title
from ingest.models import Clause, DocMeta
from ingest.readers import read_document
from ingest.text.script import is_traditional

PARSER_VERSION = "8"  # bump when parsing changes, so unchanged files are re-ingested once


@dataclass
class ParsedDocument:
    meta: DocMeta
    clauses: list[Clause]
    traditional: bool


def content_hash(data: bytes, catalog_entry: CatalogEntry | None, embedding_key: str = "") -> str:
    """What decides whether a file must be re-indexed: its bytes, its catalog entry, the parser, and what
    its vectors are computed by (``embedding_key``: the index's model name@version/dimension — ingest
    knows no model, the index passes it in)."""
    h = hashlib.sha256()
    h.update(PARSER_VERSION.encode())
    h.update(embedding_key.encode())
    h.update(repr(sorted((catalog_entry or {}).items())).encode())
    h.update(data)
    return h.hexdigest()[:16]


def doc_id_for(path: Path) -> str:
    return path.stem


def parse_document(path: Path, catalog_entry: CatalogEntry | None = None, doc_id: str | None = None,
                   embedding_key: str = "", part_chars: int = MAX_PART_CHARS) -> ParsedDocument:
    """Read, clean, extract metadata and split into clauses. Raises UnreadableFileError on bad files.

    ``embedding_key`` and ``part_chars``: the index's embedding model and the part length tuned for it."""
    raw = read_document(path)
    lines = clean_lines(raw)
    did = doc_id or doc_id_for(path)
    auto_span = find_title(lines)
    auto = extract_meta(did, lines, auto_span)
    refs = extract_references("\n".join(lines), auto.title, auto.doc_number)
    meta = merge_meta(auto.model_copy(update={"references": refs}), catalog_entry)
    meta = meta.model_copy(update={"source_file": path.name, "content_hash": content_hash(path.read_bytes(), catalog_entry,
                                                                                    embedding_key)})
    clauses = build_clauses(meta, lines, auto_span, part_chars)
    return ParsedDocument(meta=meta, clauses=clauses, traditional=is_traditional("".join(lines[:20])))
