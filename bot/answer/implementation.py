""""天津是怎么落实国家民企质量意见的？": the implementing document's clauses, part by part.

Ranking answers such a question with whatever clause mentions 落实; the real answer is the whole
implementing document, which exists *because* of the one named: its outline, each part with its
items, each cited.  The link itself comes from the implementing document's own words
(:mod:`ingest.links`: "为落实…《…》（…号）"), so this answer is only given when that link exists.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from bot.answer.in_force import similarity
from bot.answer.schemas import Answer, Citation
from bot.retrieval.analysis import QueryAnalysis
from ingest.links import LinkGraph
from ingest.models import Clause, DocMeta
from ingest.text.script import search_form
from ingest.text.wordlists import load

_WHICH = ("哪些", "哪个", "哪几", "哪份", "哪里", "谁")
SHOWN_KINDS = ("item", "section")


_PHRASE_BREAK = re.compile(r"[，,。；;？?！!]")


def asks_implementation(question: str) -> bool:
    """An implementation verb and a how/which word in one phrase, and no comparison ("…有什么不同"): "要写落实汇报，
    保障措施有哪几条" tells why it asks in one phrase and asks about a part in the next."""
    q = search_form(question)
    words = load("implementation_cues")
    verbs = [w for w in words if w[0] not in "?!"]
    asks = [w[1:] for w in words if w[0] == "?"]
    unless = [w[1:] for w in words if w[0] == "!"]
    return any(any(w in p for w in verbs) and any(w in p for w in asks) for p in _PHRASE_BREAK.split(q)) \
        and not any(w in q for w in unless)


def implementation_pairs(question: str, analysis: QueryAnalysis, graph: LinkGraph) -> list[tuple[str, str]]:
    """(implementing doc, implemented doc) pairs the question asks about: it uses an implementation verb,
    names the implemented document, and names the implementing one too (by name, region, level) or asks
    "哪些/哪个"; only documents whose text says they implement or rest on the other count."""
    if not asks_implementation(question):
        return []
    named = list(analysis.doc_ids)
    which = any(w in question for w in _WHICH)
    pairs: list[tuple[str, str]] = []
    for target in named:
        doers = graph.implementers(target)
        chosen = [d for d in doers if d in named] or (doers if which else [])
        pairs += [(d, target) for d in chosen if (target, d) not in pairs]
    # a document named only because it implements another named one is not itself the target
    return [(d, t) for d, t in pairs if not any(t == d2 for d2, _ in pairs)]


def _title_of(c: Clause) -> str:
    """The clause's own heading, or its first sentence, short."""
    return _title_of_text(c.heading_path[-1] if c.heading_path else c.text)


MATCH = 0.35  # bigram overlap of two headings that makes a part "the counterpart" of the other


def counterpart(heading: str, target: Sequence[Clause]) -> Clause | None:
    """The clause of the implemented document whose heading matches an implementing part's heading best
    (天津 "(一)引导民营企业牢固树立“质量第一”的意识" ↔ 国家 二（一）), when they clearly match."""
    scored = [(similarity(_title_of_text(heading), _title_of(c)), c) for c in target]
    best = max(scored, key=lambda sc: sc[0], default=None)
    return best[1] if best and best[0] >= MATCH else None


def _title_of_text(text: str) -> str:
    head = re.split(r"[。；;]", text, maxsplit=1)[0].strip()
    return head[:48] + ("…" if len(head) > 48 else "")


def implementation_answer(question: str, target: DocMeta, doers: Sequence[tuple[DocMeta, list[str], list[Clause]]],
                          target_clauses: Sequence[Clause] = ()) -> Answer:
    """One block per implementing document: what it says it does with ``target`` (its relations), then its
    parts in document order — each with the part of ``target`` it carries out, when the headings match —
    every item under its part, each cited."""
    items = [c for c in target_clauses if c.kind in SHOWN_KINDS and c.part == 1]

    def matched(heading: str) -> str:
        c = counterpart(heading, items)
        return f"（对应{target.display_name}{c.item}）" if c is not None else ""

    lines: list[str] = []
    cites: list[Citation] = []
    for meta, relations, clauses in doers:
        number = f"（{target.doc_number}）" if target.doc_number else ""
        lines.append(f"{meta.display_name}（《{meta.title}》）在正文中写明{'、'.join(relations)}《{target.title}》{number}，"
                     f"分以下各部分落实：")
        shown: list[str] = []
        for c in sorted((c for c in clauses if c.kind in SHOWN_KINDS and c.part == 1), key=lambda c: c.order):
            for depth, heading in enumerate(c.heading_path[:-1]):
                if depth >= len(shown) or shown[depth] != heading:
                    shown = [*shown[:depth], heading]
                    lines.append(("  " * depth) + heading + matched(heading))
            shown = list(c.heading_path[:-1])
            n = len(cites) + 1
            cites.append(Citation.from_clause(c, marker=n, via="implementation"))
            lines.append(("  " * len(shown)) + f"{_title_of(c)} [{n}]" + ("" if shown else matched(_title_of(c))))
        lines.append("")
    lead = lines[0] if lines else ""
    return Answer(question=question, answer="\n".join(lines).strip(), lead=lead, citations=cites,
                  mode="extractive")
