#!/usr/bin/env python3
# The writer's checker of validation4.jsonl against the shipped policy texts (data/policies/*.txt).
import json, re, sys, pathlib, collections
import opencc

HERE = pathlib.Path(__file__).resolve().parent
DOCS = HERE.parent.parent / 'data' / 'policies'
QFILE = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else HERE / 'validation4.jsonl')
t2s = opencc.OpenCC('t2s')
TONE = 'āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ'
PINYIN = re.compile(r'\((?=[^()]*[' + TONE + '])[a-zA-Z' + TONE + 'ü]+\)')

def norm(text):
    return t2s.convert(PINYIN.sub('', text))

docs = {p.name: norm(p.read_text(encoding='utf-8')) for p in DOCS.glob('*.txt')}
errors = []
rows = []
for ln, line in enumerate(QFILE.read_text(encoding='utf-8').splitlines(), 1):
    if not line.strip():
        continue
    try:
        rows.append(json.loads(line))
    except Exception as e:
        errors.append(f'line {ln}: bad JSON: {e}')

KEYS = {'id', 'question', 'kind', 'gold', 'must_mention', 'note'}
KINDS = {'unanswerable', 'paraphrase', 'figure'}
expected = [f'x{i:03d}' for i in range(1, 71)]
ids = [r.get('id') for r in rows]
if ids != expected:
    errors.append(f'ids do not run x001..x070 (got {len(ids)} rows; first mismatch: '
                  f'{next((f"{a}!={b}" for a, b in zip(ids, expected) if a != b), "length")})')

kinds = collections.Counter()
trad = collections.Counter()
long20 = 0
seen_q = set()
for r in rows:
    rid = r.get('id')
    if set(r) != KEYS:
        errors.append(f'{rid}: keys {sorted(r)}')
    k = r.get('kind'); kinds[k] += 1
    if k not in KINDS:
        errors.append(f'{rid}: unknown kind {k}')
    q = r.get('question', '')
    if q in seen_q:
        errors.append(f'{rid}: duplicate question')
    seen_q.add(q)
    if len(q) >= 20:
        long20 += 1
    is_trad = t2s.convert(q) != q
    if is_trad:
        trad['unanswerable' if k == 'unanswerable' else 'answerable'] += 1
    if not r.get('note'):
        errors.append(f'{rid}: empty note')
    if k == 'unanswerable':
        if r.get('gold') != [] or r.get('must_mention') != []:
            errors.append(f'{rid}: unanswerable must have empty gold and must_mention')
        continue
    gold = r.get('gold')
    if not isinstance(gold, list) or not gold:
        errors.append(f'{rid}: answerable needs gold'); continue
    for g in gold:
        if set(g) != {'doc', 'anchor', 'item'}:
            errors.append(f'{rid}: gold keys {sorted(g)}')
        doc = g.get('doc'); anc = g.get('anchor', '')
        if doc not in docs:
            errors.append(f'{rid}: unknown doc {doc}'); continue
        if not (10 <= len(anc) <= 25):
            errors.append(f'{rid}: anchor length {len(anc)}')
        if t2s.convert(anc) != anc or PINYIN.search(anc):
            errors.append(f'{rid}: anchor not simplified/pinyin-free')
        n = docs[doc].count(anc)
        if n != 1:
            errors.append(f'{rid}: anchor occurs {n}x in {doc}: {anc}')
        mm = r.get('must_mention', [])
        if not (1 <= len(mm) <= 2):
            errors.append(f'{rid}: must_mention should have 1-2 items')
        for m in mm:
            if t2s.convert(m) != m:
                errors.append(f'{rid}: must_mention not simplified: {m}')
            if m not in docs[doc]:
                errors.append(f'{rid}: must_mention not in {doc}: {m}')
            else:
                # must_mention should come from the gold clause: within 300 chars of the anchor
                pos = docs[doc].find(anc)
                window = docs[doc][max(0, pos - 300): pos + len(anc) + 300]
                if pos >= 0 and m not in window:
                    errors.append(f'{rid}: must_mention not near anchor: {m}')

print('rows:', len(rows))
print('counts by kind:', dict(sorted(kinds.items())))
print('traditional-script questions:', sum(trad.values()), dict(trad))
print(f'questions >= 20 chars: {long20}/{len(rows)} = {long20 / max(1, len(rows)):.0%}')
if errors:
    print(f'ERRORS ({len(errors)}):')
    for e in errors:
        print('  ' + e)
    sys.exit(1)
print('OK: all checks passed')
