"""The HTTP API of a real ``python app.py`` on loopback: the official ``openai`` client for the chat,
raw HTTP for the REST routes and every error, ``gradio_client`` on the same port for the page's answers.

One app process with two environment keys (``KEY`` for everything, ``RATE_KEY`` only for the rate
test, so the other tests never meet the limit) and CORS for one origin; the app
without keys is in ``tests/test_api_keys.py`` (the API absent, then keys created in the admin app).
"""
from __future__ import annotations

import json
import re
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from openai import OpenAI
from prometheus_client.parser import text_string_to_metric_families

from tests.ui_fixtures import OUTPUT_DIR, start_app_process, stop_app_process

pytestmark = pytest.mark.integration

KEY = "test-key-Zq81-main"
RATE_KEY = "test-key-Zq81-rate"
RATE = 40  # per minute
MAX_BODY = 64 * 1024
ORIGIN = "https://desk.example.com"
Q15 = "天津实施意见第15条讲什么"


@pytest.fixture(scope="module")
def api_app(tmp_path_factory, shipped_index) -> Iterator[tuple[str, Path]]:
    data = shipped_index.copy_to(tmp_path_factory.mktemp("api-data"))
    log = OUTPUT_DIR / "api-app.log"
    proc, url, _ = start_app_process(data, log, admin=False, extra_env={
        "POLICYBOT_API_KEYS": f"{KEY}, {RATE_KEY}", "POLICYBOT_API_RATE": str(RATE),
        "POLICYBOT_API_MAX_BODY_BYTES": str(MAX_BODY), "POLICYBOT_API_CORS_ORIGINS": ORIGIN,
        "POLICYBOT_LOG_FORMAT": "json"})
    yield url, log
    stop_app_process(proc)


@pytest.fixture(scope="module")
def url(api_app) -> str:
    return api_app[0]


@pytest.fixture(scope="module")
def http(url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url, timeout=60, trust_env=False) as c:
        yield c


@pytest.fixture(scope="module")
def auth() -> dict[str, str]:
    return {"Authorization": f"Bearer {KEY}"}


@pytest.fixture(scope="module")
def client(url: str) -> OpenAI:
    return OpenAI(base_url=f"{url}v1", api_key=KEY, http_client=httpx.Client(trust_env=False, timeout=60))


def ui_sources(url: str, question: str, regions: list[str] | None = None) -> list[tuple[int, str]]:
    """The page's answer sources for a fresh session: (marker, clause id) in panel order."""
    from gradio_client import Client

    _, sources, _ = Client(url, verbose=False, download_files=False).predict(question, [], regions or [], api_name="/chat")
    return [(int(n), cid) for n, cid in re.findall(r'id="cite-(\d+)" data-clause-id="([^"]+)"', sources)]


def api_sources(info: dict) -> list[tuple[int, str]]:
    return [(c["marker"] or n, c["clause_id"]) for n, c in enumerate([*info["citations"], *info["see_also"]], start=1)]


# ----- OpenAI-compatible chat ------------------------------------------------------------------------------
def test_models(client: OpenAI) -> None:
    assert [m.id for m in client.models.list()] == ["policybot"]


@pytest.mark.parametrize("question", [Q15, "我们小厂想做质量认证，政府有帮扶吗？"])
def test_chat_completion_cites_what_the_page_cites(client: OpenAI, url: str, question: str) -> None:
    resp = client.chat.completions.create(model="policybot", messages=[{"role": "user", "content": question}])
    content = resp.choices[0].message.content or ""
    info = resp.model_extra["policybot"]
    assert resp.model == "policybot" and resp.choices[0].finish_reason == "stop"
    assert "[1]" in content and info["citations"] and not info["refused"] and info["mode"] == "extractive"
    first = info["citations"][0]
    for field in ("doc_id", "doc_title", "item_label", "doc_number", "date", "issuers", "text", "reference"):
        assert field in first
    assert first["url"].startswith(url) and "?clause=" in first["url"]
    assert api_sources(info) == ui_sources(url, question)  # the same clauses, same markers, same order


