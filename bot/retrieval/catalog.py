"""The documents in the index and the names people call them by.

A question names a document by its title, short name, alias, 文号, region (天津, 瓯海), level (市级)
or type (纲要); :func:`find_documents` scores how clearly, :func:`strip_document_names` removes
those names before content words are compared, and :class:`DocumentCatalog` answers "which
document is that" for the CLI, the UI and follow-up questions.  Every place that shows a document
uses :meth:`DocumentCatalog.display_name` (short name, else title).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from ingest.models import DocMeta
from ingest.text.script import search_form
from ingest.text.wordlists import load

_NATIONAL = "全国"


def document_nouns() -> str:
    """``意见|纲要|…|文件|政策``: the words a question uses for "a document" (regex alternation)."""
    return "|".join([*load("doc_types"), "文件", "政策"])


def doc_mention_keys(meta: DocMeta) -> dict[str, float]:
    """Strings that, found in a question, point at this document, with their strength (cached:
    computed once per document version, not per query)."""
    return dict(mention_keys(meta))


def mention_keys(meta: DocMeta) -> tuple[tuple[str, float], ...]:
    """:func:`doc_mention_keys` as (key, strength) pairs, longest key first; cached by exactly the fields
    they are made of, so a search over thousands of documents serialises none of them."""
    return _mention_keys(meta.title, meta.short_name, tuple(meta.aliases), meta.doc_number, meta.region, meta.level)


# what every policy title may say (若干政策措施, 实施意见, 2020): no name of one document
_GENERIC_TITLE = re.compile("|".join(["若干", "政策", "实施", "建设", "关于", r"[\d\W]", *load("title_words")]))


@lru_cache(maxsize=1 << 16)
def _mention_keys(title: str, short_name: str, aliases: tuple[str, ...], doc_number: str, region_text: str,
                  level: str) -> tuple[tuple[str, float], ...]:
    keys: dict[str, float] = {}
    for name in [title, short_name, *aliases, doc_number]:
        if name:
            keys[search_form(name)] = 4.0
    region = search_form(region_text)
    if region == _NATIONAL:
        for short in load("national_names"):
            keys.setdefault(short, 2.0)
    if region and region != _NATIONAL:
        # 浙江省温州市瓯海区 → 浙江, 温州, 瓯海 ; 天津市 → 天津
        for piece in re.findall(r"[\u4e00-\u9fff]+?(?:省|市|区|县|自治区)", region):
            core = re.sub(r"(省|市|区|县|自治区)$", "", piece)
            if len(core) >= 2:
                keys.setdefault(core, 2.0)
                keys.setdefault(piece, 2.0)
    if level:
        keys.setdefault(search_form(level) + "级", 1.0)
    # a short name without its place ("六部门那份民企质量意见" for 国家民企质量意见, 千百行动方案 for 瓯海千百行动方案):
    # still this document's own words, when more than a bare document type is left
    places = [k for k, w in keys.items() if w == 2.0] + list(load("national_names"))
    for name in [short_name, *aliases]:
        form = search_form(name)
        place = next((p for p in sorted(places, key=len, reverse=True) if form.startswith(p)), "")
        rest = form[len(place):]
        if place and len(_GENERIC_TITLE.sub("", rest)) >= 2:
            keys.setdefault(rest, 3.0)
    return tuple(sorted(keys.items(), key=lambda kv: -len(kv[0])))


@lru_cache(maxsize=1 << 16)
def _title_form(text: str) -> str:
    return search_form(text)


def _attributive(key: str, q: str) -> bool:
    """A national name used as an attribute, not for the national document: 国家 in "国际、国家和行业标准",
    "全国统一" — the national document is meant only when a document word follows the name in the same
    phrase (国家那份意见, 国家层面的文件, 国务院的政策): questions say 国家/全国/中央 about levels all the time."""
    if key not in load("national_names"):
        return False
    return not _national_reference(key).search(q)


@lru_cache(maxsize=16)
def _national_reference(key: str) -> re.Pattern[str]:
    """The name followed by a document word in its phrase, or right away by a verb that makes it a policy's actor
    (national_actor: 国家让企业…, 国家想扶持…)."""
    words = "|".join(map(re.escape, [*load("doc_types"), *load("national_reference")]))
    actor = "|".join(map(re.escape, sorted(load("national_actor"), key=len, reverse=True)))
    return re.compile(rf"{re.escape(key)}(?:[^，,。；;？?！!]{{0,16}}?(?:{words})|(?:{actor}))")


class _Names:
    """Every name of a catalog's documents, indexed once per snapshot (the catalog's tuple is immutable):
    which of them occur in a question is found by looking up the question's substrings (a few hundred
    dictionary probes) instead of testing every key of thousands of documents."""

    def __init__(self, metas: tuple[DocMeta, ...]) -> None:
        self.docs: dict[str, list[int]] = {}  # key → documents (positions in metas) having it
        for i, m in enumerate(metas):
            for key, _ in mention_keys(m):
                if key:
                    self.docs.setdefault(key, []).append(i)
        self.lengths = sorted({len(k) for k in self.docs})
        self.spaced = [k for k in self.docs if " " in k]  # could appear where a name was replaced by a gap
        self._types: dict[str, list[str]] = {}
        self.metas = metas
        # name → documents it names (strength ≥ 2), and the order count_mentions tries names in
        self.owners: dict[str, set[str]] = {}
        for m in metas:
            for key, weight in mention_keys(m):
                if key and weight >= 2.0:
                    self.owners.setdefault(key, set()).add(m.doc_id)
        self.owner_rank = {k: r for r, k in enumerate(sorted(self.owners, key=len, reverse=True))}

    def found_in(self, text: str) -> set[str]:
        """The keys that occur in ``text``."""
        out: set[str] = set()
        n = len(text)
        for length in self.lengths:
            if length > n:
                break
            out.update(text[i:i + length] for i in range(n - length + 1) if text[i:i + length] in self.docs)
        return out

    def named(self, text: str) -> list[int]:
        """Documents (positions, in catalog order) one of whose keys occurs in ``text``."""
        return sorted({i for k in self.found_in(text) for i in self.docs[k]})

    def type_owners(self, word: str) -> list[str]:
        owners = self._types.get(word)
        if owners is None:
            owners = self._types[word] = [m.doc_id for m in self.metas if word in _title_form(m.title + m.short_name)]
        return owners


_names_cache: list[_Names] = []


def _names(metas: tuple[DocMeta, ...]) -> _Names:
    for cached in _names_cache:
        if cached.metas is metas:
            return cached
    names = _Names(metas)
    _names_cache.insert(0, names)
    del _names_cache[4:]
    return names


# "六部门那个意见", "天津这份纲要": a demonstrative said inside a name (六部门意见, 天津纲要) is no part of it
_POINTER = re.compile(r"(?:那|这)(?:个|份|部|篇)")


def find_documents(q: str, metas: Iterable[DocMeta]) -> dict[str, float]:
    """Score each document by how clearly the question (in search form) names it; 0 = not named."""
    q = _POINTER.sub("", q)
    metas = _as_tuple(metas)
    names = _names(metas)
    type_words = load("doc_types")
    scores: dict[str, float] = {}
    matched: dict[str, frozenset[str]] = {}  # document → the names of it the question uses
    named = [metas[i] for i in names.named(q)]  # a document none of whose keys occurs scores 0
    for meta in named:
        score = 0.0
        matched_text = q
        keys: set[str] = set()
        for key, weight in mention_keys(meta):  # longest first
            if key and key in matched_text and not _attributive(key, matched_text):
                score = max(score, weight) + (0.5 if score else 0.0)
                matched_text = matched_text.replace(key, " ")
                keys.add(key)
        matched[meta.doc_id] = frozenset(keys)
        scores[meta.doc_id] = score
    every_name = frozenset().union(*matched.values())
    for meta in named:
        if not scores[meta.doc_id]:
            continue
        others = every_name - matched[meta.doc_id]  # other documents' names (a name both share is its own)
        if _kind_said(q, matched[meta.doc_id], others, _title_form(meta.title + meta.short_name), type_words):
            scores[meta.doc_id] += 1.0
        if meta.date and meta.date[:4] in q:
            scores[meta.doc_id] += 1.0
    if not any(scores.values()):
        # “纲要（二十四）”: a document type that only one document has names that document — said as a word of
        # its own (at the start of a phrase), not as the end of another word ("保障措施", "减轻负担的措施")
        for w in type_words:
            if re.search(rf"(?:^|[\s，,。；;？?！!:：]){re.escape(w)}", q):
                owners = names.type_owners(w)
                if len(owners) == 1:
                    scores[owners[0]] = 1.5
                    break
    clearest: dict[frozenset[str], float] = {}  # the names a document is named by → the best score among them
    for d, used in matched.items():
        clearest[used] = max(clearest.get(used, 0.0), scores[d])
    return {k: v for k, v in scores.items() if v > 0 and not _outnamed(matched.get(k, frozenset()), v, clearest)}


def _kind_said(q: str, own: frozenset[str], others: frozenset[str], title: str, type_words: tuple[str, ...]) -> bool:
    """Does the question say this document's kind (意见, 纲要 …) of it — within or after one of its names, with
    no other document's name between ("天津那个民营企业的实施意见"; in "国家那份意见和天津的" 意见 is 国家's)?"""
    mine = [(m.start(), m.end()) for k in own for m in re.finditer(re.escape(k), q)]
    theirs = [m.start() for k in others for m in re.finditer(re.escape(k), q)]
    for w in type_words:
        if w not in title:
            continue
        for at in (m.start() for m in re.finditer(re.escape(w), q)):
            if any(s <= at and (at < e or not any(e <= t < at for t in theirs)) for s, e in mine):
                return True
    return False


def _outnamed(own: frozenset[str], score: float, clearest: dict[frozenset[str], float]) -> bool:
    """Another document is named by every name this one is (天津) and more clearly (天津那个实施意见: the
    place and the kind): the question means that one.  Documents named by different names (国家意见和天津的)
    or equally (天津的两份文件) are all meant.  Compared by sets of names (few, however many documents share
    a place), not document by document."""
    return bool(own) and any(own <= keys and best > score for keys, best in clearest.items())


def count_mentions(q: str, metas: Iterable[DocMeta]) -> int:
    """How many different documents (or groups of documents) the question (search form) names.

    "天津" names two Tianjin documents but is one mention; "广东和天津质量强市纲要" is two; a second
    mention of the same document ("天津质量强市纲要…天津质量奖") is not another one.  A name inside a
    longer matched name does not count on its own, nor does a level (市级), which names no document, nor a
    national name used as an attribute (国家 in "国际、国家和行业标准").
    """
    q = _POINTER.sub("", q)
    names = _names(_as_tuple(metas))
    owners = names.owners
    spans: list[tuple[int, int]] = []
    groups: list[set[str]] = []
    for key in sorted(names.found_in(q) & owners.keys(), key=names.owner_rank.__getitem__):  # longest first
        if _attributive(key, q):  # 国家 in "国际、国家和行业标准": a level, as find_documents reads it
            continue
        start = q.find(key)
        while start >= 0:
            end = start + len(key)
            if not any(s <= start and end <= e for s, e in spans):
                spans.append((start, end))
                if not any(owners[key] & g for g in groups):
                    groups.append(set(owners[key]))
            start = q.find(key, end)
    return len(groups)


def strip_document_names(text: str, metas: Iterable[DocMeta], gap: str = " ") -> str:
    """``text`` in search form with the names of the given documents (longest first) replaced by ``gap``."""
    out = search_form(text)
    if not isinstance(metas, tuple | DocumentCatalog) or not gap:  # a few documents, or gaps that join words
        return _replace_longest_first(out, {key for meta in metas for key, _ in mention_keys(meta)}, gap)
    names = _names(_as_tuple(metas))
    # Only keys found in the text change it (a key holding the gap could also appear where a name was
    # replaced): every key of the documents having one, longest first across them all, as over all documents
    # (天津纲要 before the other Tianjin document's 天津).
    wanted = names.found_in(out) | {k for k in names.spaced if gap in k}
    keys = {key for i in {i for k in wanted for i in names.docs[k]} for key, _ in mention_keys(names.metas[i])}
    return _replace_longest_first(out, keys, gap)


def _replace_longest_first(text: str, keys: set[str], gap: str) -> str:
    """``text`` with every key replaced by ``gap``, the longest keys first (in a stable order)."""
    for key in sorted(keys, key=lambda k: (-len(k), k)):
        if key:
            text = text.replace(key, gap)
    return text


def _as_tuple(metas: Iterable[DocMeta]) -> tuple[DocMeta, ...]:
    """A catalog's own tuple (indexed once per snapshot), else the documents as a tuple."""
    if isinstance(metas, DocumentCatalog):
        return metas.metas
    return metas if isinstance(metas, tuple) else tuple(metas)


