#!/usr/bin/env python3
"""Checker for /work/v13/validation13.jsonl (stdlib + opencc).

Verifies: JSON validity, required fields, unique ids x101..x200, counts per kind,
traditional-script / length / document-naming counts, every anchor and
must_mention found in the named document (after t2s, pinyin stripped,
whitespace removed), each anchor found in exactly one numbered clause (text split
at the numbering ladder 一、/（一）/1./（1）/第X条), the gold item label matches
that clause, part questions list every item of the part, compare questions
cite two different documents, unanswerable questions have empty gold.

Usage: python check13.py [--dump]   (--dump prints the clause segmentation)
"""
import json
import os
import re
import sys
from collections import Counter, defaultdict

import opencc

HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(HERE, "docs")
DATA = os.path.join(HERE, "validation13.jsonl")

T2S = opencc.OpenCC("t2s")
S2T = opencc.OpenCC("s2t")

KIND_TARGET = {"paraphrase": 52, "figure": 10, "compare": 6, "part": 6,
               "locate": 3, "metadata": 3, "unanswerable": 20}
FIELDS = ["id", "question", "kind", "gold", "must_mention", "note"]
CN = "一二三四五六七八九十百零〇"

# pinyin annotations glued after characters, e.g. 貿(mào); lower-case letters only,
# so that (TISC) / (SOC) / (BIM) / (5G) survive.
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+\)")
WS = re.compile(r"\s+")

# numbering ladder at the start of a line
LADDER = [
    (0, re.compile(r"^第([" + CN + r"]+)条")),
    (1, re.compile(r"^([" + CN + r"]+)、")),
    (2, re.compile(r"^[（(]([" + CN + r"]+)[）)]")),
    (3, re.compile(r"^(\d+)[.．、](?!\d)")),
    (4, re.compile(r"^[（(](\d+)[）)]")),
]
BOILER = re.compile(r"^([①②③④⑤※•]|附件|相关阅读)")


def norm(s):
    """t2s + strip pinyin + remove whitespace."""
    s = PINYIN.sub("", s)
    s = T2S.convert(s)
    return WS.sub("", s)


def label_of(stack):
    out = ""
    for lvl, num in stack:
        if lvl == 0:
            out += "第%s条" % num
        elif lvl == 1:
            out += num
        elif lvl == 2:
            out += "(%s)" % num
        elif lvl == 3:
            out += num
        else:
            out += "(%s)" % num
    return out


def segment(path):
    """Return list of (label, normalized_text). Label '前言' for text before the
    first numbered line, '其他' for short non-clause lines (sign-off, site
    boilerplate) after it."""
    raw = open(path, encoding="utf-8").read()
    segs = [["前言", []]]
    other = ["其他", []]
    stack = []
    started = False
    for line in raw.splitlines():
        st = line.strip()
        if not st:
            continue
        hit = None
        for lvl, rx in LADDER:
            m = rx.match(st)
            if m:
                hit = (lvl, m.group(1))
                break
        if hit:
            started = True
            lvl = hit[0]
            stack = [x for x in stack if x[0] < lvl] + [hit]
            segs.append([label_of(stack), [st]])
        elif not started:
            segs[0][1].append(st)
        else:
            # continuation of the current clause only if it is body text
            if BOILER.match(st) or (len(st) < 40 and not st.startswith("——")):
                other[1].append(st)
            else:
                segs[-1][1].append(st)
    segs.append(other)
    return [(lab, norm("".join(lines))) for lab, lines in segs]


def children(segs, parent):
    """Direct children (one ladder step deeper) of a part label."""
    out = []
    for lab, _ in segs:
        if lab in ("前言", "其他") or lab == parent or not lab.startswith(parent):
            continue
        rest = lab[len(parent):]
        # one component: (X) or digits or CN numeral
        if re.fullmatch(r"\([^()]+\)|\d+|[" + CN + r"]+", rest):
            out.append(lab)
    return out


def parent_of(lab):
    m = re.match(r"^(.*?)(\([^()]+\)|\d+)$", lab)
    return m.group(1) if m else ""


def is_trad(q):
    return S2T.convert(q) == q and T2S.convert(q) != q


def is_simp(q):
    return T2S.convert(q) == q


