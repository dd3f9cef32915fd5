# -*- coding: utf-8 -*-
"""Validator for validation9.jsonl.

Usage:  python3 check9.py [path/to/validation9.jsonl]

Stdlib only.  Traditional->simplified conversion uses opencc if importable,
otherwise the opencc of /work/main/.venv/bin/python as a subprocess, otherwise
the embedded fallback character tables (generated from opencc for the
characters that occur in the corpus and the question file).
Documents are read from ./docs next to this file, or ../../data/policies.
"""
import json, os, re, subprocess, sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
VENV_PY = "/work/main/.venv/bin/python"

KIND_COUNTS = {"unanswerable": 45, "paraphrase": 25, "figure": 8, "compare": 6,
               "part": 4, "locate": 5, "metadata": 4, "lookup": 3}
FIELDS = ["id", "question", "kind", "gold", "must_mention", "note"]
GOLD_FIELDS = {"doc", "anchor", "item"}
MIN_TRAD = 25
MIN_TRAD_PER_HALF = 8
MIN_LONG = 85
LONG_LEN = 20
WINDOW = 300
PINYIN_RE = re.compile(r"\([a-z\u00C0-\u024F\u0300-\u036F]+\)")

# ---- fallback tables (filled by opencc; only used when opencc is unavailable) ----
FALLBACK_T2S = json.loads('{"來":"来","個":"个","們":"们","備":"备","傳":"传","價":"价","儀":"仪","優":"优","內":"内","兩":"两","別":"别","則":"则","創":"创","劃":"划","動":"动","務":"务","勝":"胜","勞":"劳","勢":"势","勵":"励","區":"区","協":"协","參":"参","員":"员","問":"问","單":"单","嚴":"严","國":"国","圍":"围","團":"团","執":"执","堅":"坚","報":"报","場":"场","壓":"压","壘":"垒","壟":"垄","壯":"壮","學":"学","實":"实","審":"审","專":"专","對":"对","導":"导","屆":"届","層":"层","崗":"岗","帶":"带","幫":"帮","幾":"几","廈":"厦","廣":"广","廳":"厅","強":"强","徹":"彻","愛":"爱","態":"态","應":"应","戰":"战","揚":"扬","揮":"挥","搖":"摇","撐":"撑","據":"据","數":"数","斷":"断","時":"时","暢":"畅","書":"书","會":"会","東":"东","桿":"杆","條":"条","業":"业","極":"极","構":"构","標":"标","樣":"样","樹":"树","橋":"桥","機":"机","檢":"检","檻":"槛","權":"权","決":"决","沒":"没","況":"况","減":"减","測":"测","準":"准","溝":"沟","滿":"满","濟":"济","濫":"滥","為":"为","無":"无","營":"营","爭":"争","獎":"奖","獲":"获","獻":"献","現":"现","環":"环","甌":"瓯","產":"产","當":"当","發":"发","監":"监","眾":"众","確":"确","礎":"础","種":"种","積":"积","競":"竞","範":"范","簡":"简","籌":"筹","糾":"纠","約":"约","紐":"纽","級":"级","紛":"纷","細":"细","組":"组","結":"结","絡":"络","統":"统","經":"经","綜":"综","維":"维","綱":"纲","網":"网","線":"线","總":"总","織":"织","續":"续","罰":"罚","義":"义","習":"习","聯":"联","聲":"声","職":"职","臺":"台","與":"与","興":"兴","舉":"举","萬":"万","藝":"艺","處":"处","術":"术","補":"补","裡":"里","見":"见","規":"规","視":"视","親":"亲","覺":"觉","訂":"订","計":"计","訓":"训","託":"托","記":"记","設":"设","訴":"诉","診":"诊","詢":"询","試":"试","話":"话","該":"该","認":"认","誠":"诚","說":"说","調":"调","談":"谈","請":"请","講":"讲","證":"证","識":"识","議":"议","護":"护","譽":"誉","讀":"读","變":"变","讓":"让","貢":"贡","貫":"贯","責":"责","貸":"贷","費":"费","貼":"贴","貿":"贸","資":"资","賦":"赋","質":"质","趕":"赶","軌":"轨","軍":"军","輕":"轻","輸":"输","轄":"辖","轉":"转","辦":"办","這":"这","進":"进","運":"运","達":"达","違":"违","適":"适","針":"针","鉆":"钻","銷":"销","鍵":"键","鏈":"链","長":"长","門":"门","開":"开","間":"间","閱":"阅","關":"关","隊":"队","階":"阶","際":"际","隨":"随","險":"险","雙":"双","離":"离","難":"难","電":"电","響":"响","項":"项","預":"预","領":"领","頭":"头","題":"题","類":"类","顧":"顾","風":"风","養":"养","驗":"验","體":"体","鮮":"鲜","麼":"么","點":"点","黨":"党"}')  # @@T2S@@
FALLBACK_S2T = json.loads('{"与":"與","专":"專","业":"業","东":"東","两":"兩","个":"個","为":"爲","举":"舉","么":"麼","书":"書","买":"買","争":"爭","于":"於","产":"產","从":"從","仪":"儀","们":"們","价":"價","优":"優","会":"會","体":"體","余":"餘","关":"關","养":"養","内":"內","册":"冊","写":"寫","农":"農","准":"準","几":"幾","划":"劃","创":"創","别":"別","办":"辦","务":"務","动":"動","励":"勵","区":"區","医":"醫","单":"單","历":"歷","参":"參","发":"發","台":"臺","号":"號","后":"後","吗":"嗎","听":"聽","员":"員","园":"園","围":"圍","国":"國","场":"場","块":"塊","垒":"壘","处":"處","备":"備","复":"復","奖":"獎","学":"學","实":"實","审":"審","对":"對","师":"師","帮":"幫","广":"廣","应":"應","开":"開","强":"強","当":"當","总":"總","户":"戶","护":"護","报":"報","时":"時","术":"術","机":"機","权":"權","条":"條","来":"來","构":"構","标":"標","样":"樣","桥":"橋","检":"檢","没":"沒","测":"測","满":"滿","点":"點","牵":"牽","献":"獻","现":"現","瓯":"甌","监":"監","础":"礎","种":"種","税":"稅","类":"類","粤":"粵","纠":"糾","约":"約","级":"級","纲":"綱","纷":"紛","线":"線","终":"終","经":"經","给":"給","续":"續","维":"維","绿":"綠","网":"網","罚":"罰","群":"羣","节":"節","范":"範","荣":"榮","获":"獲","营":"營","补":"補","见":"見","规":"規","誉":"譽","计":"計","认":"認","让":"讓","讲":"講","许":"許","设":"設","证":"證","评":"評","识":"識","诊":"診","试":"試","说":"說","请":"請","诺":"諾","负":"負","贡":"貢","责":"責","质":"質","贴":"貼","贷":"貸","贸":"貿","费":"費","资":"資","赔":"賠","轻":"輕","边":"邊","达":"達","这":"這","进":"進","违":"違","采":"採","里":"裏","钱":"錢","银":"銀","销":"銷","镜":"鏡","长":"長","门":"門","问":"問","间":"間","际":"際","险":"險","难":"難","项":"項","预":"預","领":"領","题":"題","风":"風","马":"馬","验":"驗"}')  # @@S2T@@


