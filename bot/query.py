"""Understanding a question before searching: which document(s), which item number, which phrase.

Hotline staff say ``天津实施意见第15条``, ``广东那份文件第八条``, ``纲要（二十四）``,
``国家意见二（六）``; enterprises say ``天津有没有…``.  Resolving the document and the number here
lets retrieval put the exact clause first instead of hoping similarity finds it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field

from ingest.clean import search_form
from ingest.models import DocMeta
from ingest.numbering import CN_NUMERAL_CHARS, parse_chinese_numeral

_CN = f"[{CN_NUMERAL_CHARS}]+"
_NUM = rf"(?:\d{{1,3}}|{_CN})"

_COMPARE = re.compile(r"(分别|对比|比较|区别|异同|不同|相比|各自|都)")
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,40})[”\"」』]")
_DEPT_ASK = re.compile(r"(负责|牵头|承担|职责|分工)")

_REGION_KEYS = {"全国": ["国家", "全国", "中央", "国务院"]}
_TYPE_WORDS = ["实施意见", "纲要", "意见", "方案", "措施", "办法", "通知", "条例", "规定"]


@dataclass
class ItemRef:
    """A clause number the user named: an explicit path or a single number at some level."""

    path: list[tuple[str | None, int]] = field(default_factory=list)  # (style or None if unknown, n)
    raw: str = ""


@dataclass
class QueryAnalysis:
    text: str  # search form
    doc_ids: list[str] = field(default_factory=list)  # documents named, best first
    doc_scores: dict[str, float] = field(default_factory=dict)
    item: ItemRef | None = None
    phrases: list[str] = field(default_factory=list)
    phrase_only: bool = False
    compare: bool = False
    departments: list[str] = field(default_factory=list)


def doc_mention_keys(meta: DocMeta) -> dict[str, float]:
    """Strings that, found in a question, point at this document, with their strength (cached:
    computed once per document version, not per query)."""
    return dict(_mention_keys(meta.model_dump_json()))


@lru_cache(maxsize=4096)
def _mention_keys(meta_json: str) -> tuple[tuple[str, float], ...]:
    meta = DocMeta.model_validate_json(meta_json)
    keys: dict[str, float] = {}
    for name in [meta.title, meta.short_name, *meta.aliases, meta.doc_number]:
        if name:
            keys[search_form(name)] = 4.0
    region = search_form(meta.region)
    for short in _REGION_KEYS.get(region, []):
        keys.setdefault(short, 2.0)
    if region and region != "全国":
        # 浙江省温州市瓯海区 → 浙江, 温州, 瓯海 ; 天津市 → 天津
        for piece in re.findall(r"[\u4e00-\u9fff]+?(?:省|市|区|县|自治区)", region):
            core = re.sub(r"(省|市|区|县|自治区)$", "", piece)
            if len(core) >= 2:
                keys.setdefault(core, 2.0)
                keys.setdefault(piece, 2.0)
    if meta.level:
        keys.setdefault(search_form(meta.level) + "级", 1.0)
    return tuple(sorted(keys.items(), key=lambda kv: -len(kv[0])))


def find_documents(q: str, metas: list[DocMeta]) -> dict[str, float]:
    """Score each document by how clearly the question names it (0 = not named)."""
    scores: dict[str, float] = {}
    for meta in metas:
        score = 0.0
        matched_text = q
        for key, weight in sorted(doc_mention_keys(meta).items(), key=lambda kv: -len(kv[0])):
            if key and key in matched_text:
                score = max(score, weight) + (0.5 if score else 0.0)
                matched_text = matched_text.replace(key, " ")
        if score:
            title = _title_form(meta.title + meta.short_name)
            for w in _TYPE_WORDS:
                if w in q and w in title:
                    score += 1.0
                    break
            if meta.date and meta.date[:4] in q:
                score += 1.0
        scores[meta.doc_id] = score
    if not any(scores.values()):
        # “纲要（二十四）”: a document type that only one document has names that document.
        for w in _TYPE_WORDS:
            if w in q:
                owners = [m.doc_id for m in metas if w in _title_form(m.title + m.short_name)]
                if len(owners) == 1:
                    scores[owners[0]] = 1.5
                    break
    return {k: v for k, v in scores.items() if v > 0}


@lru_cache(maxsize=4096)
def _title_form(text: str) -> str:
    return search_form(text)


def parse_item_ref(q: str) -> ItemRef | None:
    """Clause numbers in a question; '第几条' (asking for a number) is not a reference."""
    q = q.replace("（", "(").replace("）", ")")
    # 二(三)6 / 二(六) / 第二部分第(三)项
    m = re.search(rf"(?:第?({_CN})(?:部分|、|\s)?\s*)?(?:第)?\(({_CN})\)(?:项|条|点)?\s*(?:第?(\d{{1,3}})(?:项|条|点)?)?", q)
    if m and (m.group(1) or m.group(2)):
        path: list[tuple[str | None, int]] = []
        if m.group(1) and parse_chinese_numeral(m.group(1)):
            path.append(("cn", parse_chinese_numeral(m.group(1)) or 0))
        path.append(("paren_cn", parse_chinese_numeral(m.group(2)) or 0))
        if m.group(3):
            path.append(("arabic", int(m.group(3))))
        if all(n for _, n in path):
            return ItemRef(path, m.group(0))
    m = re.search(rf"第\s*({_NUM})\s*(条|项|点|款|部分|章|节)", q)
    if m:
        n = parse_chinese_numeral(m.group(1))
        if n:
            style = {"部分": "cn", "章": "chapter", "节": "section"}.get(m.group(2))
            return ItemRef([(style, n)], m.group(0))
    # A bare trailing number after a document name: “天津实施意见 15”, “广东 八”
    m = re.search(rf"[\u4e00-\u9fff\s]\s*({_NUM})\s*[、.]?\s*$", q)
    if m and len(q) <= 30:
        n = parse_chinese_numeral(m.group(1))
        if n and not re.search(r"[几多少]", q):
            return ItemRef([(None, n)], m.group(1))
    return None


def analyze(question: str, metas: list[DocMeta], departments: list[str] | None = None) -> QueryAnalysis:
    q = search_form(question)
    docs = find_documents(q, metas)
    ordered = sorted(docs, key=lambda d: -docs[d])
    stripped = question.strip()
    phrases = [search_form(p) for p in _QUOTED.findall(question)]
    phrase_only = bool(phrases) and len(search_form(re.sub(_QUOTED, "", stripped))) <= 2
    analysis = QueryAnalysis(
        text=q,
        doc_ids=ordered,
        doc_scores=docs,
        item=parse_item_ref(q) if not re.search(r"第几|哪一?(条|项|部分)", q) else None,
        phrases=phrases,
        phrase_only=phrase_only,
        compare=len(ordered) >= 2 and bool(_COMPARE.search(q)),
    )
    if departments and _DEPT_ASK.search(q):
        found = [d for d in sorted(departments, key=len, reverse=True) if search_form(d) in q]
        analysis.departments = found[:1]
    return analysis
