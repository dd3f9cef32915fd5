"""The one text form of an answer: what the chat shows, what copy puts on the clipboard, what the
export writes and what the review table stores — all built here from the :class:`Answer` record.

Why one place: the chat used to render the answer as Markdown mixed with HTML, the clipboard got that
raw string, the export and the review log rebuilt their own text, and each lost something (a
refusal's "可能相关" list, the 文号 of a source).  Here the record becomes an :class:`AnswerText` —
notice, status, body lines (each with its role: lead, a comparison's document block, text) and the
lists (来源, 另见, 可能相关) taken generically from the record's fields — and every surface renders
that structure: :meth:`AnswerText.plain` for the clipboard, export and review, the UI's HTML from
the same lines and sections.  Nothing of any markup is in the plain form.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.answer.schemas import Answer, Citation

SEE_ALSO_PREFIX = "另见："  # the extractive answer's runner-up line: shown as the 另见 list instead
RELATED = 3  # clauses offered as "possibly related" when an answer is refused (or only partly answered)
REFUSED_STATUS = "未找到直接依据"
SOURCES_TITLE = "来源"
SEE_ALSO_TITLE = "另见"
RELATED_TITLE = "可能相关的条款（仅供参考）"

# Markdown an LLM may write; the text form is plain, so its markers are dropped (the text stays).
_MD_EMPHASIS = re.compile(r"\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_BARE_MARKER = re.compile(r"(?<![）)\]\s])(\s*)\[(\d+)\]")


@dataclass(frozen=True)
class Line:
    """One line of the answer body.  ``kind``: ``lead`` (the first line in the question's terms; when it
    runs on into a quote, ``head`` is the lead and ``rest`` the quote), ``block`` (a comparison's
    【document】 block: ``head`` the document name, ``rest`` what it says) or ``text``."""

    text: str
    kind: str = "text"
    head: str = ""
    rest: str = ""


@dataclass(frozen=True)
class Section:
    """A list under the answer: its title and clauses.  ``numbered``: entries carry the answer's
    markers ``[n]``; otherwise they are numbered 1, 2, 3 in the list's own order."""

    title: str
    entries: list[Citation]
    numbered: bool = True
    follows_body: bool = False  # the body's last line already introduces it ("…供参考：")
    first: int = 1  # the number of the first unnumbered entry (after the answer's own markers)

    def numbers(self) -> list[int]:
        """Each entry's number: its marker, or its place after the answer's markers."""
        return [c.marker if self.numbered and c.marker is not None else self.first + i
                for i, c in enumerate(self.entries)]

    def labels(self) -> list[str]:
        """Each entry as people paste it: number, then 《标题》（文号，发布机关，日期）条款."""
        return [f"[{n}] {c.reference()}" for n, c in zip(self.numbers(), self.entries, strict=True)]


@dataclass(frozen=True)
class AnswerText:
    notice: str = ""
    status: str = ""
    lines: list[Line] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)

    def plain(self) -> str:
        """The plain text: notice, status, the answer, then each list under its title."""
        out = [f"提示：{self.notice}"] if self.notice else []
        if self.status:
            out.append(self.status)
        out += [line.text for line in self.lines]
        for s in self.sections:
            if not s.follows_body:
                out += ["", f"{s.title}："]
            out += s.labels()
        return "\n".join(out).strip()


def _is_partial(answer: Answer) -> bool:
    return bool(getattr(answer, "partial", False))


def shows_related(answer: Answer) -> bool:
    """A refused or partial (finished) answer lists the nearest clauses it found."""
    return answer.done and answer.mode != "input-error" and (answer.refused or _is_partial(answer))


def related(answer: Answer) -> list[Citation]:
    """The "可能相关" clauses: the best retrieved ones that the answer does not already cite."""
    cited = {c.clause_id for c in [*answer.citations, *answer.see_also]}
    return [c for c in answer.retrieved if c.clause_id not in cited][:RELATED] if shows_related(answer) else []


def clean_line(text: str) -> str:
    """A body line without Markdown markers (an LLM's ``**bold**``, ``# heading``)."""
    return _MD_EMPHASIS.sub("", _MD_HEADING.sub("", text))


def write_out_markers(text: str, citations: Sequence[Citation]) -> str:
    """A bare ``[n]`` (an LLM's marker) gets its human citation written out before it:
    ``…奖励[1]`` → ``…奖励（天津实施意见 第15条）[1]``; markers already after a citation stay."""
    by_marker = {c.marker: c for c in citations if c.marker is not None}

    def one(m: re.Match[str]) -> str:
        c = by_marker.get(int(m.group(2)))
        return m.group(0) if c is None else f"（{c.doc_name} {c.item_label or c.item}）[{m.group(2)}]"

    return _BARE_MARKER.sub(one, text)


def _line(raw: str, lead: str) -> Line:
    if lead and raw == lead:
        return Line(raw, "lead", head=raw)
    if lead and raw.startswith(lead):  # a short lead ("有。") runs on into the quote
        return Line(raw, "lead", head=lead, rest=raw[len(lead):])
    if raw.startswith("【") and "】" in raw:
        name, rest = raw[1:].split("】", 1)
        return Line(raw, "block", head=name, rest=rest)
    return Line(raw)


def answer_text(answer: Answer) -> AnswerText:
    """The structure every surface renders (see the module docstring)."""
    notice = "" if answer.mode == "input-error" else (answer.notice or "")
    status = REFUSED_STATUS if answer.refused and answer.done and answer.mode != "input-error" else ""
    raw = answer.answer or ""
    if answer.mode == "llm":
        raw = write_out_markers(raw, answer.citations)
    lines = [_line(clean_line(r), answer.lead) for r in raw.split("\n")
             if r.strip() and not (answer.see_also and r.startswith(SEE_ALSO_PREFIX))]
    sections: list[Section] = []
    if answer.done and answer.citations:
        sections.append(Section(SOURCES_TITLE, list(answer.citations)))
    if answer.done and answer.see_also:
        sections.append(Section(SEE_ALSO_TITLE, list(answer.see_also)))
    near = related(answer)
    if near:
        intro = bool(lines) and not sections and lines[-1].text.rstrip().endswith(("：", ":"))
        first = 1 + max((c.marker or 0 for c in [*answer.citations, *answer.see_also]), default=0)
        sections.append(Section(RELATED_TITLE, near, numbered=False, follows_body=intro, first=first))
    return AnswerText(notice=notice, status=status, lines=lines, sections=sections)


def plain_text(answer: Answer) -> str:
    """The answer as plain text (clipboard, export, review table)."""
    return answer_text(answer).plain()


def conversation_text(turns: Iterable[tuple[str, Answer | None]]) -> str:
    """A conversation as plain text: each question, then its answer's plain form (copy and export)."""
    out = []
    for question, answer in turns:
        out.append(f"问：{question}")
        if answer is not None:
            out.append(f"答：{plain_text(answer)}")
        out.append("")
    return "\n".join(out).strip() + "\n"
