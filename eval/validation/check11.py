#!/usr/bin/env python3
"""Checker for /work/v11/validation11.jsonl (stdlib + opencc only).

Checks
  * every line is valid JSON with the required fields and types
  * ids u101..u200, unique
  * counts per kind (paraphrase 50, figure 10, compare 6, part 6, locate 4,
    metadata 4, unanswerable 20)
  * >= 30 questions written in traditional script, >= 90 questions of >= 20 chars
  * every anchor / must_mention is found in the named document after
    normalisation (pinyin annotations stripped, opencc t2s, whitespace removed)
  * anchor length 8-20, must_mention length 3-10 (normalised)
  * each anchor lies in exactly one segment of the document, where the document
    is split at the numbering ladder 一、 / （一） / 1. / （1） / 第X条; that segment
    must be a numbered clause whose ladder label equals `item`
    (metadata questions: the preamble "文首" or the sign-off block "落款")
  * must_mention phrases occur in one of the gold clauses
  * unanswerable: gold [] and must_mention []; others: gold non-empty;
    compare: gold from two different documents; part: gold = every child item
    of one part, nothing else
Usage: python check11.py [--dump DOCNAME]   (--dump prints the segmentation)
"""
import json
import os
import re
import sys

import opencc

HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(HERE, "docs")
DATA = os.path.join(HERE, "validation11.jsonl")

T2S = opencc.OpenCC("t2s")
S2T = opencc.OpenCC("s2t")

EXPECTED = {"paraphrase": 50, "figure": 10, "compare": 6, "part": 6,
            "locate": 4, "metadata": 4, "unanswerable": 20}
MIN_TRAD = 30
MIN_LONG = 90
LONG_LEN = 20

TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
PINYIN_RE = re.compile(r"\([a-zü%s]*[%s][a-zü%s]*\)" % (TONE, TONE, TONE))
WS_RE = re.compile(r"\s+")
CN_NUM = "一二三四五六七八九十"
LADDER = [
    ("A", re.compile(r"^([%s]{1,3})、" % CN_NUM)),          # 一、
    ("A", re.compile(r"^第([%s百零]{1,4})条" % CN_NUM)),     # 第X条
    ("B", re.compile(r"^[(（]([%s]{1,4})[)）]" % CN_NUM)),  # （一）
    ("C", re.compile(r"^(\d{1,2})[.．、](?!\d)")),          # 1.
    ("D", re.compile(r"^[(（](\d{1,2})[)）]")),             # （1）
]
CHILD_RE = re.compile(r"(\([一二三四五六七八九十]+\)|\d+|\(\d+\))$")
DOC_HINT = re.compile(r"天津|广东|粤|瓯海|温州|浙江|国家|总局|六部门|纲要|意见|方案|措施|大湾区|千百行动")
TAIL_START = re.compile(r"^(附件|相关阅读|[①②③④⑤※])")


def norm(s):
    """Strip pinyin annotations, convert to simplified, drop whitespace."""
    s = PINYIN_RE.sub("", s)
    s = T2S.convert(s)
    return WS_RE.sub("", s)


def is_tail_line(line):
    """A sign-off / boilerplate line: short, no sentence end, or 附件/①..."""
    if TAIL_START.match(line):
        return True
    return len(line) <= 30 and "。" not in line and "；" not in line


