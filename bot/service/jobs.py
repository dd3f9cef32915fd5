"""Uploads as background jobs: one worker thread, a bounded queue, progress a page can poll.

The request that submits an upload returns (or waits, showing progress) while the worker parses and
embeds; embedding runs in small batches (:data:`vectorstore.indexer.EMBED_BATCH`) so searches and
chats of the same process keep their latency.  A full queue is refused at once with a "busy" answer
instead of piling up requests.
"""
from __future__ import annotations

import itertools
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from vectorstore.errors import DiskFull, is_disk_full
from vectorstore.results import FileResult

log = logging.getLogger(__name__)

Work = Callable[["Job"], FileResult]


class QueueFull(Exception):
    """The ingest queue is full; the message is for the user."""

    def __init__(self, size: int) -> None:
        super().__init__(f"导入队列已满（{size} 个任务排队中），系统繁忙，请稍后再试。")


@dataclass
class Job:
    job_id: int
    label: str
    status: str = "queued"  # queued | running | done | failed
    progress: str = "排队中"
    result: FileResult | None = None
    submitted: float = field(default_factory=time.monotonic)
    finished: threading.Event = field(default_factory=threading.Event)

    def embedded(self, done: int, total: int) -> None:
        self.progress = f"计算向量 {done}/{total}"


class IngestJobs:
    def __init__(self, size: int = 4, keep: int = 50) -> None:
        self.size = size
        self._queue: queue.Queue[tuple[Job, Work]] = queue.Queue(maxsize=size)
        self._jobs: dict[int, Job] = {}
        self._ids = itertools.count(1)
        self._keep = keep
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None

    def submit(self, label: str, work: Work) -> Job:
        """Queue ``work``; raises :class:`QueueFull` when ``size`` jobs are waiting already."""
        job = Job(next(self._ids), label)
        try:
            self._queue.put_nowait((job, work))
        except queue.Full:
            raise QueueFull(self.size) from None
        with self._lock:
            self._jobs[job.job_id] = job
            for old in sorted(self._jobs)[:-self._keep]:
                if self._jobs[old].finished.is_set():
                    del self._jobs[old]
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._run, name="ingest-jobs", daemon=True)
                self._worker.start()
        return job

    def jobs(self) -> list[Job]:
        with self._lock:
            return [self._jobs[k] for k in sorted(self._jobs, reverse=True)]

    def _run(self) -> None:
        while True:
            job, work = self._queue.get()
            job.status, job.progress = "running", "解析中"
            try:
                job.result = work(job)
                job.status, job.progress = "done", "完成"
            except Exception as exc:  # a job must never kill the worker
                log.exception("ingest job %s failed", job.label)
                why = str(DiskFull()) if is_disk_full(exc) else type(exc).__name__
                job.result = FileResult(path=job.label, doc_id="", status="skipped", message=f"跳过 {job.label}：{why}")
                job.status, job.progress = "failed", "失败"
            finally:
                job.finished.set()
                self._queue.task_done()
