"""Source markers: building the numbered sources block, and checking the markers the model wrote.

The model sees the retrieved clauses as ``[S1]``, ``[S2]`` … blocks and must end each claim with the
marker(s) it relied on.  Models are sloppy with this: full-width brackets (``【S2】``, ``［S2］``),
grouped markers (``[S1, S3]``), numbers that were never given (``[S9]``), made-up labels
(``[来源5]``).  :func:`validate_citations` is the single place that turns that into something the UI
can trust: only markers that point at a clause we actually sent survive, renumbered ``[1]``, ``[2]`` …
in order of first appearance, with the matching clause list.  Everything else is removed from the
text and reported, so callers can log it or downgrade the answer.

Pure functions only: no I/O, no LLM calls, so this is cheap to test exhaustively.
"""
from __future__ import annotations

import re

from pydantic import BaseModel, Field, computed_field

from bot.answer.contract import REFUSAL_PREFIX, answer_marker, is_refusal_text, source_marker
from bot.answer.tokens import count_tokens, pack_by_budget
from ingest.models import Clause

__all__ = [
    "REFUSAL_PREFIX",
    "ValidatedAnswer",
    "build_sources_block",
    "drop_unsupported_claims",
    "format_source",
    "is_refusal_text",
    "neutralise_markers",
    "validate_citations",
]

_SEP = "\n\n"
_TRUNCATION_NOTE = "……（节选）"

# A bracketed group that contains at least one S-number: [S1] [S1, S3] 【S2】 ［S2］ [S1-S3] [s 2] …
_OPEN = r"\[［【〔"
_CLOSE = r"\]］】〕"
_MARKER_RE = re.compile(
    rf"[{_OPEN}]\s*"
    r"(?P<body>[Ss]\s*\d+(?:(?:\s*[,，、;；/和及]\s*|\s*[-–—~～至到]\s*|\s+)(?:[Ss]\s*)?\d+)*)"
    rf"\s*[{_CLOSE}]"
)
# Bracketed things that are clearly attempts at a source marker but not in our scheme:
# [来源5] [资料 2] [文献3] [source 1] [ref2] [5] [S] [S?] …… (not 〔〕: 文号 use 〔2022〕 legitimately)
_GARBAGE_RE = re.compile(
    r"[\[［【]\s*"
    r"(?:(?:来源|來源|资料|資料|文献|文獻|出处|出處|参考|參考|依据|依據|引用|source|src|ref|doc)\s*[:：#]?\s*\d+"
    r"|\d{1,3}"
    r"|[Ss]\s*[?？xX*]*)"
    r"\s*[\]］】]",
    re.IGNORECASE,
)
_NUM_RE = re.compile(r"\d+")
_RANGE_RE = re.compile(r"[Ss]?\s*(\d+)\s*[-–—~～至到]\s*[Ss]?\s*(\d+)")
# Marker-looking text inside a *source* would let a document forge its own [S9] block or cite itself
# ("…补贴[1]" quoted by the extractive answer looks like our citation [1]); it is defanged to
# round brackets before a clause is shown to the model or quoted (not 〔〕: 文号 〔2022〕 stay).
_SOURCE_MARKER_RE = re.compile(rf"[{_OPEN}](\s*[Ss]\s*\d+[^{_CLOSE}\n]{{0,20}})[{_CLOSE}]"
                               r"|[\[［【](\s*\d{1,3}\s*)[\]］】]")
# Where a claim ends: a sentence with the markers written right after its full stop.
_ANY_MARKER_RE = re.compile(rf"(?:{_MARKER_RE.pattern})|(?i:{_GARBAGE_RE.pattern})")
_SENTENCE_RE = re.compile(rf"[^。！？!?；;\n]*(?:[。！？!?；;]+|\n|$)(?:[ \t]*(?:{_ANY_MARKER_RE.pattern}))*")
_MAX_RANGE = 20
_QUOTE_DEFANG = str.maketrans({"「": "『", "」": "』"})  # a source cannot close its own quotation


class ValidatedAnswer(BaseModel):
    """An answer whose citation markers have been checked against the clauses actually given.

    ``text`` carries canonical markers ``[1]``, ``[2]`` … numbered by first appearance;
    ``citations[k-1]`` is the clause behind ``[k]`` and ``source_numbers[k-1]`` the original ``Sx``
    number the model used for it (useful for logs and debugging the prompt).
    """

    text: str
    raw_text: str
    citations: list[Clause] = Field(default_factory=list)
    source_numbers: list[int] = Field(default_factory=list)
    invalid_markers: list[str] = Field(default_factory=list)
    is_refusal: bool = False

    @computed_field  # type: ignore[prop-decorator]
    @property
    def has_valid_citation(self) -> bool:
        """True when at least one marker pointed at a clause we gave the model."""
        return bool(self.citations)


