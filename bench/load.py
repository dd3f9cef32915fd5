"""Load test of the RUNNING web app through its public API (``gradio_client``), loopback only.

    python bench/load.py                          # starts app.py itself (temporary data dir, extractive mode)
    python bench/load.py --sessions 20 --per-session 5 --max-seconds 300
    python bench/load.py --url http://127.0.0.1:7860/ [--data-dir DIR]   # drive an app that is already running
    python bench/load.py --sessions 5 --upload-clauses 300   # chat/lookup p50/p95 before, during, after an upload
    python bench/load.py --sessions 20 --think-seconds 5     # sessions pause between questions, as people do
    python bench/load.py --api --clients 20 --seconds 60     # the HTTP API instead of the page (see below)

N concurrent sessions (one thread and one ``gradio_client.Client`` each, i.e. one browser tab each)
ask dev-set questions (``eval/dev.jsonl``) through the ``chat`` endpoint, every ``--lookup-every``-th
request through ``lookup`` instead.  Prints throughput, p50/p95 latency, errors, and a mixed-up-answer
check: every response must be the answer to *its own* question in *its own* session.  It also prints the
CPU per request of the app and of this generator (they share the cores), and for back-to-back sessions
the floor that implies for p50: sessions x CPU per request / cores.  The expected
responses come from an in-process :class:`bot.service.PolicyBot` over the same index, replaying each
session's exact sequence (chat history included, since follow-ups depend on it); with ``--url`` and
no ``--data-dir`` they come from a sequential baseline pass through the app instead.

With ``--upload-clauses N`` the run is phased instead: the sessions ask continuously for
``--phase-seconds`` ("before"), then an N-clause file is uploaded through the admin app while they go
on ("during", until the import job finishes), then ``--phase-seconds`` more ("after"); p50/p95 of chat
and lookup per phase, and the ratio of the "during" to the "before" p95, are printed.

With ``--api`` the clients are integrations instead of browser tabs: ``--clients`` threads, each with one
keep-alive HTTP connection and the API key the started app was given, send requests back to back for
``--seconds`` — ``POST /v1/chat/completions`` (non-streaming, one question, no history) and every
``--lookup-every``-th a ``GET /v1/search`` — and every response's clause ids are compared with the
in-process answer to the same question (``differs`` otherwise).  p50/p95 per route, errors and CPU as above.

Only ever talks to the URL it is given or to the app it started on 127.0.0.1; the run is bounded by
``--sessions`` x ``--per-session`` requests and by ``--max-seconds`` of wall time for the load phase
(requests still running at the deadline are abandoned and counted as timed out).  Figures are
printed, never asserted.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import random
import re
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEV = REPO / "eval" / "dev.jsonl"
LOOKUP_K = 20  # bot.ui.LOOKUP_K
# Never let the started app reach an LLM, a Chroma server or another corpus: extractive, private.
_DROP_ENV = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "POLICYBOT_LLM_MODEL", "CHROMA_HOST", "CHROMA_PORT",
             "CHROMA_SSL", "CHROMA_AUTH_TOKEN", "POLICYBOT_CORPUS_DIR", "POLICYBOT_HOST", "POLICYBOT_PORT",
             "POLICYBOT_COLLECTION")
_CLAUSE_ID = re.compile(r'data-clause-id="([^"]*)"')


# ----- plan ----------------------------------------------------------------------------------------
@dataclass
class Request:
    session: int
    seq: int
    kind: str  # chat | lookup
    question: str


@dataclass
class Expected:
    user: str = ""            # the user message as the chat renders it
    assistant: str = ""       # the assistant message as the chat renders it
    clause_ids: list[str] = field(default_factory=list)  # sources panel (chat) / result rows (lookup)


@dataclass
class Outcome:
    req: Request
    latency: float | None = None
    error: str = ""
    verdict: str = ""  # ok | mixed-up | differs | error | timeout
    detail: str = ""


def load_questions() -> list[str]:
    return [json.loads(line)["question"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]


def make_plan(questions: list[str], sessions: int, per_session: int, lookup_every: int, seed: int) -> list[list[Request]]:
    """Each session asks a different rotation of the dev questions (so concurrent requests differ)."""
    rng = random.Random(seed)
    plan = []
    for s in range(sessions):
        qs = questions[:]
        rng.shuffle(qs)
        plan.append([Request(s, i, "lookup" if lookup_every and (s + i) % lookup_every == lookup_every - 1 else "chat",
                             qs[i % len(qs)]) for i in range(per_session)])
    return plan


# ----- the client ----------------------------------------------------------------------------------
@functools.cache
def _tls_context() -> ssl.SSLContext:
    return ssl.create_default_context()


def api_client(url: str, **kwargs: object):
    """One browser tab: a ``gradio_client.Client``.  gradio_client opens a new httpx client for every
    request, and each builds a TLS context from the CA bundle even for plain-HTTP loopback — measured
    at ~80 % of this load generator's CPU (~90 ms per request), on the same 2 cores as the app.  One
    default TLS context, built once and shared (httpx accepts a context wherever it takes ``verify``),
    keeps the same checks and leaves the cores to the app."""
    from gradio_client import Client

    return Client(url, verbose=False, download_files=False, ssl_verify=_tls_context(), **kwargs)  # type: ignore[arg-type]


# ----- expected responses --------------------------------------------------------------------------
def expected_in_process(plan: list[list[Request]], data_dir: Path) -> dict[tuple[int, int], Expected]:
    """Replay every session in-process over the same index (history included)."""
    from bot.retrieval import SearchFilters
    from bot.service import PolicyBot
    from bot.settings import Settings
    from bot.ui import render_chat, render_sources
    from bot.ui.render_chat import assistant_turn

    env = {k: v for k, v in os.environ.items() if k.startswith(("CHROMA_", "POLICYBOT_COLLECTION"))}
    bot = PolicyBot(Settings(POLICYBOT_DATA_DIR=str(data_dir), **env))
    out: dict[tuple[int, int], Expected] = {}
    for session in plan:
        history: list[dict] = []
        for r in session:
            if r.kind == "lookup":
                # What the lookup tab shows: the hotline result (term matches first, then related ones).
                result = bot.hotline_search(r.question.strip(), k=LOOKUP_K, filters=SearchFilters())
                out[(r.session, r.seq)] = Expected(clause_ids=[c.clause_id for _g, c in result.shown()])
                continue
            q = r.question.strip()
            a = bot.answer(q, history, SearchFilters())
            pending = history + [{"role": "user", "content": q}]
            history = pending + [assistant_turn(a)]
            msgs = render_chat(history, a)
            # The sources panel as the app renders it (citations, 另见, or a refusal's nearest clauses).
            cited = _CLAUSE_ID.findall(render_sources(a))
            out[(r.session, r.seq)] = Expected(user=msgs[-2]["content"], assistant=msgs[-1]["content"], clause_ids=cited)
    return out


def _text(message: dict) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    return "".join(p.get("text", "") for p in content or [] if isinstance(p, dict))


def _observe(client, r: Request, timeout: float | None):
    """Send one request; returns what it is compared on (an Expected built from the response)."""
    if r.kind == "lookup":
        _html, rows = client.submit(r.question, False, "", api_name="/lookup").result(timeout=timeout)
        return Expected(clause_ids=[row["clause_id"] for row in rows or []])
    messages, sources, _box = client.submit(r.question, [], [], api_name="/chat").result(timeout=timeout)
    return Expected(user=_text(messages[-2]) if len(messages) >= 2 else "",
                    assistant=_text(messages[-1]) if messages else "",
                    clause_ids=_CLAUSE_ID.findall(sources or ""))


def expected_baseline(plan: list[list[Request]], url: str) -> dict[tuple[int, int], Expected]:
    """Without index access: one sequential pass through the app, one fresh client per session."""
    out = {}
    for session in plan:
        client = api_client(url)
        for r in session:
            out[(r.session, r.seq)] = _observe(client, r, timeout=120)
    return out


def judge(got: Expected, want: Expected, all_expected: list[Expected]) -> tuple[str, str]:
    if got == want:
        return "ok", ""
    # Is it someone else's answer?  That is the failure this check exists for.
    if any(got == other for other in all_expected if other is not want):
        return "mixed-up", f"got the response of another request (first sources {got.clause_ids[:1]})"
    if got.user and got.user != want.user:
        return "mixed-up", f"echoed question differs: {got.user[:40]!r} != {want.user[:40]!r}"
    if got.clause_ids != want.clause_ids:
        return "mixed-up", f"sources {got.clause_ids[:3]} != expected {want.clause_ids[:3]}"
    return "differs", "same sources, different answer text"


# ----- the app -------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROP_ENV}
    env.update(POLICYBOT_DATA_DIR=str(data_dir), GRADIO_ANALYTICS_ENABLED="False", PYTHONUNBUFFERED="1",
               NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost",
               PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH", "")])))
    return env


def build_index(data_dir: Path) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from bot.service import get_bot; get_bot().library.ensure_index(progress=False)"],
                   cwd=REPO, env=app_env(data_dir), check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


ADMIN = ("admin", f"bench-{os.getpid()}-{random.randrange(10**9)}")


API_KEY = f"bench-{os.getpid()}-{random.randrange(10**9)}"


def start_app(data_dir: Path, log_path: Path, timeout: float, admin_port: int | None = None,
              extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = log_path.open("w", encoding="utf-8")
    env = app_env(data_dir)
    env.update(extra_env or {})
    if admin_port:
        env.update(POLICYBOT_ADMIN_PASSWORD=ADMIN[1], POLICYBOT_ADMIN_PORT=str(admin_port))
    proc = subprocess.Popen([sys.executable, str(REPO / "app.py"), "--host", "127.0.0.1", "--port", str(port)],
                            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"app.py exited with {proc.returncode}; see {log_path}")
        try:
            with opener.open(url, timeout=2) as resp:
                if resp.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.5)
    stop_app(proc)
    raise SystemExit(f"app.py did not serve {url} within {timeout:.0f} s; see {log_path}")


def stop_app(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


# ----- the load phase ------------------------------------------------------------------------------
def run_load(url: str, plan: list[list[Request]], expected: dict[tuple[int, int], Expected],
             max_seconds: float, think_seconds: float = 0.0, seed: int = 7) -> tuple[list[Outcome], float]:
    """Every session sends its requests one after another.  ``think_seconds`` = 0: back to back (a
    closed loop, the harshest case); > 0: a pause between an answer and the next question, drawn
    from an exponential distribution with that mean (seeded per session), the time a person takes to
    read an answer and type the next question."""

    outcomes: list[Outcome] = []
    lock = threading.Lock()
    ready = threading.Barrier(len(plan) + 1)
    start_box: list[float] = []
    others = list(expected.values())

    def session(reqs: list[Request]) -> None:
        try:
            client = api_client(url)
        except Exception as exc:
            client, setup_error = None, f"{type(exc).__name__}: {exc}"
        else:
            setup_error = ""
        try:
            ready.wait(timeout=120)
        except threading.BrokenBarrierError:
            pass
        deadline = start_box[0] + max_seconds if start_box else time.perf_counter() + max_seconds
        pauses = random.Random(seed * 1000 + (reqs[0].session if reqs else 0))
        if think_seconds > 0:  # sessions do not all start in the same instant either
            time.sleep(pauses.uniform(0, think_seconds))
        for n, r in enumerate(reqs):
            if think_seconds > 0 and n:
                time.sleep(min(pauses.expovariate(1 / think_seconds), max(0.0, deadline - time.perf_counter())))
            o = Outcome(r)
            left = deadline - time.perf_counter()
            if client is None:
                o.verdict, o.error = "error", setup_error
            elif left <= 0:
                o.verdict, o.error = "timeout", "not sent: --max-seconds reached"
            else:
                t0 = time.perf_counter()
                try:
                    got = _observe(client, r, timeout=left)
                    o.latency = time.perf_counter() - t0
                    o.verdict, o.detail = judge(got, expected[(r.session, r.seq)], others)
                except TimeoutError:
                    o.verdict, o.error = "timeout", "still running at --max-seconds"
                except Exception as exc:
                    o.latency = time.perf_counter() - t0
                    o.verdict, o.error = "error", f"{type(exc).__name__}: {str(exc)[:200]}"
            with lock:
                outcomes.append(o)

    threads = [threading.Thread(target=session, args=(reqs,), daemon=True, name=f"session-{i}")
               for i, reqs in enumerate(plan)]
    for t in threads:
        t.start()
    try:
        ready.wait(timeout=120)  # every session has its client: start the clock
    except threading.BrokenBarrierError:
        pass
    start_box.append(time.perf_counter())
    t_start = start_box[0]
    for t in threads:
        t.join(timeout=max(0.0, t_start + max_seconds + 5 - time.perf_counter()))
    wall = time.perf_counter() - t_start
    with lock:
        done = list(outcomes)
    seen = {(o.req.session, o.req.seq) for o in done}
    for reqs in plan:  # requests of threads still blocked at the deadline
        for r in reqs:
            if (r.session, r.seq) not in seen:
                done.append(Outcome(r, verdict="timeout", error="abandoned at --max-seconds"))
    return done, wall


# ----- phased: before / during / after an upload ---------------------------------------------------
def clause_file(path: Path, n: int) -> Path:
    """A policy file of ``n`` distinct numbered clauses (each embedded: nothing to reuse)."""
    topics = ["质量认证", "标准制定", "计量检测", "品牌建设", "知识产权", "检验检测", "质量管理体系", "首席质量官",
              "质量技术攻关", "绿色产品认证"]
    lines = [f"测试市{n}条质量促进办法"]
    for i in range(1, n + 1):
        t = topics[i % len(topics)]
        lines.append(f"第{i}条 对开展{t}的企业，第{i}批次按项目给予支持，由市第{i % 17 + 1}工作组负责落实，"
                     f"编号{i:04d}的事项于{2024 + i % 3}年完成。")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_phased(url: str, admin_url: str, questions: list[str], sessions: int, phase_seconds: float,
               upload: Path, max_seconds: float) -> None:
    from gradio_client import handle_file

    samples: list[tuple[str, str, float]] = []  # phase, kind, ms
    errors: list[str] = []
    phase = ["before"]
    stop = threading.Event()
    lock = threading.Lock()

    def session(i: int) -> None:
        client = api_client(url)
        rng = random.Random(i)
        n = 0
        while not stop.is_set():
            q = rng.choice(questions)
            kind = "lookup" if n % 2 else "chat"
            current = phase[0]
            t0 = time.perf_counter()
            try:
                if kind == "chat":
                    client.predict(q, [], [], [], api_name="/chat")
                else:
                    client.predict(q, False, "", api_name="/lookup")
            except Exception as exc:
                with lock:
                    errors.append(f"{kind}: {type(exc).__name__}: {str(exc)[:120]}")
                continue
            with lock:
                if current == phase[0]:  # a request that spans a phase change counts for neither
                    samples.append((current, kind, (time.perf_counter() - t0) * 1000))
            n += 1

    threads = [threading.Thread(target=session, args=(i,), daemon=True) for i in range(sessions)]
    for t in threads:
        t.start()
    time.sleep(phase_seconds)
    admin = api_client(admin_url, auth=ADMIN)
    phase[0] = "during"
    t0 = time.perf_counter()
    out = admin.predict([handle_file(str(upload))], False, api_name="/upload")
    upload_s = time.perf_counter() - t0
    phase[0] = "after"
    time.sleep(min(phase_seconds, max_seconds))
    stop.set()
    for t in threads:
        t.join(timeout=60)
    row = out[0]["data"][0]
    print(f"upload: {row[0]} {row[1]} {row[2]} clauses in {upload_s:.1f} s ({row[3][:60]})")
    p95 = {}
    for ph in ("before", "during", "after"):
        for kind in ("chat", "lookup"):
            sel = [ms for p, k, ms in samples if p == ph and k == kind]
            if sel:
                p95[(ph, kind)] = pct(sel, 95)
                print(f"{ph:6} {kind:6} n={len(sel):3} p50={pct(sel, 50):6.0f} ms p95={pct(sel, 95):6.0f} ms "
                      f"max={max(sel):6.0f} ms")
    for kind in ("chat", "lookup"):
        if ("before", kind) in p95 and ("during", kind) in p95:
            print(f"during/before p95 [{kind}] = {p95[('during', kind)] / p95[('before', kind)]:.2f}x")
    print(f"errors={len(errors)}")
    for e in errors[:5]:
        print("  " + e)


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), to split a request's cost between the app
    and this load generator — both run on the same cores here."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def report_cpu(app_cpu: float | None, client_cpu: float, requests: int, sessions: int, think: float) -> None:
    """CPU per request and what it implies: with no pause between requests, ``sessions`` requests
    share the cores, so no server can answer the median one faster than sessions x CPU / cores."""
    if not requests:
        return
    cores = os.cpu_count() or 1
    client_ms = client_cpu / requests * 1000
    line = f"cpu per request: load generator {client_ms:.0f} ms"
    if app_cpu is not None:
        app_ms = app_cpu / requests * 1000
        line += f", app {app_ms:.0f} ms"
        if think == 0 and sessions > 1:
            line += (f"; closed-loop floor for p50 ≈ {sessions} sessions × {app_ms + client_ms:.0f} ms / {cores} cores"
                     f" = {sessions * (app_ms + client_ms) / cores:.0f} ms")
    print(line)


def report(outcomes: list[Outcome], wall: float, sessions: int) -> None:
    answered = [o for o in outcomes if o.latency is not None and o.verdict not in ("error", "timeout")]
    print(f"sessions={sessions} requests={len(outcomes)} answered={len(answered)} wall={wall:.1f} s")
    print(f"throughput={len(answered) / wall:.2f} req/s" if wall > 0 else "throughput=n/a")
    for kind in ("chat", "lookup", None):
        sel = [o.latency * 1000 for o in answered if kind is None or o.req.kind == kind]
        name = kind or "all"
        if sel:
            print(f"latency[{name}] n={len(sel)} p50={pct(sel, 50):.0f} ms p95={pct(sel, 95):.0f} ms "
                  f"max={max(sel):.0f} ms mean={statistics.fmean(sel):.0f} ms")
    errors = [o for o in outcomes if o.verdict == "error"]
    timeouts = [o for o in outcomes if o.verdict == "timeout"]
    mixed = [o for o in outcomes if o.verdict == "mixed-up"]
    differs = [o for o in outcomes if o.verdict == "differs"]
    print(f"errors={len(errors)} timeouts={len(timeouts)} mixed_up={len(mixed)} text_differs={len(differs)} "
          f"ok={sum(o.verdict == 'ok' for o in outcomes)}")
    for o in (errors + timeouts + mixed + differs)[:10]:
        print(f"  [{o.verdict}] session {o.req.session} #{o.req.seq} {o.req.kind} {o.req.question[:30]!r}: "
              f"{o.error or o.detail}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="an app that is already running (loopback); default: start app.py here")
    ap.add_argument("--data-dir", type=Path, help="its POLICYBOT_DATA_DIR (for in-process expected answers); "
                    "without --url: reuse this index instead of building one in a temporary directory")
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--per-session", type=int, default=5)
    ap.add_argument("--max-seconds", type=float, default=300.0, help="hard wall-time bound of the load phase")
    ap.add_argument("--lookup-every", type=int, default=4, help="every n-th request goes to lookup (0: never)")
    ap.add_argument("--app-pid", type=int, help="with --url: the app's process id, to report its CPU per request")
    ap.add_argument("--think-seconds", type=float, default=0.0,
                    help="mean pause between an answer and a session's next question (exponential; 0: back to back)")
    ap.add_argument("--start-timeout", type=float, default=300.0)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--upload-clauses", type=int, default=0,
                    help="phased run: before / during / after uploading a file of this many clauses (starts the app)")
    ap.add_argument("--phase-seconds", type=float, default=30.0, help="length of the before and after phases")
    ap.add_argument("--api", action="store_true", help="drive the HTTP API (/v1) instead of the page (starts the app)")
    ap.add_argument("--clients", type=int, default=20, help="--api: concurrent API clients")
    ap.add_argument("--seconds", type=float, default=60.0, help="--api: how long the clients send requests")
    args = ap.parse_args(argv)
    if args.upload_clauses:
        return main_phased(args)
    if args.api:
        return main_api(args)

    if args.url and urlparse(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        ap.error("--url must be a loopback address (load tests never leave this machine)")
    if args.sessions < 1 or args.per_session < 1 or args.sessions * args.per_session > 5000:
        ap.error("--sessions x --per-session must be between 1 and 5000")

    plan = make_plan(load_questions(), args.sessions, args.per_session, args.lookup_every, args.seed)
    t_expect = time.perf_counter()
    proc = None
    tmp = None
    try:
        if args.url:
            url = args.url
            if args.data_dir:
                expected = expected_in_process(plan, args.data_dir)
                source = "in-process PolicyBot over --data-dir"
            else:
                expected = expected_baseline(plan, url)
                source = "sequential baseline pass through the app"
            source += f" ({time.perf_counter() - t_expect:.0f} s)"
        else:
            data_dir = args.data_dir
            if data_dir is None:
                tmp = tempfile.TemporaryDirectory(prefix="policybot-load-")
                data_dir = Path(tmp.name)
            print(f"building the index in {data_dir} (no-op if it exists) …", file=sys.stderr, flush=True)
            print(f"index ready in {build_index(data_dir):.1f} s", file=sys.stderr, flush=True)
            # Expected answers before the app opens the same embedded store (one writer at a time).
            t_expect = time.perf_counter()
            expected = expected_in_process(plan, data_dir)
            source = "in-process PolicyBot over the same index"
            source += f" ({time.perf_counter() - t_expect:.0f} s)"
            log_path = Path(tempfile.gettempdir()) / f"policybot-load-app-{os.getpid()}.log"
            t0 = time.perf_counter()
            proc, url = start_app(data_dir, log_path, args.start_timeout)
            print(f"app started at {url} in {time.perf_counter() - t0:.1f} s (log {log_path})",
                  file=sys.stderr, flush=True)
        print(f"expected responses: {source}; {len(expected)} requests planned "
              f"({sum(r.kind == 'lookup' for s in plan for r in s)} lookup)", flush=True)
        app_pid = proc.pid if proc is not None else args.app_pid
        app_cpu0 = process_cpu_seconds(app_pid) if app_pid else None
        client_cpu0 = time.process_time()
        outcomes, wall = run_load(url, plan, expected, args.max_seconds, args.think_seconds, args.seed)
        client_cpu = time.process_time() - client_cpu0
        app_cpu = process_cpu_seconds(app_pid) - app_cpu0 if app_pid and app_cpu0 is not None else None
        report(outcomes, wall, args.sessions)
        report_cpu(app_cpu, client_cpu, len(outcomes), args.sessions, args.think_seconds)
    finally:
        if proc is not None:
            stop_app(proc)
        if tmp is not None:
            tmp.cleanup()
    return 0


# ----- the HTTP API ---------------------------------------------------------------------------------
def api_expected(questions: list[str], data_dir: Path) -> dict[tuple[str, str], list[str]]:
    """Clause ids per (route, question) from an in-process PolicyBot: the answer's citations and 另见 in
    marker order (what the API returns), the hotline result in page order."""
    from bot.retrieval import SearchFilters
    from bot.service import PolicyBot
    from bot.settings import Settings

    bot = PolicyBot(Settings(POLICYBOT_DATA_DIR=str(data_dir)))
    out: dict[tuple[str, str], list[str]] = {}
    for q in questions:
        a = bot.answer(q.strip())
        out[("chat", q)] = [c.clause_id for c in [*a.citations, *a.see_also]]
        out[("lookup", q)] = [c.clause_id for _g, c in bot.hotline_search(q.strip(), k=LOOKUP_K, filters=SearchFilters()).shown()]
    return out


def run_api_load(url: str, questions: list[str], expected: dict[tuple[str, str], list[str]], clients: int,
                 seconds: float, lookup_every: int, seed: int) -> tuple[list[Outcome], float]:
    import httpx

    outcomes: list[Outcome] = []
    lock = threading.Lock()
    ready = threading.Barrier(clients + 1)
    start_box: list[float] = []
    groups = ("exact", "neighbours", "matching", "related", "outline")

    def client(i: int) -> None:
        qs = questions[:]
        random.Random(seed * 1000 + i).shuffle(qs)
        headers = {"Authorization": f"Bearer {API_KEY}"}
        with httpx.Client(base_url=url, headers=headers, timeout=seconds + 30, trust_env=False) as http:
            with contextlib.suppress(threading.BrokenBarrierError):
                ready.wait(timeout=120)
            n = 0
            while time.perf_counter() < start_box[0] + seconds:
                q = qs[n % len(qs)]
                kind = "lookup" if lookup_every and (i + n) % lookup_every == lookup_every - 1 else "chat"
                o = Outcome(Request(i, n, kind, q))
                t0 = time.perf_counter()
                try:
                    if kind == "chat":
                        r = http.post("/v1/chat/completions", json={"model": "policybot",
                                                                    "messages": [{"role": "user", "content": q}]})
                        r.raise_for_status()
                        info = r.json()["policybot"]
                        got = [c["clause_id"] for c in [*info["citations"], *info["see_also"]]]
                    else:
                        r = http.get("/v1/search", params={"q": q, "k": LOOKUP_K})
                        r.raise_for_status()
                        body = r.json()
                        got = [c["clause_id"] for g in groups for c in body[g]]
                    o.latency = time.perf_counter() - t0
                    want = expected[(kind, q)]
                    o.verdict = "ok" if got == want else "differs"
                    o.detail = "" if got == want else f"got {got[:3]} want {want[:3]}"
                except Exception as exc:
                    o.latency = time.perf_counter() - t0
                    o.verdict, o.error = "error", f"{type(exc).__name__}: {str(exc)[:200]}"
                with lock:
                    outcomes.append(o)
                n += 1

    threads = [threading.Thread(target=client, args=(i,), daemon=True, name=f"api-client-{i}") for i in range(clients)]
    for t in threads:
        t.start()
    start_box.append(time.perf_counter())
    with contextlib.suppress(threading.BrokenBarrierError):
        ready.wait(timeout=120)
    start_box[0] = time.perf_counter()
    for t in threads:
        t.join(timeout=seconds + 60)
    return list(outcomes), time.perf_counter() - start_box[0]


def main_api(args: argparse.Namespace) -> int:
    tmp = tempfile.TemporaryDirectory(prefix="policybot-load-")
    data_dir = args.data_dir or Path(tmp.name)
    questions = load_questions()
    try:
        print(f"building the index in {data_dir} (no-op if it exists) …", file=sys.stderr, flush=True)
        print(f"index ready in {build_index(data_dir):.1f} s", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        expected = api_expected(questions, data_dir)
        print(f"expected responses: in-process PolicyBot over the same index ({time.perf_counter() - t0:.0f} s)",
              file=sys.stderr, flush=True)
        log_path = Path(tempfile.gettempdir()) / f"policybot-load-app-{os.getpid()}.log"
        # No rate limit for the bench key: the run measures the server, not the limiter.
        proc, url = start_app(data_dir, log_path, args.start_timeout,
                              extra_env={"POLICYBOT_API_KEYS": API_KEY, "POLICYBOT_API_RATE": "0"})
        try:
            print(f"app at {url}; {args.clients} API clients for {args.seconds:.0f} s, back to back", flush=True)
            app_cpu0 = process_cpu_seconds(proc.pid)
            client_cpu0 = time.process_time()
            outcomes, wall = run_api_load(url, questions, expected, args.clients, args.seconds, args.lookup_every,
                                          args.seed)
            app_cpu = process_cpu_seconds(proc.pid) - app_cpu0
            report(outcomes, wall, args.clients)
            report_cpu(app_cpu, time.process_time() - client_cpu0, len(outcomes), args.clients, 0.0)
        finally:
            stop_app(proc)
    finally:
        tmp.cleanup()
    return 0


def main_phased(args: argparse.Namespace) -> int:
    tmp = tempfile.TemporaryDirectory(prefix="policybot-load-")
    data_dir = args.data_dir or Path(tmp.name)
    print(f"building the index in {data_dir} (no-op if it exists) …", file=sys.stderr, flush=True)
    print(f"index ready in {build_index(data_dir):.1f} s", file=sys.stderr, flush=True)
    log_path = Path(tempfile.gettempdir()) / f"policybot-load-app-{os.getpid()}.log"
    admin_port = free_port()
    proc, url = start_app(data_dir, log_path, args.start_timeout, admin_port=admin_port)
    try:
        upload = clause_file(Path(tmp.name) / f"bench-upload-{os.getpid()}.txt", args.upload_clauses)
        print(f"app at {url}, admin at http://127.0.0.1:{admin_port}/; {args.sessions} sessions, "
              f"{args.phase_seconds:.0f} s before/after, {args.upload_clauses}-clause upload", flush=True)
        run_phased(url, f"http://127.0.0.1:{admin_port}/", load_questions(), args.sessions, args.phase_seconds,
                   upload, args.max_seconds)
    finally:
        stop_app(proc)
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Hard stop: do not wait for gradio_client worker threads still holding abandoned requests.
    os._exit(code)
