"""LangChain face of :class:`~bot.retrieval.hybrid.HybridRetriever`, for use in chains."""
from __future__ import annotations

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from bot.retrieval.hybrid import HybridRetriever
from bot.retrieval.types import SearchFilters


class PolicyRetriever(BaseRetriever):
    """``invoke(question)`` → clauses as Documents, with the citation in their metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    retriever: HybridRetriever
    k: int = 5
    filters: SearchFilters | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        result = self.retriever.search(query, self.k, self.filters)
        return [
            Document(
                page_content=h.clause.text,
                metadata={"clause_id": h.clause.clause_id, "doc_id": h.clause.doc_id, "doc_title": h.clause.doc_title,
                          "item": h.clause.item, "score": h.score, "via": h.via, "citation": h.clause.citation()},
            )
            for h in result.hits
        ]