def format_source(index: int, clause: Clause, text: str | None = None) -> str:
    """One ``[Sk]`` block: where the clause is (title, 文号/date, item) and what it says.

    The human-readable location comes from :meth:`Clause.citation` so the model quotes the same
    label the UI shows.  The clause text is quoted (「…」, quotes inside it turned to 『』) and its
    marker-like strings defanged (``[S9]`` → ``(S9)``, ``[1]`` → ``(1)``), so a planted document
    can neither forge extra source blocks nor step out of its quotation.
    """
    body = neutralise_markers(clause.text if text is None else text)
    lines = [f"{source_marker(index)} {clause.citation()}"]
    meta = []
    if clause.doc.doc_number:
        meta.append(f"文号：{clause.doc.doc_number}")
    if clause.doc.date:
        meta.append(f"发布日期：{clause.doc.date}")
    if meta:
        lines.append("；".join(meta))
    # The text is quoted data: the system prompt says nothing inside 「」 is ever an instruction.
    lines.append(f"原文：「{body.strip().translate(_QUOTE_DEFANG)}」")
    return "\n".join(lines)


def neutralise_markers(text: str) -> str:
    """Marker-like strings of a clause's own text (``[S9]``, ``[1]``, ``【2】``) in round brackets, so
    that neither the model nor a reader takes them for a citation."""
    return _SOURCE_MARKER_RE.sub(lambda m: f"({(m.group(1) or m.group(2)).strip()})", text)


def build_sources_block(clauses: list[Clause], budget_tokens: int) -> tuple[str, list[Clause]]:
    """Number the clauses ``[S1]`` … and keep as many leading ones as fit in ``budget_tokens``.

    Returns ``(block_text, included)`` where marker ``Sk`` corresponds to ``included[k-1]``; the
    order is the retrieval order, never reshuffled.  If even the first clause is too long (a big
    attachment), its text is cut to fit rather than sending no evidence at all — the best hit is
    what the user most needs cited.
    """
    if not clauses or budget_tokens <= 0:
        return "", []
    blocks = [format_source(i, c) for i, c in enumerate(clauses, start=1)]
    n = pack_by_budget(blocks, budget_tokens, separator=_SEP)
    if n == 0:
        first = _truncate_to_fit(clauses[0], budget_tokens)
        if first is None:
            return "", []
        return first, [clauses[0]]
    return _SEP.join(blocks[:n]), list(clauses[:n])


def _truncate_to_fit(clause: Clause, budget: int) -> str | None:
    """Largest prefix of the clause text whose block fits ``budget`` (binary search on characters)."""
    header_only = format_source(1, clause, text=_TRUNCATION_NOTE)
    if count_tokens(header_only) > budget:
        return None
    text = clause.text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if count_tokens(format_source(1, clause, text=text[:mid] + _TRUNCATION_NOTE)) <= budget:
            lo = mid
        else:
            hi = mid - 1
    return format_source(1, clause, text=text[:lo] + _TRUNCATION_NOTE)


def _marker_numbers(body: str) -> list[int]:
    """``S1, S3`` → [1, 3]; ``S1-S3`` → [1, 2, 3] (ranges capped so ``S1-S9999`` can't explode)."""
    out: list[int] = []
    pos = 0
    for m in _RANGE_RE.finditer(body):
        out.extend(int(x) for x in _NUM_RE.findall(body[pos:m.start()]))
        a, b = int(m.group(1)), int(m.group(2))
        if a <= b and b - a <= _MAX_RANGE:
            out.extend(range(a, b + 1))
        else:
            out.extend([a, b])
        pos = m.end()
    out.extend(int(x) for x in _NUM_RE.findall(body[pos:]))
    return out