def segment(path):
    """Return list of (label, kind, normalised_text); kind in clause/preamble/tail."""
    with open(path, encoding="utf-8") as fh:
        raw_lines = fh.read().splitlines()
    segs = []
    cur = {"A": "", "B": "", "C": "", "D": ""}
    label, kind, buf = "文首", "preamble", []
    first_line_of_clause = False

    def flush():
        segs.append((label, kind, "".join(buf)))

    for raw in raw_lines:
        line = norm(raw)
        if not line:
            continue
        level = None
        for lv, rx in LADDER:
            m = rx.match(line)
            if m:
                level, num = lv, m.group(1)
                break
        if level:
            flush()
            if level == "A":
                cur = {"A": num, "B": "", "C": "", "D": ""}
            elif level == "B":
                cur.update(B="(%s)" % num, C="", D="")
            elif level == "C":
                cur.update(C=num, D="")
            else:
                cur.update(D="(%s)" % num)
            label = cur["A"] + cur["B"] + cur["C"] + cur["D"]
            kind, buf = "clause", [line]
            continue
        if kind == "clause" and is_tail_line(line):
            flush()
            label, kind, buf = "落款", "tail", [line]
            continue
        buf.append(line)
    flush()
    return [s for s in segs if s[2]]


S2TW = opencc.OpenCC("s2tw")
S2HK = opencc.OpenCC("s2hk")


def is_traditional(q):
    """Has traditional-only characters and no simplified-only ones
    (accepting OpenCC, Taiwan and Hong Kong standard forms)."""
    return T2S.convert(q) != q and any(c.convert(q) == q for c in (S2T, S2TW, S2HK))


