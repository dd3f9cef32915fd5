#!/usr/bin/env python3
"""Checker for /work/v30/validation30.jsonl (stdlib + opencc only).

Usage:
    python check30.py              # check validation30.jsonl next to this file
    python check30.py --dump       # print the numbered segments of every document
    python check30.py FILE.jsonl   # check another file

Verifies: JSON validity, required fields, unique sequential ids e101..e200,
counts per kind, traditional-script and length counts, that every anchor and
must_mention occurs (after t2s, pinyin stripped, whitespace removed) in the
named document, and that each anchor falls in exactly one numbered clause
whose number equals the declared `item`; paraphrase questions must not copy
6+ consecutive characters of their gold clause.
"""
import json
import os
import re
import sys
from collections import Counter

import opencc

HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(HERE, "docs")
T2S = opencc.OpenCC("t2s")
S2T = opencc.OpenCC("s2t")

EXPECTED_KINDS = {
    "paraphrase": 50, "figure": 8, "compare": 6, "part": 6,
    "locate": 6, "metadata": 4, "unanswerable": 20,
}
ID_PREFIX, ID_RANGE = "e", (101, 200)
MIN_TRAD = 30
LONG_MIN = 20          # a question of >= LONG_MIN characters counts as long
MIN_LONG_COUNT = 75    # at least this many long questions
Q_LEN = (6, 120)       # hard bounds for any question
COPY_MAX = 6           # paraphrase: no run of COPY_MAX chars shared with gold clause
ANCHOR_LEN = (8, 20)
MUST_LEN = (3, 10)     # characters per must_mention phrase
MUST_COUNT = (1, 3)    # must_mention phrases per answerable question

# pinyin glued after characters in the traditional scrape, e.g. 貿(mào)
PINYIN = re.compile(r"[(（][a-zA-Z\u00c0-\u024f\u1e00-\u1eff]*[\u00c0-\u024f\u1e00-\u1eff][a-zA-Z\u00c0-\u024f\u1e00-\u1eff]*[)）]")
WS = re.compile(r"\s+")
CN = "一二三四五六七八九十百"
MARKERS = [  # (level, regex) -- the numbering ladder, matched at line start
    (1, re.compile(r"^([%s]+)、" % CN)),
    (1, re.compile(r"^第([%s]+)条" % CN)),
    (2, re.compile(r"^[(（]([%s]+)[)）]" % CN)),
    (3, re.compile(r"^(\d+)[.．、](?!\d)")),
    (4, re.compile(r"^[(（](\d+)[)）]")),
]
HEAD, TAIL = "文首", "文尾"


def norm(text):
    """t2s, drop pinyin annotations, remove all whitespace."""
    text = PINYIN.sub("", text)
    text = T2S.convert(text)
    return WS.sub("", text)


def label_of(levels):
    l1, l2, l3, l4 = levels
    s = l1 or ""
    if l2:
        s += "(%s)" % l2
    if l3:
        s += l3
    if l4:
        s += "(%s)" % l4
    return s


def segment(raw):
    """Split a document at the numbering ladder.

    Returns a list of (label, levels, text).  Text before the first numbered
    clause is the segment 文首 (notice / header); text after the last clause
    paragraph is 文尾 (sign-off / site boilerplate)."""
    lines = [norm(l) for l in raw.splitlines()]
    lines = [l for l in lines if l]
    segs = []  # [label, levels, [lines]]
    cur = [HEAD, None, []]
    levels = [None, None, None, None]
    for line in lines:
        hit = None
        for lvl, rx in MARKERS:
            m = rx.match(line)
            if m:
                hit = (lvl, m.group(1))
                break
        if hit:
            segs.append(cur)
            lvl, num = hit
            levels[lvl - 1] = num
            for i in range(lvl, 4):
                levels[i] = None
            cur = [label_of(levels), tuple(levels), [line]]
        else:
            cur[2].append(line)
    segs.append(cur)
    # split the sign-off off the last clause: a clause whose marker line
    # already carries body text is one paragraph; what follows is the tail.
    last = segs[-1]
    if last[0] != HEAD and len(last[2]) > 1 and len(last[2][0]) > 30:
        segs[-1] = [last[0], last[1], last[2][:1]]
        segs.append([TAIL, None, last[2][1:]])
    else:
        segs.append([TAIL, None, []])
    return [(lab, lev, "".join(ls)) for lab, lev, ls in segs]


