"""The library of documents: adding files and uploads, removing and restoring, the admin's metadata.

Every write goes through one lock and ends with a retriever reload, so a reader in this process
never sees the store and the in-memory search state disagree.  The read side (document rows,
outlines, bodies) is :class:`bot.service.shelf.LibraryShelf`; upload file handling is
:mod:`bot.service.uploads`.
"""
from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.retrieval import HybridRetriever
from bot.service.shelf import DEPARTMENT_SEP, DepartmentGroup, LibraryShelf
from bot.service.trash import Trash, Trashed
from bot.service.uploads import clause_diff, diff_text, free_name, place_upload, safe_filename, upload_refusal
from bot.settings import Settings
from ingest.catalog import EDITABLE_FIELDS, CatalogEntry, clean_override, load_overrides, save_overrides
from ingest.models import FIELD_LABELS, DocMeta
from vectorstore.chroma_store import ClauseStore
from vectorstore.results import FileResult, IngestReport

if TYPE_CHECKING:  # the parsing stack and the indexer load when a write needs them, not for every reader
    from bot.service.lifecycle import Lifecycle
    from ingest.documents import ParsedDocument
    from ingest.readers import ReadLimits

# Kept importable from here: callers name them as ``bot.service.library`` members.
__all__ = ["DEPARTMENT_SEP", "DepartmentGroup", "DocumentLibrary", "clause_diff", "diff_text", "safe_filename"]


