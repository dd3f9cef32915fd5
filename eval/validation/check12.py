#!/usr/bin/env python3
"""Checker for /work/v12/validation12.jsonl (stdlib + opencc).

Usage:
    python check12.py            # validate validation12.jsonl
    python check12.py --dump     # print the clause segmentation of every document

Checks:
  * every line is valid JSON with the required fields and types; ids w101..w200, unique
  * counts per kind (paraphrase 40, figure 10, compare 8, part 6, locate 6,
    metadata 5, unanswerable 25)
  * >= 30 questions fully in traditional script, >= 85 questions of >= 20 characters
  * every gold anchor (8-20 chars, simplified) and every must_mention phrase
    (3-10 chars, simplified) occurs in the named document after normalisation
    (opencc t2s, pinyin annotations such as "(mào)" removed, whitespace removed)
  * each anchor occurs in exactly one numbered clause (text split at the
    numbering ladder 一、 / （一） / 1. / （1） / 第X条), the gold "item" equals
    that clause's number, and every must_mention occurs in one of the gold clauses
  * compare: gold entries come from two different documents
  * part: gold lists every clause of the part (all children of one heading)
  * unanswerable: gold == [] and must_mention == []
"""
import json
import os
import re
import sys

import opencc

HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(HERE, "docs")
DATA = os.path.join(HERE, "validation12.jsonl")

T2S = opencc.OpenCC("t2s")
S2T = opencc.OpenCC("s2t")

KIND_COUNTS = {
    "paraphrase": 40,
    "figure": 10,
    "compare": 8,
    "part": 6,
    "locate": 6,
    "metadata": 5,
    "unanswerable": 25,
}
MIN_TRAD = 30
MIN_LONG = 85
LONG_LEN = 20

PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
WS = re.compile(r"\s+")
CN = "一二三四五六七八九十"
HEAD = re.compile(
    r"^(?:"
    r"(?P<l1>[" + CN + r"]+)、"
    r"|[（(](?P<l2>[" + CN + r"]+)[）)]"
    r"|(?P<l3>\d{1,2})[.．](?!\d)"
    r"|[（(](?P<l4>\d{1,2})[）)]"
    r"|第(?P<art>[" + CN + r"百零]+)条"
    r")"
)
TAIL_MARK = re.compile(r"^[①②③④⑤※]")


def norm(s):
    """t2s, drop pinyin annotations, drop all whitespace."""
    s = PINYIN.sub("", s)
    s = T2S.convert(s)
    return WS.sub("", s)


def is_traditional(q):
    """Fully traditional: s2t leaves it unchanged and it has characters t2s changes."""
    return S2T.convert(q) == q and T2S.convert(q) != q


def segment(path):
    """Split a document into clauses. Returns list of (label, normalised_text).

    Text before the first numbered line is labelled 文首; short signature-like
    lines after the last clause (issuer, date, attachment, site boilerplate)
    are labelled 落款.
    """
    raw = open(path, encoding="utf-8").read()
    lines = [PINYIN.sub("", T2S.convert(l)).strip() for l in raw.splitlines()]
    lines = [l for l in lines if l]
    segs = []  # [label, [lines]]
    cur = ["文首", []]
    l1 = l2 = l3 = l4 = ""
    seen_head = False
    in_tail = False
    for line in lines:
        m = HEAD.match(line)
        if m and not in_tail:
            seen_head = True
            segs.append(cur)
            if m.group("l1"):
                l1, l2, l3, l4 = m.group("l1"), "", "", ""
            elif m.group("l2"):
                l2, l3, l4 = m.group("l2"), "", ""
            elif m.group("l3"):
                l3, l4 = m.group("l3"), ""
            elif m.group("l4"):
                l4 = m.group("l4")
            else:
                l1, l2, l3, l4 = "第%s条" % m.group("art"), "", "", ""
            label = l1 + ("(%s)" % l2 if l2 else "") + l3 + ("(%s)" % l4 if l4 else "")
            cur = [label, [line]]
            continue
        if seen_head and not in_tail and (
            TAIL_MARK.match(line) or ("。" not in line and len(line) < 60)
        ):
            # a body line of a clause always ends a sentence; a short line
            # without "。" after the clauses starts the signature / boilerplate
            if not (cur[1] and HEAD.match(cur[1][0]) and len(cur[1]) == 1
                    and "。" not in cur[1][0]):
                in_tail = True
                segs.append(cur)
                cur = ["落款", []]
        cur[1].append(line)
    segs.append(cur)
    return [(lab, WS.sub("", "".join(ls))) for lab, ls in segs if ls]


def parent(label):
    """Parent of a clause label: '二(八)14' -> '二(八)', '三(一)' -> '三'."""
    m = re.match(r"^(.*?)(\(\d+\)|\d+|\([" + CN + r"]+\))$", label)
    if m and m.group(1):
        return m.group(1)
    return None


def load_docs():
    docs = {}
    for fn in sorted(os.listdir(DOCS)):
        if fn.endswith(".txt"):
            p = os.path.join(DOCS, fn)
            docs[fn] = {
                "text": norm(open(p, encoding="utf-8").read()),
                "segs": segment(p),
            }
    return docs


