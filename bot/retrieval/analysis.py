"""Understanding a question before searching: which document(s), which item number, which phrase.

Hotline staff say ``天津实施意见第15条``, ``广东那份文件第八条``, ``纲要（二十四）``,
``国家意见二（六）``; enterprises say ``天津有没有…``.  Resolving the document and the number here
lets retrieval put the exact clause first instead of hoping similarity finds it.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.retrieval.catalog import (
    DocumentCatalog,
    count_mentions,
    document_nouns,
    find_documents,
    strip_document_names,
)
from bot.retrieval.intent import QuestionIntent, classify, cue_sections
from ingest.models import DocMeta
from ingest.text.ladder import CN_NUMERAL_CHARS, UNIT_STYLES, parse_chinese_numeral
from ingest.text.script import quote_pattern, search_form
from ingest.text.segment import query_grams
from ingest.text.synonyms import content_words
from ingest.text.synonyms import expand as general_synonyms
from ingest.text.synonyms import synonyms as synonyms_of
from ingest.text.thesaurus import expand, expand_word
from ingest.text.word_vectors import neighbours
from ingest.text.wordlists import load

_CN = f"[{CN_NUMERAL_CHARS}]+"
_NUM = rf"(?:\d{{1,3}}|{_CN})"

_QUOTED = quote_pattern(2, 40)
_NOT_ASKED = re.compile(rf"[\W_]+|{document_nouns()}")  # punctuation, spaces and the words for "a document"


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
    content: str = ""  # search form without the names of the documents it names: what is asked about
    intent: QuestionIntent | None = None  # answer type (bot.retrieval.intent)
    expansions: list[str] = field(default_factory=list)  # policy words for its everyday words (thesaurus)
    _synonyms: list[str] | None = field(default=None, repr=False, compare=False)
    _basis: tuple[str, tuple[DocMeta, ...]] | None = field(default=None, repr=False, compare=False)  # question, documents
    _alternatives: list[tuple[str, tuple[str, ...]]] | None = field(default=None, repr=False, compare=False)
    _neighbours: list[str] | None = field(default=None, repr=False, compare=False)

    def made_for(self, question: str, catalog: DocumentCatalog) -> bool:
        """Is this the analysis of ``question`` against this catalog's documents (the same view)?"""
        return self._basis is not None and self._basis[0] == question and self._basis[1] is catalog.metas

    @property
    def synonyms(self) -> list[str]:
        """General synonyms of its words (同义词词林), computed on first use: they cost the segmenter's
        dictionary and the 词林 table (about a second in a fresh process), which a number lookup never needs."""
        if self._synonyms is None:
            self._synonyms = general_synonyms(self.content)
        return self._synonyms

    def names_only_a_clause(self) -> bool:
        """The question is a clause reference and nothing more ("天津实施意见第15条", "广东 八",
        "纲要（二十四）"): without the reference, the documents' names and nouns, and punctuation, nothing is
        left of what it asks about — so the clause itself is the whole result (no lexical or dense search)."""
        if self.item is None:
            return False
        if not _NOT_ASKED.sub("", self.content.replace(self.item.raw, " ", 1)):
            return True
        # a name the document-name stripping keeps part of ("某市第3批2号文件 第6条"): its names, whole
        rest = self.text.replace(self.item.raw, " ", 1)
        named = [m for m in (self._basis[1] if self._basis else ()) if m.doc_id in self.doc_ids]
        names = {search_form(n) for m in named for n in (m.short_name, m.title, m.display_name, m.doc_number, *m.aliases) if n}
        for name in sorted(names, key=len, reverse=True):
            rest = rest.replace(name, " ")
        return not _NOT_ASKED.sub("", rest)

    def content_grams(self) -> set[str]:
        """What the question asks about, as bigrams: its content words and the policy words they stand
        for.  The reranker and the answer composer compare clauses with the same set."""
        return query_grams(" ".join([self.content, *self.expansions]))

    def word_alternatives(self) -> list[tuple[str, tuple[str, ...]]]:
        """Each content word of the question with the words that mean it (policy thesaurus, 词林):
        how the reranker and the refusal rule tell "the clause says it in other words" from "the
        clause does not say it"."""
        if self._alternatives is None:
            self._alternatives = [(w, (*expand_word(w, self.content), *synonyms_of(w))) for w in content_words(self.content)]
        return self._alternatives

    def expansion_words(self) -> list[str]:
        """Words the question does not use but means: the policy thesaurus's, then 词林's."""
        return [*self.expansions, *(w for w in self.synonyms if w not in self.expansions)]

    def neighbour_words(self) -> list[str]:
        """Words near the question's own in a general word-vector space (素养 → 素质, 裁决 → 仲裁) that
        neither it nor its thesaurus expansions use: the weakest expansion."""
        if self._neighbours is None:
            seen = set(self.expansion_words())
            found: dict[str, None] = {}
            for w, _ in self.word_alternatives():  # the question's content words, segmented once
                found.update((n, None) for n in neighbours(w) if n not in self.content and n not in seen)
            self._neighbours = list(found)
        return self._neighbours


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
    # 第三部分第一项: the first item under part three, written without brackets (最后一部分 is the last part, not 一)
    m = re.search(rf"(?<![后尾末])第?\s*({_CN})\s*部分\s*(?:的|中的|里的)?\s*第\s*({_NUM})\s*(?:项|条|点)", q)
    if m:
        part, item = parse_chinese_numeral(m.group(1)), parse_chinese_numeral(m.group(2))
        if part and item:
            return ItemRef([("cn", part), ("paren_cn", item)], m.group(0))
    m = re.search(rf"第\s*({_NUM})\s*(条|项|点|款|部分|章|节)", q)
    if m:
        n = parse_chinese_numeral(m.group(1))
        if n:
            style = UNIT_STYLES.get(m.group(2))
            return ItemRef([(style, n)], m.group(0))
    # A bare trailing number after a document name: “天津实施意见 15”, “广东 八”
    m = re.search(rf"[\u4e00-\u9fff\s]\s*({_NUM})\s*[、.]?\s*$", q)
    if m and len(q) <= 30 and q[m.start(1) - 1] not in "对比之":  # 一对一, 一比一: no number
        n = parse_chinese_numeral(m.group(1))
        if n and not re.search(r"[几多少]", q):
            return ItemRef([(None, n)], m.group(1))
    return None


