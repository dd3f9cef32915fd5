#!/usr/bin/env python3
"""Checker for validation6.jsonl (usage: python3 check6.py [--docs DOCDIR] [--file validation6.jsonl]).
Cleans the five policy texts (national file: strip glued pinyin, traditional->simplified),
then verifies anchors, must_mention phrases, ids, kind counts, traditional count, lengths."""
import json, re, os, sys, subprocess
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
DOCDIR = os.path.join(HERE, "..", "..", "data", "policies")
QFILE = os.path.join(HERE, "validation6.jsonl")
if "--docs" in sys.argv:
    DOCDIR = sys.argv[sys.argv.index("--docs") + 1]
if "--file" in sys.argv:
    QFILE = sys.argv[sys.argv.index("--file") + 1]
EXPECTED = {"paraphrase": 35, "figure": 12, "compare": 10, "part": 6, "locate": 5,
            "lookup": 3, "metadata": 4, "unanswerable": 25}
PINYIN = re.compile(r"\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+\)")
ITEM = re.compile(r"^\s*([一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+\.)")

# ---- opencc t2s: in-process if available, otherwise via the venv python (opencc only) ----
try:
    import opencc
    _cc = opencc.OpenCC("t2s")
    def t2s_many(texts):
        return [_cc.convert(t) for t in texts]
except ImportError:
    def t2s_many(texts):
        code = ("import sys,json,opencc;c=opencc.OpenCC('t2s');"
                "d=json.load(sys.stdin);json.dump([c.convert(x) for x in d],sys.stdout,ensure_ascii=False)")
        out = subprocess.run([sys.executable, "-c", code],
                             input=json.dumps(texts, ensure_ascii=False),
                             capture_output=True, text=True, check=True).stdout
        return json.loads(out)

def load_docs():
    names = sorted(n for n in os.listdir(DOCDIR) if n.endswith(".txt"))
    raw = {n: open(os.path.join(DOCDIR, n), encoding="utf-8").read() for n in names}
    nat = [n for n in names if n.startswith("national")]
    for n in nat:
        raw[n] = PINYIN.sub("", raw[n])
    conv = t2s_many([raw[n] for n in nat])
    for n, t in zip(nat, conv):
        raw[n] = t
    return raw

def clause_of(text, pos):
    """Strict clause: from the numbered line at/before pos to the next numbered line."""
    lines = text.split("\n")
    offs, o = [], 0
    for ln in lines:
        offs.append(o); o += len(ln) + 1
    li = max(i for i, s in enumerate(offs) if s <= pos)
    start = 0
    for i in range(li, -1, -1):
        if ITEM.match(lines[i]):
            start = i; break
    end = len(lines)
    for i in range(li + 1, len(lines)):
        if ITEM.match(lines[i]):
            end = i; break
    return "\n".join(lines[start:end])

LABEL = re.compile(r"[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+\.")
def level(comp):
    return 0 if comp.endswith("、") else (1 if comp.startswith("(") else 2)

def check_item(text, pos, item):
    """Item label (e.g. 二、(四)9.) must match the numbered lines enclosing the anchor."""
    comps = LABEL.findall(item)
    if not comps or "".join(comps) != item:
        return "unparseable item label"
    lines = text[:pos].split("\n")
    for comp in reversed(comps):
        lv = level(comp)
        found = None
        for ln in reversed(lines):
            m = ITEM.match(ln)
            if m and level(m.group(1)) == lv:
                found = m.group(1); break
            if m and level(m.group(1)) < lv and comp is comps[-1]:
                break
        if found != comp:
            return f"label {comp} does not match enclosing item {found}"
    return None

META_ITEMS = {"文号", "落款", "发布信息"}