def test_chat_citation_fields(client: OpenAI) -> None:
    info = client.chat.completions.create(model="policybot", messages=[{"role": "user", "content": Q15}]).model_extra["policybot"]
    c = info["citations"][0]
    assert c["doc_id"] == "tianjin-2022-qi-private-enterprises" and c["item"] == "二（八）15"
    assert c["item_label"] == "二、（八）第15项" and c["date"] == "2022-07-22" and "天津市市场监管委" in c["issuers"]
    assert "反不正当竞争" in c["text"] and c["doc_name"] == "天津实施意见"


def test_streaming_gives_the_same_answer(client: OpenAI) -> None:
    whole = client.chat.completions.create(model="policybot", messages=[{"role": "user", "content": Q15}])
    stream = client.chat.completions.create(model="policybot", messages=[{"role": "user", "content": Q15}], stream=True)
    chunks = list(stream)
    text = "".join(ch.choices[0].delta.content or "" for ch in chunks if ch.choices)
    assert text == whole.choices[0].message.content
    assert chunks[-1].choices[0].finish_reason == "stop"
    info = chunks[-1].model_extra["policybot"]
    assert api_sources(info) == api_sources(whole.model_extra["policybot"]) and info.get("content") is None
    assert all("policybot" not in (ch.model_extra or {}) for ch in chunks[:-1])