# "那份实施意见", "那个民营企业质量基础设施的意见", "那个 方案" (a gap where the document's name was removed) — but
# past a removed name's gap at most two characters and no 的: "那份 的保障措施", "那份 最后的保障措施" ask about the
# part, 措施 is no document word there
_DOC_REFERENCE = re.compile(rf"(?:那|这|该|此)(?:份|个|部)(?:[^\s,，?？。!！;；]{{0,16}}?"
                            rf"|[^,，?？。!！;；]{{0,14}}?\s[^\s,，?？。!！;；的]{{0,2}}?)(?:{document_nouns()})")


# "统计局的同事问：", "我们区办公室要写汇报：": who passes the question on, or what it is for, before a colon
_ATTRIBUTION = re.compile(r"^[^,，。?？!！;；:：]{0,20}?(?:问|说|反映|咨询|了解|请教|汇报|材料|报告|文章|稿子|要用)\s*[:：]")


def without_attribution(text: str) -> str:
    """The question without who passes it on or what it is for (热线来电问：, 统计局的同事问：)."""
    return _ATTRIBUTION.sub(" ", text.lstrip())


def strip_frames(text: str) -> str:
    """The question (search form) without its interrogative frame (有什么要求, 是怎么说的 …), without
    references to a document (那份实施意见, 这个文件) and without an attribution before a colon (科技局同事问：):
    what is left is what it asks about."""
    text = _DOC_REFERENCE.sub(" ", without_attribution(text))
    for frame in sorted(load("question_frames"), key=len, reverse=True):
        text = text.replace(frame, " ")
    return text


def analyze(question: str, metas: Iterable[DocMeta], departments: list[str] | None = None) -> QueryAnalysis:
    metas = metas.metas if isinstance(metas, DocumentCatalog) else tuple(metas)  # the catalog's own tuple: cached per snapshot
    q = search_form(question)
    docs = find_documents(q, metas)
    ordered = sorted(docs, key=lambda d: -docs[d])
    stripped = question.strip()
    phrases = [search_form(p) for p in _QUOTED.findall(question)]
    phrase_only = bool(phrases) and len(search_form(re.sub(_QUOTED, "", stripped))) <= 2
    content = strip_frames(strip_document_names(question, metas))
    if not phrase_only:  # a quoted word of a reference to the document ("那份支持企业“走出去”的措施") is not what is asked
        references = " ".join(m.group() for m in _DOC_REFERENCE.finditer(q))
        phrases = [p for p in phrases if p not in references]
    intent = classify(question, named_documents=count_mentions(q, metas) if len(ordered) >= 2 else len(ordered))
    analysis = QueryAnalysis(
        text=q,
        doc_ids=ordered,
        doc_scores=docs,
        item=None if "locate" in intent.asks else parse_item_ref(q),
        phrases=phrases,
        phrase_only=phrase_only,
        compare="compare" in intent.asks,  # asked first or after another question ("是一回事吗？两边各怎么说的？")
        content=content,
        intent=intent,
        expansions=expand(content),
        _basis=(question, metas),
    )
    if departments and any(w in q for w in cue_sections()["department_duty"]):
        found = [d for d in sorted(departments, key=len, reverse=True) if search_form(d) in q]
        analysis.departments = found[:1]
    return analysis
