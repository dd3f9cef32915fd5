"""The records that flow from ingest to retrieval, answers and UI.

Everything downstream cites a :class:`Clause`; its ``item`` label is what a user sees in a citation,
so it is computed once here and never re-derived elsewhere.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, Literal, get_args

from pydantic import BaseModel, Field

ClauseKind = Literal["docinfo", "notice", "preamble", "section", "item", "signoff", "attachment"]
# The text around the measures (a notice, a preamble, a sign-off, a section's introduction): it shares
# words with many questions but answers few, so a measure is preferred to it.
FRAME_KINDS: frozenset[str] = frozenset({"notice", "preamble", "signoff", "section"})

KIND_LABELS: dict[str, str] = {
    "docinfo": "文件信息",
    "notice": "通知",
    "preamble": "前言",
    "signoff": "落款",
    "attachment": "附件",
}


# Where a metadata field came from, in the words an admin reads (DocMeta.sources values → labels).
SOURCE_LABELS: dict[str, str] = {"text": "正文", "catalog": "目录", "file name": "文件名", "history": "题注（通过/公布记录）",
                                  "decree": "公布令", "admin": "管理员修改"}
FIELD_LABELS: dict[str, str] = {"title": "标题", "short_name": "简称", "issuers": "发文机关", "doc_number": "文号",
                                "date": "日期", "effective_date": "施行", "validity": "有效期", "region": "地区",
                                "level": "层级", "aliases": "别名", "valid_until": "有效期至", "repealed_on": "废止日期",
                                "references": "引用", "status": "效力状态", "status_date": "状态日期",
                                "status_note": "状态说明", "stated_status": "发布页标注"}

# A document's 效力状态 on a given day (ingest/status.py computes it; the admin may set it), in legal databases' words.
DocState = Literal["尚未施行", "现行有效", "已失效", "已废止", "已被替代"]
DOC_STATES: tuple[DocState, ...] = get_args(DocState)

# How one document names another (ingest/links.py reads them; the service resolves them against the collection).
Relation = Literal["依据", "根据", "贯彻落实", "替代", "废止"]


class DocReference(BaseModel):
    """Another document this one names by title and/or 文号, with the relation its sentence states."""

    relation: Relation
    title: str = ""
    doc_number: str = ""


class DocMeta(BaseModel):
    """What we know about one policy document, from the catalog or extracted from its text."""

    doc_id: str
    title: str
    short_name: str = ""
    aliases: list[str] = Field(default_factory=list)
    issuers: list[str] = Field(default_factory=list)
    doc_number: str = ""  # 文号
    date: str = ""  # ISO date of issue
    effective_date: str = ""  # 施行日期
    validity: str = ""  # 有效期, as stated ("5年")
    valid_until: str = ""  # ISO last day in force when the text states it ("有效期至2025年12月31日")
    repealed_on: str = ""  # ISO 废止日期 of a scraped metadata box
    references: list[DocReference] = Field(default_factory=list)  # documents this one names (ingest/links.py)
    status: str = ""  # 效力状态 (DOC_STATES) set by the catalog, the admin or a scraped label; empty = computed
    status_date: str = ""  # ISO date the set status took effect
    status_note: str = ""  # why (the admin's words)
    stated_status: str = ""  # the label a scraped metadata box gives, verbatim (有效性状态 | 阶段性文件 |)
    region: str = ""
    level: str = ""  # 国家/省/市/区
    source_file: str = ""
    content_hash: str = ""
    sources: dict[str, str] = Field(default_factory=dict)  # field → where it came from: text, catalog, file name

    def provenance(self) -> str:
        """"标题:正文 文号:目录 …": where each known field came from, so an admin can trust or fix it in catalog.toml."""
        return " ".join(f"{FIELD_LABELS.get(k, k)}:{SOURCE_LABELS.get(v, v)}" for k, v in self.sources.items())

    @property
    def display_name(self) -> str:
        return self.short_name or self.title

    @property
    def version_note(self) -> str:
        """What tells this document apart from another of the same name: its id, date and 文号."""
        bits = [b for b in (self.date, self.doc_number if self.doc_number not in ("", "暂无", "无") else "") if b]
        return f"ID {self.doc_id}" + (f"，{'，'.join(bits)}" if bits else "")

    def citation_header(self) -> str:
        """《标题》（地区，年份） — the document part of a human-readable citation."""
        bits = [b for b in (self.region, self.date[:4]) if b]
        return f"《{self.title}》" + (f"（{'，'.join(bits)}）" if bits else "")


class Clause(BaseModel):
    """One numbered item (or labelled non-numbered block) of a document."""

    clause_id: str
    doc_id: str
    doc_title: str
    item: str  # canonical label: 二（三）6, （二十四）, 八、, 第十二条, 文件信息 …
    kind: ClauseKind
    heading_path: list[str] = Field(default_factory=list)
    text: str  # original script, cleaned
    search_text: str  # NFKC + simplified, for BM25/embedding
    departments: list[str] = Field(default_factory=list)
    numbers: list[int] = Field(default_factory=list)  # numeric path, e.g. [2, 3, 6] for 二（三）6
    ladder: list[str] = Field(default_factory=list)  # numbering style per level, e.g. ["cn", "paren_cn", "arabic"]
    part: int = 1
    parts: int = 1
    order: int = 0  # position in document
    doc: DocMeta

    def citation(self) -> str:
        """Human form: 《标题》（天津市，2022）二、（三）第6项."""
        label = self.item if self.kind != "item" else human_item_label(self)
        return f"{self.doc.citation_header()}{label}"

    def to_record(self) -> dict:
        """Flat JSON-able form (CLI ``clauses --json``)."""
        d = self.model_dump(exclude={"doc"})
        d.update(
            doc_short_name=self.doc.short_name,
            issuers=self.doc.issuers,
            doc_number=self.doc.doc_number,
            date=self.doc.date,
            region=self.doc.region,
            level=self.doc.level,
        )
        return d

    def to_chroma_metadata(self, version: str) -> dict[str, str | int | float | bool]:
        """Chroma metadata must be scalar; lists and the doc record travel as JSON strings."""
        return {
            "clause_id": self.clause_id,
            "doc_id": self.doc_id,
            "doc_version": version,
            "item": self.item,
            "kind": self.kind,
            "region": self.doc.region,
            "level": self.doc.level,
            "order": self.order,
            "part": self.part,
            "departments": "|".join(self.departments),
            "payload": self.model_dump_json(),
        }

    @classmethod
    def from_chroma_metadata(cls, meta: Mapping[str, Any]) -> Clause:
        return cls.model_validate_json(str(meta["payload"]))


def distinct_names(metas: Iterable[DocMeta]) -> dict[str, str]:
    """Doc id → the name lists show: :attr:`DocMeta.display_name`, and where two documents share it (a
    same-name upload kept apart as ``…-2``), each followed by its :attr:`DocMeta.version_note`."""
    metas = list(metas)
    counts = Counter(m.display_name for m in metas)
    return {m.doc_id: m.display_name if counts[m.display_name] < 2 else f"{m.display_name}（{m.version_note}）"
            for m in metas}


def human_item_label(clause: Clause) -> str:
    """Turn ``二（三）6`` into ``二、（三）第6项``: the form staff read out on the phone."""
    if not clause.ladder:
        return clause.item
    from ingest.text.ladder import format_number

    pairs = list(zip(clause.ladder, clause.numbers, strict=True))
    if "article" in clause.ladder:  # the canonical label starts at the article, so does this
        pairs = pairs[clause.ladder.index("article"):]
    return "".join(format_number(style, n, spoken=True) for style, n in pairs)
