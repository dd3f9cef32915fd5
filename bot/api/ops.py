"""Operations routes, served whether or not API keys exist (a load balancer and a monitor need them):
``/healthz`` (the process answers), ``/readyz`` (index loaded and the vector store reachable, else 503
with the reason), ``/metrics`` (Prometheus text format)."""
from __future__ import annotations

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from bot.api.metrics import CONTENT_TYPE, ApiMetrics
from bot.service import PolicyBot


def build_router(bot: PolicyBot, metrics: ApiMetrics) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        """Alive: the process serves requests (nothing else is checked)."""
        return {"status": "ok"}

    @router.get("/readyz", responses={503: {"description": "not ready, with the reason"}})
    async def readyz() -> JSONResponse:
        """Ready for traffic: the index is loaded and the vector store answers."""
        reason = await run_in_threadpool(bot.readiness)
        if reason:
            return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
        docs, parts = bot.index_counts()
        return JSONResponse({"status": "ready", "documents": docs, "clause_parts": parts})

    @router.get("/metrics", response_class=Response)
    async def metrics_route() -> Response:
        """The process's counters, gauges and latency histograms in the Prometheus text format."""
        return Response(await run_in_threadpool(metrics.exposition), media_type=CONTENT_TYPE)

    return router
