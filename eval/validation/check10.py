#!/usr/bin/env python3
"""Checker for validation10.jsonl (stdlib; uses opencc if importable or via the project venv interpreter,
otherwise an embedded traditional->simplified character table)."""
import json, os, re, subprocess, sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
QFILE = os.path.join(HERE, "validation10.jsonl")
VENV_PY = "/work/main/.venv/bin/python"

EXPECTED_KINDS = {"unanswerable": 50, "paraphrase": 18, "figure": 4, "compare": 4, "locate": 2, "part": 2}
FIELDS = ["id", "question", "kind", "gold", "must_mention", "note"]
MIN_TRAD = 20
MIN_LONG = 70          # questions with >= LONG_LEN characters
LONG_LEN = 20
WINDOW = 300

# --- embedded fallback table (generated with opencc t2s) ---
FALLBACK_T2S = {"來": "来", "個": "个", "們": "们", "備": "备", "傳": "传", "價": "价", "儀": "仪", "償": "偿", "優": "优", "內": "内", "兩": "两", "冊": "册", "則": "则", "創": "创", "動": "动", "務": "务", "勝": "胜", "勞": "劳", "勢": "势", "勵": "励", "區": "区", "協": "协", "參": "参", "員": "员", "問": "问", "單": "单", "嚴": "严", "國": "国", "圍": "围", "團": "团", "執": "执", "堅": "坚", "報": "报", "場": "场", "壓": "压", "壘": "垒", "壟": "垄", "壯": "壮", "學": "学", "實": "实", "審": "审", "寫": "写", "專": "专", "對": "对", "導": "导", "屆": "届", "層": "层", "崗": "岗", "師": "师", "帶": "带", "幫": "帮", "幾": "几", "廈": "厦", "廠": "厂", "廣": "广", "廳": "厅", "強": "强", "後": "后", "從": "从", "徹": "彻", "愛": "爱", "態": "态", "應": "应", "懲": "惩", "戰": "战", "揚": "扬", "揮": "挥", "搖": "摇", "撐": "撑", "擔": "担", "據": "据", "數": "数", "斷": "断", "時": "时", "暢": "畅", "書": "书", "會": "会", "東": "东", "桿": "杆", "條": "条", "業": "业", "極": "极", "構": "构", "標": "标", "樣": "样", "樹": "树", "橋": "桥", "機": "机", "檢": "检", "檻": "槛", "權": "权", "決": "决", "沒": "没", "況": "况", "測": "测", "準": "准", "溝": "沟", "滿": "满", "濟": "济", "濫": "滥", "灣": "湾", "為": "为", "無": "无", "營": "营", "爭": "争", "獎": "奖", "獲": "获", "獻": "献", "現": "现", "環": "环", "甌": "瓯", "產": "产", "當": "当", "療": "疗", "發": "发", "監": "监", "眾": "众", "確": "确", "礎": "础", "種": "种", "積": "积", "競": "竞", "簡": "简", "籌": "筹", "粵": "粤", "糾": "纠", "紐": "纽", "級": "级", "紛": "纷", "細": "细", "組": "组", "結": "结", "絡": "络", "給": "给", "統": "统", "經": "经", "綜": "综", "維": "维", "綱": "纲", "網": "网", "線": "线", "總": "总", "織": "织", "繫": "系", "續": "续", "罰": "罚", "義": "义", "習": "习", "聯": "联", "聲": "声", "職": "职", "臺": "台", "與": "与", "興": "兴", "舉": "举", "萬": "万", "藝": "艺", "處": "处", "號": "号", "術": "术", "補": "补", "裡": "里", "見": "见", "規": "规", "視": "视", "親": "亲", "覺": "觉", "訂": "订", "計": "计", "訓": "训", "託": "托", "記": "记", "設": "设", "訴": "诉", "診": "诊", "註": "注", "評": "评", "詢": "询", "試": "试", "話": "话", "該": "该", "認": "认", "誠": "诚", "說": "说", "誰": "谁", "調": "调", "談": "谈", "請": "请", "諾": "诺", "證": "证", "識": "识", "議": "议", "護": "护", "譽": "誉", "讀": "读", "變": "变", "讓": "让", "貢": "贡", "貨": "货", "貫": "贯", "責": "责", "買": "买", "費": "费", "貼": "贴", "貿": "贸", "資": "资", "賠": "赔", "賣": "卖", "賦": "赋", "質": "质", "賬": "账", "趕": "赶", "軌": "轨", "軍": "军", "較": "较", "輕": "轻", "輸": "输", "轄": "辖", "轉": "转", "辦": "办", "這": "这", "進": "进", "運": "运", "達": "达", "遞": "递", "適": "适", "醫": "医", "針": "针", "鉆": "钻", "銷": "销", "錢": "钱", "鍵": "键", "鏈": "链", "鏡": "镜", "長": "长", "門": "门", "開": "开", "間": "间", "閱": "阅", "關": "关", "隊": "队", "階": "阶", "際": "际", "隨": "随", "險": "险", "雙": "双", "離": "离", "難": "难", "電": "电", "響": "响", "項": "项", "領": "领", "頭": "头", "題": "题", "類": "类", "顧": "顾", "風": "风", "養": "养", "驗": "验", "體": "体", "鮮": "鲜", "麼": "么", "點": "点", "黨": "党"}  # FALLBACK_PLACEHOLDER

