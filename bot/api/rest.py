"""REST for the hotline desk: ``/v1/search``, ``/v1/clauses``, ``/v1/documents[/{id}]``.

Each route is one service call rendered by a model of :mod:`bot.api.models`, the same call the
条款检索 tab and ``policybot search`` / ``show`` / ``docs`` make, so the three surfaces list the same
clauses in the same order.
"""
from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import unquote_to_bytes

from fastapi import APIRouter, Depends, Query, Request

from bot.api.chat import base_url, has_surrogates, search_filters
from bot.api.errors import ApiProblem
from bot.api.models import ApiError, DocumentDetail, DocumentList, DocumentOut, Filters, OutlineEntry, SearchResponse, clause_url
from bot.api.security import Access
from bot.api.slots import Slots
from bot.service import HotlineResult, PolicyBot, QuestionError, StoreUnavailable

LOOKUP_K = 20  # as many as the lookup tab shows
ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ApiError} for code in (400, 401, 404, 413, 429, 503)}


def _checked(request: Request, *texts: str | None) -> None:
    """Parameters a broken client sent: an encoded lone surrogate (``%ED%A0%80``) or other invalid UTF-8 in
    the URL, which the server would otherwise decode to U+FFFD and search for."""
    try:
        unquote_to_bytes(request.scope.get("query_string", b"").replace(b"+", b" ")).decode("utf-8")
        unquote_to_bytes(request.scope.get("raw_path", b"") or b"").decode("utf-8")
        ok = not any(t and has_surrogates(t) for t in texts)
    except UnicodeDecodeError:
        ok = False
    if not ok:
        raise ApiProblem(400, "bad_request", "参数含无效字符（不是合法的 UTF-8，例如孤立的 UTF-16 代理项），请检查客户端的编码。")


def build_router(bot: PolicyBot, access: Access, slots: Slots) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["hotline"], responses=ERRORS, dependencies=[Depends(access)])

    def hotline(query: str, k: int, filters: Filters | None = None, phrase: str | None = None) -> HotlineResult:
        sf = search_filters(filters)
        if phrase:
            sf = sf or search_filters(Filters())
            assert sf is not None
            sf.phrase = phrase
        try:
            with slots.held():
                return bot.hotline_search(query, k, sf)
        except QuestionError as exc:
            raise ApiProblem(400, "bad_request", str(exc)) from None
        except StoreUnavailable as exc:
            raise ApiProblem(503, "index_unavailable", str(exc)) from None

    @router.get("/search", response_model=SearchResponse)
    def search(request: Request,
               q: Annotated[str, Query(description="keywords or a clause reference, as typed in the lookup tab")],
               k: Annotated[int, Query(ge=1, le=100)] = LOOKUP_K,
               doc: Annotated[list[str] | None, Query()] = None, region: Annotated[list[str] | None, Query()] = None,
               level: Annotated[list[str] | None, Query()] = None, year: Annotated[list[str] | None, Query()] = None,
               department: str | None = None,
               phrase: Annotated[str | None, Query(description="exact phrase (the tab's 精确短语)")] = None,
               ) -> SearchResponse:
        """Clauses containing the query's terms first (counted), related clauses apart; a clause reference
        alone with its neighbours; a number the document lacks with its outline."""
        _checked(request, q, department, phrase, *(doc or []), *(region or []), *(level or []), *(year or []))
        filters = Filters(doc=doc or [], region=region or [], level=level or [], year=year or [], department=department)
        return SearchResponse.from_result(hotline(q, k, filters, phrase), base_url(bot, request))

    @router.get("/clauses", response_model=SearchResponse)
    def clauses(request: Request,
                ref: Annotated[str | None, Query(description="天津实施意见第15条, 广东 八, 纲要（二十四）")] = None,
                clause_id: Annotated[str | None, Query(description="a clause id from another response")] = None,
                ) -> SearchResponse:
        """One clause with its neighbours, by reference or id; for a missing number, the message and the outline."""
        _checked(request, ref, clause_id)
        base = base_url(bot, request)
        if clause_id:
            view = bot.clause_view(clause_id)
            if view is None:
                raise ApiProblem(404, "not_found", f"没有这个条款：{clause_id}")
            return SearchResponse.from_result(view, base)
        if not ref:
            raise ApiProblem(400, "bad_request", "请提供 ref（如 天津实施意见第15条）或 clause_id。")
        result = hotline(ref, 5)
        if not (result.exact or result.missing):
            raise ApiProblem(404, "not_found", f"没有识别出条款号：{ref}（例如：天津实施意见第15条、广东 八、纲要（二十四））")
        return SearchResponse.from_result(result, base)

    @router.get("/documents", response_model=DocumentList)
    def documents() -> DocumentList:
        """Every indexed document with its metadata and clause count."""
        try:
            return DocumentList(documents=[DocumentOut.from_row(d) for d in bot.library.documents()])
        except StoreUnavailable as exc:
            raise ApiProblem(503, "index_unavailable", str(exc)) from None

    @router.get("/documents/{doc_id}", response_model=DocumentDetail)
    def document(doc_id: str, request: Request) -> DocumentDetail:
        """One document's metadata and outline (its clauses in order); the id, title, short name or an alias."""
        _checked(request, doc_id)
        try:
            rows = bot.library.documents()
        except StoreUnavailable as exc:
            raise ApiProblem(503, "index_unavailable", str(exc)) from None
        resolved = doc_id if any(d["doc_id"] == doc_id for d in rows) else bot.library.resolve(doc_id)
        row = next((d for d in rows if d["doc_id"] == resolved), None)
        if row is None:
            raise ApiProblem(404, "not_found", f"没有这个文档：{doc_id}")
        base = base_url(bot, request)
        outline = [OutlineEntry(clause_id=c.clause_id, item=c.item, item_label=c.item_label or c.item,
                                heading=c.heading_path[-1] if c.heading_path else "", url=clause_url(base, c.clause_id))
                   for c in bot.library.outline(row["doc_id"])]
        return DocumentDetail(**DocumentOut.from_row(row).model_dump(), outline=outline)

    return router
