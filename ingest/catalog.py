"""The user-editable catalog (``catalog.toml`` beside the files): what the text does not say reliably.

Entries are keyed by file stem (see README, 'Catalog format'); catalog values win over what
:mod:`ingest.metadata` reads off the text, which fills the gaps.
"""
from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

from ingest.models import DOC_STATES, DocMeta

CATALOG_NAME = "catalog.toml"

CatalogEntry = dict[str, Any]


def load_catalog(folder: Path) -> dict[str, CatalogEntry]:
    """Catalog entries keyed by file stem (see README, 'Catalog format')."""
    path = folder / CATALOG_NAME
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return {str(k): v for k, v in data.get("documents", {}).items()}


def merge_meta(auto: DocMeta, entry: CatalogEntry | None) -> DocMeta:
    """Catalog values win over extracted ones; extracted ones fill the gaps."""
    if not entry:
        return auto
    fields = {k: v for k, v in entry.items() if k in DocMeta.model_fields and k != "sources" and v not in (None, "", [])}
    marked = {k: v for k, v in (entry.get("sources") or {}).items() if k in fields}  # the admin's edits
    sources = {**auto.sources, **dict.fromkeys(fields, "catalog"), **marked}
    return auto.model_copy(update={**fields, "sources": sources})


# ----- the admin's overrides: a writable file in the data directory, merged over catalog.toml ---------
OVERRIDES_NAME = "catalog_overrides.json"
EDITABLE_FIELDS: tuple[str, ...] = ("title", "short_name", "aliases", "region", "level", "doc_number", "date",
                                    "status", "status_date", "status_note")
STATUS_CHOICES: tuple[str, ...] = DOC_STATES  # what the admin may set as 效力状态
LEVELS: tuple[str, ...] = ("国家", "省", "市", "区", "县")


def load_overrides(path: Path) -> dict[str, CatalogEntry]:
    """The admin's metadata overrides keyed by document id (``{}`` when there are none yet)."""
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8") or "{}")
    return {str(k): dict(v) for k, v in data.get("documents", {}).items()}


def save_overrides(path: Path, overrides: dict[str, CatalogEntry]) -> None:
    """Write atomically (a temp file, then a rename): a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    body = {"documents": {k: v for k, v in sorted(overrides.items()) if v}}
    tmp.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)


def combined_entry(catalog_entry: CatalogEntry | None, override: CatalogEntry | None) -> CatalogEntry | None:
    """The catalog entry with the admin's override on top (an override value wins field by field); the
    overridden fields' source is "admin" (shown as 管理员修改)."""
    if not override:
        return catalog_entry
    edited = {k: v for k, v in override.items() if k != "sources"}
    return {**(catalog_entry or {}), **edited, "sources": dict.fromkeys(edited, "admin")}


def clean_override(fields: dict[str, Any]) -> CatalogEntry:
    """Only editable fields with a value; aliases as a list of distinct non-empty names.

    Raises ``ValueError`` (a message for the admin) on a malformed date."""
    out: CatalogEntry = {}
    for key in EDITABLE_FIELDS:
        value = fields.get(key)
        if key == "aliases":
            items = value if isinstance(value, list) else re.split(r"[,，、;；\n]", str(value or ""))
            names = list(dict.fromkeys(str(a).strip() for a in items if str(a).strip()))
            if names:
                out[key] = names
            continue
        text = " ".join(str(value or "").split())
        if not text:
            continue
        if key in ("date", "status_date") and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(f"日期格式应为 YYYY-MM-DD：{text}")
        if key == "status" and text not in STATUS_CHOICES:
            raise ValueError(f"效力状态应为 {'/'.join(STATUS_CHOICES)} 之一：{text}")
        out[key] = text
    return out