def main():
    docs = sorted(f for f in os.listdir(DOCS) if f.endswith(".txt"))
    seg = {d: segment(os.path.join(DOCS, d)) for d in docs}
    full = {d: "".join(t for _, _, t in seg[d]) for d in docs}

    if len(sys.argv) > 2 and sys.argv[1] == "--dump":
        for lab, k, t in seg[sys.argv[2]]:
            print("[%s|%s] %s" % (lab, k, t[:70]))
        return 0

    errors, warns = [], []
    rows = []
    with open(DATA, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                errors.append("line %d: empty line" % n)
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                errors.append("line %d: invalid JSON: %s" % (n, e))

    fields = {"id": str, "question": str, "kind": str, "gold": list,
              "must_mention": list, "note": str}
    ids = []
    counts = {k: 0 for k in EXPECTED}
    n_trad = n_long = 0
    for r in rows:
        rid = r.get("id", "?")
        for f, ty in fields.items():
            if f not in r:
                errors.append("%s: missing field %s" % (rid, f))
            elif not isinstance(r[f], ty):
                errors.append("%s: field %s is not %s" % (rid, f, ty.__name__))
        if set(r) - set(fields):
            errors.append("%s: extra fields %s" % (rid, sorted(set(r) - set(fields))))
        ids.append(rid)
        kind = r.get("kind")
        if kind not in EXPECTED:
            errors.append("%s: bad kind %r" % (rid, kind))
            continue
        counts[kind] += 1
        q = r.get("question", "")
        if not q.strip() or not r.get("note", "").strip():
            errors.append("%s: empty question or note" % rid)
        if is_traditional(q):
            n_trad += 1
        elif T2S.convert(q) != q:
            errors.append("%s: mixed script (has traditional and simplified-only chars): %s"
                          % (rid, q))
        if len(q) >= LONG_LEN:
            n_long += 1
        gold = r.get("gold", [])
        mm = r.get("must_mention", [])
        if kind == "unanswerable":
            if gold or mm:
                errors.append("%s: unanswerable must have empty gold/must_mention" % rid)
            continue
        if not gold:
            errors.append("%s: gold empty" % rid)
            continue
        if not mm:
            errors.append("%s: must_mention empty" % rid)
        if len(mm) > 2:
            errors.append("%s: %d must_mention phrases (max 2)" % (rid, len(mm)))
        gold_texts = []
        for g in gold:
            if not isinstance(g, dict) or set(g) != {"doc", "anchor", "item"}:
                errors.append("%s: gold entry malformed %r" % (rid, g))
                continue
            d, a, item = g["doc"], norm(g["anchor"]), g["item"]
            if d not in seg:
                errors.append("%s: unknown doc %s" % (rid, d))
                continue
            if a != WS_RE.sub("", g["anchor"]):
                errors.append("%s: anchor not simplified/clean: %s" % (rid, g["anchor"]))
            if not 8 <= len(a) <= 20:
                errors.append("%s: anchor length %d: %s" % (rid, len(a), a))
            if a not in full[d]:
                errors.append("%s: anchor not in %s: %s" % (rid, d, a))
                continue
            hits = [(lab, k, t) for lab, k, t in seg[d] if a in t]
            if len(hits) != 1:
                errors.append("%s: anchor in %d segments (%s): %s"
                              % (rid, len(hits), [h[0] for h in hits], a))
                continue
            lab, k, t = hits[0]
            if kind == "metadata":
                if k not in ("preamble", "tail"):
                    errors.append("%s: metadata anchor not in issuing text: %s" % (rid, a))
            elif k != "clause":
                errors.append("%s: anchor not in a numbered clause (%s): %s" % (rid, lab, a))
            if lab != item:
                errors.append("%s: item %s but anchor is in %s: %s" % (rid, item, lab, a))
            gold_texts.append(t)
        for p in mm:
            pn = norm(p)
            if pn != WS_RE.sub("", p):
                errors.append("%s: must_mention not simplified: %s" % (rid, p))
            if not 3 <= len(pn) <= 10:
                errors.append("%s: must_mention length %d: %s" % (rid, len(pn), p))
            if not any(pn in t for t in gold_texts):
                errors.append("%s: must_mention not in gold clause(s): %s" % (rid, p))
        if kind == "compare":
            if len(gold) != 2 or len({g["doc"] for g in gold}) != 2:
                errors.append("%s: compare needs one clause from each of two docs" % rid)
        if kind == "part":
            d = gold[0]["doc"]
            items = [g["item"] for g in gold]
            if any(g["doc"] != d for g in gold):
                errors.append("%s: part gold spans several docs" % rid)
            # parent = the part label; children = clauses one ladder step below it
            parents = {CHILD_RE.sub("", it) for it in items}
            parent = parents.pop() if len(parents) == 1 else None
            labels = [lab for lab, k, _ in seg[d] if k == "clause"]
            kids = [lab for lab in labels if parent is not None and lab != parent
                    and CHILD_RE.sub("", lab) == parent]
            if parent is None or parent not in labels:
                errors.append("%s: part gold items do not share one parent: %s" % (rid, items))
            elif sorted(kids) != sorted(items):
                errors.append("%s: part gold %s != items of part %s %s"
                              % (rid, items, parent, kids))
        if kind in ("paraphrase", "figure", "locate") and len(gold) != 1:
            errors.append("%s: %s expects exactly one gold clause" % (rid, kind))

    expected_ids = ["u%d" % i for i in range(101, 201)]
    if len(ids) != len(set(ids)):
        errors.append("duplicate ids: %s" % sorted({i for i in ids if ids.count(i) > 1}))
    if sorted(ids) != sorted(expected_ids):
        errors.append("ids are not exactly u101..u200")
    for k, v in EXPECTED.items():
        if counts[k] != v:
            errors.append("kind %s: %d (expected %d)" % (k, counts[k], v))
    if n_trad < MIN_TRAD:
        errors.append("traditional questions: %d < %d" % (n_trad, MIN_TRAD))
    if n_long < MIN_LONG:
        errors.append("questions >= %d chars: %d < %d" % (LONG_LEN, n_long, MIN_LONG))

    unnamed = [r.get("id") for r in rows
               if not DOC_HINT.search(T2S.convert(r.get("question", "")))]
    print("rows:", len(rows))
    print("per kind:", json.dumps(counts, ensure_ascii=False))
    print("traditional:", n_trad, " >=%d chars:" % LONG_LEN, n_long)
    print("questions naming/hinting no document (info, heuristic): %d" % len(unnamed))
    for w in warns:
        print("WARN", w)
    for e in errors:
        print("ERROR", e)
    print("RESULT:", "PASS" if not errors else "FAIL (%d errors)" % len(errors))
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
