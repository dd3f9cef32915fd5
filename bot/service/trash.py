"""Removed documents, kept until the next rebuild so that a removal can be undone.

``POLICYBOT_DATA_DIR/trash/<key>/`` holds, per removed document: ``entry.json`` (who, when, the
document's metadata and its catalog override), ``records.jsonl`` (every clause part with its
embedding, so an undo writes it back without embedding anything) and, for an upload, the file itself
(moved out of ``uploads/``: a rebuild can no longer find it).  A rebuild empties the trash.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.service.clock import stamp
from ingest.models import Clause, DocMeta


@dataclass
class Trashed:
    """One removed document, as it was when removed."""

    doc_id: str
    meta: DocMeta
    removed_at: str
    user: str
    origin: str  # "upload": its file is in the trash; "corpus": a shipped file, left where it is
    override: dict[str, Any]
    folder: Path

    @property
    def file(self) -> Path | None:
        files = sorted((self.folder / "file").glob("*")) if (self.folder / "file").is_dir() else []
        return files[0] if files else None

    def parts(self) -> tuple[list[Clause], list[list[float]]]:
        clauses: list[Clause] = []
        vectors: list[list[float]] = []
        with (self.folder / "records.jsonl").open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    row = json.loads(line)
                    clauses.append(Clause.model_validate(row["clause"]))
                    vectors.append([float(x) for x in row["embedding"]])
        return clauses, vectors


class Trash:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _slot(self, doc_id: str) -> Path:
        return self.folder / hashlib.sha256(doc_id.encode("utf-8")).hexdigest()[:20]

    def put(self, meta: DocMeta, clauses: list[Clause], vectors: list[list[float]], *, user: str,
            upload: bool, override: dict[str, Any] | None) -> Trashed:
        """Keep a document about to be removed (its records, its override); an upload's file follows
        with :meth:`keep_file` once the document is out of the index."""
        slot = self._slot(meta.doc_id)
        if slot.exists():
            shutil.rmtree(slot)  # an older removal of the same id: superseded
        slot.mkdir(parents=True)
        with (slot / "records.jsonl").open("w", encoding="utf-8") as fh:
            for c, v in zip(clauses, vectors, strict=True):
                fh.write(json.dumps({"clause": c.model_dump(mode="json"), "embedding": v}, ensure_ascii=False) + "\n")
        entry = {"doc_id": meta.doc_id, "meta": meta.model_dump(mode="json"), "user": user,
                 "removed_at": stamp(), "origin": "upload" if upload else "corpus",
                 "override": override or {}}
        (slot / "entry.json").write_text(json.dumps(entry, ensure_ascii=False, indent=1), encoding="utf-8")
        return self._load(slot)

    def keep_file(self, doc_id: str, file: Path) -> None:
        """Move a removed upload's file out of ``uploads/`` into its trash slot (a rebuild cannot find it)."""
        folder = self._slot(doc_id) / "file"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.move(str(file), str(folder / file.name))

    def _load(self, slot: Path) -> Trashed:
        e = json.loads((slot / "entry.json").read_text(encoding="utf-8"))
        return Trashed(doc_id=e["doc_id"], meta=DocMeta.model_validate(e["meta"]), removed_at=e["removed_at"],
                       user=e.get("user", ""), origin=e.get("origin", "corpus"), override=e.get("override") or {},
                       folder=slot)

    def get(self, doc_id: str) -> Trashed | None:
        slot = self._slot(doc_id)
        return self._load(slot) if (slot / "entry.json").is_file() else None

    def entries(self) -> list[Trashed]:
        """Removed documents, the latest removal first."""
        if not self.folder.is_dir():
            return []
        found = [self._load(s) for s in self.folder.iterdir() if (s / "entry.json").is_file()]
        return sorted(found, key=lambda t: t.removed_at, reverse=True)

    def discard(self, doc_id: str) -> None:
        shutil.rmtree(self._slot(doc_id), ignore_errors=True)

    def empty(self) -> int:
        """Forget every removed document for good (after a rebuild); returns how many."""
        n = len(self.entries())
        if self.folder.is_dir():
            shutil.rmtree(self.folder, ignore_errors=True)
        return n
