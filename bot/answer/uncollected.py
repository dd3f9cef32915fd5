"""Documents a question asks about that the collection does not hold.

A caller names a law (《计量法》, 产品质量法第四十九条), another place's plan (上海的质量强市纲要) or an earlier
version (2022年的方案) and asks what it says.  The nearest collected clause — the one that cites the law for 普法, the
Tianjin outline beside the Shanghai one — is then what the documents say nearest to the question, not its answer:
the answer is partial and names the document as not collected.  Whether a document is collected is read off the
catalog's names, whatever the size of the collection.
"""
from __future__ import annotations

import re

from bot.retrieval import SearchResult
from bot.retrieval.analysis import strip_frames
from bot.retrieval.catalog import DocumentCatalog, find_documents
from ingest.text.script import search_form
from ingest.text.segment import overlap, query_grams
from ingest.text.wordlists import load

_ARTICLE = r"第[一二三四五六七八九十百零\d]+条"
# A document named by its title (《计量法》) or a law by its article (产品质量法第四十九条) …
_TITLE = re.compile(rf"《([^》]{{2,40}})》|([\u4e00-\u9fff]{{2,12}}(?:法|条例))(?={_ARTICLE})")
# … and asked for what it says itself: its article, its provisions, what "that 纲要" sets
_ASKS_ITS_TEXT = re.compile(rf"{_ARTICLE}|(怎么|如何)规定|规定了?(什么|哪些|啥)|具体规定|条文|原文"
                            r"|(那|这)(个|部|份)[^，,。？?]{0,6}(定|提|规定)的")
NAMED_BY_NAME = 4.0  # catalog.mention_keys' strength of a title, short name, alias or 文号
ITS_TEXT_SAID = 0.5  # the share of what is asked of it that the best clause must say to answer it


def uncollected_document(result: SearchResult, question: str, catalog: DocumentCatalog) -> str:
    """A document the question asks about by its title that the collection does not hold ("" when none):
    "天津实施意见里提到的《计量法》，对计量器具强制检定是怎么规定的" asks what 《计量法》 says, and the clause that
    cites it for 普法 does not say it.  The title must be no collected document's (title, short name or alias),
    what follows it must ask for its text (an article, 怎么规定, "那个纲要定的…"), and the best clause must say
    less than :data:`ITS_TEXT_SAID` of what is asked of it — or the question asks for an article of it, which no
    collected clause is (产品质量法第四十九条, however near a collected regulation's article comes)."""
    q = search_form(question)
    for m in _TITLE.finditer(q):
        title = m.group(1) or m.group(2)
        after = q[m.end():]
        if _collected(title, catalog) or not _ASKS_ITS_TEXT.search(after):
            continue
        # its article, which no collected clause is; else what is asked of it, which the best clause must say
        if re.match(_ARTICLE, after) or not _said(query_grams(strip_frames(after)), result):
            return f"《{title}》的条文（该文件未收录）"
    return ""


def _said(grams: set[str], result: SearchResult) -> bool:
    """Does the best clause say :data:`ITS_TEXT_SAID` or more of ``grams`` (nothing asked: no)?"""
    return bool(grams) and overlap(grams, " ".join(h.clause.text for h in result.hits[:1])) >= ITS_TEXT_SAID


_ASKING = re.compile(r"怎么|怎样|如何|什么|有没有|有无|是否|哪些|相关|关于|咋|啥|哪")
_PLACE_KIND_GAP = 10  # characters between a place and the kind of document said of it ("北京市出的同类实施意见")


def uncollected_place_document(question: str, catalog: DocumentCatalog) -> str:
    """A document named by its place and kind that the collection does not hold ("" when none): "天津纲要跟上海的质量
    强市纲要比" when no Shanghai document is a 纲要 — the comparison cannot be made from the collection, although
    Shanghai is covered by other documents; so is one of a place no document covers ("江苏的实施方案": the region rule
    refuses only when every place named is uncovered, not when a covered one is named beside it).  The kind
    (doc_types: 纲要, 方案, 实施意见 …) must follow the place within :data:`_PLACE_KIND_GAP` characters, with no
    punctuation, conjunction (和, 与, 、: another document's name may follow) or other place between, and no
    question word (天津2024怎么规定, 天津咋规定, 有没有相关措施: 规定 and 措施 are then the question's words).  So is a document
    named by a year and a kind that no collected document of that kind is dated ("和2022年的方案比").  A kind that
    is also an everyday noun (doc_types_common: 规定, 措施 …) names no document of a place the collection covers."""
    q = search_form(question)
    kinds = "|".join(load("doc_types"))
    for place in (p for p in load("places") if p in q):
        for m in re.finditer(rf"{re.escape(place)}([^，,。；;？?！!、和与跟及]{{0,{_PLACE_KIND_GAP}}}?)({kinds})", q):
            if any(p in m.group(1) for p in load("places")) or _ASKING.search(m.group(1)):
                continue  # another place's document, or the question's frame (天津2024怎么规定, 有没有相关措施)
            kind = m.group(2)
            own = [names for where, names, _ in catalog.name_forms if place in where]
            if own and kind in load("doc_types_common"):
                continue  # "这是天津的规定吗": a rule of a covered place, not a document titled 规定
            if not any(kind in names for names in own):
                return f"{m.group(0)}（该文件未收录）"
    # "和2022年的方案比" where no 方案 is of 2022 (an undated document may be)
    for m in re.finditer(rf"((?:19|20)\d{{2}})年?(?:的|那个|那份|版)?([^，,。；;？?！!、和与跟及]{{0,6}}?)({kinds})", q):
        year, kind = m.group(1), m.group(3)
        if _ASKING.search(m.group(2)):
            continue
        if not any(kind in names and when in ("", year) for _, names, when in catalog.name_forms):
            return f"{m.group(0)}（该文件未收录）"
    return ""


def _collected(title: str, catalog: DocumentCatalog) -> bool:
    """Is ``title`` one of the collection's documents — does it hold a collected document's title, short name,
    alias or 文号 (a name of strength 4; a place or a kind alone is not one)?"""
    return any(score >= NAMED_BY_NAME for score in find_documents(search_form(title), catalog.metas).values())
