#!/usr/bin/env python3
"""Checks validation7.jsonl against the five policy texts (docs/ beside it, else data/policies/).

Stdlib only.  Traditional->simplified conversion uses opencc when it can be imported
(e.g. run with /work/main/.venv/bin/python); otherwise an embedded character map,
built with opencc from the national document and the questions, is used.
Exit status 0 = all checks passed.
"""
import json, os, re, sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(HERE, "docs")
if not os.path.isdir(DOCS):  # in the repository: the shipped texts
    DOCS = os.path.join(HERE, "..", "..", "data", "policies")
QFILE = os.path.join(HERE, "validation7.jsonl")

try:
    import opencc  # optional
    _cc = opencc.OpenCC("t2s")
    t2s = _cc.convert
    CONVERTER = "opencc"
except Exception:
    _MAP = dict(zip("來個們備傳價儀優內兩冊則創動務勝勞勢勵區協參員問單嚴國圍團執堅報場壓壘壟壯學實審專對導屆層崗帶幫幾廈廠廣廳張強徹愛態應戰戶採揚換揮搖撐據數斷時暢書會東桿條業極構標樣樹橋機檢檻權決沒況測準溝滿濟濫灣為無煩營爭獎獲獻現環甌產當發監眾確礎種積競簡籌粵糾紐級紛細組結絡給統經綜維綱網線總織續罰義習聯聲職臺與興舉萬藝處號術補裡製見規視親覺訂計訓託記設許訴診註詢試話該認誠說調談請講證識議護譽讀變讓貢貫責買費貿資賦質賬趕軌軍輕輸轄轉辦這進運過達適邊醫針鉆銷錢錯鍵鏈長門開間閱關隊階際隨險雙離難電響項領頭題類顧風養驗體鬧鮮麼點黨", "来个们备传价仪优内两册则创动务胜劳势励区协参员问单严国围团执坚报场压垒垄壮学实审专对导届层岗带帮几厦厂广厅张强彻爱态应战户采扬换挥摇撑据数断时畅书会东杆条业极构标样树桥机检槛权决没况测准沟满济滥湾为无烦营争奖获献现环瓯产当发监众确础种积竞简筹粤纠纽级纷细组结络给统经综维纲网线总织续罚义习联声职台与兴举万艺处号术补里制见规视亲觉订计训托记设许诉诊注询试话该认诚说调谈请讲证识议护誉读变让贡贯责买费贸资赋质账赶轨军轻输辖转办这进运过达适边医针钻销钱错键链长门开间阅关队阶际随险双离难电响项领头题类顾风养验体闹鲜么点党"))
    def t2s(text):
        return "".join(_MAP.get(ch, ch) for ch in text)
    CONVERTER = "embedded map"

PINYIN = re.compile(r"\([a-zA-Z\u00c0-\u024f\u0300-\u036f]+\)")
LABEL_AT_LINE = re.compile(r"(?m)^[ \t\u3000]*((?:[一二三四五六七八九十]+、)|(?:\([一二三四五六七八九十]+\))|(?:\d+\.))")
ITEM_FORMAT = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+\.|第[一二三四五六七八九十百零]+条)$")
SPECIAL_ITEMS = {"文头", "落款"}

KIND_COUNTS = {
    "unanswerable_beside": 20, "unanswerable_crossdoc": 15, "unanswerable_uncovered": 15,
    "paraphrase": 25, "figure": 8, "compare": 5, "part": 4, "locate": 4, "metadata": 4,
}
UNANSWERABLE = {k for k in KIND_COUNTS if k.startswith("unanswerable")}
FIELDS = ["id", "question", "kind", "gold", "must_mention", "note"]
NEAR = 300

def clean(raw):
    if PINYIN.search(raw):          # the traditional-script national page
        return t2s(PINYIN.sub("", raw))
    return raw

def label_kind(lab):
    if lab.endswith("、"):
        return "top"
    if lab.startswith("("):
        return "paren"
    return "num"

def nearest_labels(doc, pos):
    """Nearest numbering label of each kind starting at or before pos."""
    found = {}
    for m in LABEL_AT_LINE.finditer(doc):
        if m.start(1) > pos:
            break
        found[label_kind(m.group(1))] = m.group(1)
    return set(found.values())

