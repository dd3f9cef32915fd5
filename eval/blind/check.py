"""Verify eval/blind/blind.jsonl against the shipped policy documents."""
import json, re, os, sys
from collections import Counter
import opencc  # the OpenCC package (pip install OpenCC)
t2s = opencc.OpenCC('t2s')
DOCDIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'data', 'policies')
PINYIN = re.compile(r'(?<=[\u4e00-\u9fff])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)')
KINDS = {'paraphrase','lookup','locate','lexical','numeric','cross_doc','part','metadata','unanswerable'}

def load(name):
    raw = open(os.path.join(DOCDIR, name), encoding='utf-8').read()
    txt = PINYIN.sub('', raw)
    conv = t2s.convert(txt)
    changed = sum(1 for a, b in zip(txt, conv) if a != b)
    return conv if changed > 50 else txt   # only the traditional document is converted

DOCS = {n: load(n) for n in sorted(os.listdir(DOCDIR)) if n.endswith('.txt')}
LINES = {n: t.split('\n') for n, t in DOCS.items()}

def block_of(doc, anchor, kind):
    """Text of the item (line) holding the anchor; metadata gets a +-3 line window."""
    lines = LINES[doc]
    for i, l in enumerate(lines):
        if anchor in l:
            if kind == 'metadata':
                return '\n'.join(lines[max(0, i-3): i+4])
            return l
    return ''

def longest_common(a, b):
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b: best = j - i
            else: break
    return best

errors, warns = [], []
rows = [json.loads(l) for l in open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'blind.jsonl'), encoding='utf-8') if l.strip()]
for n, r in enumerate(rows, 1):
    rid = r.get('id')
    E = lambda m: errors.append(f'{rid}: {m}')
    if rid != 'b%03d' % n: E('id out of sequence')
    for f in ('question','kind','script','gold','must_mention','note'):
        if f not in r: E('missing field ' + f)
    q, kind = r['question'], r['kind']
    if kind not in KINDS: E('bad kind ' + kind)
    if r['script'] == 'simplified' and t2s.convert(q) != q: E('question marked simplified has traditional chars')
    if r['script'] == 'traditional' and t2s.convert(q) == q: E('question marked traditional has no traditional chars')
    if r['script'] not in ('simplified','traditional'): E('bad script')
    if kind == 'unanswerable':
        if r['gold'] or r['must_mention']: E('unanswerable must have empty gold/must_mention')
        continue
    if not r['gold']: E('empty gold'); continue
    if not (1 <= len(r['must_mention']) <= 3): E('must_mention count')
    blocks = []
    for g in r['gold']:
        d, a = g['doc'], g['anchor']
        if d not in DOCS: E('unknown doc ' + d); continue
        if not g.get('item'): E('missing item')
        if not (8 <= len(a) <= 30): E(f'anchor length {len(a)}: {a}')
        if '\n' in a: E('anchor has newline')
        c = DOCS[d].count(a)
        if c != 1: E(f'anchor occurs {c}x in {d}: {a}')
        else: blocks.append(block_of(d, a, kind))
        if kind != 'lexical' and kind != 'metadata':
            lc = longest_common(q if r['script']=='simplified' else t2s.convert(q), block_of(d, a, kind))
            if lc >= 12: E(f'question copies {lc} chars of the clause')
    for m in r['must_mention']:
        if not (2 <= len(m) <= 15): E(f'must_mention length {len(m)}: {m}')
        if not any(m in b for b in blocks): E(f'must_mention not in gold item: {m}')
    if kind == 'cross_doc' and len({g["doc"] for g in r['gold']}) < 2: E('cross_doc needs >=2 docs')
    if kind == 'part' and len(r['gold']) < 2: E('part needs >=2 gold items')

N = len(rows)
kinds = Counter(r['kind'] for r in rows)
scripts = Counter(r['script'] for r in rows)
docs = Counter()
for r in rows:
    for d in {g['doc'] for g in r['gold']}: docs[d] += 1
long20 = sum(1 for r in rows if len(r['question']) >= 20)
print(f'questions: {N}')
print('by kind:', dict(sorted(kinds.items())))
print('by script:', dict(scripts))
print('by document (questions with a gold entry in it):')
for d in sorted(DOCS): print(f'  {d}: {docs[d]}')
print(f'>=20 chars: {long20}/{N} = {long20/N:.1%}')
print(f"cross_doc+numeric: {kinds['cross_doc']+kinds['numeric']} ({(kinds['cross_doc']+kinds['numeric'])/N:.1%}); "
      f"unanswerable {kinds['unanswerable']/N:.1%}; traditional {scripts['traditional']/N:.1%}; lexical {kinds['lexical']/N:.1%}")
req = [(N >= 170, 'N>=170'), (scripts['traditional'] >= max(26, 0.15*N), 'traditional>=15%'),
       (kinds['cross_doc'] >= 10 and kinds['numeric'] >= 10 and kinds['cross_doc']+kinds['numeric'] >= 0.15*N, 'cross/numeric'),
       (kinds['unanswerable'] >= max(26, 0.15*N), 'unanswerable>=15%'), (kinds['part'] >= 8, 'part>=8'),
       (kinds['lookup']+kinds['locate'] >= 12, 'lookup+locate>=12'), (kinds['metadata'] >= 5, 'metadata>=5'),
       (kinds['lexical'] <= 0.15*N, 'lexical<=15%'), (long20 >= 0.6*N, '>=60% long'),
       (all(docs[d] >= 15 for d in DOCS), 'each doc>=15')]
for ok, name in req:
    if not ok: errors.append('MIX: ' + name + ' not met')
print(f'errors: {len(errors)}')
for e in errors: print('  ' + e)
print('RESULT:', 'PASS' if not errors else 'FAIL')
