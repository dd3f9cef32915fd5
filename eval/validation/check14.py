#!/usr/bin/env python3
"""Checker for /work/v14/validation14.jsonl.

Verifies: JSON validity, required fields, unique ids z101..z200, counts per kind,
traditional-script / length counts, anchors and must_mention phrases found in the
named document (after t2s, pinyin stripped, whitespace removed), and every anchor
found in exactly one numbered clause whose label equals the gold `item`.

Usage:  python check14.py            -> run all checks
        python check14.py --dump DOC -> print the numbered clauses of DOC
"""
import json
import os
import re
import sys

import opencc

HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(HERE, "docs")
DATA = os.path.join(HERE, "validation14.jsonl")

T2S = opencc.OpenCC("t2s")
S2T = opencc.OpenCC("s2t")

EXPECTED_KINDS = {
    "paraphrase": 45, "responsible": 6, "figure": 9, "compare": 8,
    "part": 6, "locate": 4, "metadata": 2, "unanswerable": 20,
}
MIN_TRAD = 30
MIN_LONG = 85
FIELDS = ["id", "question", "kind", "gold", "must_mention", "note"]

PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\)")
WS = re.compile(r"\s+")
CN = "一二三四五六七八九十"
# numbering ladder: 一、 / （一） / 1. / （1） / 第X条 at the start of a line
RE_L1 = re.compile(r"^([%s]+)、" % CN)
RE_L2 = re.compile(r"^[（(]([%s]+)[）)]" % CN)
RE_L3 = re.compile(r"^(\d+)[.．](?!\d)")
RE_L4 = re.compile(r"^[（(](\d+)[）)]")
RE_ART = re.compile(r"^(第[%s百零]+条)" % CN)


def norm(text):
    """t2s, strip pinyin annotations like (mào), remove all whitespace."""
    return WS.sub("", T2S.convert(PINYIN.sub("", text)))