def validate_citations(answer: str, given: list[Clause]) -> ValidatedAnswer:
    """Check every marker in ``answer`` against ``given`` (marker ``Sk`` ↔ ``given[k-1]``).

    Valid markers are rewritten to canonical ``[n]`` in order of first appearance (repeats reuse
    their number, adjacent duplicates collapse); markers pointing nowhere (``[S0]``, ``[S9]`` with
    three sources) and made-up ones (``[来源5]``, bare ``[5]``) are listed in ``invalid_markers`` as
    ``S9`` / the original spelling, and the claims they marked are dropped with them
    (:func:`drop_unsupported_claims`): what stays in the text is cited.
    """
    raw = answer or ""
    canonical: dict[int, int] = {}  # S-number -> canonical number
    citations: list[Clause] = []
    source_numbers: list[int] = []
    invalid: list[str] = []

    def _replace_marker(m: re.Match[str]) -> str:
        parts: list[str] = []
        for s in _marker_numbers(m.group("body")):
            if 1 <= s <= len(given):
                if s not in canonical:
                    canonical[s] = len(canonical) + 1
                    citations.append(given[s - 1])
                    source_numbers.append(s)
                tag = answer_marker(canonical[s])
                if tag not in parts:
                    parts.append(tag)
            else:
                invalid.append(f"S{s}")
        return "".join(parts)

    def _replace_garbage(m: re.Match[str]) -> str:
        invalid.append(m.group(0))
        return ""

    # Every invalid marker of the whole answer is reported; then the text keeps only the claims whose
    # markers point somewhere, numbered in their order of appearance.  Garbage first: it never
    # overlaps a valid S-marker, and doing it before renumbering keeps the canonical "[1]" we emit
    # from being mistaken for a bare-number garbage marker.
    _MARKER_RE.sub(_replace_marker, _GARBAGE_RE.sub(_replace_garbage, raw))
    reported = list(invalid)
    canonical.clear()
    citations.clear()
    source_numbers.clear()
    text = _GARBAGE_RE.sub(_replace_garbage, drop_unsupported_claims(raw, len(given)))
    text = _tidy(_MARKER_RE.sub(_replace_marker, text))
    invalid[:] = reported
    return ValidatedAnswer(
        text=text,
        raw_text=raw,
        citations=citations,
        source_numbers=source_numbers,
        invalid_markers=invalid,
        is_refusal=is_refusal_text(raw),
    )


def _points_somewhere(marker: re.Match[str], sources: int) -> bool:
    body = marker.group("body")
    return body is not None and any(1 <= n <= sources for n in _marker_numbers(body))


def drop_unsupported_claims(answer: str, sources: int) -> str:
    """``answer`` without the claims whose markers all point nowhere, markers included.

    A claim is the text from the previous marker group (or the sentence's start) up to its own group
    (markers side by side, or after the full stop, cite together): ``奖励100万元[S1]，另有五百万元
    奖励[S7]。`` keeps ``奖励100万元[S1]。``; a sentence left with nothing but punctuation goes whole.
    Removing only the marker would leave the claim standing without a source."""
    out: list[str] = []
    for sentence in _SENTENCE_RE.finditer(answer):
        s = sentence.group(0)
        if not s:
            continue
        groups: list[list[int]] = []  # [start, end, any valid]
        for m in _ANY_MARKER_RE.finditer(s):
            valid = int(_points_somewhere(m, sources))
            if groups and not s[groups[-1][1]:m.start()].strip():
                groups[-1][1], groups[-1][2] = m.end(), groups[-1][2] | valid
            else:
                groups.append([m.start(), m.end(), valid])
        if all(g[2] for g in groups):
            out.append(s)
            continue
        kept, last = [], 0
        for _, end, valid in groups:
            if valid:
                kept.append(s[last:end])
            last = end
        tail = s[last:]
        if any(ch.isalnum() for ch in "".join(kept)) or any(ch.isalnum() for ch in tail):
            out.append("".join(kept) + tail)
    return "".join(out)


_DUP_ADJ_RE = re.compile(r"(\[\d+\])(?:\s*\1)+")
_SPACE_BEFORE_PUNCT_RE = re.compile(r"[ \t]+(?=[。，、；：！？,.;:!?）)\]]|$)", re.MULTILINE)
_MULTI_SPACE_RE = re.compile(r"[ \t]{2,}")


def _tidy(text: str) -> str:
    """Collapse what marker removal leaves behind: ``[1][1]``, ``文本 。``, double spaces."""
    text = _DUP_ADJ_RE.sub(r"\1", text)
    text = _SPACE_BEFORE_PUNCT_RE.sub("", text)
    text = _MULTI_SPACE_RE.sub(" ", text)
    return text.strip()
