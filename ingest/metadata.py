"""Document metadata read off the text: title, issuers, 文号, date, a scraped metadata table.

The texts do not reliably say their own title, issuer, 文号 or date (one shipped file has no title
line at all), so the catalog (:mod:`ingest.catalog`) wins where it has an entry; any document a user
drops in without one still gets what can be read off its text here.
"""
from __future__ import annotations

import re

from ingest.models import DocMeta
from ingest.text.ladder import starts_body
from ingest.text.script import to_simplified
from ingest.text.wordlists import load, org_suffix_pattern

DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［(（]\s*(19|20)\d{2}\s*[〕\]］)）]\s*\d{1,4}\s*号")
_DATE_CN = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_ISO = re.compile(r"((?:19|20)\d{2})-(\d{1,2})-(\d{1,2})")
_DATE_LINE = re.compile(r"^\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
_SENTENCE_PUNCT = re.compile(r"[。；;：:!?！？,，]")
_ORG_SUFFIX = org_suffix_pattern("org_suffixes")
_TABLE_KEYS = {
    "发布单位": "issuer", "发文机关": "issuer", "发布机关": "issuer",
    "发布文号": "doc_number", "文号": "doc_number", "发文字号": "doc_number",
    "发布日期": "date", "成文日期": "date", "生效日期": "effective_date",
}


def iso_date(text: str) -> str:
    """First date in ``text`` as YYYY-MM-DD ('' if none)."""
    m = _DATE_CN.search(text) or _DATE_ISO.search(text)
    if not m:
        return ""
    y, mo, d = m.groups()
    return f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"


def is_date_line(line: str) -> bool:
    return bool(_DATE_LINE.match(line))


def looks_like_org_line(line: str) -> bool:
    """A sign-off line: one or more issuing bodies, no sentence punctuation."""
    if _SENTENCE_PUNCT.search(line) or len(line) > 60:
        return False
    parts = [p for p in re.split(r"\s+", to_simplified(line)) if p]
    return bool(parts) and all(_ORG_SUFFIX.search(p) for p in parts)


def _title_endings() -> tuple[str, ...]:
    words = load("title_words")
    return words + tuple(w + "”" for w in words)


def is_title_line(line: str) -> bool:
    s = to_simplified(line)
    return (
        6 <= len(s) <= 80
        and not _SENTENCE_PUNCT.search(s)
        and "《" not in s
        and "|" not in s
        and s.endswith(_title_endings())
    )


def find_title(lines: list[str], limit: int = 25) -> tuple[int, int] | None:
    """Locate the title as a span of lines [start, end); handles a title broken over two lines."""
    for i, line in enumerate(lines[:limit]):
        if starts_body(to_simplified(line)):
            return None  # the body has started; no title line in this document
        if is_title_line(line):
            prev = lines[i - 1] if i else ""
            if prev and not _SENTENCE_PUNCT.search(prev) and to_simplified(prev).startswith("关于") and not is_title_line(prev):
                return (i - 1, i + 1)
            return (i, i + 1)
    return None


def parse_meta_table(lines: list[str]) -> tuple[dict[str, str], list[int]]:
    """Read a scraped ``key | value |`` metadata table (发布单位/发布文号/发布日期 …).

    Returns the values found and the indexes of the lines that belong to the table, so the parser can
    move them out of the body into the document-info clause.
    """
    key_idx = [i for i, l in enumerate(lines) if "|" in l and re.match(r"^[\u4e00-\u9fff]{2,6}\s*\|", to_simplified(l))]
    if len(key_idx) < 2:
        return {}, []
    start, end = key_idx[0], key_idx[-1]
    if end - start > 15:
        return {}, []
    block = " | ".join(lines[start : end + 1])
    cells = [c.strip() for c in block.split("|")]
    values: dict[str, str] = {}
    for i, cell in enumerate(cells):
        key = _TABLE_KEYS.get(to_simplified(cell))
        if key:
            j = i + 1
            while j < len(cells) and not cells[j]:
                j += 1
            if j < len(cells) and to_simplified(cells[j]) not in _TABLE_KEYS:
                values.setdefault(key, cells[j])
    return values, list(range(start, end + 1))


def extract_meta(doc_id: str, lines: list[str], title_span: tuple[int, int] | None) -> DocMeta:
    """Best-effort metadata from the text alone (used when the catalog has no entry)."""
    head = "\n".join(lines[:30])
    tail = lines[-12:]
    table, _ = parse_meta_table(lines[:40])
    title = "".join(lines[title_span[0] : title_span[1]]) if title_span else ""
    if not title:
        # A covering notice names the document it issues: “《…》…现印发给你们”.
        quoted = re.search(r"《([^》]{6,80})》[^。]{0,30}印发", head)
        title = quoted.group(1) if quoted else doc_id
    number = table.get("doc_number", "")
    if not number or number == "暂无":
        # Only a 文号 standing on its own line is this document's; one inside a sentence cites another.
        own = [l for l in lines[:30] if DOC_NUMBER.fullmatch(l.strip())]
        number = own[0].strip() if own else number
    date = iso_date(table.get("date", ""))
    issuers: list[str] = []
    if table.get("issuer"):
        issuers = [table["issuer"]]
    # Sign-off block: issuer lines directly above a date line, at the end or in the covering notice.
    for block in (tail, lines[: (title_span[0] if title_span else 0)]):
        for i, line in enumerate(block):
            if is_date_line(line):
                date = date or iso_date(line)
                j = i - 1
                found: list[str] = []
                while j >= 0 and looks_like_org_line(block[j]):
                    found = block[j].split() + found
                    j -= 1
                if found and not issuers:
                    issuers = found
    return DocMeta(doc_id=doc_id, title=title, issuers=issuers, doc_number=number, date=date)
