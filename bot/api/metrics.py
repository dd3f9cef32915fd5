"""``GET /metrics``: the process in the Prometheus text format, from ``prometheus_client``.

Request counts and latencies are observed by the API's middleware (:mod:`bot.api.middleware`);
everything else is read from the service when Prometheus scrapes (answers by mode, refusals,
partial answers and fallbacks from :class:`bot.service.stats.AnswerStats`, which counts the page's and
the API's answers alike; LLM failures and breaker state from the circuit breakers; the documents and
clause parts this process serves; ingest jobs).  Each app has its own registry, so two apps in one
process (tests) do not collide.
"""
from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from bot.answer.breaker import breakers
from bot.service import PolicyBot

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class ServiceCollector(Collector):
    """Reads the service's counters at scrape time (nothing to keep in step)."""

    def __init__(self, bot: PolicyBot) -> None:
        self.bot = bot

    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
        by_mode, refusals, partial, fallbacks = self.bot.stats.snapshot()
        answers = CounterMetricFamily("policybot_answers", "Answers given (page, API, CLI), by mode", labels=["mode"])
        for mode, n in sorted(by_mode.items()):
            answers.add_metric([mode], n)
        yield answers
        refused = CounterMetricFamily("policybot_refusals", "Refused questions, by reason", labels=["reason"])
        for reason, n in sorted(refusals.items()):
            refused.add_metric([reason or "unspecified"], n)
        yield refused
        yield CounterMetricFamily("policybot_partial_answers",
                                  "Partial answers: the documents address the subject, not the fact asked", value=partial)
        yield CounterMetricFamily("policybot_llm_fallbacks", "LLM answers replaced by the extractive answer",
                                  value=fallbacks)
        failures = CounterMetricFamily("policybot_llm_failures", "Failed LLM calls", labels=["endpoint"])
        state = GaugeMetricFamily("policybot_llm_breaker_open", "1 while the LLM circuit breaker is open",
                                  labels=["endpoint"])
        for i, (_, breaker) in enumerate(breakers()):
            label = f"llm-{i + 1}"  # never the endpoint URL: it can carry credentials
            failures.add_metric([label], breaker.total_failures)
            state.add_metric([label], 1.0 if breaker.remaining() > 0 else 0.0)
        yield failures
        yield state
        docs, parts = self.bot.index_counts()
        yield GaugeMetricFamily("policybot_index_documents", "Documents in the index this process serves", value=docs)
        yield GaugeMetricFamily("policybot_index_clause_parts", "Clause parts in the index this process serves",
                                value=parts)
        jobs = GaugeMetricFamily("policybot_ingest_jobs", "Ingest jobs of this process, by status", labels=["status"])
        tally = Tally(j.status for j in self.bot.jobs.jobs())
        for status in ("queued", "running", "done", "failed"):
            jobs.add_metric([status], tally.get(status, 0))
        yield jobs


class ApiMetrics:
    def __init__(self, bot: PolicyBot) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("policybot_http_requests", "HTTP requests to the API and operations routes",
                                ["route", "method", "status"], registry=self.registry)
        self.latency = Histogram("policybot_http_request_duration_seconds", "Time to the end of the response",
                                 ["route"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.registry.register(ServiceCollector(bot))

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route).observe(seconds)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
