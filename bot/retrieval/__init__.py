"""Retrieval: from a question to ranked whole clauses (number lookup, BM25 + dense, fusion)."""
from bot.retrieval.hybrid import HybridRetriever
from bot.retrieval.types import SearchFilters, SearchHit, SearchResult

__all__ = ["HybridRetriever", "SearchFilters", "SearchHit", "SearchResult"]
