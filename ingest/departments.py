"""Responsible bodies named in the closing parentheses of an item (（省市场监管局、财政厅负责））."""
from __future__ import annotations

import re

from ingest.text.script import to_simplified
from ingest.text.wordlists import org_suffix_pattern

_DEPT_TAIL = re.compile(r"[(（]([^()（）]{2,160})[)）]\s*[。.]?\s*$")
_DEPT_SUFFIX = org_suffix_pattern("department_suffixes")
_DEPT_SPLIT = re.compile(r"[、,，;；]|商请|商請|会同|會同|配合|和(?=各)")


def extract_departments(text: str) -> list[str]:
    """Responsible bodies from the closing parentheses of an item (（省市场监管局、财政厅负责））."""
    m = _DEPT_TAIL.search(text.strip())
    if not m:
        return []
    inner = to_simplified(m.group(1))
    inner = re.sub(r"(等部门|等单位|等)?(按职责分工|按照职责分工|按职责)?(分别)?(牵头)?负责$", "", inner)
    names = [p.strip() for p in _DEPT_SPLIT.split(inner) if p.strip()]
    looks_like_org = [bool(_DEPT_SUFFIX.search(n)) and len(n) <= 24 for n in names]
    if not names or sum(looks_like_org) < max(1, 0.75 * len(names)):
        return []  # an explanatory parenthesis, not a list of responsible bodies
    # Keep the document's own script for display (a traditional text lists 市場監管總局, not 市场监管总局).
    original = [o.strip() for o in _DEPT_SPLIT.split(m.group(1)) if o.strip()]
    if len(original) == len(names):
        original[-1] = original[-1][: len(names[-1])] if to_simplified(original[-1]).startswith(names[-1]) else original[-1]
        return original
    return names