def test_streaming_raw_events_end_with_done(http: httpx.Client, auth: dict[str, str]) -> None:
    with http.stream("POST", "/v1/chat/completions", headers=auth,
                     json={"messages": [{"role": "user", "content": Q15}], "stream": True}) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        events = [line[6:] for line in r.iter_lines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    assert json.loads(events[0])["choices"][0]["delta"] == {"role": "assistant", "content": ""}


def test_follow_up_uses_the_history(client: OpenAI) -> None:
    first = client.chat.completions.create(model="policybot", messages=[{"role": "user", "content": Q15}])
    follow = client.chat.completions.create(model="policybot", messages=[
        {"role": "system", "content": "你是政策助手"},
        {"role": "user", "content": Q15},
        {"role": "assistant", "content": first.choices[0].message.content},
        {"role": "user", "content": "那第16条呢？"}])
    items = [c["item"] for c in follow.model_extra["policybot"]["citations"]]
    assert items and items[0] == "二（九）16", items
    # the same follow-up after a question about another document follows that document instead
    other = client.chat.completions.create(model="policybot", messages=[
        {"role": "user", "content": "广东那份走出去措施第八条讲什么？"},
        {"role": "assistant", "content": "……"},
        {"role": "user", "content": "那第16条呢？"}])
    assert all(not c["doc_id"].startswith("tianjin") for c in other.model_extra["policybot"]["citations"])


def test_filters_scope_the_answer(client: OpenAI) -> None:
    resp = client.chat.completions.create(model="policybot", messages=[{"role": "user", "content": "技术性贸易壁垒"}],
                                          extra_body={"filters": {"region": ["广东省"]}})
    cites = resp.model_extra["policybot"]["citations"]
    assert cites and all(c["doc_id"].startswith("guangdong") for c in cites)


def test_refusal_is_flagged(client: OpenAI) -> None:
    info = client.chat.completions.create(model="policybot", messages=[{"role": "user", "content": "今天天气怎么样？"}]
                                          ).model_extra["policybot"]
    assert info["refused"] and info["refusal_reason"] and not info["partial"] and not info["citations"]


# ----- REST -------------------------------------------------------------------------------------------------
def test_search_lists_what_the_lookup_tab_lists(http: httpx.Client, auth: dict[str, str], url: str) -> None:
    from gradio_client import Client

    r = http.get("/v1/search", params={"q": "首席质量官"}, headers=auth)
    assert r.status_code == 200
    body = r.json()
    assert body["headline"].startswith(f"{body['matching_total']} 条含“首席质量官”") and body["matching"]
    _, rows = Client(url, verbose=False, download_files=False).predict("首席质量官", False, "", api_name="/lookup")
    shown = [(c["group"], c["clause_id"]) for g in ("exact", "neighbours", "matching", "related", "outline") for c in body[g]]
    assert shown == [(row["group"], row["clause_id"]) for row in rows]


def test_search_filters(http: httpx.Client, auth: dict[str, str]) -> None:
    body = http.get("/v1/search", params={"q": "质量基础设施", "region": "广东省", "k": 5}, headers=auth).json()
    shown = body["matching"] + body["related"]
    assert shown and len(body["matching"]) <= 5 and all(c["doc_id"].startswith("guangdong") for c in shown)


def test_clause_by_reference_and_missing_number(http: httpx.Client, auth: dict[str, str]) -> None:
    body = http.get("/v1/clauses", params={"ref": "天津实施意见第15条"}, headers=auth).json()
    assert [c["item"] for c in body["exact"]] == ["二（八）15"]
    assert [c["item"] for c in body["neighbours"]] == ["二（八）14", "二（九）16"]
    missing = http.get("/v1/clauses", params={"ref": "天津实施意见第99条"}, headers=auth).json()
    assert "没有第99" in missing["missing"] and len(missing["outline"]) >= 15 and not missing["exact"]
    by_id = http.get("/v1/clauses", params={"clause_id": body["exact"][0]["clause_id"]}, headers=auth).json()
    assert [c["item"] for c in by_id["exact"]] == ["二（八）15"] and len(by_id["neighbours"]) == 2
    unknown = http.get("/v1/clauses", params={"ref": "首席质量官"}, headers=auth)
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"


def test_documents_and_outline(http: httpx.Client, auth: dict[str, str]) -> None:
    docs = http.get("/v1/documents", headers=auth).json()["documents"]
    ids = [d["doc_id"] for d in docs]
    assert "tianjin-2022-qi-private-enterprises" in ids and len(ids) >= 5
    one = http.get("/v1/documents/天津实施意见", headers=auth).json()  # a short name resolves like the page's picker
    assert one["doc_id"] == "tianjin-2022-qi-private-enterprises" and one["date"] == "2022-07-22"
    # the outline holds every stored clause and, before their first child, the parts whose heading has no text
    assert "二（八）15" in [o["item"] for o in one["outline"]] and len(one["outline"]) > one["clause_count"]
    assert http.get("/v1/documents/no-such-doc", headers=auth).status_code == 404


def test_openapi_schema_and_docs_page(http: httpx.Client) -> None:
    spec = http.get("/v1/openapi.json").json()
    for path in ("/v1/chat/completions", "/v1/models", "/v1/search", "/v1/clauses", "/v1/documents", "/v1/documents/{doc_id}"):
        assert path in spec["paths"], path
    schemas = spec["components"]["schemas"]
    assert {"ChatRequest", "ChatCompletion", "SearchResponse", "ClauseOut", "OpenAIError", "ApiError"} <= set(schemas)
    page = http.get("/v1/docs")
    assert page.status_code == 200 and "/v1/chat/completions" in page.text and "<script" not in page.text


# ----- access and errors ---------------------------------------------------------------------------------------
def test_no_key_and_wrong_key_get_the_same_401(http: httpx.Client) -> None:
    bodies = []
    for headers in ({}, {"Authorization": "Bearer wrong-key-123"}, {"Authorization": f"Basic {KEY}"}):
        r = http.get("/v1/models", headers=headers)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        bodies.append(r.json())
    assert bodies[0] == bodies[1] == bodies[2]
    assert bodies[0]["error"]["message"] == "Unauthorized" and "wrong-key" not in json.dumps(bodies)
    r = http.get("/v1/search", params={"q": "质量"})
    assert r.status_code == 401 and r.json()["code"] == "unauthorized" and r.json()["message"] == "Unauthorized"


def test_rate_limit_429_with_retry_after(http: httpx.Client) -> None:
    headers = {"Authorization": f"Bearer {RATE_KEY}"}
    codes = [http.get("/v1/models", headers=headers).status_code for _ in range(RATE + 5)]
    allowed = codes.index(429)
    assert RATE - 2 <= allowed <= RATE and set(codes[allowed:]) == {429}, codes  # a bucket refills while the burst runs
    r = http.get("/v1/models", headers=headers)
    assert r.status_code == 429 and 1 <= int(r.headers["retry-after"]) <= 60
    assert r.json()["error"]["type"] == "rate_limit_error"
    assert http.get("/v1/models", headers={"Authorization": f"Bearer {KEY}"}).status_code == 200  # per key


def test_oversize_body_413(http: httpx.Client, auth: dict[str, str]) -> None:
    big = json.dumps({"messages": [{"role": "user", "content": "质" * MAX_BODY}]})
    r = http.post("/v1/chat/completions", headers={**auth, "Content-Type": "application/json"}, content=big)
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while read
        data = big.encode()
        for i in range(0, len(data), 8192):
            yield data[i:i + 8192]

    r = http.post("/v1/chat/completions", headers={**auth, "Content-Type": "application/json"}, content=chunks())
    assert r.status_code == 413


def test_question_size_limit(http: httpx.Client, auth: dict[str, str]) -> None:
    r = http.post("/v1/chat/completions", headers=auth, json={"messages": [{"role": "user", "content": "质" * 2001}]})
    assert r.status_code == 400 and "问题过长" in r.json()["error"]["message"]


@pytest.mark.parametrize(("body", "expected"), [
    (b'{"messages": [{"role": "user", "content": ', "JSON"),
    (b'{"messages": [{"role": "user", "content": "   "}]}', "请输入问题"),
    (b'{"messages": []}', "messages"),
    (b'{"messages": [{"role": "user", "content": "\\ud800\\u8d28\\u91cf"}]}', "代理项"),
    (b'{"messages": [{"role": "assistant", "content": "hi"}]}', "role: user"),
])
def test_bad_chat_requests_400(http: httpx.Client, auth: dict[str, str], body: bytes, expected: str) -> None:
    r = http.post("/v1/chat/completions", headers={**auth, "Content-Type": "application/json"}, content=body)
    assert r.status_code == 400, r.text
    err = r.json()["error"]
    assert err["type"] == "invalid_request_error" and expected in err["message"]


def test_bad_rest_requests_400(http: httpx.Client, auth: dict[str, str]) -> None:
    r = http.get("/v1/search", params={"q": "  "}, headers=auth)
    assert r.status_code == 400 and r.json()["code"] == "bad_request" and "请输入" in r.json()["message"]
    assert r.json()["request_id"] == r.headers["x-request-id"]
    r = http.get("/v1/search?q=" + urllib.parse.quote("质量\ud800", errors="surrogatepass"), headers=auth)
    assert r.status_code == 400 and r.json()["code"] == "bad_request"
    assert http.get("/v1/search", params={"q": "质量", "k": 0}, headers=auth).status_code == 400


# ----- operations ----------------------------------------------------------------------------------------------
def _metric(http: httpx.Client, name: str, **labels: str) -> float:
    """The sum of the samples of ``name`` whose labels include ``labels`` (every reason of a refusal …)."""
    text = http.get("/metrics").text
    return sum(s.value for family in text_string_to_metric_families(text) for s in family.samples
               if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()))


