"""Comparison answers: one block per document, in the order the question names them.

"广东文件和天津纲要在X方面分别怎么说？" gets a block for 广东 and a block for 天津; a named document
with no relevant clause gets a line saying it does not address the point — never silence.  For
"都 / 各地" without named documents, every document with a relevant clause gets a block.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from bot.answer.evidence import best_overlap
from bot.retrieval import SearchHit, SearchResult
from bot.retrieval.catalog import DocumentCatalog, doc_mention_keys
from bot.retrieval.intent import cue_sections
from bot.retrieval.rerank import word_cover
from ingest.models import FRAME_KINDS
from ingest.text.script import search_form
from ingest.text.wordlists import load

RELEVANT = 0.2  # a document's best clause must cover this share of the question's content words
MAX_BLOCKS = 4
AS_MUCH = 0.5  # of the point, a named document's clause says at least this share of what the best one says


@dataclass
class Block:
    doc_id: str
    hit: SearchHit | None  # None: the document does not address the point
    also: SearchHit | None = None  # a second clause of the document that says as much of the point


def order_named(question: str, doc_ids: list[str], catalog: DocumentCatalog) -> list[str]:
    """The named documents in the order the question mentions them."""
    q = search_form(question)

    def position(doc_id: str) -> int:
        meta = catalog.get(doc_id)
        found = [q.find(k) for k in (doc_mention_keys(meta) if meta else {}) if k and k in q]
        return min(found, default=len(q))

    return sorted(doc_ids, key=position)


@cache
def _comparison_cues() -> frozenset[str]:
    """The plain words that make a question a comparison (分别, 不同 …): its frame, not its point."""
    sections = cue_sections()
    return frozenset(w for name in ("compare", "compare_weak") for cue in sections.get(name, ())
                     for w in re.split(r"[|…]", cue) if len(w) >= 2)


@cache
def _document_words() -> frozenset[str]:
    """Words that refer to a document, not to what it says ("国家层面", "那份文件")."""
    return frozenset(search_form(w) for name in ("doc_types", "national_reference") for w in load(name))


def point_words(result: SearchResult, catalog: DocumentCatalog,
                compared: Iterable[str] = ()) -> list[tuple[str, tuple[str, ...]]]:
    """What the comparison is about: the question's content words (with the words that mean them),
    without the comparison's cues, what names the documents (纲要, 2024, 层面), and the asker's own wording
    that none of the ``compared`` documents uses ("两边说法有什么区别": they cannot differ on 两边).  The
    compared documents' own text decides, so another document added to the collection changes nothing."""
    names = " ".join(k for d in result.analysis.doc_ids if (m := catalog.get(d)) for k in doc_mention_keys(m))
    cues = _comparison_cues() | _document_words()
    words = [(w, alts) for w, alts in result.analysis.word_alternatives()
             if w not in cues and w not in names and not w.isdigit()]
    snap = result.snapshot
    if snap is None or not compared:
        return words
    text = " ".join(c.search_text for d in dict.fromkeys(compared) for c in snap.doc_clauses(d))
    return [(w, alts) for w, alts in words if any(x in text for x in (w, *alts))]


def point_said(hit: SearchHit, words: list[tuple[str, tuple[str, ...]]]) -> float:
    """How much of the point the clause says: the share of its :func:`point_words` it contains, as such or in
    other words."""
    return sum(word_cover(words, hit.clause.search_text))


def addresses_point(hit: SearchHit, words: list[tuple[str, tuple[str, ...]]]) -> bool | None:
    """Does the clause say what the comparison is about — at least half of its :func:`point_words`?  None
    when no such word is left."""
    if not words:
        return None
    return point_said(hit, words) >= 0.5


def blocks(question: str, result: SearchResult, catalog: DocumentCatalog, grams: set[str]) -> list[Block]:
    """One block per document: its best-ranked measure (a frame — notice, preamble, section
    introduction — only when the document has no measure among the hits) that addresses the point.

    A document the question names addresses the point when its clause says at least half of what the
    question asks about (:func:`addresses_point`: the user asked about that document and the second
    stage already ranked its clauses) — or :data:`AS_MUCH` of what the best-saying one says; for "各地"
    without names, a document's clause must cover :data:`RELEVANT` of the question's bigrams.  A block
    may carry a second measure of its document that says as much of the point (``also``).
    """
    hits = [h for h in result.hits if h.clause.kind != "docinfo"]
    named = result.analysis.doc_ids
    per_doc: dict[str, list[SearchHit]] = {}
    for h in hits:
        per_doc.setdefault(h.clause.doc_id, []).append(h)

    point = point_words(result, catalog, named if len(named) >= 2 else per_doc)

    def ranked(doc_id: str) -> list[SearchHit]:
        """The document's hits, measures before frames (stable: rank order within each)."""
        return sorted(per_doc.get(doc_id, []), key=lambda h: h.clause.kind in FRAME_KINDS)

    def pick(doc_id: str, is_named: bool) -> SearchHit | None:
        def relevant(h: SearchHit) -> bool:
            said = addresses_point(h, point)
            if said is None:
                return best_overlap(grams, h.clause) >= RELEVANT
            return said if is_named else said and best_overlap(grams, h.clause) >= RELEVANT

        return next((h for h in ranked(doc_id) if relevant(h)), None)

    def also(doc_id: str, top: SearchHit) -> SearchHit | None:
        """A second measure of the document that says at least as much of the point as its block's clause
        (瓯海千百行动方案 on 政府质量奖: 四级质量奖梯次培育 in one item, 创奖培育 and 精准服务 in another): a document
        often states one point in two items, and one of them alone reads as all it says."""
        if not point:
            return None
        need = point_said(top, point)
        return next((h for h in ranked(doc_id) if h is not top and h.clause.kind not in FRAME_KINDS
                     and point_said(h, point) >= need and best_overlap(grams, h.clause) >= RELEVANT), None)

    if len(named) >= 2:
        docs = order_named(question, named, catalog)
        # A place that names two documents (天津) names them both; a document named only by such a
        # place and without a relevant clause is left out rather than reported as silent.
        # When the place also came with a document's own name (天津纲要), it named that document only.
        region = {d: getattr(catalog.get(d), "region", "") for d in docs}
        regions = list(region.values())
        strong = {d for d in docs if result.analysis.doc_scores.get(d, 0) >= 3 or regions.count(region[d]) == 1}
        strong_regions = {region[d] for d in strong}
        docs = [d for d in docs if d in strong or region[d] not in strong_regions]
        tops = {d: pick(d, d in strong) for d in docs}
        # A document is compared on the point, not judged alone: when another says it fully (技术性贸易壁垒)
        # and this one's best clause says about half as much in its own terms (技术性贸易措施), that clause
        # is its answer, not silence.
        floor = AS_MUCH * max((point_said(h, point) for h in tops.values() if h is not None), default=0.0)
        out = []
        for d in docs:
            top = tops[d]
            if top is None and d in strong and floor > 0:
                top = next((h for h in ranked(d) if point_said(h, point) >= floor), None)
            if top is not None:
                out.append(Block(d, top, also(d, top)))
            elif d in strong:
                out.append(Block(d, None))
        return out[:MAX_BLOCKS]
    picked = ((d, pick(d, False)) for d in per_doc)
    found = [Block(d, h, also(d, h)) for d, h in picked if h is not None][:MAX_BLOCKS]
    # one document alone is no comparison ("跟国企比" compares the asker with someone, not documents):
    # the question is then answered as any other
    return found if len(found) >= 2 else []