def main():
    errors = []
    def err(qid, msg):
        errors.append("%s: %s" % (qid, msg))

    docs = {}
    for name in sorted(os.listdir(DOCS)):
        if name.endswith(".txt"):
            with open(os.path.join(DOCS, name), encoding="utf-8") as f:
                docs[name] = clean(f.read())

    recs = []
    with open(QFILE, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                err("line%d" % n, "blank line")
                continue
            try:
                recs.append(json.loads(line))
            except ValueError as e:
                err("line%d" % n, "bad JSON: %s" % e)

    if len(recs) != 100:
        err("file", "expected 100 records, got %d" % len(recs))
    ids = [r.get("id") for r in recs]
    if len(set(ids)) != len(ids):
        err("file", "duplicate ids: %s" % [i for i, c in Counter(ids).items() if c > 1])
    if ids != ["q%03d" % i for i in range(1, len(recs) + 1)]:
        err("file", "ids are not q001..q%03d in order" % len(recs))

    kinds = Counter(r.get("kind") for r in recs)
    for k, want in KIND_COUNTS.items():
        if kinds.get(k, 0) != want:
            err("file", "kind %s: %d, want %d" % (k, kinds.get(k, 0), want))
    for k in kinds:
        if k not in KIND_COUNTS:
            err("file", "unknown kind %r" % k)
    n_unans = sum(kinds.get(k, 0) for k in UNANSWERABLE)
    if n_unans != 50:
        err("file", "unanswerable total %d, want 50" % n_unans)

    trad = {"unans": 0, "ans": 0}
    long_q = 0
    for r in recs:
        qid = r.get("id", "?")
        if list(r.keys()) != FIELDS:
            err(qid, "fields %s, want exactly %s" % (list(r.keys()), FIELDS))
        q = r.get("question", "")
        if not isinstance(q, str) or not q.strip():
            err(qid, "empty question")
            continue
        if len(q) >= 20:
            long_q += 1
        is_trad = t2s(q) != q
        if is_trad:
            trad["unans" if r.get("kind") in UNANSWERABLE else "ans"] += 1
        if not isinstance(r.get("note"), str) or not r["note"].strip():
            err(qid, "empty note")
        gold, mm = r.get("gold"), r.get("must_mention")
        if not isinstance(gold, list) or not isinstance(mm, list):
            err(qid, "gold/must_mention must be lists")
            continue

        if r.get("kind") in UNANSWERABLE:
            if gold or mm:
                err(qid, "unanswerable must have empty gold and must_mention")
            continue

        if not gold:
            err(qid, "answerable question without gold")
        if not 1 <= len(mm) <= 3:
            err(qid, "must_mention count %d not in 1..3" % len(mm))
        if len(set(mm)) != len(mm):
            err(qid, "duplicate must_mention")

        spans = []  # (doc, start, end)
        for gi, gd in enumerate(gold):
            if not isinstance(gd, dict) or sorted(gd.keys()) != ["anchor", "doc", "item"]:
                err(qid, "gold[%d] must have exactly doc, anchor, item" % gi)
                continue
            doc, anc, item = gd["doc"], gd["anchor"], gd["item"]
            if doc not in docs:
                err(qid, "gold[%d] unknown doc %r" % (gi, doc))
                continue
            text = docs[doc]
            if not 8 <= len(anc) <= 25:
                err(qid, "anchor %r length %d not in 8..25" % (anc, len(anc)))
            if "\n" in anc:
                err(qid, "anchor %r contains a newline" % anc)
            if t2s(anc) != anc:
                err(qid, "anchor %r is not in simplified script" % anc)
            cnt = text.count(anc)
            if cnt != 1:
                err(qid, "anchor %r occurs %d times in %s" % (anc, cnt, doc))
                continue
            pos = text.index(anc)
            spans.append((doc, pos, pos + len(anc)))
            if item in SPECIAL_ITEMS:
                pass
            elif not ITEM_FORMAT.match(item or ""):
                err(qid, "item %r has an unexpected format" % item)
            else:
                near = nearest_labels(text, pos)
                if item not in near:
                    err(qid, "item %r is not a nearest label before anchor %r (found %s)"
                        % (item, anc, sorted(near)))
        if r.get("kind") == "compare":
            gdocs = {gd.get("doc") for gd in gold if isinstance(gd, dict)}
            if len(gold) != 2 or len(gdocs) != 2:
                err(qid, "compare needs 2 gold entries from 2 different documents")
            if len(mm) != len(gdocs):
                err(qid, "compare needs one must_mention per document")

        covered_docs = set()
        for phrase in mm:
            if not isinstance(phrase, str) or not phrase:
                err(qid, "bad must_mention %r" % phrase)
                continue
            if t2s(phrase) != phrase:
                err(qid, "must_mention %r is not in simplified script" % phrase)
            hit = False
            for doc, a, b in spans:
                text = docs[doc]
                lo, hi = max(0, a - NEAR), min(len(text), b + NEAR)
                if phrase in text[lo:hi]:
                    hit = True
                    covered_docs.add(doc)
            if not hit:
                err(qid, "must_mention %r not within %d chars of any gold anchor" % (phrase, NEAR))
        if r.get("kind") == "compare":
            gdocs = {s[0] for s in spans}
            if covered_docs != gdocs:
                err(qid, "compare: must_mention does not cover every document (%s)" % sorted(gdocs - covered_docs))

    n_trad = trad["unans"] + trad["ans"]
    if n_trad < 25:
        err("file", "traditional-script questions %d < 25" % n_trad)
    if trad["unans"] < 5 or trad["ans"] < 5:
        err("file", "traditional questions not spread over both halves: %s" % trad)
    if long_q < 85:
        err("file", "questions >= 20 chars: %d < 85" % long_q)

    print("converter: %s" % CONVERTER)
    print("kinds: " + ", ".join("%s=%d" % (k, kinds.get(k, 0)) for k in KIND_COUNTS))
    print("traditional-script questions: %d (unanswerable %d, answerable %d)"
          % (n_trad, trad["unans"], trad["ans"]))
    print("questions >= 20 chars: %d / %d" % (long_q, len(recs)))
    if errors:
        print("\n".join(errors))
        print("FAILED: %d problem(s)" % len(errors))
        return 1
    print("OK: all checks passed")
    return 0

if __name__ == "__main__":
    sys.exit(main())
