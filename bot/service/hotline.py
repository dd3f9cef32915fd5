"""Hotline search: the clause a caller asks about, found in seconds and shown without noise.

Staff type a keyword ("首席质量官") or a clause reference ("天津实施意见第15条").  They need the
clauses that *contain* the keyword first, counted, with nothing else marked; semantic neighbours
after them, apart; an exact reference as that clause alone, stepping to the previous and next clause in place; and for a
number the document does not have, the count and the outline instead of some other clause.  The
lookup tab and ``policybot search`` both render this one result.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.answer.edges import missing_item
from bot.answer.schemas import Citation
from bot.answer.uncollected import uncollected_place_document
from bot.retrieval import HybridRetriever, SearchFilters
from bot.retrieval.terms import contains_terms, query_terms
from bot.service.library import DEPARTMENT_SEP
from bot.service.questions import QuestionError
from ingest.department_names import variants
from ingest.models import Clause
from ingest.text.script import search_form

POOL = 200  # candidates a search looks through for clauses containing the query's terms


@dataclass
class HotlineResult:
    query: str
    terms: list[str] = field(default_factory=list)  # the query's own words: required and highlighted
    matching: list[Citation] = field(default_factory=list)  # clauses with every term (shown first)
    matching_total: int = 0  # how many clauses contain them (``matching`` is cut at k)
    related: list[Citation] = field(default_factory=list)  # semantic matches without the terms (collapsed)
    exact: list[Citation] = field(default_factory=list)  # the clause(s) an exact reference names
    neighbours: list[Citation] = field(default_factory=list)  # the clause before and after it
    previous: Citation | None = None  # the step buttons' targets (上一条 / 下一条) of a single exact clause
    following: Citation | None = None
    missing: str = ""  # "天津实施意见共 27 项，没有第99项。"
    outline: list[Citation] = field(default_factory=list)  # the document's items when the number is missing

    def shown(self) -> list[tuple[str, Citation]]:
        """Every clause on the result page, in page order, with its group (what the UI and CLI list)."""
        groups = (("exact", self.exact), ("neighbour", self.neighbours), ("matching", self.matching),
                  ("related", self.related), ("outline", self.outline))
        return [(g, c) for g, cs in groups for c in cs]

    @property
    def headline(self) -> str:
        """The line above the results: what was found, in the hotline's words."""
        if self.missing:
            return self.missing
        if self.exact:
            return f"{self.exact[0].doc_name} {self.exact[0].item_label}"
        if self.terms:
            shown = "”“".join(self.terms)
            return f"{self.matching_total} 条含“{shown}”" + (f"（显示前 {len(self.matching)} 条）"
                                                         if self.matching_total > len(self.matching) else "")
        return f"找到 {len(self.matching)} 条"


def _cite(clause: Clause, via: str = "hybrid", score: float = 0.0) -> Citation:
    return Citation.from_clause(clause, score=round(score, 4), via=via)


