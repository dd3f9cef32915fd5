"""Unseen policy files (issue 14): the fixture set is well-formed, the scorer scores right, the parser meets the targets.

``tests/fixtures/ingest`` holds documents the project has never shipped — covering notices with attachments and
tables, 第X章/第X条 regulations, scraped pages with navigation and footers, HTML, .docx, GBK and Big5 — each with
``<file>.gold.json`` (see :mod:`ingest.scorecard`).  The targets: item recall and label accuracy 1.0, no fake
items, no leaks, every continuation paragraph with its item, metadata ≥ 0.95 per field over the set.
"""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from ingest.clean import clean_lines
from ingest.documents import ParsedDocument
from ingest.models import Clause, DocMeta
from ingest.readers import read_document
from ingest.scorecard import (
    GOLD_SUFFIX,
    DocScore,
    fixture_files,
    gold_path,
    load_gold,
    norm,
    score_file,
    score_parsed,
    totals,
)
from tests.conftest import REPO

pytestmark = pytest.mark.unit

FIXTURES = REPO / "tests" / "fixtures" / "ingest"
# Written later by someone who had not seen the parser's fixes, and measured before it was fixed on them
# (figures in the issue-14 closing note); now held to the same targets.
HOLDOUT = REPO / "tests" / "fixtures" / "ingest_holdout"
FILES = [*fixture_files(FIXTURES), *fixture_files(HOLDOUT)]
IDS = [p.name for p in FILES]
# Real public documents (issue 22), held to their own targets in tests/test_ingest_real_fixtures.py; their gold
# follows the same format, checked here.
REAL = [REPO / "tests" / "fixtures" / "ingest_real", REPO / "tests" / "fixtures" / "ingest_real_holdout"]
GOLD_FILES = [*FILES, *(p for d in REAL for p in fixture_files(d))]

_CN = "[一二三四五六七八九十百零]+"
LABEL = re.compile(
    rf"^(附件\d+ )?(?:第{_CN}条(?:（{_CN}）)?(?:\d+)?(?:（\d+）)?|{_CN}、|(?:{_CN})?(?:（{_CN}）)?(?:\d+)?(?:（\d+）)?)$"
)
ISO = re.compile(r"^(\d{4}-\d{2}-\d{2})?$")


# ----- (a) the fixture set ------------------------------------------------------------------------------

def test_fixture_set_is_large_and_varied() -> None:
    assert len(FILES) >= 14
    suffixes = {p.suffix for p in FILES}
    assert {".txt", ".md", ".html", ".htm", ".docx"} <= suffixes
    names = {p.name for p in GOLD_FILES}
    assert not [p.name for d in (FIXTURES, HOLDOUT, *REAL) for p in d.glob(f"*{GOLD_SUFFIX}")
                if p.name[: -len(GOLD_SUFFIX)] not in names], "a gold file without its fixture"


@pytest.mark.parametrize("path", GOLD_FILES, ids=[p.name for p in GOLD_FILES])
def test_gold_is_well_formed(path: Path) -> None:
    assert gold_path(path).exists(), f"{path.name} has no {path.name}{GOLD_SUFFIX}"
    gold = load_gold(path)
    assert {"title", "doc_number", "date", "issuers", "effective_date", "items", "continuations", "inline", "leaks",
            "keep"} <= set(gold)
    assert gold["title"] and isinstance(gold["issuers"], list) and gold["issuers"]
    assert ISO.match(gold["date"]) and gold["date"] and ISO.match(gold["effective_date"])
    labels = [g["label"] for g in gold["items"]]
    assert labels and len(labels) == len(set(labels)), "labels must be unique"
    bad = [label for label in labels if not LABEL.match(label) or label.endswith(" ")]
    assert not bad, f"malformed labels: {bad}"
    assert all(g["starts"] for g in gold["items"])
    assert all(c["label"] in labels for c in gold["continuations"]), "a continuation belongs to a gold item"
    # Every snippet the scorer looks for is in the file (whatever the reader does with the page around it).
    text = norm(read_document(path)) + norm("".join(clean_lines(read_document(path))))  # markdown ** in the raw text
    if path.suffix in (".html", ".htm"):  # the reader keeps only the article; the page's clutter is in the markup
        from bs4 import BeautifulSoup

        text += norm(BeautifulSoup(path.read_bytes(), "lxml").get_text("\n"))
    missing = [s for s in [*(g["starts"] for g in gold["items"]), *(c["text"] for c in gold["continuations"]),
                           *gold["inline"], *gold["leaks"], *gold["keep"],
                           *(cell for t in gold.get("tables", []) for cell in (c.split("：")[-1] for c in t["contains"]))]
               if norm(s) not in text]
    assert not missing, f"gold snippets not in the file: {missing}"


