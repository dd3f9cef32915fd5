"""The user-editable catalog (``catalog.toml`` beside the files): what the text does not say reliably.

Entries are keyed by file stem (see README, 'Catalog format'); catalog values win over what
:mod:`ingest.metadata` reads off the text, which fills the gaps.
"""
from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from ingest.models import DocMeta

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
    sources = {**auto.sources, **dict.fromkeys(fields, "catalog")}
    return auto.model_copy(update={**fields, "sources": sources})
