"""Indexing: files → parsed documents (:mod:`ingest`) → (only what changed) → Chroma.

Idempotent by content hash: an unchanged file (same bytes, same catalog entry, same parser version)
is skipped before parsing, so a second run embeds nothing and says so.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from tqdm import tqdm

from ingest.catalog import CATALOG_NAME, CatalogEntry, combined_entry, load_catalog
from ingest.documents import content_hash, doc_id_for, parse_document
from ingest.items import document_items
from ingest.models import Clause
from ingest.readers import SUPPORTED_SUFFIXES, UnreadableFileError, unsupported
from vectorstore.chroma_store import ClauseStore
from vectorstore.errors import disk_nearly_full, is_disk_full
from vectorstore.results import FileResult, IngestReport

log = logging.getLogger(__name__)
__all__ = ["FileResult", "IngestReport", "distinct_id", "embed_in_batches", "expand_paths", "ingest_paths", "write_segment"]

EMBED_BATCH = 8
"""Passages embedded per call.  The engine runs one call per core (shared with query embedding), so a
large upload embeds in small batches and lets a waiting search take a core in between (a 300-clause
file must not make every chat wait for all of it)."""


def embed_in_batches(store: ClauseStore, texts: list[str],
                     on_embed: Callable[[int, int], None] | None = None) -> list[list[float]]:
    out: list[list[float]] = []
    for start in range(0, len(texts), EMBED_BATCH):
        out.extend(store.embedder.embed_passages(texts[start:start + EMBED_BATCH]).tolist())
        if on_embed:
            on_embed(len(out), len(texts))
        time.sleep(0.002)  # hand the core to a waiting query
    return out


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Folders expand to their supported files (catalog excluded), sorted for stable ids."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.iterdir() if f.is_file() and f.name != CATALOG_NAME
                              and not f.name.startswith(".")))
        else:
            out.append(p)
    return out


def distinct_id(path: Path, owners: dict[str, str]) -> tuple[str, str]:
    """The file's document id, never one that another file already holds (x.txt and x.html both stay).

    ``owners`` maps ids to the file names that hold them (the index, plus this run so far).
    """
    did = doc_id_for(path)
    owner = owners.get(did)
    if owner is None or owner == path.name:
        return did, ""
    alt = f"{did}-{path.suffix.lstrip('.').lower() or 'file'}"
    return alt, f"{path.name} 与已收录的 {owner} 同名，作为独立文件收录（编号 {alt}）"


def ingest_paths(
    paths: Iterable[Path],
    store: ClauseStore,
    *,
    force: bool = False,
    progress: bool = True,
    on_file: Callable[[FileResult], None] | None = None,
    on_embed: Callable[[int, int], None] | None = None,
    overrides: Mapping[str, CatalogEntry] | None = None,
) -> IngestReport:
    """Index the given files/folders. Bad files are skipped with a message; the rest still ingest.

    ``overrides`` (the admin's metadata edits, keyed by document id) win over ``catalog.toml``; they are
    part of the entry that decides the version, so an edited document is re-indexed and no other."""
    files = expand_paths(paths)
    report = IngestReport(swept=store.sweep())
    catalogs: dict[Path, dict[str, CatalogEntry]] = {}
    bar = tqdm(files, desc="索引文件", unit="个", disable=not progress, leave=False)
    owners = {d.meta.doc_id: d.meta.source_file for d in store.documents() if d.meta.source_file}
    written: dict[str, tuple[str, list[Clause]]] = {}
    for path in bar:
        did, note = distinct_id(path, owners)
        result = FileResult(path=str(path), doc_id=did, status="skipped", message=note)
        try:
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                raise unsupported(path)
            if not path.is_file():
                raise UnreadableFileError(path, "文件不存在", "no such file")
            catalog = catalogs.setdefault(path.parent, load_catalog(path.parent))
            entry = combined_entry(catalog.get(did) or catalog.get(path.stem), (overrides or {}).get(did))
            version = content_hash(path.read_bytes(), entry, store.model.key)
            old = store.version_of(did)
            if old == version and not force:
                result.status = "unchanged"
            else:
                parsed = parse_document(path, entry, did, store.model.key, store.model.max_part_chars)
                body = [c for c in parsed.clauses if c.kind not in ("docinfo",)]
                if not body:
                    raise UnreadableFileError(path, "没有可识别的正文", "no recognisable body text")
                stored = store.reusable_embeddings(did) if old else {}
                reuse = {text: v for (key, text), v in stored.items() if key == store.model.key}
                todo = [c.search_text for c in parsed.clauses if c.search_text not in reuse]
                fresh = dict(zip(todo, embed_in_batches(store, todo, on_embed), strict=True)) if todo else {}
                vectors = [reuse.get(c.search_text) or fresh[c.search_text] for c in parsed.clauses]
                report.embedded += len(todo)
                store.write_document(parsed.meta, parsed.clauses, vectors)
                written[did] = (parsed.meta.content_hash, parsed.clauses)
                result.status = "updated" if old else "added"
                result.clauses = len(parsed.clauses)
                result.counted = document_items(parsed.clauses, did).count_text()
            if result.status != "skipped":
                owners[did] = path.name
        except UnreadableFileError as exc:
            result.message = str(exc)
            log.warning("%s", exc)
        except Exception as exc:  # a broken file must never stop the others
            if is_disk_full(exc) or (store.config.host is None and disk_nearly_full(store.config.path)):
                raise  # …but a full disk stops the run: every later file would fail the same way
            result.message = f"跳过 {path.name}：{type(exc).__name__}: {exc}"
            log.exception("ingest failed for %s", path)
        report.results.append(result)
        if on_file:
            on_file(result)
    if written:
        write_segment(store, written)
    return report


def write_segment(store: ClauseStore, written: dict[str, tuple[str, list[Clause]]]) -> None:
    """The run's documents as one search segment beside the collection (time proportional to them), then
    compaction when the segments hold many tombstones or are many.  A failure here loses nothing: a
    reader builds what no segment holds from the collection."""
    try:
        active = store.active_versions()
        fresh = {d: v for d, (v, _) in written.items() if active.get(d) == v}
        parts = [c for d in fresh for c in written[d][1]]
        if parts:
            store.segments.write(parts, fresh)
        store.segments.compact(active)
        store.segments.collect(active)
    except Exception:  # the index is complete without it
        log.exception("writing the search segment failed; readers will build it from the collection")