@pytest.mark.parametrize("folder", [FIXTURES, HOLDOUT, *REAL], ids=["ingest", "ingest_holdout", "ingest_real",
                                                                    "ingest_real_holdout"])
def test_generated_fixtures_are_up_to_date(folder: Path) -> None:
    """The committed binary/encoded fixtures are exactly what the generator makes (deterministic)."""
    spec = importlib.util.spec_from_file_location("make_fixtures", folder / "make_fixtures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, make in module.OUTPUTS.items():
        assert (folder / name).read_bytes() == make(), f"{name} differs from make_fixtures.py: re-run it"


# ----- (b) the scorer itself ------------------------------------------------------------------------------

def _clause(meta: DocMeta, label: str, kind: str, text: str, order: int, part: int = 1, parts: int = 1) -> Clause:
    return Clause(clause_id=f"{meta.doc_id}:{label}", doc_id=meta.doc_id, doc_title=meta.title, item=label, kind=kind,
                  text=text, search_text=text, order=order, part=part, parts=parts, doc=meta)


SYNTH_META = DocMeta(doc_id="synth", title="某市关于加强计量工作的通知", doc_number="某政发〔2023〕1号", date="2023-05-08",
                     issuers=["某市人民政府"])
SYNTH_GOLD = {
    "title": "某市关于加强计量工作的通知", "doc_number": "某政发〔2023〕1号", "date": "2023-05-08", "issuers": ["某市人民政府"],
    "effective_date": "",
    "items": [{"label": "一（一）", "starts": "完善计量体系"}, {"label": "一（一）1", "starts": "建设计量中心。"},
              {"label": "一（一）2", "starts": "推广智能仪表。"}, {"label": "二、", "starts": "本通知自印发之日"}],
    "continuations": [{"label": "一（一）", "text": "各区要抓好落实"}],
    "inline": ["二是开展培训"], "leaks": ["关闭窗口"], "keep": ["2023年5月8日"],
    "tables": [{"contains": ["项目：血压计", "收费（元）：15"]}],
}


def _synthetic(text: dict[str, str] | None = None, relabel: dict[str, str] | None = None,
               extra: dict[str, str] | None = None) -> ParsedDocument:
    """A correct parse of SYNTH_GOLD's document; ``text`` replaces a clause's text, ``relabel`` its label,
    ``extra`` adds item clauses at the end."""
    texts = {
        "一（一）": "（一）完善计量体系\n各区要抓好落实，一是建立台账，二是开展培训。",
        "一（一）1": "1.建设计量中心。",
        "一（一）2": "2.推广智能仪表。\n项目：血压计；收费（元）：15",
        "二、": "二、本通知自印发之日起施行。",
        **(text or {}),
        **(extra or {}),
    }
    clauses = [_clause(SYNTH_META, "文件信息", "docinfo", "文件名称：《某市关于加强计量工作的通知》", 0)]
    clauses += [_clause(SYNTH_META, (relabel or {}).get(label, label), "section" if label == "一（一）" else "item", body, k + 1)
                for k, (label, body) in enumerate(texts.items())]
    clauses.append(_clause(SYNTH_META, "落款", "signoff", "某市人民政府\n2023年5月8日", len(clauses)))
    return ParsedDocument(meta=SYNTH_META, clauses=clauses, traditional=False)


def test_scorer_gives_a_correct_parse_full_marks() -> None:
    s = score_parsed("synth.txt", _synthetic(), SYNTH_GOLD)
    assert s.misses == []
    assert (s.item_recall, s.label_accuracy, s.continuation_accuracy, s.inline_accuracy, s.table_accuracy,
            s.keep_accuracy, s.meta_accuracy) == (1.0,) * 7
    assert s.fake_items == [] and s.leaks == []


def test_scorer_catches_a_wrong_label_a_fake_item_and_a_lost_continuation() -> None:
    s = score_parsed("synth.txt", _synthetic(relabel={"一（一）2": "一（一）3"}), SYNTH_GOLD)
    assert s.label_accuracy == 0.75 and s.item_recall == 0.75
    assert s.fake_items == ["一（一）3"]
    parsed = _synthetic(text={"一（一）": "（一）完善计量体系，一是建立台账，二是开展培训。",
                              "一（一）2": "2.推广智能仪表。\n项目：血压计；收费（元）：15\n各区要抓好落实。"})
    s = score_parsed("synth.txt", parsed, SYNTH_GOLD)
    assert s.continuation_accuracy == 0.0 and s.label_accuracy == 1.0
    assert any("continuation of 一（一） is in 一（一）2" in m for m in s.misses)


def test_scorer_catches_leaks_split_enumerations_broken_tables_and_metadata() -> None:
    s = score_parsed("synth.txt", _synthetic(text={"二、": "二、本通知自印发之日起施行。\n【打印本页】【关闭窗口】"}), SYNTH_GOLD)
    assert sorted(leak.split(" @ ")[0] for leak in s.leaks) == ["关闭窗口", "打印本页"]
    assert all(leak.endswith("@ 二、") for leak in s.leaks)
    parsed = _synthetic(text={"一（一）": "（一）完善计量体系\n各区要抓好落实，一是建立台账。",
                              "一（一）2": "2.推广智能仪表。\n项目 血压计 15"}, extra={"（二）": "二是开展培训。"})
    s = score_parsed("synth.txt", parsed, SYNTH_GOLD)
    assert s.inline_accuracy == 0.0 and s.table_accuracy == 0.0 and s.fake_items == ["（二）"]
    wrong = SYNTH_META.model_copy(update={"title": "某市人民政府门户网站 - 某市关于加强计量工作的通知", "issuers": []})
    s = score_parsed("synth.txt", ParsedDocument(meta=wrong, clauses=parsed.clauses, traditional=False), SYNTH_GOLD)
    assert s.meta["title"] is False and s.meta["issuers"] is False and s.meta["date"] is True
    # NFKC and whitespace do not count: full-width brackets and a spaced title are the same value.
    spaced = SYNTH_META.model_copy(update={"title": "某市关于加强 计量工作的通知", "doc_number": "某政发〔2023〕1号 "})
    s = score_parsed("synth.txt", ParsedDocument(meta=spaced, clauses=parsed.clauses, traditional=False), SYNTH_GOLD)
    assert s.meta["title"] and s.meta["doc_number"]


def test_scorer_counts_numbered_attachment_clauses_as_items() -> None:
    gold = {**SYNTH_GOLD, "items": [*SYNTH_GOLD["items"], {"label": "附件1 一、", "starts": "资助范围"}]}
    parsed = _synthetic()
    extra = [_clause(SYNTH_META, "附件1", "attachment", "附件1\n某市计量资助标准", 90),
             _clause(SYNTH_META, "附件1 一、", "attachment", "一、资助范围\n本市企业。", 91)]
    s = score_parsed("synth.txt", ParsedDocument(meta=SYNTH_META, clauses=[*parsed.clauses, *extra], traditional=False), gold)
    assert (s.item_recall, s.label_accuracy, s.fake_items) == (1.0, 1.0, [])
    # A Big5 file's metadata may come out in either script: the same fact.
    trad = SYNTH_META.model_copy(update={"title": "某市關於加強計量工作的通知"})
    s = score_parsed("synth.txt", ParsedDocument(meta=trad, clauses=parsed.clauses, traditional=True), SYNTH_GOLD)
    assert s.meta["title"]


def test_scorer_on_a_file_and_totals(tmp_path: Path) -> None:
    path = tmp_path / "tiny.txt"
    path.write_text("某市关于加强计量工作的通知\n一、建设计量中心。每区一个。\n二、推广智能仪表。\n某市人民政府\n2023年5月8日\n",
                    encoding="utf-8")
    gold = {"title": "某市关于加强计量工作的通知", "doc_number": "", "date": "2023-05-08", "issuers": ["某市人民政府"],
            "effective_date": "", "items": [{"label": "一、", "starts": "建设计量中心"}, {"label": "二、", "starts": "推广智能仪表"}],
            "continuations": [], "inline": [], "leaks": [], "keep": ["2023年5月8日"]}
    s = score_file(path, gold)
    assert s.error == "" and s.item_recall == 1.0 and s.label_accuracy == 1.0 and not s.fake_items and not s.leaks
    broken = score_file(tmp_path / "missing.txt", gold)
    assert broken.error and broken.item_recall == 0.0
    t = totals([s, broken])
    assert t["item_recall"] == 0.5 and t["errors"] == 1
    json.dumps(t)


# ----- (c) the parser on the fixture set: the targets of issue 14 -----------------------------------------------

_SCORES: dict[str, DocScore] = {}


def _score(path: Path) -> DocScore:
    if path.name not in _SCORES:
        _SCORES[path.name] = score_file(path, load_gold(path))
    return _SCORES[path.name]


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_items_found_and_labelled(path: Path) -> None:
    s = _score(path)
    problems = [m for m in s.misses if m.startswith(("missing item", "text of", "fake item", "parse failed"))
                or " labelled " in m]
    assert (s.item_recall, s.label_accuracy, s.fake_items) == (1.0, 1.0, []), "\n".join(problems)


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_no_page_clutter_in_clauses(path: Path) -> None:
    s = _score(path)
    assert s.leaks == []
    assert s.keep_accuracy in (None, 1.0), "\n".join(m for m in s.misses if m.startswith("lost"))


@pytest.mark.parametrize("path", FILES, ids=IDS)
def test_continuations_inline_and_tables_stay_with_their_item(path: Path) -> None:
    s = _score(path)
    problems = [m for m in s.misses if m.startswith(("continuation", "inline", "table"))]
    assert s.continuation_accuracy in (None, 1.0) and s.inline_accuracy in (None, 1.0) \
        and s.table_accuracy in (None, 1.0), "\n".join(problems)


@pytest.mark.parametrize("field", ["title", "doc_number", "date", "issuers", "effective_date"])
def test_metadata_accuracy_over_the_set(field: str) -> None:
    scores = [_score(p) for p in FILES]
    accuracy = totals(scores)["meta_fields"][field]
    wrong = [f"{s.file}: want {s.meta_want[field]!r}, got {s.meta_got[field]!r}" for s in scores if not s.meta.get(field, True)]
    assert accuracy is not None and accuracy >= 0.95, "\n".join(wrong)


# ----- the command ------------------------------------------------------------------------------------------------

def test_check_ingest_command_prints_a_row_per_document_and_always_exits_0(capsys: pytest.CaptureFixture[str],
                                                                            tmp_path: Path) -> None:
    from bot.cli import main

    assert main(["check-ingest", str(FIXTURES)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("file") and out[-2].startswith("TOTAL (") and out[-1].startswith("metadata per field")
    assert len(out) == len(fixture_files(FIXTURES)) + 3
    assert main(["check-ingest", str(FIXTURES), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert len(report["documents"]) == len(fixture_files(FIXTURES)) and "item_recall" in report["total"]
    assert main(["check-ingest", str(tmp_path / "nowhere")]) == 0
