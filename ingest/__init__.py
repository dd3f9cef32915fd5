"""Ingest: policy files → cleaned text → numbered clauses with metadata (no index; see vectorstore)."""
