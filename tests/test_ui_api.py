"""The running web app, driven through its named API endpoints with ``gradio_client``."""
from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest

gradio_client = pytest.importorskip("gradio_client")
from gradio_client import Client, handle_file  # noqa: E402

from tests.ui_fixtures import admin_client, admin_server, make_docx, ui_data_dir, ui_server  # noqa: E402,F401

pytestmark = pytest.mark.integration


def _client(url: str) -> Client:
    """A fresh client = a fresh session (its own chat history and last answer)."""
    return Client(url, verbose=False, download_files=False)


def _text(message: dict) -> str:
    """Text of a chatbot message (Gradio 6 returns content as a list of typed parts)."""
    content = message["content"]
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if isinstance(part, dict))


@pytest.fixture(scope="module")
def client(ui_server: str) -> Client:
    return _client(ui_server)


@pytest.fixture(scope="module")
def admin(admin_server: str) -> Client:
    return admin_client(admin_server)


def test_named_endpoints(client: Client) -> None:
    api = client.view_api(return_format="dict", print_info=False)
    names = set(api["named_endpoints"])
    for name in ("/chat", "/lookup", "/documents", "/outline", "/feedback"):
        assert name in names, f"{name} missing from {sorted(names)}"
    assert not names & {"/upload", "/remove", "/rebuild"}, "the public app must have no write endpoint"


def test_chat_answer_cites_a_clause(ui_server: str) -> None:
    c = _client(ui_server)
    messages, sources, box = c.predict("我们小厂想做质量认证，政府有帮扶吗？", [], [], api_name="/chat")
    assert box == ""
    assert [m["role"] for m in messages] == ["user", "assistant"]
    answer = _text(messages[-1])
    assert 'href="#cite-1"' in answer, answer
    assert "未找到直接依据" not in answer
    # the source entry the link points to: metadata, the full clause, the sentences used marked
    assert 'id="cite-1"' in sources and "<details" in sources
    assert "发文机关" in sources and "<mark>" in sources
    assert re.search(r"《[^》]+》（[^）]+，20\d\d）", sources), "human-readable citation missing"


def test_chat_follow_up_keeps_history(ui_server: str) -> None:
    c = _client(ui_server)
    first, _, _ = c.predict("天津实施意见第15条讲什么", [], [], api_name="/chat")
    assert "反不正当竞争" in _text(first[-1])
    messages, sources, _ = c.predict("那第16条呢？", [], [], api_name="/chat")
    assert len(messages) == 4 and messages[2]["role"] == "user"
    assert 'id="cite-1"' in sources


def test_chat_refusal_shows_see_also(ui_server: str) -> None:
    c = _client(ui_server)
    messages, sources, _ = c.predict("今天天气怎么样？", [], [], api_name="/chat")
    answer = _text(messages[-1])
    assert "未找到直接依据" in answer and "提示" in answer
    assert "可能相关的条款" in sources
    assert sources.count('class="pb-source"') == 3


def test_chat_escapes_user_and_filters(ui_server: str) -> None:
    c = _client(ui_server)
    messages, sources, _ = c.predict("<img src=x onerror=alert(1)> 广东 技术性贸易壁垒", [],
                                     ["广东省"], api_name="/chat")
    assert "<img" not in _text(messages[0])
    assert "&lt;img" in _text(messages[0])
    assert "guangdong-2020" in sources


def test_lookup_by_number(client: Client) -> None:
    html, rows = client.predict("天津实施意见 15", False, "", api_name="/lookup")
    assert rows and rows[0]["item"] == "二（八）15"
    assert rows[0]["short_name"] == "天津实施意见"
    first_card = html.split("<article")[1]
    assert 'data-item="二（八）15"' in first_card and "反不正当竞争" in first_card
    assert "复制引用" in first_card and "data-copy=" in first_card


def test_lookup_exact_phrase_highlights(client: Client) -> None:
    html, rows = client.predict("计量托管", True, "", api_name="/lookup")
    assert rows and all("计量托管" in r["text"] for r in rows)
    assert "<mark>计量托管</mark>" in html


def test_lookup_empty_query_message(client: Client) -> None:
    html, rows = client.predict("   ", False, "", api_name="/lookup")
    assert rows == [] and "请输入" in html


