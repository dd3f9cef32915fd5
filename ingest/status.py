"""A document's 效力状态 on a given day, with where it came from.

A hotline answer built on an expired measure is a wrong answer, however well cited; so every document
gets a state for "today" (configurable, ``POLICYBOT_TODAY``): 尚未施行 before its 施行日期, 现行有效,
已失效 after the last day of its 有效期 (stated as a date, or as years from the 施行日期), 已废止 /
已被替代 when a document in the collection says it repeals or replaces it (from the day that one
takes effect), a scraped 废止日期, or whatever the catalog or the admin set (which always wins).
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from pydantic import BaseModel

from ingest.links import LinkGraph
from ingest.models import DOC_STATES, SOURCE_LABELS, DocMeta, DocState
from ingest.text.ladder import parse_chinese_numeral

State = DocState
STATES = DOC_STATES


class DocStatus(BaseModel):
    """The state on ``on``; ``since``/``until`` ISO dates where known; ``source`` says why."""

    state: State
    on: str  # the day it was computed for
    since: str = ""  # first day of this state (施行日期 for 现行有效/尚未施行, the ending day otherwise)
    until: str = ""  # last day in force, when known
    source: str = ""  # "施行日期 2023-09-08（正文）；有效期 3年（正文）"
    by: str = ""  # doc id of the document that replaced / repealed it
    by_title: str = ""

    @property
    def in_force(self) -> bool:
        return self.state == "现行有效"

    def label(self) -> str:
        """"现行有效" / "已失效（2026年9月7日）": the badge text."""
        day = self.until if self.state == "已失效" else self.since if self.state != "现行有效" else ""
        return self.state + (f"（{cn_date(day)}）" if day else "")

    def notice(self, title: str) -> str:
        """The first line of an answer resting on this document when it is not in force ('' when it is)."""
        if self.state == "已失效":
            when = f"已于{cn_date(self.until)}失效" if self.until else "已失效"
        elif self.state == "尚未施行":
            when = f"自{cn_date(self.since)}起施行，目前尚未施行" if self.since else "尚未施行"
        elif self.state in ("已废止", "已被替代"):
            verb = "废止" if self.state == "已废止" else "被替代"
            when = (f"已于{cn_date(self.since)}" if self.since else "已") + verb
            if self.by_title:
                when += f"（见《{self.by_title}》）"
        else:
            return ""
        return f"注意：所引《{title}》{when}"


def cn_date(iso: str) -> str:
    """2026-09-07 → 2026年9月7日."""
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{d.year}年{d.month}月{d.day}日"


def _day(iso: str) -> date | None:
    try:
        return date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def validity_years(validity: str) -> int | None:
    """"3年" / "三年" / "两年" → 3 / 3 / 2."""
    text = validity.removesuffix("年").replace("两", "二").strip()
    if text.isdigit():
        return int(text)
    return parse_chinese_numeral(text) if text else None


def last_day(start: date, years: int) -> date:
    """The last day of a term of ``years`` starting on ``start`` (2023-09-08 + 3年 → 2026-09-07)."""
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + years, day=28) + timedelta(days=1)
    return end - timedelta(days=1)


def _src(meta: DocMeta, field: str) -> str:
    where = meta.sources.get(field, "")
    return f"（{SOURCE_LABELS.get(where, where)}）" if where else ""


def document_status(meta: DocMeta, on: date, enders: Mapping[str, tuple[str, DocMeta]] | None = None,
                    set_by: str = "目录") -> DocStatus:
    """The state of ``meta`` on ``on``.

    ``enders`` maps the ids of documents in the collection that replace or repeal this one to (relation,
    their meta); ``set_by`` names who set ``meta.status`` when it is set (管理员 / 目录)."""
    today = on.isoformat()
    labelled = meta.status in STATES and meta.sources.get("status") == "text" and set_by == "目录"
    if labelled:  # a scraped 时效性 label: the dates say when, when they say it too
        computed = document_status(meta.model_copy(update={"status": ""}), on, enders)
        if not computed.in_force:
            return computed
        state: State = meta.status  # type: ignore[assignment]
        return DocStatus(state=state, on=today, source=f"正文标注：{meta.status}")
    if meta.status in STATES:  # the admin's (or the catalog's) decision wins
        note = f"：{meta.status_note}" if meta.status_note else ""
        state = meta.status  # type: ignore[assignment]
        return DocStatus(state=state, on=today, since=meta.status_date,
                         until=meta.status_date if state == "已失效" else "", source=f"{set_by}设置{note}")
    start = _day(meta.effective_date) or _day(meta.date)
    start_src = (f"施行日期 {meta.effective_date}{_src(meta, 'effective_date')}" if meta.effective_date
                 else f"发布日期 {meta.date}{_src(meta, 'date')}" if meta.date else "")
    for doc_id, (relation, other) in sorted((enders or {}).items()):
        begins = _day(other.effective_date) or _day(other.date)
        if begins is None or begins <= on:
            state = "已废止" if relation == "废止" else "已被替代"
            return DocStatus(state=state, on=today, since=begins.isoformat() if begins else "", by=doc_id,
                             by_title=other.title, source=f"《{other.title}》称{relation}本文件（正文）")
    repealed = _day(meta.repealed_on)
    if repealed and repealed <= on:
        return DocStatus(state="已废止", on=today, since=repealed.isoformat(),
                         source=f"废止日期 {meta.repealed_on}{_src(meta, 'repealed_on')}")
    if start and start > on:
        return DocStatus(state="尚未施行", on=today, since=start.isoformat(), source=start_src)
    end, end_src = _day(meta.valid_until), f"有效期至 {meta.valid_until}{_src(meta, 'valid_until')}"
    years = validity_years(meta.validity) if meta.validity else None
    if end is None and start and years:
        end, end_src = last_day(start, years), f"{start_src}；有效期 {meta.validity}{_src(meta, 'validity')}"
    if end and end < on:
        return DocStatus(state="已失效", on=today, since=(end + timedelta(days=1)).isoformat(),
                         until=end.isoformat(), source=end_src)
    source = end_src if end else start_src or "未注明施行日期和有效期"
    return DocStatus(state="现行有效", on=today, since=start.isoformat() if start else "",
                     until=end.isoformat() if end else "", source=source)


def collection_status(graph: LinkGraph, on: date, set_by: Mapping[str, str] | None = None) -> dict[str, DocStatus]:
    """Every document of ``graph`` on ``on``; ``set_by`` names who set a document's status (default 目录)."""
    out: dict[str, DocStatus] = {}
    for doc_id, meta in graph.metas.items():
        enders = {link.source: (link.relation, graph.metas[link.source]) for link in graph.enders(doc_id)}
        out[doc_id] = document_status(meta, on, enders, (set_by or {}).get(doc_id, "目录"))
    return out
