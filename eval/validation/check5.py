#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Checker for validation5.jsonl.

usage: python3 check5.py [--docs DOCDIR] [--file validation5.jsonl]

Documents are normalised by removing pinyin annotations like 貿(mào) and
converting traditional to simplified script with OpenCC (t2s). All anchors and
must_mention phrases are checked against the normalised text.
"""
import argparse, json, os, re, sys

import opencc

T2S = opencc.OpenCC('t2s')
PINYIN = re.compile(r'\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńň]+\)')
KEYS = ["id", "question", "kind", "gold", "must_mention", "note"]
GOLD_KEYS = ["doc", "anchor", "item"]
EXPECTED = {"paraphrase": 30, "figure": 12, "compare": 12, "part": 8, "locate": 6,
            "lookup": 4, "metadata": 4, "unanswerable": 24}
MIN_TRAD = 20
MIN_LONG = 85
WINDOW = 600
NON_NUMBERED_ITEMS = {"文头", "落款", "标题", "印发通知"}
CN = "一二三四五六七八九十"
LABEL_TYPES = [
    (re.compile(r'^[%s]+、$' % CN), re.compile(r'(?m)^[ \t\u3000]*([%s]+、)' % CN)),
    (re.compile(r'^\([%s]+\)$' % CN), re.compile(r'(?m)^[ \t\u3000]*(\([%s]+\))' % CN)),
    (re.compile(r'^\d+\.$'), re.compile(r'(?m)^[ \t\u3000]*(\d+\.)')),
]


def normalise(text):
    return T2S.convert(PINYIN.sub('', text))


def norm_label(s):
    return s.replace('（', '(').replace('）', ')').replace('．', '.').strip()


def label_ok(doc, pos, item):
    """True/False if the anchor at pos lies in the item with this label; None if label unnumbered."""
    lab = norm_label(item)
    for shape, finder in LABEL_TYPES:
        if shape.match(lab):
            last = None
            for m in finder.finditer(doc):
                if m.start(1) <= pos:
                    last = m.group(1)
                else:
                    break
            return last == lab, last
    return None, None


def is_trad(q):
    return T2S.convert(q) != q


def longest_common(a, b):
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--docs', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'data', 'policies'))
    ap.add_argument('--file', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), 'validation5.jsonl'))
    args = ap.parse_args()

    docs = {}
    for fn in sorted(os.listdir(args.docs)):
        p = os.path.join(args.docs, fn)
        if os.path.isfile(p):
            with open(p, encoding='utf-8') as f:
                docs[fn] = normalise(f.read())

    fails, warns = [], []
    def F(qid, msg): fails.append("%s: %s" % (qid, msg))
    def W(qid, msg): warns.append("%s: %s" % (qid, msg))

    rows = []
    with open(args.file, encoding='utf-8') as f:
        for ln, line in enumerate(f, 1):
            if not line.strip():
                F("line%d" % ln, "blank line")
                continue
            try:
                rows.append(json.loads(line))
            except Exception as e:
                F("line%d" % ln, "bad json: %s" % e)

    if len(rows) != 100:
        F("file", "expected 100 rows, got %d" % len(rows))
    kinds, n_trad, n_long = {}, 0, 0
    seen_q = set()
    for i, r in enumerate(rows):
        qid = r.get("id", "?")
        if list(r.keys()) != KEYS:
            F(qid, "keys %s != %s" % (list(r.keys()), KEYS))
        if qid != "y%03d" % (i + 1):
            F(qid, "id out of order, expected y%03d" % (i + 1))
        q, kind, gold, mm, note = r.get("question", ""), r.get("kind"), r.get("gold"), r.get("must_mention"), r.get("note", "")
        if not isinstance(q, str) or not q.strip():
            F(qid, "empty question"); q = ""
        if q in seen_q:
            F(qid, "duplicate question")
        seen_q.add(q)
        if kind not in EXPECTED:
            F(qid, "unknown kind %r" % kind)
        kinds[kind] = kinds.get(kind, 0) + 1
        if is_trad(q):
            n_trad += 1
        if len(q) >= 20:
            n_long += 1
        if not isinstance(note, str) or not note.strip() or "\n" in note:
            F(qid, "note must be one non-empty line")
        if not isinstance(gold, list) or not isinstance(mm, list):
            F(qid, "gold and must_mention must be lists"); continue

        if kind == "unanswerable":
            if gold or mm:
                F(qid, "unanswerable must have empty gold and must_mention")
            continue
        if not gold:
            F(qid, "answerable question with empty gold")
        if not (1 <= len(mm) <= 3):
            F(qid, "must_mention should have 1-3 phrases, has %d" % len(mm))

        anchors = []  # (doc, pos, len)
        labels = set()
        for gi, gd in enumerate(gold):
            if not isinstance(gd, dict) or list(gd.keys()) != GOLD_KEYS:
                F(qid, "gold[%d] keys %s" % (gi, list(gd.keys()) if isinstance(gd, dict) else gd)); continue
            d, a, it = gd["doc"], gd["anchor"], gd["item"]
            if d not in docs:
                F(qid, "gold[%d] unknown doc %s" % (gi, d)); continue
            text = docs[d]
            if not (8 <= len(a) <= 25):
                F(qid, "anchor length %d not in 8-25: %s" % (len(a), a))
            c = text.count(a)
            if c != 1:
                F(qid, "anchor occurs %d times in %s: %s" % (c, d, a)); continue
            pos = text.index(a)
            anchors.append((d, pos, len(a)))
            labels.add(norm_label(it))
            ok, found = label_ok(text, pos, it)
            if ok is None:
                if it not in NON_NUMBERED_ITEMS:
                    F(qid, "item %r is neither a number label nor one of %s" % (it, sorted(NON_NUMBERED_ITEMS)))
            elif not ok:
                F(qid, "anchor %r lies in item %r, not %r" % (a, found, it))

        # must_mention
        docs_covered = set()
        for ph in mm:
            if not isinstance(ph, str):
                F(qid, "non-string must_mention"); continue
            is_label = norm_label(ph) in labels
            if not is_label and not (4 <= len(ph) <= 15):
                F(qid, "must_mention length %d not in 4-15: %s" % (len(ph), ph))
            near = False
            in_doc = False
            for d, pos, alen in anchors:
                text = docs[d]
                for m in re.finditer(re.escape(ph), text):
                    in_doc = True
                    lo, hi = m.start(), m.end()
                    if lo <= pos + alen + WINDOW and hi >= pos - WINDOW:
                        near = True
                        docs_covered.add(d)
                        break
            if not in_doc:
                F(qid, "must_mention not found in gold document(s): %s" % ph)
            elif not near:
                F(qid, "must_mention not within %d chars of any anchor: %s" % (WINDOW, ph))
        if kind == "compare":
            gd_docs = {gd["doc"] for gd in gold if isinstance(gd, dict) and "doc" in gd}
            if len(gd_docs) < 2:
                F(qid, "compare needs gold from >=2 documents")
            missing = gd_docs - docs_covered
            if missing:
                F(qid, "compare: no must_mention phrase from %s" % sorted(missing))
        if kind == "locate":
            if not any(norm_label(ph) in labels for ph in mm):
                F(qid, "locate: must_mention should include the item label")

        # copying check: longest run of the question (simplified) found in a gold document
        qs = T2S.convert(q)
        for d in {gd["doc"] for gd in gold if isinstance(gd, dict) and gd.get("doc") in docs}:
            lc = longest_common(qs, docs[d])
            if lc >= 15:
                F(qid, "question copies %d consecutive characters from %s" % (lc, d))
            elif lc >= 11:
                W(qid, "question shares %d consecutive characters with %s" % (lc, d))

    for k, n in EXPECTED.items():
        if kinds.get(k, 0) != n:
            F("counts", "kind %s: %d, expected %d" % (k, kinds.get(k, 0), n))
    if n_trad < MIN_TRAD:
        F("counts", "traditional-script questions %d < %d" % (n_trad, MIN_TRAD))
    if n_long < MIN_LONG:
        F("counts", "questions >=20 chars %d < %d" % (n_long, MIN_LONG))

    print("documents:", ", ".join(sorted(docs)))
    print("rows:", len(rows))
    print("kinds:", json.dumps(kinds, ensure_ascii=False, sort_keys=True))
    print("traditional-script questions:", n_trad)
    print("questions >=20 chars:", n_long)
    for w in warns:
        print("WARN", w)
    for x in fails:
        print("FAIL", x)
    print("failures:", len(fails))
    return 1 if fails else 0


if __name__ == '__main__':
    sys.exit(main())