class DocumentLibrary(LibraryShelf):
    """The documents: the shelf's reads plus every write (ingest, upload, remove, restore, metadata)."""

    def __init__(self, settings: Settings, store: ClauseStore, retriever: HybridRetriever,
                 lifecycle: Lifecycle | None = None) -> None:
        super().__init__(settings, store, retriever, lifecycle)
        # this process's writes: the retriever's index check skips while one runs (it reloads when done), so
        # the check never sees a half-written index and opens a second Chroma client (and HNSW copy) for it
        self._write_lock = retriever.write_lock
        self._admin_lock = threading.Lock()  # one admin change (remove, restore, metadata) at a time
        self.trash = Trash(settings.trash_dir)

    # ----- writing ----------------------------------------------------------------------------
    def ensure_index(self, progress: bool = True) -> IngestReport | None:
        """Build the index of the shipped corpus on first start; a later start reuses it."""
        if self.retriever.size:
            return None
        return self.ingest([self.settings.corpus_dir], progress=progress)

    def read_limits(self) -> ReadLimits:
        from ingest.readers import ReadLimits

        s = self.settings
        return ReadLimits(s.max_unpacked_bytes, s.max_elements, s.parse_seconds)

    def ingest(self, paths: list[Path], progress: bool = True, force: bool = False,
               on_file: Callable[[FileResult], None] | None = None,
               on_embed: Callable[[int, int], None] | None = None) -> IngestReport:
        from ingest.readers import reading_limits
        from vectorstore.indexer import ingest_paths

        with self._write_lock, reading_limits(self.read_limits()):
            report = ingest_paths(paths, self.store, force=force, progress=progress, on_file=on_file,
                                  on_embed=on_embed, overrides=self.overrides())
            self.retriever.reload()
        return report

    def source_file(self, meta: DocMeta) -> Path | None:
        """The file a document was indexed from: an upload wins over a shipped file of the same name
        (an explicitly confirmed replacement)."""
        name = meta.source_file
        for folder in (self.settings.uploads_dir, self.settings.corpus_dir):
            if name and (folder / name).is_file():
                return folder / name
        return None

    def source_files(self) -> list[Path]:
        """The file each active document was indexed from."""
        return [p for d in self.store.documents() if (p := self.source_file(d.meta)) is not None]

    def rebuild(self, progress: bool = True) -> IngestReport:
        """Re-index exactly the current collection from its files (removed documents stay removed,
        replaced ones keep their replacement); an empty index is built from the corpus and uploads.
        Removals can no longer be undone afterwards: the trash is emptied."""
        paths = self.source_files()
        if not paths:
            paths = [self.settings.corpus_dir]
            if self.settings.uploads_dir.is_dir():
                paths.append(self.settings.uploads_dir)
        report = self.ingest(paths, progress=progress, force=True)
        self.trash.empty()
        return report

    def reembed(self, progress: bool = True) -> IngestReport:
        """``rebuild --reembed``: the current collection's documents embedded by the configured model
        into a new collection beside it, which then replaces it (the old vectors are never mixed in;
        an interrupted run leaves the old collection as it was)."""
        from ingest.readers import reading_limits
        from vectorstore.indexer import ingest_paths
        from vectorstore.reembed import replace_collections, store_beside

        paths = self.source_files() or [p for p in (self.settings.corpus_dir, self.settings.uploads_dir) if p.is_dir()]
        fresh = store_beside(self.store)
        with self._write_lock, reading_limits(self.read_limits()):
            report = ingest_paths(paths, fresh, force=True, progress=progress, overrides=self.overrides())
            replace_collections(self.store, fresh)
            self.retriever.reload()
        self.trash.empty()
        return report

    def remove(self, doc_id: str, user: str = "cli") -> bool:
        """Remove a document from the index, its upload file from ``uploads/`` and its metadata
        override; all three are kept in the trash (:meth:`restore` undoes it until the next rebuild)."""
        did = self.resolve(doc_id) or doc_id
        with self._admin_lock:
            found = self.store.document_record(did)
            if found is None:
                return False
            meta, clauses, vectors = found
            path = self.source_file(meta)
            upload = path if path is not None and path.parent == self.settings.uploads_dir else None
            overrides = self.overrides()
            self.trash.put(meta, clauses, vectors, user=user, upload=upload is not None, override=overrides.get(did))
            with self._write_lock:
                ok = self.store.remove_document(did)
                self.retriever.reload()
            if ok:  # out of the index: now its file and its override follow it into the trash
                if upload is not None:
                    self.trash.keep_file(did, upload)
                if overrides.pop(did, None) is not None:
                    save_overrides(self.settings.overrides_file, overrides)
            else:
                self.trash.discard(did)
        return ok

    def removed(self) -> list[Trashed]:
        """Removed documents that 撤销删除 can still bring back (until the next rebuild)."""
        return self.trash.entries()

    def restore(self, doc_id: str) -> tuple[bool, str]:
        """Undo a removal: the records (no embedding), the upload file and the override come back."""
        with self._admin_lock:
            t = self.trash.get(doc_id)
            if t is None:
                return False, f"回收站中没有 {doc_id}（重建索引后删除不能再撤销）"
            name = t.meta.display_name or doc_id
            if self.store.version_of(doc_id) is not None:
                return False, f"无法撤销：已有同一编号的文档 {doc_id}（可先删除它）"
            file = t.file
            if file is not None:
                target = self.settings.uploads_dir / file.name
                if target.exists():
                    return False, f"无法撤销：上传目录中已有同名文件 {file.name}"
                self.settings.uploads_dir.mkdir(parents=True, exist_ok=True)
                shutil.move(str(file), str(target))
            if t.override:
                overrides = self.overrides()
                overrides[doc_id] = t.override
                save_overrides(self.settings.overrides_file, overrides)
            clauses, vectors = t.parts()
            with self._write_lock:
                self.store.write_document(t.meta, clauses, vectors)
                self.retriever.reload()
            self.trash.discard(doc_id)
        return True, f"已恢复：{name}（{len(clauses)} 条）"

    # ----- metadata: the admin's overrides ------------------------------------------------------
    def overrides(self) -> dict[str, CatalogEntry]:
        return load_overrides(self.settings.overrides_file)

    def set_meta(self, doc_id: str, fields: dict[str, Any],
                 on_embed: Callable[[int, int], None] | None = None) -> FileResult:
        """Set short name, aliases, region, level, title, 文号 and date of a document as an override
        (kept in the data directory, merged over catalog.toml, kept by rebuilds) and re-index that
        document only.  A field given empty drops its override (the catalog or the text decide again), a
        field not given keeps it; a value equal to what the document already says is not stored.  Raises ``ValueError`` on bad
        input (the message is for the admin)."""
        did = self.resolve(doc_id) or doc_id
        with self._admin_lock:
            meta = next((d.meta for d in self.store.documents() if d.meta.doc_id == did), None)
            if meta is None:
                raise ValueError(f"找不到文档：{doc_id}")
            path = self.source_file(meta)
            if path is None:
                raise ValueError(f"找不到 {did} 的源文件（{meta.source_file}），无法重新索引")
            wanted = clean_override(fields)
            overrides = self.overrides()
            old = dict(overrides.get(did, {}))
            cleared = {k for k in EDITABLE_FIELDS if k in fields and k not in wanted}
            new = {k: v for k, v in old.items() if k not in cleared}  # an emptied field drops its override
            for key, value in wanted.items():
                if value != getattr(meta, key) or key in old:
                    new[key] = value
            changed = [k for k in EDITABLE_FIELDS if new.get(k) != old.get(k)]
            if not changed:
                return FileResult(path=str(path), doc_id=did, status="unchanged", message="元数据没有变化")
            overrides[did] = new
            save_overrides(self.settings.overrides_file, overrides)
            try:
                result = self.ingest([path], progress=False, on_embed=on_embed).results[0]
            except Exception:
                overrides[did] = old
                save_overrides(self.settings.overrides_file, overrides)
                raise
        labels = "、".join(FIELD_LABELS.get(k, k) for k in changed)
        result.message = f"已修改 {labels}，重新索引 {result.counted or f'{result.clauses} 条'}（仅此文档）"
        return result

    def preview(self, filename: str, source: Path) -> tuple[ParsedDocument, str]:
        """Parse an uploaded file as an import would — title, metadata, clause outline — without
        indexing anything; with a note when its id is taken (what importing it would do).  Raises
        ``UnreadableFileError`` / ``ValueError`` with a message."""
        from ingest.documents import ParsedDocument, parse_document
        from ingest.readers import SUPPORTED_SUFFIXES, reading_limits, unsupported

        name = safe_filename(filename)
        if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
            raise unsupported(name)
        size = source.stat().st_size
        if size > self.settings.max_upload_bytes:
            raise ValueError(f"文件过大（{size // 1024} KB，上限 {self.settings.max_upload_bytes // 1024} KB）")
        stem = Path(name).stem
        with reading_limits(self.read_limits()):
            parsed = parse_document(source, self.overrides().get(stem), stem)
        meta = parsed.meta.model_copy(update={"source_file": name})
        note = ""
        if self.store.version_of(stem) is not None:
            old = [c for c in self.retriever.parts if c.doc_id == stem]
            note = (f"已有同名文档 {stem}：直接导入将作为新文档收录；勾选“确认替换同名文档”则替换它"
                    f"（{diff_text(clause_diff(old, parsed.clauses))}）")
        return ParsedDocument(meta=meta, clauses=parsed.clauses, traditional=parsed.traditional), note

    def replacement_diff(self, doc_id: str, path: Path) -> dict[str, int]:
        """What replacing ``doc_id`` by the file at ``path`` would change (parsed, not indexed)."""
        from ingest.documents import parse_document
        from ingest.readers import reading_limits

        with reading_limits(self.read_limits()):
            new = parse_document(path, None, doc_id).clauses
        old = self.store.document_parts(doc_id)
        return clause_diff(old, new)

    def add_upload(self, filename: str, source: Path, replace: bool = False,
                   on_embed: Callable[[int, int], None] | None = None) -> FileResult:
        """Copy an uploaded file into the data directory under a safe name, then ingest it.

        An upload whose id is already indexed (a shipped document, an earlier upload) never replaces
        it silently: it is indexed under a new id (``name-2``) unless ``replace`` is set — the admin's
        explicit confirmation — and either way the message says what replacing changes."""
        name = safe_filename(filename)
        refusal = upload_refusal(name, source.stat().st_size, self.settings.max_upload_bytes)
        if refusal is not None:
            return FileResult(path=filename, doc_id="", status="skipped", message=refusal)
        uploads = self.settings.uploads_dir
        uploads.mkdir(parents=True, exist_ok=True)
        target = (uploads / name).resolve()
        if uploads.resolve() not in target.parents:
            return FileResult(path=filename, doc_id="", status="skipped", message=f"跳过 {filename}：文件名不安全")
        versions = self.store.active_versions()
        note = ""
        if target.stem in versions:
            from ingest.documents import content_hash
            from ingest.readers import UnreadableFileError

            if versions[target.stem] == content_hash(source.read_bytes(), None, self.store.model.key):
                return FileResult(path=filename, doc_id=target.stem, status="unchanged",
                                  message=f"{name} 与已收录版本相同，无需导入")
            try:
                diff = diff_text(self.replacement_diff(target.stem, source))
            except UnreadableFileError as exc:
                return FileResult(path=filename, doc_id="", status="skipped", message=str(exc))
            if replace:
                note = f"已确认替换 {target.stem}：{diff}"
            else:
                existing = target.stem
                target = free_name(target, set(versions))
                note = (f"已有同名文档 {existing}，未替换，作为新文档 {target.stem} 收录"
                        f"（若替换将{diff}；确需替换请勾选“确认替换同名文档”后重新导入）")
        results: list[FileResult] = []

        def ingest_one(path: Path) -> bool:
            results.append(self.ingest([path], progress=False, on_embed=on_embed).results[0])
            return results[0].status != "skipped"

        place_upload(source, target, ingest_one)
        result = results[0]
        if note and result.status != "skipped":
            result.message = note
        result.path = filename
        return result