def test_outline_and_documents(client: Client) -> None:
    outline = client.predict("tianjin-2022-qi-private-enterprises", api_name="/outline")
    assert outline.count('class="pb-clause"') >= 20
    assert 'data-item="二（八）15"' in outline
    table = client.predict(api_name="/documents")
    ids = [row[-1] for row in table["data"]]
    assert "tianjin-2022-qi-private-enterprises" in ids and len(ids) >= 5


def test_upload_docx_then_lookup(client: Client, admin: Client, tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:6]
    phrase = f"蓝鲸{tag}质量互助计划"
    path = make_docx(tmp_path / f"api-upload-{tag}.docx", "测试市小微企业质量帮扶办法",
                     [f"第一条 为支持小微企业开展{phrase}，制定本办法。",
                      "第二条 市场监管部门负责组织实施，为企业提供免费检测服务。"])
    out = admin.predict([handle_file(str(path))], False, api_name="/upload")
    results = out[0]["data"]
    assert len(results) == 1
    name, status, clauses, message = results[0]
    assert name == path.name and status == "新增" and clauses == "2 条", results[0]
    doc_id = path.stem
    assert doc_id in [row[-1] for row in out[2]["data"]]

    html, rows = client.predict(phrase, True, "", api_name="/lookup")
    assert rows and rows[0]["doc_id"] == doc_id, rows[:1]
    assert phrase in rows[0]["text"]
    html, rows = client.predict(phrase, False, "", api_name="/lookup")
    assert rows[0]["doc_id"] == doc_id

    # same file again: nothing to do
    again = admin.predict([handle_file(str(path))], False, api_name="/upload")
    assert again[0]["data"][0][1] == "未变化"

    status, *_ = admin.predict(doc_id, api_name="/remove")
    assert "已删除" in status
    html, rows = client.predict(phrase, True, "", api_name="/lookup")
    assert not any(r["doc_id"] == doc_id for r in rows)


def test_upload_rejects_unsupported_type(admin: Client, tmp_path: Path) -> None:
    bad = tmp_path / "notes.exe"
    bad.write_bytes(b"MZ\x00\x00")
    out = admin.predict([handle_file(str(bad))], False, api_name="/upload")
    assert out[0]["data"][0][1] == "跳过"


def test_feedback_is_recorded(ui_server: str, ui_data_dir: Path) -> None:
    c = _client(ui_server)
    assert "请先提问" in c.predict("down", "", api_name="/feedback")
    c.predict("天津实施意见第15条讲什么", [], [], api_name="/chat")
    comment = f"test-comment-{uuid.uuid4().hex[:8]}"
    status = c.predict("down", comment, api_name="/feedback")
    assert "已记录" in status
    lines = (ui_data_dir / "feedback.jsonl").read_text(encoding="utf-8").splitlines()
    record = next(json.loads(line) for line in lines if comment in line)
    assert record["rating"] == "down" and record["question"] == "天津实施意见第15条讲什么"
    assert record["citations"] and record["citations"][0]["item"] == "二（八）15"


# ----- rendering helpers (no server needed) -----------------------------------------------------
def test_rendering_escapes_document_text_before_marking() -> None:
    from bot.answer.schemas import Answer, Citation
    from bot.ui import highlight_sentences, highlight_terms, render_answer_text, source_entry

    text = "第一条 <script>alert(1)</script> 支持企业 & 个体户。第二条 其他。"
    marked = highlight_sentences(text, ["第一条 <script>alert(1)</script> 支持企业 & 个体户。"])
    assert "<script>" not in marked and "<mark>第一条 &lt;script&gt;" in marked and "&amp; 个体户" in marked
    assert highlight_terms("a&b 企业 amp", ["amp"]) == "a&amp;b 企业 <mark>amp</mark>"

    c = Citation(clause_id="d:1", doc_id="d", doc_title='<b>"文件"</b>', item="1", item_label="第一条",
                 citation='《<b>"文件"</b>》第一条', text=text, marker=1)
    entry = source_entry(c, 1)
    assert "<b>" not in entry and "&lt;b&gt;&quot;文件&quot;" in entry
    ans = Answer(question="q", answer="依据<i>本条</i>（文件第一条） [1]", citations=[c])
    rendered = render_answer_text(ans)
    assert '<a href="#cite-1"' in rendered and "<i>" not in rendered
