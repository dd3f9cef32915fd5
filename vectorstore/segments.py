"""Stored search segments beside the collection: which serve the active versions, what is built, merged, collected.

The format is :mod:`vectorstore.segment_format`; building and merging :mod:`vectorstore.segment_build`.

Versioning: a segment row is *live* only while the registry's active version of its document is the
row's version, and only in the one segment chosen to serve that (document, version).  A replaced or
removed document's rows are tombstones from the moment the registry flips — a reader can never pair an
old lexical index with a new collection — and :meth:`SegmentStore.compact` drops them later.
"""
from __future__ import annotations

import json
import logging
import shutil
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from ingest.models import Clause
from vectorstore.segment_build import build_segment, merge_segments
from vectorstore.segment_format import FORMAT, Segment, merge_parts, open_segment, row_key

__all__ = ["Segment", "SegmentStore", "build_segment", "merge_parts", "merge_segments", "row_key"]

log = logging.getLogger(__name__)

MAX_SEGMENTS = 6  # more live segments than this, or
MAX_DEAD_SHARE = 0.25  # more tombstoned rows than this share → compact into one segment
GRACE_SECONDS = 300.0  # a superseded segment is deleted this long after compaction (readers may still map it)


class SegmentStore:
    """The segments under one directory: choose the ones that serve the active versions, build what
    is missing, compact, and collect what no version needs any more."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._open: dict[str, Segment] = {}
        self._lock = threading.RLock()  # a reload (request thread) and an ingest (job thread) may choose at once

    def _listing(self) -> dict[str, tuple[Path, list[tuple[str, str]], float]]:
        out: dict[str, tuple[Path, list[tuple[str, str]], float]] = {}
        if not self.root.is_dir():
            return out
        for p in self.root.glob("seg-*"):
            try:
                meta = json.loads((p / "meta.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # being deleted, or not complete
            if meta.get("format") == FORMAT:
                out[meta["sid"]] = (p, [tuple(x) for x in meta["docs"]], float(meta.get("created", 0.0)))
        return out

    def segment(self, sid: str, path: Path) -> Segment:
        seg = self._open.get(sid)
        if seg is None:
            seg = self._open[sid] = open_segment(path)
        return seg

    def choose(self, versions: dict[str, str]) -> tuple[list[tuple[Segment, set[str]]], set[str]]:
        """Segments serving ``versions`` (each (document, version) by exactly one), and the documents none holds."""
        with self._lock:
            return self._choose(versions)

    def _choose(self, versions: dict[str, str]) -> tuple[list[tuple[Segment, set[str]]], set[str]]:
        wanted = set(versions.items())
        listing = self._listing()
        ranked = sorted(listing.items(), key=lambda kv: (-len(wanted & set(kv[1][1])), -kv[1][2], kv[0]))
        left = set(versions)
        chosen: list[tuple[Segment, set[str]]] = []
        for sid, (path, pairs, _) in ranked:
            owned = {d for d, v in pairs if d in left and versions[d] == v}
            if not owned:
                continue
            try:
                seg = self.segment(sid, path)
            except (OSError, ValueError) as exc:  # deleted under us: build what it held instead
                log.info("segment %s unreadable (%s)", sid, exc)
                continue
            chosen.append((seg, owned))
            left -= owned
        for sid in set(self._open) - {s.sid for s, _ in chosen}:
            self._open.pop(sid, None)  # the mapping stays valid for snapshots still holding it
        return chosen, left

    def known_terms(self) -> list[str]:
        terms: list[str] = []
        for sid, (path, _, _) in self._listing().items():
            seg = self._open.get(sid)  # no lock: a stale answer only means reading docs.json
            if seg is not None:
                terms.extend(seg.terms)
                continue
            try:
                terms.extend(json.loads((path / "docs.json").read_text(encoding="utf-8"))["terms"])
            except (OSError, ValueError, KeyError):
                continue
        return list(dict.fromkeys(terms))

    def write(self, parts: Sequence[Clause], versions: dict[str, str]) -> Path:
        """A new segment for these documents (an ingest's delta: time proportional to them)."""
        return build_segment(self.root, parts, versions, extra_terms=self.known_terms())

    def ensure(self, versions: dict[str, str],
               fetch: Callable[[list[str]], list[Clause]]) -> list[tuple[Segment, set[str]]]:
        """The segments serving ``versions``; documents no segment holds (a store written before segments,
        an ingest killed before it wrote its segment, another instance's index directory) are read from
        Chroma with ``fetch`` and written as one segment first."""
        chosen, missing = self.choose(versions)
        if missing:
            parts = fetch(sorted(missing))
            if parts:
                self.write(parts, {d: versions[d] for d in missing})
            chosen, missing = self.choose(versions)
            if missing:
                log.warning("no segment for %d documents", len(missing))
        if self.needs_compaction(chosen):  # an instance with its own directory merges its own deltas
            try:
                merge_segments(self.root, chosen)
                chosen, _ = self.choose(versions)
            except OSError as exc:  # a read-only shared directory: the ingest host compacts it
                log.info("compaction skipped (%s)", exc)
        return chosen

    def needs_compaction(self, chosen: list[tuple[Segment, set[str]]]) -> bool:
        if len(chosen) <= 1:
            return False
        total = sum(s.rows for s, _ in chosen)
        live = sum(int(s.doc_rows[i + 1] - s.doc_rows[i]) for s, owned in chosen
                   for i, d in enumerate(s.docs) if d in owned)
        return len(chosen) > MAX_SEGMENTS or (total - live) > MAX_DEAD_SHARE * max(total, 1)

    def compact(self, versions: dict[str, str], force: bool = False) -> bool:
        """Merge the serving segments into one when there are many or they hold many tombstones."""
        chosen, _ = self.choose(versions)
        if not chosen or not ((force and len(chosen) > 1) or self.needs_compaction(chosen)):
            return False
        merge_segments(self.root, chosen)
        return True

    def collect(self, versions: dict[str, str], grace: float = GRACE_SECONDS) -> int:
        """Delete segments that serve nothing of ``versions`` and were superseded ``grace`` seconds ago."""
        chosen, _ = self.choose(versions)
        keep = {s.sid for s, _ in chosen}
        newest = max((s.created for s, _ in chosen), default=0.0)
        gone = 0
        for sid, (path, _, created) in self._listing().items():
            if sid not in keep and created < newest and time.time() - newest > grace:
                shutil.rmtree(path, ignore_errors=True)
                gone += 1
        for tmp in self.root.glob("tmp-*") if self.root.is_dir() else []:
            if time.time() - tmp.stat().st_mtime > 3600:
                shutil.rmtree(tmp, ignore_errors=True)
        return gone