def segments(path):
    """Split a document at the numbering ladder -> list of (label, normalized text)."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    segs = [["文头", []]]
    l1 = l2 = l3 = ""
    for raw in lines:
        line = T2S.convert(PINYIN.sub("", raw)).strip()
        label = None
        m = RE_ART.match(line)
        if m:
            l1, l2, l3 = m.group(1), "", ""
            label = l1
        elif RE_L1.match(line):
            l1, l2, l3 = RE_L1.match(line).group(1), "", ""
            label = l1
        elif RE_L2.match(line):
            l2, l3 = "(%s)" % RE_L2.match(line).group(1), ""
            label = l1 + l2
        elif RE_L3.match(line):
            l3 = RE_L3.match(line).group(1)
            label = l1 + l2 + l3
        elif RE_L4.match(line):
            label = l1 + l2 + l3 + "(%s)" % RE_L4.match(line).group(1)
        if label is not None:
            segs.append([label, []])
        segs[-1][1].append(line)
    return [(lab, WS.sub("", "".join(ls))) for lab, ls in segs]


def is_traditional(q):
    return S2T.convert(q) == q and T2S.convert(q) != q


def qlen(q):
    return len(WS.sub("", q))


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--dump":
        for lab, txt in segments(os.path.join(DOCS, sys.argv[2])):
            print("[%s] %s" % (lab, txt))
        return 0

    errors = []
    docnames = sorted(n for n in os.listdir(DOCS) if n.endswith(".txt"))
    full = {}
    segs = {}
    for n in docnames:
        with open(os.path.join(DOCS, n), encoding="utf-8") as f:
            full[n] = norm(f.read())
        segs[n] = segments(os.path.join(DOCS, n))

    rows = []
    with open(DATA, encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            if not line.strip():
                errors.append("line %d: empty line" % ln)
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                errors.append("line %d: invalid JSON (%s)" % (ln, e))

    ids = [r.get("id") for r in rows]
    if len(rows) != 100:
        errors.append("expected 100 rows, got %d" % len(rows))
    if len(set(ids)) != len(ids):
        errors.append("duplicate ids")
    if sorted(ids, key=str) != ["z%d" % i for i in range(101, 201)]:
        errors.append("ids are not exactly z101..z200")

    kinds = {}
    n_trad = n_long = 0
    for r in rows:
        rid = r.get("id", "?")
        for fld in FIELDS:
            if fld not in r:
                errors.append("%s: missing field %s" % (rid, fld))
        if any(fld not in r for fld in FIELDS):
            continue
        q, kind, gold, mm = r["question"], r["kind"], r["gold"], r["must_mention"]
        kinds[kind] = kinds.get(kind, 0) + 1
        if kind not in EXPECTED_KINDS:
            errors.append("%s: unknown kind %s" % (rid, kind))
        if not isinstance(q, str) or not q.strip():
            errors.append("%s: empty question" % rid)
            continue
        if not isinstance(r["note"], str) or not r["note"].strip():
            errors.append("%s: empty note" % rid)
        n_trad += is_traditional(q)
        n_long += qlen(q) >= 20
        if not isinstance(gold, list) or not isinstance(mm, list):
            errors.append("%s: gold/must_mention must be lists" % rid)
            continue
        if kind == "unanswerable":
            if gold or mm:
                errors.append("%s: unanswerable must have empty gold and must_mention" % rid)
            continue
        if not gold:
            errors.append("%s: answerable question without gold" % rid)
        if not 1 <= len(mm) <= 2:
            errors.append("%s: must_mention should have 1-2 phrases" % rid)
        if kind == "compare":
            if len(gold) != 2 or len({g.get("doc") for g in gold}) != 2:
                errors.append("%s: compare needs one clause from each of two documents" % rid)
        if kind == "part" and len(gold) < 2:
            errors.append("%s: part needs every item of the part" % rid)
        if kind not in ("compare", "part") and len(gold) != 1:
            errors.append("%s: %s should have exactly one gold clause" % (rid, kind))
        gold_texts = []
        for g in gold:
            doc, anc, item = g.get("doc"), g.get("anchor"), g.get("item")
            if doc not in full:
                errors.append("%s: unknown doc %s" % (rid, doc))
                continue
            if not isinstance(anc, str) or not isinstance(item, str):
                errors.append("%s: anchor/item must be strings" % rid)
                continue
            if T2S.convert(anc) != anc:
                errors.append("%s: anchor not in simplified script: %s" % (rid, anc))
            if not 8 <= len(anc) <= 20:
                errors.append("%s: anchor length %d not in 8..20: %s" % (rid, len(anc), anc))
            a = WS.sub("", anc)
            if a not in full[doc]:
                errors.append("%s: anchor not found in %s: %s" % (rid, doc, anc))
                continue
            hits = [lab for lab, txt in segs[doc] if a in txt]
            if len(hits) != 1:
                errors.append("%s: anchor %s found in %d clauses %s" % (rid, anc, len(hits), hits))
                continue
            if hits[0] != item:
                errors.append("%s: anchor %s is in clause %s, item says %s" % (rid, anc, hits[0], item))
            gold_texts.append(dict(segs[doc])[hits[0]])
        if kind == "part":
            seen = {(g.get("doc"), g.get("item")) for g in gold}
            if len(seen) != len(gold):
                errors.append("%s: part gold repeats an item" % rid)
        for p in mm:
            if not isinstance(p, str) or not 3 <= len(p) <= 10:
                errors.append("%s: must_mention length not in 3..10: %r" % (rid, p))
                continue
            if T2S.convert(p) != p:
                errors.append("%s: must_mention not simplified: %s" % (rid, p))
            pp = WS.sub("", p)
            if not any(pp in full[g["doc"]] for g in gold if g.get("doc") in full):
                errors.append("%s: must_mention not in named document: %s" % (rid, p))
            elif gold_texts and not any(pp in t for t in gold_texts):
                errors.append("%s: must_mention not in the gold clause(s): %s" % (rid, p))

    for k, v in EXPECTED_KINDS.items():
        if kinds.get(k, 0) != v:
            errors.append("kind %s: expected %d, got %d" % (k, v, kinds.get(k, 0)))
    if n_trad < MIN_TRAD:
        errors.append("only %d traditional questions (need >= %d)" % (n_trad, MIN_TRAD))
    if n_long < MIN_LONG:
        errors.append("only %d questions >= 20 chars (need >= %d)" % (n_long, MIN_LONG))

    print("rows: %d" % len(rows))
    print("kinds: " + ", ".join("%s=%d" % (k, kinds.get(k, 0)) for k in EXPECTED_KINDS))
    print("traditional: %d   >=20 chars: %d" % (n_trad, n_long))
    if errors:
        print("FAIL (%d problems)" % len(errors))
        for e in errors:
            print("  - " + e)
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
