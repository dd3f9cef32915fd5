"""Bad days: a dead LLM trips a circuit breaker, an unreachable Chroma server gets a clear Chinese
message (question kept, CLI one line and a non-zero exit), and the small edges of issue #11."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.service import PolicyBot
from tests.chroma_server import ChromaServer, free_port
from tests.conftest import REPO, make_settings
from tests.fake_openai_server import status
from tests.llm_fixtures import make_llm_settings
from tests.ui_fixtures import app_env

pytestmark = pytest.mark.integration

TINY = "示例市质量办法\n一、总体要求\n推动示例市质量提升，建设计量托管服务平台。\n二、重点任务\n" \
       "（一）开展质量认证帮扶。对小微企业开展质量认证提供指导。(示例市市场监管局)\n（二）支持企业参与标准制定。\n"


# ----- LLM circuit breaker -------------------------------------------------------------------------
def test_circuit_breaker_answers_extractively_at_once_while_open(bot, fake_llm) -> None:
    fake_llm.default = status(500)
    settings = make_llm_settings(fake_llm, POLICYBOT_DATA_DIR=str(bot.settings.data_dir), POLICYBOT_LLM_MAX_RETRIES=0,
                                 POLICYBOT_LLM_BREAKER_FAILURES=2, POLICYBOT_LLM_BREAKER_COOLDOWN=60)
    llm_bot = PolicyBot(settings, store=bot.store)
    question = "我们小厂想做质量认证，政府有帮扶吗？"
    for _ in range(2):
        a = llm_bot.answer(question)
        assert a.mode == "extractive-fallback" and a.citations
    calls = len(fake_llm.chat_requests)
    assert calls == 2
    t0 = time.monotonic()
    a = llm_bot.answer(question)
    assert time.monotonic() - t0 < 5
    assert a.mode == "extractive-fallback" and a.citations and "暂停调用" in (a.notice or "")
    history = [{"role": "user", "content": "天津实施意见第15条讲什么"}, {"role": "assistant", "content": "…"}]
    follow = llm_bot.follow_up.standalone("那第16条呢？", history)
    assert "第16条" in follow and follow != "那第16条呢？"  # the non-LLM rewrite
    assert len(fake_llm.chat_requests) == calls, "no call reaches the dead endpoint while the breaker is open"


def test_circuit_breaker_closes_after_the_cooling_period(bot, fake_llm) -> None:
    from tests.fake_openai_server import reply

    fake_llm.script(status(500), reply("支持企业开展质量认证[S1]。"))
    settings = make_llm_settings(fake_llm, POLICYBOT_DATA_DIR=str(bot.settings.data_dir), POLICYBOT_LLM_MAX_RETRIES=0,
                                 POLICYBOT_LLM_BREAKER_FAILURES=1, POLICYBOT_LLM_BREAKER_COOLDOWN=0.5)
    llm_bot = PolicyBot(settings, store=bot.store)
    assert llm_bot.answer("小微企业质量认证有帮扶吗？").mode == "extractive-fallback"
    assert "暂停调用" in (llm_bot.answer("小微企业质量认证有帮扶吗？").notice or "")
    time.sleep(0.6)
    assert llm_bot.answer("小微企业质量认证有帮扶吗？").mode == "llm"


# ----- Chroma server unreachable -------------------------------------------------------------------
def test_cli_one_line_error_and_non_zero_exit_when_chroma_is_unreachable(tmp_path: Path) -> None:
    env = app_env(tmp_path / "data")
    env.update(CHROMA_HOST="127.0.0.1", CHROMA_PORT=str(free_port()))
    for args in (["ask", "质量认证有帮扶吗"], ["search", "质量认证"], ["docs"]):
        r = subprocess.run([sys.executable, "-m", "bot.cli", *args], env=env, cwd=REPO, capture_output=True,
                           text=True, timeout=120)
        assert r.returncode == 3, (args, r.returncode, r.stderr)
        lines = [line for line in r.stderr.splitlines() if line.strip()]
        assert lines == ["错误：政策索引服务暂时无法连接，请稍后再试。"], r.stderr
        assert "Traceback" not in r.stderr


def test_ui_keeps_the_question_and_recovers_when_chroma_comes_back(tmp_path: Path) -> None:
    import gradio as gr  # noqa: F401  (the handlers run outside an event here)

    from bot.ui import UIHandlers

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "shiliban.txt").write_text(TINY, encoding="utf-8")
    server = ChromaServer(tmp_path / "chroma").start()
    try:
        bot = PolicyBot(make_settings(tmp_path / "data", CHROMA_HOST="127.0.0.1", CHROMA_PORT=server.port,
                                      POLICYBOT_CORPUS_DIR=str(corpus), POLICYBOT_INDEX_CHECK_SECONDS=0))
        bot.library.ensure_index(progress=False)
        h = UIHandlers(bot)
        question = "质量认证有帮扶吗"
        server.stop()
        *_, (chat, sources, history, _last, box) = list(h.chat(question, [], [], []))
        assert box == question, "the typed question stays in the box"
        assert "政策索引服务暂时无法连接" in sources and "Errno" not in sources and history == []
        html, rows = h.lookup(question, False, "")
        assert rows == [] and "政策索引服务暂时无法连接" in html and "Errno" not in html
        server.start()
        *_, (chat, sources, history, _last, box) = list(h.chat(question, [], [], []))
        assert box == "" and 'id="cite-1"' in sources and len(history) == 2
    finally:
        server.stop()


# ----- the small items -----------------------------------------------------------------------------
def test_ask_exits_2_on_an_input_error_like_search(tmp_path: Path, shipped_index) -> None:
    data = shipped_index.copy_to(tmp_path / "data")
    for cmd in ("ask", "search"):
        r = subprocess.run([sys.executable, "-m", "bot.cli", cmd, "质" * 3000], env=app_env(data), cwd=REPO,
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 2 and "过长" in r.stderr, (cmd, r.returncode, r.stderr)


@pytest.mark.parametrize("question", ["' OR 1=1; --", "abc 1", "1", "xyz 15"])
def test_nonsense_with_digits_is_refused(bot, question: str) -> None:
    a = bot.answer(question)
    assert a.refused and not a.citations, (question, a.answer)


def test_real_short_questions_still_answered(bot) -> None:
    assert not bot.answer("天津实施意见 15").refused
    assert not bot.answer("广东 八").refused
    assert not bot.answer("我们小厂想做质量认证，政府有帮扶吗？").refused


def test_header_never_shows_the_llm_endpoint(tmp_path: Path) -> None:
    from bot.settings import Settings

    s = Settings(POLICYBOT_DATA_DIR=str(tmp_path), OPENAI_BASE_URL="https://user:pa55@llm.example/v1")
    bot_text = PolicyBot.mode_description(type("B", (), {"settings": s})())  # type: ignore[arg-type]
    assert "llm.example" not in bot_text and "pa55" not in bot_text and "大模型" in bot_text


def test_remove_status_is_escaped(tmp_path: Path) -> None:
    import gradio as gr

    from bot.ui.admin_handlers import AdminHandlers

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "plain.txt").write_text(TINY, encoding="utf-8")
    b = PolicyBot(make_settings(tmp_path / "data", POLICYBOT_CORPUS_DIR=str(corpus), POLICYBOT_ADMIN_PASSWORD="pw"))
    b.library.ensure_index(progress=False)
    hostile = "**伪造**<img src=x onerror=alert(1)>[链接](javascript:alert(1))"
    status, *_ = AdminHandlers(b).remove(hostile, gr.Request(username="admin"))  # typed into the dropdown
    assert status.startswith("未找到文档"), status
    assert "\\*\\*伪造\\*\\*" in status and "\\[链接\\](javascript" in status, status  # shown, not interpreted
    assert "<img" not in status and "&lt;img" in status
    with pytest.raises(gr.Error):
        AdminHandlers(b).remove("plain", gr.Request())  # no authenticated user: refused by the service
    assert "plain" in b.store.active_versions()