@dataclass(frozen=True)
class DocumentCatalog:
    """The active documents, in index order; immutable (a reload builds a new one)."""

    metas: tuple[DocMeta, ...] = ()
    numbering: dict[str, str | None] = field(default_factory=dict)  # doc id → primary numbering level

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.metas)

    def __len__(self) -> int:
        return len(self.metas)

    @property
    def ids(self) -> list[str]:
        return [m.doc_id for m in self.metas]

    @cached_property
    def by_id(self) -> dict[str, DocMeta]:
        """Doc id → metadata (built once: a catalog never changes)."""
        return {m.doc_id: m for m in reversed(self.metas)}  # the first of a repeated id wins, as a scan finds it

    def get(self, doc_id: str) -> DocMeta | None:
        return self.by_id.get(doc_id)

    def primary_style(self, doc_id: str) -> str | None:
        """The level a bare number counts in this document (第15条 → arabic in 天津实施意见)."""
        return self.numbering.get(doc_id)

    def display_name(self, doc_id: str) -> str:
        meta = self.get(doc_id)
        return meta.display_name if meta else doc_id

    def resolve(self, name: str) -> str | None:
        """Doc id from an id, title, short name or alias (CLI ``show 天津实施意见 6``)."""
        if name in self.by_id:
            return name
        scores = find_documents(search_form(name), self.metas)
        return max(scores, key=lambda d: scores[d]) if scores else None

    @cached_property
    def name_forms(self) -> tuple[tuple[str, str, str], ...]:
        """Per document, in search form: its region and title (where it is from), its title and short name (what
        kind of document it is), its year ("" when undated) — built once, read by every question that names a
        place or a year beside a kind of document."""
        return tuple((search_form(m.region + m.title), search_form(m.title + m.short_name), m.date[:4])
                     for m in self.metas)

    def covered_text(self) -> str:
        """Regions and titles of every document, in search form (is a place covered at all?)."""
        return self._covered

    @cached_property
    def _covered(self) -> str:
        return " ".join(where for where, _, _ in self.name_forms)