def main():
    docs = load_docs()
    recs = [json.loads(l) for l in open(QFILE, encoding="utf-8") if l.strip()]
    errors, warnings = [], []
    E = errors.append
    ids = [r.get("id") for r in recs]
    if len(recs) != 100: E(f"expected 100 records, got {len(recs)}")
    if len(set(ids)) != len(ids): E("duplicate ids: %s" % [i for i, c in Counter(ids).items() if c > 1])
    if ids != ["z%03d" % i for i in range(1, len(recs) + 1)]: E("ids are not z001..z%03d in order" % len(recs))
    simp_q = t2s_many([r["question"] for r in recs])
    trad = 0; long20 = 0
    kinds = Counter()
    for r, sq in zip(recs, simp_q):
        rid = r["id"]
        for k in ("id", "question", "kind", "gold", "must_mention", "note"):
            if k not in r: E(f"{rid}: missing field {k}")
        kind = r["kind"]; kinds[kind] += 1
        if kind not in EXPECTED: E(f"{rid}: bad kind {kind}")
        if sq != r["question"]: trad += 1
        if len(r["question"]) >= 20: long20 += 1
        if kind == "paraphrase" and len(r["question"]) < 20: E(f"{rid}: paraphrase shorter than 20 chars")
        if not r["note"].strip() or "\n" in r["note"]: E(f"{rid}: note must be one non-empty line")
        if kind == "unanswerable":
            if r["gold"] or r["must_mention"]: E(f"{rid}: unanswerable must have empty gold and must_mention")
            continue
        if not r["gold"]: E(f"{rid}: answerable question without gold"); continue
        mm = r["must_mention"]
        if not 1 <= len(mm) <= 3: E(f"{rid}: must_mention count {len(mm)}")
        windows, clauses = [], []
        for g in r["gold"]:
            d, a, item = g.get("doc"), g.get("anchor", ""), g.get("item", "")
            if d not in docs: E(f"{rid}: unknown doc {d}"); continue
            if not item: E(f"{rid}: empty item label")
            if not 8 <= len(a) <= 25: E(f"{rid}: anchor length {len(a)}: {a}")
            if t2s_many([a])[0] != a: E(f"{rid}: anchor not simplified: {a}")
            t = docs[d]; c = t.count(a)
            if c != 1: E(f"{rid}: anchor occurs {c}x in {d}: {a}"); continue
            p = t.find(a)
            if kind == "metadata":
                if item not in META_ITEMS: E(f"{rid}: metadata item label {item}")
            else:
                msg = check_item(t, p + len(a), item)
                if msg: E(f"{rid}: {d} {item}: {msg}")
            windows.append(t[max(0, p - 400): p + len(a) + 400])
            clauses.append(clause_of(t, p))
        for m in mm:
            if not 4 <= len(m) <= 15: E(f"{rid}: must_mention length {len(m)}: {m}")
            if not any(m in w for w in windows): E(f"{rid}: must_mention not within ±400 of a gold anchor: {m}")
            elif not any(m in c for c in clauses): warnings.append(f"{rid}: must_mention outside strict clause: {m}")
            if kind == "paraphrase" and m in sq: E(f"{rid}: paraphrase question copies key term: {m}")
        if kind == "compare":
            if len({g["doc"] for g in r["gold"]}) < 2: E(f"{rid}: compare needs >=2 documents")
        if kind == "part" and len(r["gold"]) < 2: E(f"{rid}: part needs every item of the part")
        if kind in ("figure",) and not any(re.search(r"\d", m) for m in mm):
            warnings.append(f"{rid}: figure must_mention has no digit")
    for k, n in EXPECTED.items():
        if kinds[k] != n: E(f"kind {k}: {kinds[k]} (expected {n})")
    if trad < 20: E(f"traditional-script questions {trad} < 20")
    if long20 < 85: E(f"questions >=20 chars {long20} < 85")
    print("per-kind counts:", dict(sorted(kinds.items(), key=lambda kv: -kv[1])))
    print(f"records={len(recs)} traditional={trad} len>=20={long20} answerable={len(recs)-kinds['unanswerable']}")
    for w in warnings: print("WARN", w)
    for e in errors: print("ERROR", e)
    print("PASS" if not errors else f"FAIL ({len(errors)} errors)")
    return 0 if not errors else 1

if __name__ == "__main__":
    sys.exit(main())
