"""What an ingest reports, per file and per run: importable without the parsing stack.

The service's job queue, the admin actions and the UI pass these around; every process that serves
the index imports them, while only a process that ingests needs :mod:`vectorstore.indexer` and, through
it, the readers and the clause parser (a tenth of a second of a fresh ``policybot show``).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FileResult:
    path: str
    doc_id: str
    status: str  # added | updated | unchanged | skipped
    clauses: int = 0  # stored records (parts, notice and 文件信息 included)
    message: str = ""
    counted: str = ""  # the document's items and clauses as every surface counts them (ingest.items)


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)
    embedded: int = 0
    swept: int = 0

    @property
    def changed(self) -> bool:
        return any(r.status in ("added", "updated") for r in self.results)

    def summary(self) -> str:
        counts: dict[str, int] = {}
        for r in self.results:
            counts[r.status] = counts.get(r.status, 0) + 1
        names = {"added": "新增", "updated": "更新", "unchanged": "未变化", "skipped": "跳过"}
        parts = [f"{names[k]} {v}" for k, v in counts.items()]
        head = "，".join(parts) or "没有文件"
        tail = f"；新计算向量 {self.embedded} 条" if self.changed else "；索引无变化（no changes）"
        return head + tail