def find_docs_dir():
    for d in (os.path.join(HERE, "docs"), "/work/v10/docs",
              os.path.normpath(os.path.join(HERE, "..", "..", "data", "policies"))):
        if os.path.isdir(d):
            return d
    sys.exit("no docs directory found")

_T2S_MODE = None
def _init_t2s():
    global _T2S_MODE
    try:
        import opencc  # noqa
        _T2S_MODE = ("module", opencc.OpenCC("t2s"))
        return
    except Exception:
        pass
    if os.path.exists(VENV_PY):
        try:
            out = subprocess.run([VENV_PY, "-c", "import opencc;print('ok')"], capture_output=True, text=True, timeout=60)
            if out.stdout.strip() == "ok":
                _T2S_MODE = ("venv", None)
                return
        except Exception:
            pass
    _T2S_MODE = ("table", None)

def t2s_many(texts):
    """Convert a list of strings traditional->simplified in one go."""
    if _T2S_MODE is None:
        _init_t2s()
    mode, cc = _T2S_MODE
    if mode == "module":
        return [cc.convert(t) for t in texts]
    if mode == "venv":
        payload = json.dumps(texts, ensure_ascii=False)
        code = ("import opencc,sys,json;c=opencc.OpenCC('t2s');"
                "d=json.loads(sys.stdin.read());sys.stdout.write(json.dumps([c.convert(x) for x in d],ensure_ascii=False))")
        out = subprocess.run([VENV_PY, "-c", code], input=payload, capture_output=True, text=True, timeout=120)
        if out.returncode == 0:
            return json.loads(out.stdout)
    return ["".join(FALLBACK_T2S.get(ch, ch) for ch in t) for t in texts]

PINYIN_RE = re.compile(r"\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+\)")
PUNCT = str.maketrans({"（": "(", "）": ")", "，": ",", "：": ":", "；": ";", "\u3000": " "})

def clean(text):
    return PINYIN_RE.sub("", text).translate(PUNCT)

LABEL_RE = re.compile(r"(?m)^\s*([一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+\.)")

def nearest_label(doc, pos):
    last = None
    for m in LABEL_RE.finditer(doc):
        if m.start(1) <= pos:
            last = m.group(1)
        else:
            break
    return last