class HotlineSearch:
    def __init__(self, retriever: HybridRetriever) -> None:
        self.retriever = retriever

    def doc_names(self) -> list[str]:
        metas = self.retriever.catalog.metas
        return [n for m in metas for n in (m.short_name, m.title, m.doc_number, *m.aliases) if n]

    def _around(self, c: Citation) -> tuple[Clause | None, Clause | None]:
        # Decoded for that one document only (never the whole collection).
        doc = [x for x in self.retriever.snapshot.doc_clauses(c.doc_id) if x.kind != "docinfo"]
        ids = [x.clause_id for x in doc]
        if c.clause_id not in ids:
            return None, None
        i = ids.index(c.clause_id)
        return (doc[i - 1] if i else None), (doc[i + 1] if i + 1 < len(doc) else None)

    def neighbours(self, c: Citation) -> list[Citation]:
        return [_cite(x) for x in self._around(c) if x]

    def _single(self, out: HotlineResult) -> HotlineResult:
        """One exact clause: its neighbours, also as the step buttons' targets."""
        out.neighbours = self.neighbours(out.exact[0]) if len(out.exact) == 1 else []
        if len(out.exact) == 1:
            before, after = self._around(out.exact[0])
            out.previous, out.following = (_cite(before) if before else None), (_cite(after) if after else None)
        return out

    def at(self, clause_id: str) -> HotlineResult:
        """The page of one clause, as an exact reference shows it (what 上一条 / 下一条 step to); an
        unknown id gives an empty result."""
        clause = self.retriever.clause(clause_id)
        if clause is None:
            return HotlineResult(query=clause_id)
        c = _cite(clause, "lookup")
        return self._single(HotlineResult(query=f"{c.doc_name} {c.item_label}", exact=[c]))

    def doc_scope(self, names: list[str]) -> list[str]:
        """Document ids for the names a filter was given (an id, title, short name, alias or the name a
        picker shows, or a part of one document's names only); raises :class:`QuestionError` naming
        an unknown one — and the likeliest document, when there is one — instead of searching nothing."""
        catalog = self.retriever.catalog
        named = [(search_form(n), m.doc_id) for m in catalog.metas
                 for n in (m.doc_id, m.title, m.short_name, m.display_name, *m.aliases) if n]
        known = dict(named)
        out = []
        for name in (n.strip() for n in names if n and n.strip()):
            key = search_form(name)
            did = known.get(key)
            if did is None:  # part of one document's name only ("瓯海") is that document
                holders = {d for n, d in named if key in n}
                did = holders.pop() if len(holders) == 1 else None
            if did is None:
                guess = catalog.resolve(name)
                hint = f"您要找的是不是“{catalog.display_name(guess)}”？" if guess else ""
                raise QuestionError(f"没有名为“{name}”的文档。{hint}请从“文档”列表中选择，或清空以检索全部文档。")
            out.append(did)
        return out

    def department_scope(self, value: str, filters: SearchFilters) -> None:
        """A department filter: ``地区｜正式名`` (the picker) sets the region too; a typed name must be
        (part of) a body's name in the collection, else :class:`QuestionError` says so."""
        region, _, name = value.rpartition(DEPARTMENT_SEP)
        name = name.strip()
        if region and not filters.regions:
            filters.regions = [region]
        forms = [search_form(v) for v in variants(name)]
        if not any(f in search_form(d) for d in self.retriever.snapshot.departments for f in forms):
            raise QuestionError(f"没有名为“{name}”的责任部门。请从“责任部门”列表中选择。")
        filters.department = name

    def run(self, query: str, k: int, filters: SearchFilters | None = None,
            keep: Callable[[str], bool] | None = None) -> HotlineResult:
        """``keep``: which documents may be shown, by id (the desk's status filter); None = all."""
        filters = filters or SearchFilters()
        if filters.doc_ids:
            filters.doc_ids = self.doc_scope(filters.doc_ids)
        if filters.department:
            self.department_scope(filters.department, filters)
        phrase = bool(filters.phrase)
        result = self.retriever.search(query, max(k, POOL), filters, stop_at_lookup=True)
        if keep is not None:
            result.hits = [h for h in result.hits if keep(h.clause.doc_id)]
        out = HotlineResult(query=query)
        if result.missing_item is not None:
            text = missing_item(result.analysis.item, result.missing_item, self.retriever.view_of(result).catalog)
            out.missing = text.split("\n", 1)[0]
            out.outline = [_cite(c) for c in result.missing_item.items]
            return out
        lookups = [h for h in result.hits if h.via == "lookup"]
        elsewhere = uncollected_place_document(query, self.retriever.view_of(result).catalog) if lookups else ""
        if elsewhere:  # "上海的质量强市纲要第3条": not item 3 of the collected 天津 纲要
            out.missing = f"已收录文件中没有{elsewhere.removesuffix('（该文件未收录）')}，无法查到该条款。"
            return out
        if lookups:
            out.exact = [_cite(h.clause, "lookup", h.score) for h in lookups[:k]]
            return self._single(out)
        out.terms = query_terms(query, phrase, self.doc_names())
        hits = [_cite(h.clause, h.via, h.score) for h in result.hits if h.clause.kind != "docinfo"]
        if not out.terms:
            out.matching = hits[:k]
            out.matching_total = len(hits)
            return out
        has_terms = [contains_terms(c.text, out.terms) for c in hits]
        matching = [c for c, yes in zip(hits, has_terms, strict=True) if yes]
        out.matching_total = len(matching)
        out.matching = matching[:k]
        related = [c for c, yes in zip(hits, has_terms, strict=True) if not yes]
        out.related = related[: max(0, k - len(out.matching))]
        return out