class Converter:
    def __init__(self):
        self.mode = None
        if os.environ.get("CHECK9_CONVERTER") == "fallback":
            self.mode = "fallback"
            return
        try:
            import opencc  # noqa
            self._t2s = opencc.OpenCC("t2s").convert
            self._s2t = opencc.OpenCC("s2t").convert
            self.mode = "opencc"
            return
        except Exception:
            pass
        if os.path.exists(VENV_PY):
            try:
                self._sub("t2s", ["测试"])
                self.mode = "subprocess"
                return
            except Exception:
                pass
        self.mode = "fallback"

    @staticmethod
    def _sub(cfg, texts):
        code = ("import sys,json,opencc;c=opencc.OpenCC(sys.argv[1]);"
                "d=json.load(sys.stdin);json.dump([c.convert(x) for x in d],sys.stdout,ensure_ascii=False)")
        p = subprocess.run([VENV_PY, "-c", code, cfg], input=json.dumps(texts, ensure_ascii=False),
                           capture_output=True, text=True, encoding="utf-8", timeout=120)
        if p.returncode != 0:
            raise RuntimeError(p.stderr)
        return json.loads(p.stdout)

    def batch(self, cfg, texts):
        texts = list(texts)
        if self.mode == "opencc":
            f = self._t2s if cfg == "t2s" else self._s2t
            return [f(x) for x in texts]
        if self.mode == "subprocess":
            return self._sub(cfg, texts)
        table = FALLBACK_T2S if cfg == "t2s" else FALLBACK_S2T
        return ["".join(table.get(ch, ch) for ch in x) for x in texts]


