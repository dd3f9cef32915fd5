#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Validate validation8.jsonl against the five policy texts.

Standard library only.  Traditional->simplified conversion uses, in order:
  1. the opencc module, if importable by the running interpreter;
  2. opencc through /work/main/.venv/bin/python (subprocess), if present;
  3. the embedded character table below (covers the national document and
     the traditional-script questions of this set).

Usage:  python3 check8.py [--table] [path/to/validation8.jsonl]
        --table forces the embedded character table (no opencc).
Exit status 0 when every check passes.
"""
import json
import os
import re
import subprocess
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
VENV_PY = "/work/main/.venv/bin/python"

EXPECTED_KINDS = {
    "unanswerable": 60,
    "paraphrase": 18,
    "figure": 6,
    "compare": 5,
    "part": 3,
    "locate": 4,
    "metadata": 4,
}
FIELDS = ["id", "question", "kind", "gold", "must_mention", "note"]
MIN_TRAD = 25
MIN_LONG = 85          # questions with >= 20 characters
LONG_LEN = 20
ANCHOR_MIN, ANCHOR_MAX = 8, 25
WINDOW = 300

# pinyin glued after characters, e.g. 貿(mào): lower-case latin letters,
# optionally with tone marks, inside ASCII or full-width parentheses.
PINYIN_RE = re.compile(r"[(\uff08][a-z\u00e0-\u00fc\u0101-\u01dc\u0144\u0148\u01f9\u1e3f]+[)\uff09]")

# ---------------------------------------------------------------- embedded table
# T2S: pairs "traditional simplified" as a flat string, 2 chars per entry.
T2S_PAIRS = "來来個个們们備备傳传價价儀仪優优內内兩两冊册別别則则創创動动務务勝胜勞劳勢势勵励區区協协參参員员問问單单嗎吗嚴严國国圍围團团執执堅坚報报場场壓压壘垒壟垄壯壮學学實实寧宁審审寫写專专對对導导屆届層层崗岗帶带幫帮幾几廈厦廠厂廣广廳厅強强後后徹彻愛爱態态應应戰战採采揚扬揮挥搖摇撐撑據据數数斷断時时暢畅書书會会東东桿杆條条業业極极榮荣構构標标樣样樹树橋桥機机檢检檻槛權权決决沒没況况測测準准溝沟滿满濟济濫滥為为無无營营爭争獎奖獲获獻献現现環环甌瓯產产當当發发監监眾众確确礎础種种積积競竞範范簡简籌筹糾纠紐纽級级紛纷細细組组結结絡络給给統统經经綜综維维綱纲網网線线總总織织續续義义習习聯联聲声職职臺台與与興兴舉举萬万藝艺處处號号術术補补裡里製制複复見见規规視视親亲覺觉訂订計计訓训記记設设許许訴诉診诊註注評评詢询試试話话該该認认誠诚說说誰谁調调談谈請请諾诺證证識识議议護护譽誉讀读變变讓让負负貢贡貫贯責责買买貸贷費费貿贸資资賠赔賦赋質质趕赶軌轨軍军輕轻輸输轄辖轉转辦办這这進进運运過过達达適适醫医針针鉆钻銷销錄录錢钱錶表鍵键鏈链鏡镜長长門门開开間间閱阅闆板關关隊队階阶際际隨随險险雙双離离難难電电響响項项須须預预領领頭头題题類类顧顾風风養养驗验體体鮮鲜鷗鸥麼么點点黨党龍龙"
# characters that are simplified-only forms (used for script detection).
SIMP_ONLY = "专业东个举么书争于云产仪们价会体关兴内册况准减几划则创别办务动励区医单厂参双发变台号后吗员咨国场处备复头奖学实审对导届帮干广库开强彻总户护报挂挥据撑数时术机条来构标样检没测济游湾点牵献现瓯电监础秘税类级纲组织经结给统绩综绿网罚苏范获营虚装见规视计认训讲许设证评诊试说请课贡质贯贷费资车边达过运还这进里钱银锁错长门问间阶随项须频飞验鸽龙"


def find_docs_dir():
    for cand in ("/work/v8/docs",
                 os.path.join(HERE, "docs"),
                 os.path.normpath(os.path.join(HERE, "..", "..", "data", "policies"))):
        if os.path.isdir(cand):
            return cand
    sys.exit("cannot find the policy documents directory")


class Converter:
    """t2s(text) for whole texts; char-level helpers for script detection."""

    def __init__(self, force_table=False):
        self.mode = None
        self._t2s = self._s2t = None
        self.table = {T2S_PAIRS[i]: T2S_PAIRS[i + 1] for i in range(0, len(T2S_PAIRS) - 1, 2)}
        self.simp_only = set(SIMP_ONLY)
        if force_table:
            self.mode = "table"
            return
        try:
            import opencc  # noqa: F401
            t = opencc.OpenCC("t2s")
            s = opencc.OpenCC("s2t")
            self._t2s, self._s2t = t.convert, s.convert
            self.mode = "opencc"
        except Exception:
            if os.path.exists(VENV_PY) and self._probe_venv():
                self.mode = "opencc-subprocess"
            else:
                self.mode = "table"

    @staticmethod
    def _run_venv(texts, config):
        code = ("import sys,json,opencc;c=opencc.OpenCC(sys.argv[1]);"
                "print(json.dumps([c.convert(x) for x in json.load(sys.stdin)]))")
        p = subprocess.run([VENV_PY, "-c", code, config], input=json.dumps(texts),
                           capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            raise RuntimeError(p.stderr)
        return json.loads(p.stdout)

    def _probe_venv(self):
        try:
            return self._run_venv(["貿易"], "t2s") == ["贸易"]
        except Exception:
            return False

    def t2s_many(self, texts):
        if self.mode == "opencc":
            return [self._t2s(x) for x in texts]
        if self.mode == "opencc-subprocess":
            return self._run_venv(texts, "t2s")
        return ["".join(self.table.get(c, c) for c in x) for x in texts]

    def char_maps(self, chars):
        """Return (set of chars that t2s changes, set of simplified-only chars)."""
        chars = sorted(set(chars))
        if self.mode == "table":
            trad = {c for c in chars if c in self.table and self.table[c] != c}
            return trad, {c for c in chars if c in self.simp_only}
        if self.mode == "opencc":
            t = [self._t2s(c) for c in chars]
            s = [self._s2t(c) for c in chars]
        else:
            t = self._run_venv(chars, "t2s")
            s = self._run_venv(chars, "s2t")
        trad = {c for c, x in zip(chars, t) if x != c}
        simp = {c for c, x, y in zip(chars, t, s) if y != c and x == c}
        return trad, simp


def clean(text):
    return PINYIN_RE.sub("", text)


def main():
    args = sys.argv[1:]
    force_table = "--table" in args
    args = [a for a in args if a != "--table"]
    path = args[0] if args else os.path.join(HERE, "validation8.jsonl")
    docs_dir = find_docs_dir()
    conv = Converter(force_table)
    names = sorted(f for f in os.listdir(docs_dir) if f.endswith(".txt"))
    raw = [clean(open(os.path.join(docs_dir, f), encoding="utf-8").read()) for f in names]
    docs = dict(zip(names, conv.t2s_many(raw)))

    errors = []
    rows = []
    with open(path, encoding="utf-8") as fh:
        for ln, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except ValueError as e:
                errors.append("line %d: bad JSON (%s)" % (ln, e))

    # ids ---------------------------------------------------------------
    ids = [r.get("id") for r in rows]
    if len(rows) != 100:
        errors.append("expected 100 questions, found %d" % len(rows))
    dup = [i for i, n in Counter(ids).items() if n > 1]
    if dup:
        errors.append("duplicate ids: %s" % dup)
    want_ids = ["r%03d" % i for i in range(1, 101)]
    if sorted(i for i in ids if isinstance(i, str)) != want_ids:
        errors.append("ids are not exactly r001..r100")

    # kinds -------------------------------------------------------------
    kinds = Counter(r.get("kind") for r in rows)
    if dict(kinds) != EXPECTED_KINDS:
        errors.append("kind counts %s != %s" % (dict(kinds), EXPECTED_KINDS))

    # per row -----------------------------------------------------------
    for r in rows:
        rid = r.get("id")
        if list(r.keys()) != FIELDS:
            errors.append("%s: fields %s" % (rid, list(r.keys())))
            continue
        q, kind, gold, must = r["question"], r["kind"], r["gold"], r["must_mention"]
        if not isinstance(q, str) or not q.strip():
            errors.append("%s: empty question" % rid)
        if not isinstance(r["note"], str) or not r["note"].strip():
            errors.append("%s: empty note" % rid)
        if not isinstance(gold, list) or not isinstance(must, list):
            errors.append("%s: gold/must_mention must be lists" % rid)
            continue
        if kind == "unanswerable":
            if gold or must:
                errors.append("%s: unanswerable must have empty gold and must_mention" % rid)
            continue
        if not gold:
            errors.append("%s: answerable question without gold" % rid)
        if not 1 <= len(must) <= 3:
            errors.append("%s: must_mention needs 1-3 phrases" % rid)
        spans = []   # (doc, start, end) of each anchor
        for g in gold:
            if sorted(g.keys()) != ["anchor", "doc", "item"]:
                errors.append("%s: gold keys %s" % (rid, sorted(g.keys())))
                continue
            d, a, item = g["doc"], g["anchor"], g["item"]
            if d not in docs:
                errors.append("%s: unknown doc %s" % (rid, d))
                continue
            if not (ANCHOR_MIN <= len(a) <= ANCHOR_MAX):
                errors.append("%s: anchor length %d: %s" % (rid, len(a), a))
            n = docs[d].count(a)
            if n != 1:
                errors.append("%s: anchor occurs %d times in %s: %s" % (rid, n, d, a))
                continue
            if not item or "\uff08" in item or "\uff09" in item:
                errors.append("%s: bad item label %r" % (rid, item))
            p = docs[d].find(a)
            spans.append((d, p, p + len(a)))
        for m in must:
            if not isinstance(m, str) or not m:
                errors.append("%s: empty must_mention" % rid)
                continue
            ok = False
            for d, s, e in spans:
                text = docs[d]
                lo, hi = max(0, s - WINDOW), min(len(text), e + WINDOW)
                if m in text[lo:hi]:
                    ok = True
                    break
            if not ok:
                errors.append("%s: must_mention %r not within %d chars of an anchor" % (rid, m, WINDOW))
        if kind == "compare":
            gdocs = {g.get("doc") for g in gold}
            if len(gdocs) < 2:
                errors.append("%s: compare needs gold from two documents" % rid)
            for d, s, e in spans:
                text = docs[d]
                win = text[max(0, s - WINDOW):e + WINDOW]
                if not any(m in win for m in must):
                    errors.append("%s: no must_mention for compare document %s" % (rid, d))

    # script and length -------------------------------------------------
    qs = [r.get("question", "") for r in rows]
    trad_chars, simp_chars = conv.char_maps("".join(qs))
    trad_flags = []
    for q in qs:
        nt = sum(1 for c in q if c in trad_chars)
        ns = sum(1 for c in q if c in simp_chars)
        # a few characters (e.g. 游, 台) are simplified-only at character
        # level but legitimate in traditional text, so classify by majority.
        trad_flags.append(nt >= 2 and nt > 3 * ns)
    n_trad = sum(trad_flags)
    mixed = [r["id"] for r, q in zip(rows, qs)
             if sum(c in trad_chars for c in q) >= 2 and sum(c in simp_chars for c in q) >= 2]
    if mixed:
        errors.append("questions mixing scripts: %s" % mixed)
    if n_trad < MIN_TRAD:
        errors.append("only %d traditional-script questions (< %d)" % (n_trad, MIN_TRAD))
    half = len(rows) // 2
    t1, t2 = sum(trad_flags[:half]), sum(trad_flags[half:])
    if t1 == 0 or t2 == 0:
        errors.append("traditional questions not spread over both halves (%d/%d)" % (t1, t2))
    n_long = sum(1 for q in qs if len(q) >= LONG_LEN)
    if n_long < MIN_LONG:
        errors.append("only %d questions with >= %d chars (< %d)" % (n_long, LONG_LEN, MIN_LONG))

    # report ------------------------------------------------------------
    ua = [f for f, r in zip(trad_flags, rows) if r.get("kind") == "unanswerable"]
    print("docs: %s (%d files), conversion: %s" % (docs_dir, len(docs), conv.mode))
    print("questions: %d; kinds: %s" % (len(rows), dict(sorted(kinds.items()))))
    print("traditional: %d (first half %d, second half %d; unanswerable %d, answerable %d)"
          % (n_trad, t1, t2, sum(ua), n_trad - sum(ua)))
    print("length >= %d chars: %d" % (LONG_LEN, n_long))
    if errors:
        print("FAIL: %d problem(s)" % len(errors))
        for e in errors:
            print("  - " + e)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
