"""Each thing computed once per question: its analysis (passed from the follow-up check to the search), the
extractive answer (composed only when it is shown), the catalog (the one of the index view the search ran
on), and a question that only names a clause answered from the number lookup, without lexical or dense
search.  Counted with spies around the real functions; the index is the shipped corpus's."""
from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest

import bot.answer.compose as compose
import bot.retrieval.hybrid as hybrid
from bot.retrieval.analysis import analyze
from bot.retrieval.snapshot import IndexSnapshot
from bot.service import PolicyBot
from ingest.models import DocMeta
from tests.conftest import REPO, make_settings
from tests.fake_openai_server import reply
from tests.llm_fixtures import TEST_API_KEY

TIANJIN = DocMeta(doc_id="tj-2022", title="关于进一步发挥质量基础设施支撑引领民营企业提质增效升级作用的实施意见",
                  short_name="天津实施意见", region="天津市", date="2022-07-22")
NUMBERED = DocMeta(doc_id="cq-27-3", title="重庆市关于进一步发挥质量基础设施作用的实施意见", short_name="重庆第27批3号文件",
                   region="重庆市", date="2022-07-22")
NATIONAL = DocMeta(doc_id="cn-2021", title="关于发挥质量基础设施作用支撑民营企业质量提升的意见",
                   short_name="国家民企质量意见", doc_number="国市监质发〔2021〕62号", region="全国", date="2021-09-01")


@pytest.mark.unit
@pytest.mark.parametrize("question,only", [
    ("天津实施意见第15条", True),
    ("天津实施意见 15", True),
    ("国市监质发〔2021〕62号 第6条", True),
    ("天津实施意见（二十四）", True),
    ("重庆第27批3号文件 第19条", True),
    ("天津实施意见第15条关于商业秘密怎么说", False),
    ("天津实施意见第15条和第16条", False),
    ("天津实施意见讲什么", False),  # no number at all
])
def test_a_question_that_only_names_a_clause(question, only):
    assert analyze(question, [TIANJIN, NATIONAL, NUMBERED]).names_only_a_clause() is only


@pytest.fixture()
def fresh(shipped_data_dir, bot):
    """A bot of its own over the shared index (the session's bot keeps its snapshot)."""
    return PolicyBot(make_settings(shipped_data_dir), store=bot.store)


@pytest.fixture()
def analysed(monkeypatch):
    """The texts the retriever analysed, counted (the real analysis runs)."""
    seen: Counter[str] = Counter()

    def counting(question, *args, **kwargs):
        seen[question] += 1
        return analyze(question, *args, **kwargs)

    monkeypatch.setattr(hybrid, "analyze", counting)
    return seen


@pytest.mark.integration
@pytest.mark.parametrize("question,history", [
    ("天津有没有定期跟踪分析民营企业的经营状况？", None),
    ("天津实施意见第16条", [{"role": "user", "content": "天津实施意见第15条讲什么？"}]),  # stands alone
    ("那第16条呢？", [{"role": "user", "content": "天津实施意见第15条讲什么？"}]),  # rewritten
    ("那广东呢？", [{"role": "user", "content": "天津对首席质量官有什么支持？"}]),
])
def test_each_question_is_analysed_once(fresh, analysed, question, history):
    a = fresh.answer(question, history)
    assert a.citations or a.refused
    assert analysed and max(analysed.values()) == 1, analysed
    assert len(analysed) == (1 if history is None or question.startswith("天津") else 3)  # own, previous, rewritten


@pytest.mark.integration
def test_an_llm_answer_does_not_compose_the_extractive_one(shipped_data_dir, bot, fake_llm, monkeypatch):
    composed = []

    def counting(*args, **kwargs):
        composed.append(args[0])
        return extractive(*args, **kwargs)

    extractive = compose.extractive_answer
    monkeypatch.setattr(compose, "extractive_answer", counting)
    llm_bot = PolicyBot(make_settings(shipped_data_dir, OPENAI_API_KEY=TEST_API_KEY, OPENAI_BASE_URL=fake_llm.base_url,
                                      POLICYBOT_LLM_MODEL="fake-gpt", POLICYBOT_LLM_TIMEOUT=0.5,
                                      POLICYBOT_LLM_MAX_RETRIES=0), store=bot.store)
    question = "天津有没有定期跟踪分析民营企业的经营状况？"
    fake_llm.script(reply("天津每季度形成数据分析报告[S1]。"))
    a = llm_bot.answer(question)
    assert a.mode == "llm" and a.citations and a.retrieved and composed == []
    fake_llm.script(reply("天津每季度形成数据分析报告。"))  # no marker: the extractive answer is the fallback
    a = llm_bot.answer(question)
    assert a.mode == "extractive-fallback" and a.citations and composed == [question]


