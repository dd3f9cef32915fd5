"""Reading the library: the indexed documents with their counts and statuses, outlines, clauses,
names and the responsible bodies.

The read side of :class:`bot.service.library.DocumentLibrary` (which adds the writes); nothing here
changes the store.  Item counts and department lists are cached per indexed version.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.answer.schemas import Citation
from bot.retrieval import HybridRetriever
from bot.settings import Settings
from ingest.department_names import formal_name
from ingest.items import DocumentItems, document_items, outline_clauses
from ingest.models import DocMeta, distinct_names
from vectorstore.chroma_store import ClauseStore

if TYPE_CHECKING:
    from bot.service.lifecycle import Lifecycle

DEPARTMENT_SEP = "｜"


@dataclass(frozen=True)
class DepartmentGroup:
    """One responsible body in one region: its formal name and the names the documents use."""

    region: str
    name: str
    names: list[str]

    @property
    def value(self) -> str:
        """What the filter carries: ``region｜formal name``."""
        return f"{self.region}{DEPARTMENT_SEP}{self.name}"

    @property
    def label(self) -> str:
        others = [n for n in self.names if n != self.name]
        return f"{self.region} · {self.name}" + (f"（又称 {'、'.join(others)}）" if others else "")


class LibraryShelf:
    """The documents as lists, outlines and clauses show them."""

    def __init__(self, settings: Settings, store: ClauseStore, retriever: HybridRetriever,
                 lifecycle: Lifecycle | None = None) -> None:
        self.settings = settings
        self.store = store
        self.retriever = retriever
        self.lifecycle = lifecycle  # status and 依据 / 被引用 on document rows and outlines
        self._items: dict[tuple[str, str], DocumentItems] = {}
        self._departments: dict[tuple[str, str], list[str]] = {}

    def documents(self) -> list[dict[str, Any]]:
        """Every indexed document's metadata with its counts: ``item_count`` (条目 at the primary level),
        ``clause_total`` (条款 at every level) and ``count_text`` naming both (:mod:`ingest.items`);
        ``clause_count`` stays the number of stored records (parts, notice and 文件信息 included); with the
        status and 依据 / 被引用 as of the configured day."""
        out = []
        stored = self.store.documents()
        names = distinct_names(d.meta for d in stored)  # equal names told apart (id, date, 文号)
        view = self.lifecycle.view() if self.lifecycle is not None else None
        for d in stored:
            items = self.items(d.meta.doc_id, d.version)
            out.append({**d.meta.model_dump(), "status_set": d.meta.status, "display_name": names[d.meta.doc_id],
                        "provenance": d.meta.provenance(), "clause_count": d.clause_count, "version": d.version,
                        "item_count": len(items.items), "clause_total": len(items.clauses),
                        "count_text": items.count_text(), **(view.row(d.meta.doc_id) if view else {})})
        return out

    def document_name(self, doc_id: str) -> str:
        return next((d["display_name"] for d in self.documents() if d["doc_id"] == doc_id), doc_id)

    def items(self, doc_id: str, version: str = "") -> DocumentItems:
        """The document's items and clauses (the one definition), cached per indexed version."""
        key = (doc_id, version or self.store.version_of(doc_id) or "")
        found = self._items.get(key)
        if found is None:
            found = document_items(self.retriever.doc_clauses(doc_id), doc_id)
            if len(self._items) > 1000:
                self._items.clear()
            if found.clauses:  # an index not yet reloaded after a write is asked again next time
                self._items[key] = found
        return found

    def metas(self) -> list[DocMeta]:
        return list(self.retriever.catalog.metas)

    def distinct_names(self) -> dict[str, str]:
        """Doc id → the name lists show, equal names told apart (:func:`ingest.models.distinct_names`)."""
        return distinct_names(self.retriever.catalog.metas)

    def resolve(self, name: str) -> str | None:
        """Doc id from an id, title, short name or alias (CLI ``show 天津实施意见 6``)."""
        return self.retriever.catalog.resolve(name)

    def outline(self, doc_id: str) -> list[Citation]:
        """Every clause in order, with the parts whose heading carries no text (:mod:`ingest.items`), each
        with its document's status."""
        cites = [Citation.from_clause(c) for c in outline_clauses(self.retriever.doc_clauses(doc_id))]
        if self.lifecycle is not None:
            self.lifecycle.view().annotate_all(cites)
        return cites

    def departments(self) -> list[str]:
        """Responsible bodies named in the collection's clauses (the hotline's department filter)."""
        return list(self.retriever.snapshot.departments)

    def department_groups(self) -> list[DepartmentGroup]:
        """Each responsible body once per region — the region of the documents naming it — under its
        formal name, with the names the documents use for it (:mod:`ingest.department_names`)."""
        seen: dict[tuple[str, str], set[str]] = {}
        for d in self.store.documents():
            region = d.meta.region or "未标注地区"
            for name in self._doc_departments(d.meta.doc_id, d.version):
                seen.setdefault((region, formal_name(name)), set()).add(name)
        return [DepartmentGroup(region, formal, sorted(names, key=lambda n: (n != formal, n)))
                for (region, formal), names in sorted(seen.items())]

    def _doc_departments(self, doc_id: str, version: str) -> list[str]:
        key = (doc_id, version)
        found = self._departments.get(key)
        if found is None:
            clauses = self.retriever.doc_clauses(doc_id)
            found = sorted({n for c in clauses for n in c.departments})
            if clauses:
                self._departments[key] = found
        return found

    def clause(self, clause_id: str) -> Citation | None:
        c = self.retriever.clause(clause_id)
        if c is None:
            return None
        cite = Citation.from_clause(c)
        return self.lifecycle.view().annotate(cite) if self.lifecycle is not None else cite