def test_metrics_move_after_requests(http: httpx.Client, auth: dict[str, str]) -> None:
    before_req = _metric(http, "policybot_http_requests_total", route="/v1/chat/completions", status="200")
    before_ans = _metric(http, "policybot_answers_total", mode="extractive")
    before_ref = _metric(http, "policybot_refusals_total")
    before_n = _metric(http, "policybot_http_request_duration_seconds_count", route="/v1/chat/completions")
    assert http.post("/v1/chat/completions", headers=auth, json={"messages": [{"role": "user", "content": Q15}]}).status_code == 200
    assert http.post("/v1/chat/completions", headers=auth,
                     json={"messages": [{"role": "user", "content": "今天天气怎么样？"}]}).status_code == 200
    assert _metric(http, "policybot_http_requests_total", route="/v1/chat/completions", status="200") == before_req + 2
    assert _metric(http, "policybot_answers_total", mode="extractive") == before_ans + 2
    assert _metric(http, "policybot_refusals_total") >= before_ref + 1
    assert _metric(http, "policybot_http_request_duration_seconds_count", route="/v1/chat/completions") == before_n + 2
    assert _metric(http, "policybot_index_documents") >= 5 and _metric(http, "policybot_index_clause_parts") > 100
    names = {f.name for f in text_string_to_metric_families(http.get("/metrics").text)}
    assert {"policybot_partial_answers", "policybot_llm_fallbacks", "policybot_ingest_jobs", "policybot_llm_failures",
            "policybot_llm_breaker_open"} <= names