@pytest.mark.integration
def test_the_answer_reads_the_catalog_of_the_view_the_search_ran_on(fresh, monkeypatch):
    """A reload that swaps the snapshot between the search and the answer (another process's ingest) does
    not mix the two: the answer reads the documents of the view its clauses came from."""
    search = fresh.retriever.search
    given = {}

    def search_then_swap(*args, **kwargs):
        result = search(*args, **kwargs)
        given["searched"] = result.snapshot
        fresh.retriever.snapshot = IndexSnapshot()  # what a reload in between leaves current: another view
        return result

    def recording(question, result, catalog, settings):
        given["catalog"] = catalog
        return answer_stream(question, result, catalog, settings)

    answer_stream = compose.answer_stream
    monkeypatch.setattr(fresh.retriever, "search", search_then_swap)
    monkeypatch.setattr(compose, "answer_stream", recording)
    a = fresh.answer("天津有没有定期跟踪分析民营企业的经营状况？")
    assert given["catalog"] is given["searched"].catalog and len(given["catalog"].metas) == 5
    assert a.citations and "天津实施意见" in a.answer


class CountingDense:
    """The real dense stage, counted."""

    def __init__(self, inner) -> None:
        self.inner, self.calls = inner, 0

    def run(self, text, n, snapshot, docs=None):
        self.calls += 1
        return self.inner.run(text, n, snapshot, docs)


@pytest.mark.integration
@pytest.mark.parametrize("question,item,searched", [
    ("天津实施意见第15条", "二（八）15", False),
    ("国市监质发〔2021〕62号 第6条", "二（六）", False),
    ("广东 八", "八、", False),
    ("天津实施意见第15条关于商业秘密怎么说", "二（八）15", True),  # a question about the clause: searched too
])
def test_a_pure_number_lookup_runs_no_lexical_or_dense_search(fresh, monkeypatch, question, item, searched):
    dense = CountingDense(fresh.retriever.dense)
    monkeypatch.setattr(fresh.retriever, "dense", dense)
    lexical = []
    bm25 = fresh.retriever.snapshot.bm25
    monkeypatch.setattr(bm25, "scores", lambda *a, **kw: lexical.append(a) or type(bm25).scores(bm25, *a, **kw))
    hits = fresh.search(question)
    assert hits[0].item == item and hits[0].via == "lookup"
    assert (dense.calls, bool(lexical)) == ((1, True) if searched else (0, False))
    a = fresh.answer(question)
    assert a.citations[0].item == item and a.lead == a.citations[0].citation and "[1]" in a.answer


@pytest.mark.integration
@pytest.mark.parametrize("argv,shown", [
    (["show", "天津实施意见第15条"], "二、（八）第15项"),
    (["docs"], "tianjin-2022-qi-private-enterprises"),
])
def test_a_lookup_command_loads_only_what_it_uses(shipped_data_dir, argv, shown):
    """``policybot show`` of a clause reference and ``policybot docs`` never load jieba's dictionary or
    the 词林 table (about a second of a fresh process: general synonyms are computed only when a search
    needs them), the answer stack, or another command's module."""
    probe = (f"import sys, jieba; from bot.cli import main; main({argv!r});"
             "import ingest.text.synonyms as s;"
             "print(jieba.dt.initialized, s.table.cache_info().currsize,"
             " sorted(m for m in sys.modules if m in ('bot.answer.compose', 'bot.answer.extractive', 'bot.answer.refusal',"
             " 'bot.cli.tools', 'bot.cli.library', 'bot.cli.reading', 'bot.evaluation')))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO,
                         env={"POLICYBOT_DATA_DIR": str(shipped_data_dir), "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert shown in out.stdout
    loaded = "['bot.cli.reading']" if argv[0] == "show" else "['bot.cli.library']"
    assert out.stdout.strip().splitlines()[-1] == f"False 0 {loaded}", out.stdout[-300:]