def parent(levels):
    lv = list(levels)
    for i in range(3, -1, -1):
        if lv[i]:
            lv[i] = None
            return tuple(lv)
    return None


def load_docs():
    docs = {}
    for fn in sorted(os.listdir(DOCS)):
        if fn.endswith(".txt"):
            with open(os.path.join(DOCS, fn), encoding="utf-8") as f:
                raw = f.read()
            segs = segment(raw)
            docs[fn] = {"segs": segs, "full": "".join(s[2] for s in segs)}
    return docs


def is_trad(q):
    return T2S.convert(q) != q


def main(argv):
    docs = load_docs()
    if "--dump" in argv:
        for fn, d in docs.items():
            print("=" * 20, fn)
            for lab, lev, txt in d["segs"]:
                print("[%s] %s" % (lab, txt[:70]))
        return 0
    args = [a for a in argv if not a.startswith("--")]
    path = args[0] if args else os.path.join(HERE, "validation30.jsonl")

    errors, warns = [], []
    rows = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                errors.append("line %d: empty line" % n)
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                errors.append("line %d: invalid JSON (%s)" % (n, e))

    fields = ["id", "question", "kind", "gold", "must_mention", "note"]
    ids = []
    kinds = Counter()
    trad = []
    lens = Counter()
    for r in rows:
        rid = r.get("id", "?")
        for k in fields:
            if k not in r:
                errors.append("%s: missing field %s" % (rid, k))
        if set(r) - set(fields):
            warns.append("%s: extra fields %s" % (rid, sorted(set(r) - set(fields))))
        ids.append(rid)
        q = r.get("question", "")
        kind = r.get("kind")
        kinds[kind] += 1
        if kind not in EXPECTED_KINDS:
            errors.append("%s: unknown kind %r" % (rid, kind))
        if not isinstance(r.get("note"), str) or not r.get("note", "").strip():
            errors.append("%s: empty note" % rid)
        # script
        if is_trad(q):
            trad.append(rid)
            if S2T.convert(q) != q:
                errors.append("%s: traditional question still has simplified forms: %s"
                              % (rid, S2T.convert(q)))
        # length
        L = len(q)
        if not Q_LEN[0] <= L <= Q_LEN[1]:
            errors.append("%s: question length %d outside %s" % (rid, L, Q_LEN))
        if L >= LONG_MIN:
            lens["long"] += 1
        else:
            lens["short"] += 1
        gold = r.get("gold", [])
        mm = r.get("must_mention", [])
        if not isinstance(gold, list) or not isinstance(mm, list):
            errors.append("%s: gold/must_mention must be lists" % rid)
            continue
        if kind == "unanswerable":
            if gold or mm:
                errors.append("%s: unanswerable must have gold [] and must_mention []" % rid)
            continue
        if not gold:
            errors.append("%s: answerable question without gold" % rid)
            continue
        if not MUST_COUNT[0] <= len(mm) <= MUST_COUNT[1]:
            errors.append("%s: must_mention needs %d-%d phrases, has %d"
                          % (rid, MUST_COUNT[0], MUST_COUNT[1], len(mm)))
        gold_texts = []
        gold_docs = []
        for g in gold:
            doc, anchor, item = g.get("doc"), g.get("anchor", ""), g.get("item", "")
            if doc not in docs:
                errors.append("%s: unknown doc %r" % (rid, doc))
                continue
            gold_docs.append(doc)
            if not ANCHOR_LEN[0] <= len(anchor) <= ANCHOR_LEN[1]:
                errors.append("%s: anchor %r length %d" % (rid, anchor, len(anchor)))
            if T2S.convert(anchor) != anchor:
                errors.append("%s: anchor %r not in simplified script" % (rid, anchor))
            if anchor not in docs[doc]["full"]:
                errors.append("%s: anchor %r not found in %s" % (rid, anchor, doc))
                continue
            hits = [s for s in docs[doc]["segs"] if anchor in s[2]]
            if len(hits) != 1:
                errors.append("%s: anchor %r in %d clauses %s" %
                              (rid, anchor, len(hits), [h[0] for h in hits]))
                continue
            lab, lev, txt = hits[0]
            if lab != item:
                errors.append("%s: anchor %r is in clause %s, item says %s" % (rid, anchor, lab, item))
            if kind == "metadata" and lab not in (HEAD, TAIL):
                errors.append("%s: metadata anchor not in notice/sign-off" % rid)
            if kind != "metadata" and lab in (HEAD, TAIL):
                errors.append("%s: anchor lies outside the numbered clauses" % rid)
            gold_texts.append((doc, lab, lev, txt))
        for p in mm:
            if not MUST_LEN[0] <= len(p) <= MUST_LEN[1]:
                errors.append("%s: must_mention %r length %d" % (rid, p, len(p)))
            if T2S.convert(p) != p:
                errors.append("%s: must_mention %r not in simplified script" % (rid, p))
            if not any(g.get("doc") in docs and p in docs[g["doc"]]["full"] for g in gold):
                errors.append("%s: must_mention %r not found in named document" % (rid, p))
            elif gold_texts and not any(p in t[3] for t in gold_texts):
                errors.append("%s: must_mention %r not inside a gold clause" % (rid, p))
        # paraphrase: the question must not lift a run of the clause text
        qn = norm(q)
        if gold_texts:
            copied = sorted({qn[i:i + COPY_MAX] for i in range(len(qn) - COPY_MAX + 1)
                             if any(qn[i:i + COPY_MAX] in t[3] for t in gold_texts)})
            if copied:
                msg = "%s: question copies clause text %s" % (rid, copied)
                (errors if kind == "paraphrase" else warns).append(msg)
        # kind-specific structure
        if kind in ("paraphrase", "figure", "locate", "metadata") and len(gold) != 1:
            errors.append("%s: %s needs exactly one gold clause" % (rid, kind))
        if kind == "compare":
            if len(gold) != 2 or len(set(gold_docs)) != 2:
                errors.append("%s: compare needs one clause from each of two documents" % rid)
        if kind == "figure" and not any(re.search(r"[0-9%s%%季年月周]" % CN, p) for p in mm):
            errors.append("%s: figure must_mention carries no number/frequency" % rid)
        if kind == "part" and gold_texts:
            if len(set(gold_docs)) != 1:
                errors.append("%s: part gold spans several documents" % rid)
            else:
                doc = gold_docs[0]
                parents = {parent(t[2]) for t in gold_texts}
                if len(parents) != 1:
                    errors.append("%s: part items have different parents %s" % (rid, parents))
                else:
                    par = parents.pop()
                    children = [s[0] for s in docs[doc]["segs"]
                                if s[1] and parent(s[1]) == par]
                    got = [t[1] for t in gold_texts]
                    if sorted(children) != sorted(got) or len(got) != len(set(got)):
                        errors.append("%s: part gold %s != items of part %s: %s"
                                      % (rid, got, label_of(par), children))

    expected_ids = ["%s%d" % (ID_PREFIX, i) for i in range(ID_RANGE[0], ID_RANGE[1] + 1)]
    if len(ids) != len(set(ids)):
        dup = [i for i, c in Counter(ids).items() if c > 1]
        errors.append("duplicate ids: %s" % dup)
    if ids != expected_ids:
        errors.append("ids are not exactly %s..%s in order" % (expected_ids[0], expected_ids[-1]))
    for k, n in EXPECTED_KINDS.items():
        if kinds[k] != n:
            errors.append("kind %s: %d, expected %d" % (k, kinds[k], n))
    if len(trad) < MIN_TRAD:
        errors.append("only %d traditional questions, need >= %d" % (len(trad), MIN_TRAD))
    if lens["long"] < MIN_LONG_COUNT:
        errors.append("only %d questions of >= %d chars, need >= %d"
                      % (lens["long"], LONG_MIN, MIN_LONG_COUNT))

    print("file: %s" % path)
    print("questions: %d" % len(rows))
    print("kinds: %s" % ", ".join("%s=%d" % (k, kinds[k]) for k in EXPECTED_KINDS))
    print("traditional: %d (%s)" % (len(trad), " ".join(trad)))
    print("length: >=%d chars: %d, shorter: %d" % (LONG_MIN, lens["long"], lens["short"]))
    allq = [len(r.get("question", "")) for r in rows]
    if allq:
        print("length min/median/max: %d/%d/%d" % (min(allq), sorted(allq)[len(allq) // 2], max(allq)))
    for w in warns:
        print("WARN", w)
    for e in errors:
        print("ERROR", e)
    print("RESULT: %s (%d errors)" % ("PASS" if not errors else "FAIL", len(errors)))
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
