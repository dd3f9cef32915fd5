"""Ingest: policy files → cleaned text → numbered clauses with metadata → Chroma index."""
