"""The library of documents: what is indexed, adding files and uploads, removing, browsing.

Every write goes through one lock and ends with a retriever reload, so a reader in this process
never sees the store and the in-memory search state disagree.
"""
from __future__ import annotations

import re
import shutil
import threading
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.answer.schemas import Citation
from bot.retrieval import HybridRetriever
from bot.settings import Settings
from ingest.models import DocMeta
from ingest.readers import SUPPORTED_SUFFIXES, unsupported
from vectorstore.chroma_store import ClauseStore
from vectorstore.indexer import FileResult, IngestReport, ingest_paths


def safe_filename(name: str) -> str:
    """Only the final path component, no control or path characters, never hidden or empty."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r'[<>:"|?*]', "_", base).strip(" .")
    return base[:120] or "upload.txt"


class DocumentLibrary:
    def __init__(self, settings: Settings, store: ClauseStore, retriever: HybridRetriever) -> None:
        self.settings = settings
        self.store = store
        self.retriever = retriever
        self._write_lock = threading.Lock()

    # ----- writing ----------------------------------------------------------------------------
    def ensure_index(self, progress: bool = True) -> IngestReport | None:
        """Build the index of the shipped corpus on first start; a later start reuses it."""
        if self.retriever.parts:
            return None
        return self.ingest([self.settings.corpus_dir], progress=progress)

    def ingest(self, paths: list[Path], progress: bool = True, force: bool = False,
               on_file: Callable[[FileResult], None] | None = None) -> IngestReport:
        with self._write_lock:
            report = ingest_paths(paths, self.store, force=force, progress=progress, on_file=on_file)
            self.retriever.reload()
        return report

    def remove(self, doc_id: str) -> bool:
        with self._write_lock:
            ok = self.store.remove_document(self.resolve(doc_id) or doc_id)
            self.retriever.reload()
        return ok

    def add_upload(self, filename: str, source: Path) -> FileResult:
        """Copy an uploaded file into the data directory under a safe name, then ingest it."""
        name = safe_filename(filename)
        if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
            return FileResult(path=filename, doc_id="", status="skipped", message=str(unsupported(name)))
        size = source.stat().st_size
        limit = self.settings.max_upload_bytes
        if size > limit:
            return FileResult(path=filename, doc_id="", status="skipped",
                              message=f"跳过 {name}：文件过大（{size // 1024} KB，上限 {limit // 1024} KB）")
        uploads = self.settings.uploads_dir
        uploads.mkdir(parents=True, exist_ok=True)
        target = (uploads / name).resolve()
        if uploads.resolve() not in target.parents:
            return FileResult(path=filename, doc_id="", status="skipped", message=f"跳过 {filename}：文件名不安全")
        clash = next((d for d in self.store.documents() if d.meta.doc_id == target.stem
                      and d.meta.source_file and d.meta.source_file != target.name), None)
        if clash:  # policy.pdf is indexed already; policy.docx must not silently replace it
            target = target.with_name(f"{target.stem}-{target.suffix.lstrip('.').lower()}{target.suffix}")
        partial = target.with_name(f".{target.name}.part")
        shutil.copyfile(source, partial)
        partial.replace(target)
        result = self.ingest([target], progress=False).results[0]
        if result.status == "skipped":
            target.unlink(missing_ok=True)  # a rejected file must not come back on `policybot rebuild`
        return result

    # ----- reading ----------------------------------------------------------------------------
    def documents(self) -> list[dict[str, Any]]:
        return [{**d.meta.model_dump(), "display_name": d.meta.display_name, "provenance": d.meta.provenance(),
                 "clause_count": d.clause_count, "version": d.version} for d in self.store.documents()]

    def metas(self) -> list[DocMeta]:
        return list(self.retriever.catalog.metas)

    def resolve(self, name: str) -> str | None:
        """Doc id from an id, title, short name or alias (CLI ``show 天津实施意见 6``)."""
        return self.retriever.catalog.resolve(name)

    def outline(self, doc_id: str) -> list[Citation]:
        clauses = [c for c in self.retriever.clauses.values() if c.doc_id == doc_id]
        return [Citation.from_clause(c) for c in sorted(clauses, key=lambda c: c.order)]

    def clause(self, clause_id: str) -> Citation | None:
        c = self.retriever.clauses.get(clause_id)
        return Citation.from_clause(c) if c else None
