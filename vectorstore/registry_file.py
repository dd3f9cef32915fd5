"""The registry's records in a small file beside the segments, so a command that only reads the index
(``policybot show``, ``policybot docs``) learns the active versions without loading Chroma.

Why: importing ``chromadb`` and opening an embedded client cost most of a lookup command's second,
and all such a command needs of Chroma is the ``<collection>_docs`` registry (which version of each
document is active, its metadata and record count) — the clauses themselves come from the search
segments.  Embedded mode only: a server's registry is asked every time (another host may write).

Trust.  The file is stamped with the state of Chroma's SQLite file when its records were read: the
file's ``(mtime_ns, size)`` and SQLite's *file change counter* (header bytes 24–27), plus the stat of a
``-wal`` file should there be one.  Chroma keeps SQLite in rollback-journal mode, where every committed
write transaction — of any process — increments that counter, so a stamp still equal to the file's
means nothing was written since; mtime and size alone could miss two writes in one timestamp tick.  A
reader trusts the file only then.  Otherwise it reads the registry from Chroma and writes the file
anew, stamped before that read and checked again after it: a write in between leaves the file
unwritten, so a stale file is never trusted.  Opening a client writes to SQLite too, which only means
the next command reads Chroma once more.  Written atomically (a temporary file, then ``os.replace``).
"""
from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FORMAT = 1
FILE_NAME = "registry.json"
SQLITE_NAME = "chroma.sqlite3"
Stamp = tuple[int, ...]


@dataclass(frozen=True)
class RegistryEntry:
    """One document's registry record: its active version, metadata (``DocMeta`` JSON) and part count."""

    version: str
    meta: str
    clause_count: int


@dataclass(frozen=True)
class RegistryState:
    """The whole registry as one read saw it, with the model the clause collection's vectors are of."""

    docs: Mapping[str, RegistryEntry]  # by document id, sorted
    model_key: str
    model_text: str

    @property
    def versions(self) -> dict[str, str]:
        return {d: e.version for d, e in self.docs.items()}

    @classmethod
    def from_records(cls, ids: Sequence[Any], metadatas: Sequence[Mapping[str, Any]] | None,
                     model: tuple[str, str]) -> RegistryState:
        """From a ``registry.get(include=["metadatas"])`` answer."""
        docs = {str(i): RegistryEntry(str(m["version"]), str(m["meta"]), int(str(m["clause_count"])))
                for i, m in zip(ids, metadatas or [], strict=True)}
        return cls(dict(sorted(docs.items())), *model)


def sqlite_stamp(sqlite: Path) -> Stamp | None:
    """``(mtime_ns, size, change counter[, wal mtime_ns, wal size])`` of the SQLite file; None without one."""
    try:
        with sqlite.open("rb") as fh:
            st = os.fstat(fh.fileno())
            header = fh.read(28)
    except OSError:
        return None
    counter = int.from_bytes(header[24:28], "big") if len(header) == 28 else -1
    stamp: Stamp = (st.st_mtime_ns, st.st_size, counter)
    try:
        wal = os.stat(f"{sqlite}-wal")
        stamp += (wal.st_mtime_ns, wal.st_size)
    except OSError:
        pass
    return stamp


class RegistryFile:
    """``registry.json`` of one collection (in its segments directory), valid for one SQLite file."""

    def __init__(self, directory: Path, chroma_path: Path, collection: str) -> None:
        self.path = directory / FILE_NAME
        self.sqlite = chroma_path / SQLITE_NAME
        self.collection = collection

    def stamp(self) -> Stamp | None:
        return sqlite_stamp(self.sqlite)

    def load(self, stamp: Stamp) -> RegistryState | None:
        """The state the file holds when it was written for exactly ``stamp``; None when stale or unreadable."""
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            if (raw.get("format") != FORMAT or raw.get("collection") != self.collection
                    or tuple(raw.get("stamp") or ()) != stamp):
                return None
            docs = {d: RegistryEntry(str(v), str(m), int(n)) for d, (v, m, n) in raw["docs"].items()}
            return RegistryState(docs, str(raw["model"][0]), str(raw["model"][1]))
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None

    def save(self, state: RegistryState, stamp: Stamp) -> None:
        """Write the file atomically; a directory that cannot be written only costs later reads their speed."""
        body = {"format": FORMAT, "collection": self.collection, "stamp": list(stamp),
                "model": [state.model_key, state.model_text],
                "docs": {d: [e.version, e.meta, e.clause_count] for d, e in state.docs.items()}}
        tmp = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".registry-", suffix=".tmp", dir=self.path.parent)
            os.fchmod(fd, 0o644)  # readable like the segments beside it (mkstemp makes it private)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(body, fh, ensure_ascii=False)
            os.replace(tmp, self.path)
            tmp = None
        except OSError as exc:
            log.info("registry file not written (%s)", exc)
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