def find_docs_dir():
    for d in (os.path.join(HERE, "docs"), os.path.normpath(os.path.join(HERE, "..", "..", "data", "policies"))):
        if os.path.isdir(d):
            return d
    sys.exit("no docs directory found (./docs or ../../data/policies)")


def occurrences(text, sub):
    out, i = [], text.find(sub)
    while i != -1:
        out.append(i)
        i = text.find(sub, i + 1)
    return out


def is_traditional(q, simp, s2t_chars):
    """q counts as traditional script if >=2 chars differ from its simplified
    form and at least 80% of the convertible characters are written in
    traditional form (i.e. not a simplified question with a stray variant)."""
    if len(simp) != len(q):
        changed = sum(1 for a, b in zip(q, simp) if a != b) or (1 if simp != q else 0)
    else:
        changed = sum(1 for a, b in zip(q, simp) if a != b)
    simp_only = sum(1 for ch in q if s2t_chars.get(ch, ch) != ch)
    return changed >= 2 and changed >= 0.8 * (changed + simp_only)


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "validation9.jsonl")
    errors = []
    err = errors.append
    conv = Converter()

    docs_dir = find_docs_dir()
    names = sorted(n for n in os.listdir(docs_dir) if n.endswith(".txt"))
    raw = [PINYIN_RE.sub("", open(os.path.join(docs_dir, n), encoding="utf-8").read()) for n in names]
    docs = dict(zip(names, conv.batch("t2s", raw)))

    recs = []
    with open(path, encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            if not line.strip():
                err("line %d: blank line" % ln)
                continue
            try:
                recs.append(json.loads(line))
            except Exception as e:
                err("line %d: bad json %s" % (ln, e))

    # ids / fields
    if len(recs) != 100:
        err("expected 100 records, got %d" % len(recs))
    ids = [r.get("id") for r in recs]
    dup = [k for k, v in Counter(ids).items() if v > 1]
    if dup:
        err("duplicate ids: %s" % dup)
    expected = ["s%03d" % i for i in range(1, len(recs) + 1)]
    if ids != expected:
        err("ids are not s001..s%03d in order" % len(recs))
    for r in recs:
        if list(r.keys()) != FIELDS:
            err("%s: fields %s != %s" % (r.get("id"), list(r.keys()), FIELDS))
    qdup = [k for k, v in Counter(r.get("question") for r in recs).items() if v > 1]
    if qdup:
        err("duplicate questions: %s" % qdup)

    # kinds
    kc = Counter(r.get("kind") for r in recs)
    for k, n in KIND_COUNTS.items():
        if kc.get(k, 0) != n:
            err("kind %s: %d (want %d)" % (k, kc.get(k, 0), n))
    for k in kc:
        if k not in KIND_COUNTS:
            err("unknown kind %r" % k)
    answerable = sum(n for k, n in KIND_COUNTS.items() if k != "unanswerable")

    # conversions of question-side strings
    qs = [r.get("question", "") for r in recs]
    q_simp = conv.batch("t2s", qs)
    allchars = sorted(set("".join(qs)))
    s2t_chars = dict(zip(allchars, conv.batch("s2t", allchars)))
    small = []
    for r in recs:
        small += [g.get("anchor", "") for g in r.get("gold", [])] + list(r.get("must_mention", []))
    small_simp = dict(zip(small, conv.batch("t2s", small)))

    n_ans_gold = 0
    for r, qs_ in zip(recs, q_simp):
        rid, kind, gold, mm = r.get("id"), r.get("kind"), r.get("gold"), r.get("must_mention")
        if not isinstance(r.get("question"), str) or not r["question"].strip():
            err("%s: empty question" % rid)
        if not isinstance(r.get("note"), str) or not r["note"].strip():
            err("%s: empty note" % rid)
        if not isinstance(gold, list) or not isinstance(mm, list):
            err("%s: gold/must_mention must be lists" % rid)
            continue
        if kind == "unanswerable":
            if gold or mm:
                err("%s: unanswerable must have empty gold and must_mention" % rid)
            continue
        n_ans_gold += 1
        if not gold:
            err("%s: answerable without gold" % rid)
        if not 1 <= len(mm) <= 3:
            err("%s: must_mention count %d" % (rid, len(mm)))
        spans = []  # (doc, start, end)
        for gd in gold:
            if set(gd.keys()) != GOLD_FIELDS:
                err("%s: gold fields %s" % (rid, sorted(gd.keys())))
                continue
            doc, anc, item = gd["doc"], gd["anchor"], gd["item"]
            if doc not in docs:
                err("%s: unknown doc %s" % (rid, doc))
                continue
            if not item or not isinstance(item, str):
                err("%s: empty item" % rid)
            if not 8 <= len(anc) <= 25:
                err("%s: anchor length %d: %s" % (rid, len(anc), anc))
            if small_simp.get(anc, anc) != anc:
                err("%s: anchor not in simplified script: %s" % (rid, anc))
            occ = occurrences(docs[doc], anc)
            if len(occ) != 1:
                err("%s: anchor occurs %d times in %s: %s" % (rid, len(occ), doc, anc))
            for o in occ:
                spans.append((doc, o, o + len(anc)))
        covered_docs = set()
        for m in mm:
            if not isinstance(m, str) or not m:
                err("%s: bad must_mention %r" % (rid, m))
                continue
            if small_simp.get(m, m) != m:
                err("%s: must_mention not simplified: %s" % (rid, m))
            ok = False
            for doc, a0, a1 in spans:
                for p in occurrences(docs[doc], m):
                    if p >= a0 - WINDOW and p + len(m) <= a1 + WINDOW:
                        ok = True
                        covered_docs.add(doc)
            if not ok:
                err("%s: must_mention not within %d chars of an anchor: %s" % (rid, WINDOW, m))
        if kind == "compare":
            gdocs = {gd.get("doc") for gd in gold}
            if len(gdocs) != 2:
                err("%s: compare needs gold from two documents" % rid)
            if covered_docs != gdocs:
                err("%s: compare must_mention does not cover both documents" % rid)

    # traditional script and length
    trad = [is_traditional(q, s, s2t_chars) for q, s in zip(qs, q_simp)]
    n_trad = sum(trad)
    half = len(recs) // 2
    t1, t2 = sum(trad[:half]), sum(trad[half:])
    if n_trad < MIN_TRAD:
        err("traditional-script questions: %d (< %d)" % (n_trad, MIN_TRAD))
    if t1 < MIN_TRAD_PER_HALF or t2 < MIN_TRAD_PER_HALF:
        err("traditional questions not spread: first half %d, second half %d" % (t1, t2))
    n_long = sum(1 for q in qs if len(q) >= LONG_LEN)
    if n_long < MIN_LONG:
        err("questions >= %d chars: %d (< %d)" % (LONG_LEN, n_long, MIN_LONG))

    print("converter:", conv.mode, "| docs:", docs_dir)
    print("kinds:", dict(sorted(kc.items())))
    print("answerable:", n_ans_gold, "(want %d)" % answerable)
    print("traditional: %d (first half %d, second half %d)" % (n_trad, t1, t2))
    print("length >= %d: %d" % (LONG_LEN, n_long))
    if errors:
        print("\nFAIL (%d problems)" % len(errors))
        for e in errors:
            print(" -", e)
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()
