"""Comparison answers: one block per document, in the order the question names them.

"广东文件和天津纲要在X方面分别怎么说？" gets a block for 广东 and a block for 天津; a named document
with no relevant clause gets a line saying it does not address the point — never silence.  For
"都 / 各地" without named documents, every document with a relevant clause gets a block.
"""
from __future__ import annotations

from dataclasses import dataclass

from bot.answer.evidence import best_overlap
from bot.retrieval import SearchHit, SearchResult
from bot.retrieval.catalog import DocumentCatalog, doc_mention_keys
from ingest.text.script import search_form

RELEVANT = 0.2  # a document's best clause must cover this share of the question's content words
MAX_BLOCKS = 4


@dataclass
class Block:
    doc_id: str
    hit: SearchHit | None  # None: the document does not address the point


def order_named(question: str, doc_ids: list[str], catalog: DocumentCatalog) -> list[str]:
    """The named documents in the order the question mentions them."""
    q = search_form(question)

    def position(doc_id: str) -> int:
        meta = catalog.get(doc_id)
        found = [q.find(k) for k in (doc_mention_keys(meta) if meta else {}) if k and k in q]
        return min(found, default=len(q))

    return sorted(doc_ids, key=position)


def blocks(question: str, result: SearchResult, catalog: DocumentCatalog, grams: set[str]) -> list[Block]:
    hits = [h for h in result.hits if h.clause.kind != "docinfo"]
    cover = {h.clause.clause_id: best_overlap(grams, h.clause) for h in hits}
    best: dict[str, SearchHit] = {}
    for h in hits:  # per document, its best-ranked clause that covers enough of the question: the
        d = h.clause.doc_id  # second stage weighs synonyms and meaning, which bigram cover alone misses
        if d not in best and cover[h.clause.clause_id] >= RELEVANT:
            best[d] = h
    named = result.analysis.doc_ids
    if len(named) >= 2:
        docs = order_named(question, named, catalog)
        # A place that names two documents (天津) names them both; a document named only by such a
        # place and without a relevant clause is left out rather than reported as silent.
        regions = [m.region for m in catalog if m.doc_id in docs]
        strong = {d for d in docs if result.analysis.doc_scores.get(d, 0) >= 3
                  or regions.count(getattr(catalog.get(d), "region", "")) == 1}
        out = []
        for d in docs:
            top = best.get(d)
            if top is not None:
                out.append(Block(d, top))
            elif d in strong:
                out.append(Block(d, None))
        return out[:MAX_BLOCKS]
    return [Block(d, h) for d, h in best.items()][:MAX_BLOCKS]
