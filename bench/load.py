"""Load test of the RUNNING web app through its public API (``gradio_client``), loopback only.

    python bench/load.py                          # starts app.py itself (temporary data dir, extractive mode)
    python bench/load.py --sessions 20 --per-session 5 --max-seconds 300
    python bench/load.py --url http://127.0.0.1:7860/ [--data-dir DIR]   # drive an app that is already running

N concurrent sessions (one thread and one ``gradio_client.Client`` each, i.e. one browser tab each)
ask dev-set questions (``eval/dev.jsonl``) through the ``chat`` endpoint, every ``--lookup-every``-th
request through ``lookup`` instead.  Prints throughput, p50/p95 latency, errors, and a mixed-up-answer
check: every response must be the answer to *its own* question in *its own* session.  The expected
responses come from an in-process :class:`bot.service.PolicyBot` over the same index, replaying each
session's exact sequence (chat history included, since follow-ups depend on it); with ``--url`` and
no ``--data-dir`` they come from a sequential baseline pass through the app instead.

Only ever talks to the URL it is given or to the app it started on 127.0.0.1; the run is bounded by
``--sessions`` x ``--per-session`` requests and by ``--max-seconds`` of wall time for the load phase
(requests still running at the deadline are abandoned and counted as timed out).  Figures are
printed, never asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import socket
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


# ----- expected responses --------------------------------------------------------------------------
def expected_in_process(plan: list[list[Request]], data_dir: Path) -> dict[tuple[int, int], Expected]:
    """Replay every session in-process over the same index (history included)."""
    from bot.retrieval import SearchFilters
    from bot.service import PolicyBot
    from bot.settings import Settings
    from bot.ui import md_text, render_chat

    env = {k: v for k, v in os.environ.items() if k.startswith(("CHROMA_", "POLICYBOT_COLLECTION"))}
    bot = PolicyBot(Settings(POLICYBOT_DATA_DIR=str(data_dir), **env))
    out: dict[tuple[int, int], Expected] = {}
    for session in plan:
        history: list[dict] = []
        for r in session:
            if r.kind == "lookup":
                hits = bot.search(r.question, k=LOOKUP_K, filters=SearchFilters())
                out[(r.session, r.seq)] = Expected(clause_ids=[c.clause_id for c in hits])
                continue
            q = r.question.strip()
            a = bot.answer(q, history, SearchFilters())
            pending = history + [{"role": "user", "content": q}]
            history = pending + [{"role": "assistant", "content": a.answer}]
            msgs = render_chat(history, a)
            cited = [c.clause_id for c in (a.citations or (a.retrieved[:3] if a.refused else []))]
            out[(r.session, r.seq)] = Expected(user=md_text(q), assistant=msgs[-1]["content"], clause_ids=cited)
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
    from gradio_client import Client

    out = {}
    for session in plan:
        client = Client(url, verbose=False, download_files=False)
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


def start_app(data_dir: Path, log_path: Path, timeout: float) -> tuple[subprocess.Popen, str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = log_path.open("w", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(REPO / "app.py"), "--host", "127.0.0.1", "--port", str(port)],
                            cwd=REPO, env=app_env(data_dir), stdout=log, stderr=subprocess.STDOUT)
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
             max_seconds: float) -> tuple[list[Outcome], float]:
    from gradio_client import Client

    outcomes: list[Outcome] = []
    lock = threading.Lock()
    ready = threading.Barrier(len(plan) + 1)
    start_box: list[float] = []
    others = list(expected.values())

    def session(reqs: list[Request]) -> None:
        try:
            client = Client(url, verbose=False, download_files=False)
        except Exception as exc:
            client, setup_error = None, f"{type(exc).__name__}: {exc}"
        else:
            setup_error = ""
        try:
            ready.wait(timeout=120)
        except threading.BrokenBarrierError:
            pass
        deadline = start_box[0] + max_seconds if start_box else time.perf_counter() + max_seconds
        for r in reqs:
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


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


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
    ap.add_argument("--start-timeout", type=float, default=300.0)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)

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
        outcomes, wall = run_load(url, plan, expected, args.max_seconds)
        report(outcomes, wall, args.sessions)
    finally:
        if proc is not None:
            stop_app(proc)
        if tmp is not None:
            tmp.cleanup()
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Hard stop: do not wait for gradio_client worker threads still holding abandoned requests.
    os._exit(code)
