"""Uploads are background jobs in a bounded queue: a full queue answers "busy" at once."""
from __future__ import annotations

import threading

import pytest

from bot.service.jobs import IngestJobs, Job, QueueFull
from vectorstore.indexer import FileResult

pytestmark = pytest.mark.unit


def test_full_queue_answers_busy_and_jobs_report_progress() -> None:
    release = threading.Event()
    started = threading.Event()

    def slow(job: Job) -> FileResult:
        started.set()
        job.embedded(3, 10)
        release.wait(10)
        return FileResult(path=job.label, doc_id="d", status="added", clauses=10)

    def quick(job: Job) -> FileResult:
        return FileResult(path=job.label, doc_id="q", status="added", clauses=1)

    jobs = IngestJobs(size=1)
    running = jobs.submit("a.txt", slow)
    assert started.wait(5) and running.status == "running" and running.progress == "计算向量 3/10"
    waiting = jobs.submit("b.txt", quick)  # fills the one queue place
    with pytest.raises(QueueFull, match="繁忙"):
        jobs.submit("c.txt", quick)
    release.set()
    assert running.finished.wait(5) and waiting.finished.wait(5)
    assert running.status == waiting.status == "done" and waiting.result is not None
    assert [j.label for j in jobs.jobs()] == ["b.txt", "a.txt"]


def test_a_failing_job_does_not_stop_the_worker() -> None:
    jobs = IngestJobs(size=2)

    def boom(job: Job) -> FileResult:
        raise RuntimeError("parser bug")

    bad = jobs.submit("bad.txt", boom)
    good = jobs.submit("good.txt", lambda job: FileResult(path="good.txt", doc_id="g", status="added"))
    assert bad.finished.wait(5) and good.finished.wait(5)
    assert bad.status == "failed" and bad.result is not None and bad.result.status == "skipped"
    assert good.status == "done"