DOC_HINTS = ["广东", "廣東", "粤", "粵", "深圳", "東莞", "东莞", "港澳",
             "天津", "津", "温州", "溫州", "瓯海", "甌海",
             "六部门", "六部門", "总局", "總局", "国家", "國家", "全国", "全國",
             "纲要", "綱要", "实施意见", "實施意見", "千百行动", "千百行動", "部委"]


def names_doc(q):
    return any(h in q for h in DOC_HINTS)


def main():
    dump = "--dump" in sys.argv
    docs = {}
    for f in sorted(os.listdir(DOCS)):
        if f.endswith(".txt"):
            segs = segment(os.path.join(DOCS, f))
            docs[f] = {"segs": segs, "full": "".join(t for _, t in segs),
                       "full_raw": norm(open(os.path.join(DOCS, f), encoding="utf-8").read())}
            if dump:
                print("=" * 20, f)
                for lab, t in segs:
                    print("%-12s %4d %s" % (lab, len(t), t[:50]))
    if dump:
        return

    errors = []
    warns = []
    rows = []
    with open(DATA, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                errors.append("line %d: empty line" % n)
                continue
            try:
                rows.append(json.loads(line))
            except Exception as e:  # noqa
                errors.append("line %d: invalid JSON: %s" % (n, e))

    ids = [r.get("id") for r in rows]
    if len(rows) != 100:
        errors.append("expected 100 rows, got %d" % len(rows))
    dup = [k for k, v in Counter(ids).items() if v > 1]
    if dup:
        errors.append("duplicate ids: %s" % dup)
    want_ids = ["x%d" % i for i in range(101, 201)]
    if sorted(ids) != sorted(want_ids):
        errors.append("ids are not exactly x101..x200")
    if ids != want_ids:
        warns.append("ids not in order")

    kinds = Counter()
    trad = 0
    named = 0
    lengths = []
    anchors_seen = Counter()
    for r in rows:
        rid = r.get("id", "?")
        for k in FIELDS:
            if k not in r:
                errors.append("%s: missing field %s" % (rid, k))
        if set(r) - set(FIELDS):
            errors.append("%s: extra fields %s" % (rid, set(r) - set(FIELDS)))
        q = r.get("question", "")
        kind = r.get("kind")
        gold = r.get("gold", [])
        mm = r.get("must_mention", [])
        if not isinstance(q, str) or not isinstance(gold, list) or not isinstance(mm, list):
            errors.append("%s: wrong field types" % rid)
            continue
        if not isinstance(r.get("note"), str) or not r.get("note"):
            errors.append("%s: empty note" % rid)
        kinds[kind] += 1
        if kind not in KIND_TARGET:
            errors.append("%s: unknown kind %s" % (rid, kind))
        L = len(q)
        lengths.append(L)
        if not 30 <= L <= 80:
            errors.append("%s: question length %d not in 30..80" % (rid, L))
        if re.search(r"\s", q):
            errors.append("%s: whitespace in question" % rid)
        if is_trad(q):
            trad += 1
        elif not is_simp(q):
            errors.append("%s: question mixes scripts (t2s=%s / s2t=%s)" % (
                rid, T2S.convert(q), S2T.convert(q)))
        if names_doc(q):
            named += 1

        if kind == "unanswerable":
            if gold or mm:
                errors.append("%s: unanswerable must have empty gold and must_mention" % rid)
            continue
        if not gold:
            errors.append("%s: answerable question without gold" % rid)
            continue
        if not 1 <= len(mm) <= 2:
            errors.append("%s: must_mention should have 1-2 phrases" % rid)

        gold_segs = []
        for g in gold:
            doc, anc, item = g.get("doc"), g.get("anchor", ""), g.get("item", "")
            if set(g) != {"doc", "anchor", "item"}:
                errors.append("%s: gold entry fields %s" % (rid, sorted(g)))
            if doc not in docs:
                errors.append("%s: unknown doc %s" % (rid, doc))
                continue
            if not 8 <= len(anc) <= 20:
                errors.append("%s: anchor length %d not 8..20: %s" % (rid, len(anc), anc))
            if T2S.convert(anc) != anc:
                errors.append("%s: anchor not simplified: %s" % (rid, anc))
            anchors_seen[(doc, anc)] += 1
            D = docs[doc]
            if D["full_raw"].count(anc) == 0:
                errors.append("%s: anchor not in %s: %s" % (rid, doc, anc))
                continue
            hits = [lab for lab, t in D["segs"] if anc in t]
            if kind == "metadata":
                if D["full_raw"].count(anc) != 1:
                    errors.append("%s: metadata anchor occurs %d times" % (
                        rid, D["full_raw"].count(anc)))
                if any(h not in ("前言", "其他") for h in hits) or not hits:
                    errors.append("%s: metadata anchor not in notice/sign-off text: %s" % (rid, hits))
                gold_segs.append((doc, hits[0] if hits else None))
                continue
            numbered = [h for h in hits if h not in ("前言", "其他")]
            if len(numbered) != 1 or len(hits) != 1:
                errors.append("%s: anchor in %d clauses %s (%s)" % (rid, len(hits), hits, anc))
                continue
            if numbered[0] != item:
                errors.append("%s: item %s but anchor is in clause %s" % (rid, item, numbered[0]))
            gold_segs.append((doc, numbered[0]))

        # must_mention: substrings of the gold clause(s)
        gold_text = ""
        for doc, lab in gold_segs:
            gold_text += "".join(t for l, t in docs[doc]["segs"] if l == lab)
        for p in mm:
            if not 3 <= len(p) <= 10:
                errors.append("%s: must_mention length %d not 3..10: %s" % (rid, len(p), p))
            if T2S.convert(p) != p:
                errors.append("%s: must_mention not simplified: %s" % (rid, p))
            if p not in gold_text:
                errors.append("%s: must_mention not in gold clause(s): %s" % (rid, p))

        if kind in ("paraphrase", "figure", "locate", "metadata") and len(gold) != 1:
            errors.append("%s: %s should have exactly one gold" % (rid, kind))
        if kind == "figure" and not any(re.search(r"\d|每|逐年|[" + CN + "]", p) for p in mm):
            errors.append("%s: figure must_mention should contain the figure" % rid)
        if kind == "compare":
            ds = [d for d, _ in gold_segs]
            if len(gold) != 2 or len(set(ds)) != 2:
                errors.append("%s: compare needs one clause from each of two documents" % rid)
        if kind == "part":
            labs = [l for _, l in gold_segs]
            docs_used = {d for d, _ in gold_segs}
            parents = {parent_of(l) for l in labs}
            if len(docs_used) != 1 or len(parents) != 1:
                errors.append("%s: part gold must be one part of one document" % rid)
            else:
                par = parents.pop()
                want = children(docs[docs_used.pop()]["segs"], par)
                if sorted(want) != sorted(labs):
                    errors.append("%s: part %s items %s, gold has %s" % (rid, par, want, labs))

    for k, v in KIND_TARGET.items():
        if kinds[k] != v:
            errors.append("kind %s: %d, expected %d" % (k, kinds[k], v))
    if trad < 30:
        errors.append("only %d traditional questions (need >= 30)" % trad)
    if not 40 <= (100 - named) <= 60:
        errors.append("%d questions name/hint no document (want about half)" % (100 - named))
    for (d, a), v in anchors_seen.items():
        if v > 1:
            warns.append("anchor reused %d times: %s %s" % (v, d, a))

    print("rows: %d" % len(rows))
    print("kinds: " + ", ".join("%s=%d" % (k, kinds[k]) for k in KIND_TARGET))
    print("traditional: %d, simplified: %d" % (trad, len(rows) - trad))
    print("naming/hinting a document: %d, not naming: %d" % (named, len(rows) - named))
    if lengths:
        b = Counter((L // 10) * 10 for L in lengths)
        print("length min/median/max: %d/%d/%d" % (
            min(lengths), sorted(lengths)[len(lengths) // 2], max(lengths)))
        print("length buckets: " + ", ".join("%d-%d:%d" % (k, k + 9, b[k]) for k in sorted(b)))
    for w in warns:
        print("WARN", w)
    for e in errors:
        print("ERROR", e)
    print("PASS" if not errors else "FAIL (%d errors)" % len(errors))
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())
