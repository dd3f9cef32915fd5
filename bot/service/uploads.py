"""Uploaded files before they are indexed: a safe name, a free name, what replacing would change,
and the copy into ``uploads/`` that never leaves a half-written or a rejected file behind.

Pure file and clause helpers; :class:`bot.service.library.DocumentLibrary` decides when to call them.
"""
from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path

from ingest.models import Clause


def safe_filename(name: str) -> str:
    """Only the final path component, no control or path characters, never hidden or empty."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r'[<>:"|?*]', "_", base).strip(" .")
    return base[:120] or "upload.txt"


def upload_refusal(name: str, size: int, limit: int) -> str | None:
    """Why a file named ``name`` (already safe) of ``size`` bytes cannot be taken, or None."""
    from ingest.readers import SUPPORTED_SUFFIXES, unsupported  # the readers load with the first upload, not per command

    if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
        return str(unsupported(name))
    if size > limit:
        return f"跳过 {name}：文件过大（{size // 1024} KB，上限 {limit // 1024} KB）"
    return None


def clause_diff(old: list[Clause], new: list[Clause]) -> dict[str, int]:
    """Clauses added / removed / changed between two versions of a document, keyed by item label."""
    def texts(cs: list[Clause]) -> dict[str, str]:
        out: dict[str, str] = {}
        for c in sorted(cs, key=lambda c: (c.order, c.part)):
            out[c.item] = out.get(c.item, "") + c.text
        return out

    a, b = texts(old), texts(new)
    return {"added": len(b.keys() - a.keys()), "removed": len(a.keys() - b.keys()),
            "changed": sum(1 for k in a.keys() & b.keys() if a[k] != b[k])}


def diff_text(diff: dict[str, int]) -> str:
    return f"新增 {diff['added']} 条、删除 {diff['removed']} 条、修改 {diff['changed']} 条"


def free_name(target: Path, taken: set[str]) -> Path:
    """``name-2.txt``, ``name-3.txt`` … : an id neither indexed (``taken``) nor on disk."""
    n = 2
    while True:
        candidate = target.with_name(f"{target.stem}-{n}{target.suffix}")
        if candidate.stem not in taken and not any(p.stem == candidate.stem for p in target.parent.iterdir()):
            return candidate
        n += 1


def place_upload(source: Path, target: Path, ingest: Callable[[Path], bool]) -> None:
    """Copy ``source`` to ``target`` and call ``ingest(target)``; when it returns False (the file was
    rejected) the file is removed — it must not come back on ``policybot rebuild`` — and a replaced
    upload's file is put back.  The copy goes through a hidden ``.part`` file, so a full disk leaves
    nothing half-copied."""
    partial = target.with_name(f".{target.name}.part")
    try:
        shutil.copyfile(source, partial)
    except OSError:
        partial.unlink(missing_ok=True)
        raise
    previous = target.with_name(f".{target.name}.previous")
    if target.exists():
        target.replace(previous)
    partial.replace(target)
    if ingest(target):
        previous.unlink(missing_ok=True)
        return
    target.unlink(missing_ok=True)
    if previous.exists():
        previous.replace(target)
