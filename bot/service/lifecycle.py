"""Each document's status and links, as of the configured day, for everything the service returns.

The pure rules live in :mod:`ingest.status` and :mod:`ingest.links`; this module applies them to the
collection the retriever currently serves (rebuilt only when the index or the day changes) and puts
the result on every :class:`Citation` and document row, so the chat, the search desk, ``policybot``
and the documents table show one and the same status and the same 依据 / 被引用.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bot.answer.schemas import Answer, Citation
from bot.retrieval import HybridRetriever
from bot.retrieval.catalog import DocumentCatalog
from ingest.catalog import load_overrides
from ingest.links import Link, LinkGraph
from ingest.status import DocStatus, collection_status
from ingest.text.script import is_traditional, search_form, to_traditional


def _group(links: Iterable[Link], name: Callable[[Link], str]) -> list[str]:
    """"国家民企质量意见（贯彻落实、根据）": one entry per named document, its relations joined."""
    grouped: dict[str, list[str]] = {}
    for link in links:
        grouped.setdefault(name(link), [])
        if link.relation not in grouped[name(link)]:
            grouped[name(link)].append(link.relation)
    return [f"{n}（{'、'.join(rs)}）" for n, rs in grouped.items()]


@dataclass(frozen=True)
class LifecycleView:
    """Statuses and links of one collection on one day."""

    today: date
    graph: LinkGraph
    statuses: dict[str, DocStatus]
    # 依据 / 被引用 per document, grouped once per view (a national document cited by thousands of local
    # ones would otherwise be grouped again for every hit of every search)
    _grouped: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)

    def status(self, doc_id: str) -> DocStatus | None:
        return self.statuses.get(doc_id)

    def in_force(self, doc_id: str) -> bool:
        """Unknown documents count as in force (nothing says otherwise)."""
        s = self.statuses.get(doc_id)
        return s is None or s.in_force

    def name(self, doc_id: str) -> str:
        meta = self.graph.metas.get(doc_id)
        return meta.display_name if meta else doc_id

    def successors(self, doc_id: str) -> list[str]:
        """Documents in force that took ``doc_id``'s place: those that say they replace or repeal it, then
        those with the same title (a new version that does not name the old one)."""
        enders = [k.source for k in self.graph.enders(doc_id)]
        meta = self.graph.metas.get(doc_id)
        same = [d for d, m in self.graph.metas.items()
                if meta is not None and d != doc_id and search_form(m.title) == search_form(meta.title)]
        return [d for d in dict.fromkeys([*enders, *same]) if self.in_force(d)]

    def based_on(self, doc_id: str) -> list[str]:
        """依据: what ``doc_id`` names; a document not in the collection with its title, 文号 and 未收录."""
        got = self._grouped.get(("out", doc_id))
        if got is None:
            got = self._grouped[("out", doc_id)] = tuple(self._based_on(doc_id))
        return list(got)

    def _based_on(self, doc_id: str) -> list[str]:
        def name(link: Link) -> str:
            if link.target:
                return self.name(link.target)
            if not link.title:
                return f"{link.doc_number}未收录"
            number = f"（{link.doc_number}）" if link.doc_number else ""
            return f"《{link.title}》{number}未收录"
        return _group(self.graph.outgoing(doc_id), name)

    def cited_by(self, doc_id: str) -> list[str]:
        """被引用: documents in the collection that name ``doc_id``."""
        got = self._grouped.get(("in", doc_id))
        if got is None:
            got = self._grouped[("in", doc_id)] = tuple(
                _group(self.graph.incoming(doc_id), lambda link: self.name(link.source)))
        return list(got)

    def annotate(self, c: Citation) -> Citation:
        s = self.statuses.get(c.doc_id)
        if s is not None:
            c.status, c.status_label, c.status_source = s.state, s.label(), s.source
        c.based_on, c.cited_by = self.based_on(c.doc_id), self.cited_by(c.doc_id)
        return c

    def annotate_all(self, cites: Iterable[Citation]) -> None:
        for c in cites:
            self.annotate(c)

    def notices(self, cites: Iterable[Citation]) -> list[str]:
        """"注意：所引《…》已于2026年9月7日失效", once per cited document not in force, in citation order."""
        out: list[str] = []
        for doc_id in dict.fromkeys(c.doc_id for c in cites):
            s, meta = self.statuses.get(doc_id), self.graph.metas.get(doc_id)
            if s is not None and meta is not None and not s.in_force:
                out.append(s.notice(meta.title))
        return out

    def warn(self, answer: Answer) -> Answer:
        """Annotate the answer's clauses and, when its evidence is not in force, say so first."""
        self.annotate_all([*answer.citations, *answer.see_also, *answer.retrieved])
        if answer.done and not answer.refused:
            notes = self.notices(answer.citations)
            if notes and is_traditional(answer.question):  # the whole answer is in the question's script
                notes = [to_traditional(n) for n in notes]
            if notes:
                answer.answer = "\n".join(notes) + "\n\n" + answer.answer
        return answer

    def row(self, doc_id: str) -> dict[str, Any]:
        """The status and link fields of a document row (``policybot docs``, the documents table)."""
        s = self.statuses.get(doc_id)
        return {"status": s.state if s else "", "status_label": s.label() if s else "",
                "status_source": s.source if s else "", "status_on": self.today.isoformat(),
                "based_on": self.based_on(doc_id), "cited_by": self.cited_by(doc_id),
                "links": [{"relation": k.relation, "doc_id": k.target, "title": k.title, "doc_number": k.doc_number}
                          for k in self.graph.outgoing(doc_id)]}


class Lifecycle:
    """The current :class:`LifecycleView`, rebuilt when the served collection or the day changes."""

    def __init__(self, retriever: HybridRetriever, today: Callable[[], date], overrides_file: Path) -> None:
        self.retriever = retriever
        self.today = today
        self.overrides_file = overrides_file
        self._lock = threading.Lock()
        self._key: tuple[DocumentCatalog, date] | None = None
        self._view: LifecycleView | None = None

    def view(self) -> LifecycleView:
        catalog, today = self.retriever.catalog, self.today()
        with self._lock:
            if self._view is None or self._key is None or self._key[0] is not catalog or self._key[1] != today:
                graph = LinkGraph(catalog.metas)
                set_by = {d: "管理员" for d, o in load_overrides(self.overrides_file).items() if o.get("status")}
                self._view = LifecycleView(today, graph, collection_status(graph, today, set_by))
                self._key = (catalog, today)
            return self._view
