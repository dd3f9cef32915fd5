#!/usr/bin/env python3
"""The writer's checker of validation3.jsonl against the shipped policy texts (data/policies/*.txt)."""
import json, os, re, sys, collections
import opencc
_cc = opencc.OpenCC('t2s')
PINYIN = re.compile(r'\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńň]+\)')
def norm(t):
    return _cc.convert(PINYIN.sub('', t))

HERE = os.path.dirname(os.path.abspath(__file__))
DOCDIR = os.path.join(HERE, '..', '..', 'data', 'policies')
PATH = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, 'validation3.jsonl')
KINDS = {'paraphrase', 'figure', 'compare', 'part', 'locate', 'metadata', 'unanswerable', 'lexical'}
docs = {f: norm(open(os.path.join(DOCDIR, f), encoding='utf-8').read())
        for f in os.listdir(DOCDIR) if f.endswith('.txt')}
lines = {f: t.split('\n') for f, t in docs.items()}

fails, warns = [], []
rows = [json.loads(l) for l in open(PATH, encoding='utf-8') if l.strip()]
kinds = collections.Counter()
trad = long = 0
docuse = collections.Counter()
seen_q = set()
for n, r in enumerate(rows, 1):
    qid = r.get('id')
    if qid != f'w{n:03d}':
        fails.append(f'{qid}: id out of sequence (expected w{n:03d})')
    if set(r) != {'id', 'question', 'kind', 'gold', 'must_mention', 'note'}:
        fails.append(f'{qid}: bad keys {sorted(r)}')
    k = r['kind']; kinds[k] += 1
    if k not in KINDS:
        fails.append(f'{qid}: unknown kind {k}')
    qs = r['question']
    if qs in seen_q:
        fails.append(f'{qid}: duplicate question')
    seen_q.add(qs)
    if _cc.convert(qs) != qs:
        trad += 1
    if len(qs) >= 20:
        long += 1
    gold, must = r['gold'], r['must_mention']
    if k == 'unanswerable':
        if gold or must:
            fails.append(f'{qid}: unanswerable must have empty gold and must_mention')
        continue
    if not gold:
        fails.append(f'{qid}: answerable question without gold'); continue
    anchor_lines = []
    for g in gold:
        d, a = g['doc'], g['anchor']
        if d not in docs:
            fails.append(f'{qid}: unknown doc {d}'); continue
        docuse[d] += 1
        if not g.get('item'):
            fails.append(f'{qid}: empty item label')
        if not 10 <= len(a) <= 25:
            fails.append(f'{qid}: anchor length {len(a)} not in 10..25: {a}')
        c = docs[d].count(a)
        if c != 1:
            fails.append(f'{qid}: anchor occurs {c} times in {d}: {a}')
        anchor_lines += [(d, ln) for ln in lines[d] if a in ln]
    gdocs = {g['doc'] for g in gold}
    if k == 'compare':
        if len(gdocs) < 2:
            fails.append(f'{qid}: compare needs >=2 documents')
        if len(must) != len(gdocs):
            fails.append(f'{qid}: compare needs one must_mention per document ({len(must)} vs {len(gdocs)})')
    elif not 1 <= len(must) <= 2:
        fails.append(f'{qid}: must_mention count {len(must)} not 1..2')
    for m in must:
        if not 4 <= len(m) <= 12:
            fails.append(f'{qid}: must_mention length {len(m)} not in 4..12: {m}')
        if not any(m in docs[d] for d in gdocs):
            fails.append(f'{qid}: must_mention not in gold doc(s): {m}')
        elif k != 'metadata' and not any(m in ln for _, ln in anchor_lines):
            # for part questions the phrase may be an item heading on the item's line
            fails.append(f'{qid}: must_mention not in the gold clause(s): {m}')

print('questions:', len(rows))
print('by kind:', dict(sorted(kinds.items(), key=lambda x: -x[1])))
print('gold entries by doc:', dict(docuse))
print(f'traditional-script questions: {trad}')
print(f'questions >=20 chars: {long}/{len(rows)} = {long/len(rows):.0%}')
for w in warns: print('WARN', w)
if fails:
    print(f'FAILURES ({len(fails)}):')
    for f in fails: print('  ' + f)
    sys.exit(1)
print('ALL CHECKS PASSED')
