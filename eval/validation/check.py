import re, json, sys, opencc
CORPUS='/work/shared/corpus/'
cc=opencc.OpenCC('t2s')
PY=re.compile(r'\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)')
CN='一二三四五六七八九十'
def norm(name):
    t=open(CORPUS+name).read()
    t=PY.sub('',t)
    return cc.convert(t)
def segment(t):
    """return list of (label,start,end)"""
    lines=t.split('\n'); pos=0; segs=[]; part=''; item=''
    for ln in lines:
        s=ln.strip(); lab=None
        m=re.match(r'^([一二三四五六七八九十]+)、',s)
        if m: part=m.group(1); item=''; lab=part+'、'
        m=re.match(r'^\(([一二三四五六七八九十]+)\)',s)
        if m: item=m.group(1); lab=part+'('+item+')'
        m=re.match(r'^(\d+)\.',s)
        if m: lab=part+'('+item+')'+m.group(1)
        if lab:
            if segs: segs[-1][2]=pos
            segs.append([lab,pos,None])
        pos+=len(ln)+1
    if segs: segs[-1][2]=len(t)
    return segs
if __name__=='__main__':
    import glob,os
    if sys.argv[1:]==['dump']:
        for f in sorted(glob.glob(CORPUS+'*.txt')):
            n=os.path.basename(f); t=norm(n)
            print('==',n)
            for lab,a,b in segment(t): print(' ',lab,t[a:b][:30].replace('\n',' '))

def validate(path):
    import collections
    docs={}; probs=[]; kinds=collections.Counter(); trad=0; long_=0
    t2s=cc
    rows=[json.loads(l) for l in open(path)]
    ids=set()
    for r in rows:
        assert r['id'] not in ids; ids.add(r['id'])
        kinds[r['kind']]+=1
        qs=r['question']
        if t2s.convert(qs)!=qs: trad+=1
        if len(qs)>=20: long_+=1
        if r['kind']=='unanswerable':
            if r['gold'] or r['must_mention']: probs.append((r['id'],'unans has gold'))
            continue
        if not r['gold']: probs.append((r['id'],'no gold')); continue
        clauses=[]
        for g in r['gold']:
            d=g['doc']
            if d not in docs: docs[d]=norm(d)
            t=docs[d]; a=g['anchor']
            if not (8<=len(a)<=20): probs.append((r['id'],'anchor len',a,len(a)))
            if t2s.convert(a)!=a: probs.append((r['id'],'anchor not simplified',a))
            n=t.count(a)
            if n!=1: probs.append((r['id'],'anchor count',a,n)); continue
            p=t.index(a)
            if g['item']=='':
                clauses.append(t[max(0,p-400):p+400]); continue
            seg=[s for s in segment(t) if s[1]<=p and p+len(a)<=s[2]]
            if not seg: probs.append((r['id'],'anchor outside clause',a)); continue
            lab,s0,s1=seg[-1]
            if lab!=g['item']: probs.append((r['id'],'item mismatch',a,g['item'],lab))
            clauses.append(t[s0:s1])
        for m in r['must_mention']:
            if not (4<=len(m)<=12): probs.append((r['id'],'must len',m,len(m)))
            if not any(m in c for c in clauses): probs.append((r['id'],'must not in clause',m))
    print('rows',len(rows)); print(dict(kinds)); print('trad',trad,'>=20:',long_,'%.0f%%'%(100*long_/len(rows)))
    # trad spread by doc
    print('problems',len(probs))
    for p in probs: print(' ',p)
    return rows
if __name__=='__main__' and sys.argv[1:2]==['check']:
    validate(sys.argv[2] if len(sys.argv)>2 else '/work/validation/validation.jsonl')