def main():
    docs = load_docs()
    if "--dump" in sys.argv:
        for fn, d in docs.items():
            print("=" * 20, fn)
            for lab, txt in d["segs"]:
                print("[%s] %s" % (lab, txt[:70]))
        return 0

    errors = []
    recs = []
    with open(DATA, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                errors.append("line %d: empty line" % n)
                continue
            try:
                recs.append(json.loads(line))
            except json.JSONDecodeError as e:
                errors.append("line %d: invalid JSON (%s)" % (n, e))

    fields = {"id": str, "question": str, "kind": str, "gold": list,
              "must_mention": list, "note": str}
    ids = [r.get("id") for r in recs]
    if len(set(ids)) != len(ids):
        errors.append("duplicate ids")
    expected_ids = ["w%d" % i for i in range(101, 201)]
    if sorted(ids, key=str) != sorted(expected_ids):
        errors.append("ids are not exactly w101..w200")

    kinds = {}
    n_trad = n_long = 0
    for r in recs:
        rid = r.get("id", "?")
        for k, t in fields.items():
            if k not in r:
                errors.append("%s: missing field %s" % (rid, k))
            elif not isinstance(r[k], t):
                errors.append("%s: field %s should be %s" % (rid, k, t.__name__))
        if set(r) - set(fields):
            errors.append("%s: unexpected fields %s" % (rid, set(r) - set(fields)))
        kind = r.get("kind")
        kinds[kind] = kinds.get(kind, 0) + 1
        if kind not in KIND_COUNTS:
            errors.append("%s: bad kind %r" % (rid, kind))
        q = r.get("question", "")
        if is_traditional(q):
            n_trad += 1
        if len(q) >= LONG_LEN:
            n_long += 1
        if not r.get("note", "").strip():
            errors.append("%s: empty note" % rid)
        gold = r.get("gold", [])
        mm = r.get("must_mention", [])
        if kind == "unanswerable":
            if gold or mm:
                errors.append("%s: unanswerable must have empty gold/must_mention" % rid)
            continue
        if not gold:
            errors.append("%s: empty gold" % rid)
        if not mm or len(mm) > 2:
            errors.append("%s: must_mention should have 1-2 phrases" % rid)
        gold_texts = []
        gold_docs = []
        for g in gold:
            if not isinstance(g, dict) or set(g) != {"doc", "anchor", "item"}:
                errors.append("%s: gold entry needs exactly doc/anchor/item: %r" % (rid, g))
                continue
            doc, anchor, item = g["doc"], g["anchor"], g["item"]
            gold_docs.append(doc)
            if doc not in docs:
                errors.append("%s: unknown doc %s" % (rid, doc))
                continue
            if not (8 <= len(anchor) <= 20):
                errors.append("%s: anchor length %d: %s" % (rid, len(anchor), anchor))
            if T2S.convert(anchor) != anchor:
                errors.append("%s: anchor not simplified: %s" % (rid, anchor))
            a = norm(anchor)
            if a not in docs[doc]["text"]:
                errors.append("%s: anchor not in %s: %s" % (rid, doc, anchor))
                continue
            hits = [(lab, txt) for lab, txt in docs[doc]["segs"] if a in txt]
            if len(hits) != 1:
                errors.append("%s: anchor %s in %d clauses %s" % (
                    rid, anchor, len(hits), [h[0] for h in hits]))
                continue
            if hits[0][0] != item:
                errors.append("%s: anchor %s is in clause %s, item says %s" % (
                    rid, anchor, hits[0][0], item))
            gold_texts.append((doc, hits[0][1]))
        if len({(g.get("doc"), g.get("item")) for g in gold if isinstance(g, dict)}) != len(gold):
            errors.append("%s: duplicate gold clause" % rid)
        for p in mm:
            if not isinstance(p, str) or not (3 <= len(p) <= 10):
                errors.append("%s: must_mention length: %r" % (rid, p))
                continue
            if T2S.convert(p) != p:
                errors.append("%s: must_mention not simplified: %s" % (rid, p))
            pn = norm(p)
            if not any(pn in docs[d]["text"] for d in set(gold_docs) if d in docs):
                errors.append("%s: must_mention not in gold doc(s): %s" % (rid, p))
            elif gold_texts and not any(pn in t for _, t in gold_texts):
                errors.append("%s: must_mention not in a gold clause: %s" % (rid, p))
        if kind == "compare":
            if len(gold) != 2 or len(set(gold_docs)) != 2:
                errors.append("%s: compare needs one clause from each of two docs" % rid)
        elif kind == "part":
            if len(set(gold_docs)) != 1:
                errors.append("%s: part gold must come from one doc" % rid)
            else:
                items = [g["item"] for g in gold]
                parents = {parent(i) for i in items}
                if len(parents) != 1 or None in parents:
                    errors.append("%s: part items do not share one parent: %s" % (rid, items))
                else:
                    par = parents.pop()
                    children = [lab for lab, _ in docs[gold_docs[0]]["segs"]
                                if parent(lab) == par]
                    if sorted(children) != sorted(items):
                        errors.append("%s: part %s has items %s, gold lists %s" % (
                            rid, par, children, items))
        elif kind in ("paraphrase", "figure", "locate", "metadata"):
            if len(gold) != 1:
                errors.append("%s: %s should have exactly one gold clause" % (rid, kind))

    for k, want in KIND_COUNTS.items():
        if kinds.get(k, 0) != want:
            errors.append("kind %s: %d (want %d)" % (k, kinds.get(k, 0), want))
    if n_trad < MIN_TRAD:
        errors.append("traditional questions: %d (want >= %d)" % (n_trad, MIN_TRAD))
    if n_long < MIN_LONG:
        errors.append("questions >= %d chars: %d (want >= %d)" % (LONG_LEN, n_long, MIN_LONG))

    print("records:", len(recs))
    print("kinds:", ", ".join("%s=%d" % (k, kinds.get(k, 0)) for k in KIND_COUNTS))
    print("traditional:", n_trad, " >=%d chars:" % LONG_LEN, n_long)
    if errors:
        print("FAILED (%d problems)" % len(errors))
        for e in errors:
            print("  -", e)
        return 1
    print("OK: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