def main():
    errors, warns = [], []
    ddir = find_docs_dir()
    names = sorted(f for f in os.listdir(ddir) if f.endswith(".txt"))
    raw = [clean(open(os.path.join(ddir, f), encoding="utf-8").read()) for f in names]

    rows = []
    with open(QFILE, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except Exception as e:
                errors.append(f"line {n}: bad json {e}")

    questions = [r.get("question", "") for r in rows]
    conv = t2s_many(raw + questions + [json.dumps([[g.get("anchor", "") for g in r.get("gold", [])], r.get("must_mention", [])], ensure_ascii=False) for r in rows])
    docs = dict(zip(names, conv[:len(names)]))
    q_simpl = conv[len(names):len(names) + len(rows)]
    am_simpl = [json.loads(x) for x in conv[len(names) + len(rows):]]

    # ids
    ids = [r.get("id") for r in rows]
    if len(rows) != 80:
        errors.append(f"expected 80 rows, got {len(rows)}")
    if len(set(ids)) != len(ids):
        errors.append(f"duplicate ids: {[i for i, c in Counter(ids).items() if c > 1]}")
    if ids != [f"t{i:03d}" for i in range(1, len(rows) + 1)]:
        errors.append("ids are not t001..tNNN in order")

    # kinds
    kc = Counter(r.get("kind") for r in rows)
    if dict(kc) != EXPECTED_KINDS:
        errors.append(f"kind counts {dict(kc)} != {EXPECTED_KINDS}")

    trad = long_ = 0
    for r, qs, (anchors_s, mm_s) in zip(rows, q_simpl, am_simpl):
        rid = r.get("id")
        if list(r.keys()) != FIELDS:
            errors.append(f"{rid}: fields {list(r.keys())}")
        q = r.get("question", "")
        if qs != q:
            trad += 1
        if len(re.sub(r"\s", "", q)) >= LONG_LEN:
            long_ += 1
        if not r.get("note", "").strip():
            errors.append(f"{rid}: empty note")
        gold, mm = r.get("gold", []), r.get("must_mention", [])
        if r.get("kind") == "unanswerable":
            if gold or mm:
                errors.append(f"{rid}: unanswerable must have empty gold and must_mention")
            continue
        if not gold:
            errors.append(f"{rid}: answerable without gold")
            continue
        if r.get("kind") == "compare" and len({g.get("doc") for g in gold}) < 2:
            errors.append(f"{rid}: compare needs two documents")
        if not (1 <= len(mm) <= 3):
            errors.append(f"{rid}: must_mention count {len(mm)}")
        spans = []
        for g, a in zip(gold, anchors_s):
            if set(g.keys()) != {"doc", "anchor", "item"}:
                errors.append(f"{rid}: gold keys {list(g.keys())}")
            doc = docs.get(g.get("doc"))
            if doc is None:
                errors.append(f"{rid}: unknown doc {g.get('doc')}")
                continue
            if a != g["anchor"]:
                errors.append(f"{rid}: anchor not in simplified script: {g['anchor']}")
            if not (8 <= len(a) <= 25):
                errors.append(f"{rid}: anchor length {len(a)}: {a}")
            cnt = doc.count(a)
            if cnt != 1:
                errors.append(f"{rid}: anchor occurs {cnt}x in {g['doc']}: {a}")
                continue
            p = doc.index(a)
            spans.append((g["doc"], p, p + len(a)))
            lab = nearest_label(doc, p)
            if lab != g.get("item"):
                errors.append(f"{rid}: item {g.get('item')!r} but nearest label is {lab!r}")
        for m, ms in zip(mm, mm_s):
            if ms != m:
                errors.append(f"{rid}: must_mention not simplified: {m}")
            ok = False
            for dname, s, e in spans:
                doc = docs[dname]
                lo, hi = max(0, s - WINDOW), min(len(doc), e + WINDOW)
                if ms in doc[lo:hi]:
                    ok = True
            if not ok:
                errors.append(f"{rid}: must_mention {m!r} not within {WINDOW} chars of an anchor")

    if trad < MIN_TRAD:
        errors.append(f"traditional-script questions {trad} < {MIN_TRAD}")
    if long_ < MIN_LONG:
        errors.append(f"questions >= {LONG_LEN} chars: {long_} < {MIN_LONG}")

    print(f"docs: {ddir}  t2s mode: {_T2S_MODE[0]}")
    print(f"rows {len(rows)}  kinds {dict(kc)}  traditional {trad}  long(>={LONG_LEN}) {long_}")
    for e in errors:
        print("ERROR", e)
    print("PASS" if not errors else f"FAIL ({len(errors)} errors)")
    return 0 if not errors else 1

if __name__ == "__main__":
    sys.exit(main())