def test_health_and_ready(http: httpx.Client) -> None:
    assert http.get("/healthz").json() == {"status": "ok"}
    ready = http.get("/readyz")
    assert ready.status_code == 200 and ready.json()["documents"] >= 5


def test_request_id_header_and_json_logs(http: httpx.Client, auth: dict[str, str], api_app) -> None:
    r = http.get("/v1/models", headers={**auth, "X-Request-ID": "lb-req-0001-abcd"})
    assert r.headers["x-request-id"] == "lb-req-0001-abcd"
    fresh = http.get("/v1/models", headers=auth).headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", fresh)
    time.sleep(0.3)
    log = api_app[1].read_text(encoding="utf-8")
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    mine = [row for row in lines if row.get("request_id") == "lb-req-0001-abcd"]
    assert mine and mine[0]["route"] == "/v1/models" and mine[0]["key_id"] == "env-1" and mine[0]["http_status"] == 200
    assert KEY not in log and RATE_KEY not in log  # keys never reach the log


def test_cors_only_for_configured_origins(http: httpx.Client) -> None:
    pre = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"}
    ok = http.options("/v1/chat/completions", headers={"Origin": ORIGIN, **pre})
    assert ok.headers.get("access-control-allow-origin") == ORIGIN
    other = http.options("/v1/chat/completions", headers={"Origin": "https://evil.example", **pre})
    assert "access-control-allow-origin" not in other.headers


def test_page_and_api_share_the_port(http: httpx.Client) -> None:
    page = http.get("/")
    assert page.status_code == 200 and "<html" in page.text.lower()


def test_unknown_routes_and_methods_answer_in_the_api_shape(http: httpx.Client, auth: dict[str, str]) -> None:
    r = http.get("/v1/nothing-here", headers=auth)
    assert r.status_code == 404 and r.json()["code"] == "not_found" and "/v1/docs" in r.json()["message"]
    r = http.get("/v1/chat/completions", headers=auth)
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"


def test_phrase_search_matches_the_lookup_tab(http: httpx.Client, auth: dict[str, str], url: str) -> None:
    from gradio_client import Client

    body = http.get("/v1/search", params={"q": "计量托管", "phrase": "计量托管"}, headers=auth).json()
    assert body["matching"] and all("计量托管" in c["text"] for c in body["matching"])
    _, rows = Client(url, verbose=False, download_files=False).predict("计量托管", True, "", api_name="/lookup")
    shown = [c["clause_id"] for g in ("exact", "neighbours", "matching", "related", "outline") for c in body[g]]
    assert shown == [row["clause_id"] for row in rows]
