"""Policies have a life: status on a given day (尚未施行 / 现行有效 / 已失效 / 已废止 / 已被替代) and links
between documents (依据 / 根据 / 贯彻落实 / 替代 / 废止), on documents written here for each case and on
the shipped corpus (天津实施意见 → 国家民企质量意见), through the service, the CLI and the renderers.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.service import PolicyBot
from bot.ui.render_chat import render_sources
from bot.ui.render_lookup import DOC_HEADERS, documents_table, render_results
from ingest.links import LinkGraph, extract_references
from ingest.metadata import extract_meta, find_title
from ingest.models import DocMeta, DocReference
from ingest.status import document_status, last_day
from tests.conftest import make_settings

TODAY = "2026-12-04"

# ----- a corpus of our own: one document per status and per kind of link -----------------------------
DOCS = {
    # 已失效: 3 years from 2021-03-01 end on 2024-02-29 (a leap day)
    "old-voucher": """示例市计量服务券实施办法
示市监规〔2021〕2号
第一条 为降低企业计量检测成本，制定本办法。
第二条 计量服务券每家企业每年最多申领2万元，用于支付计量检定校准费用。
第三条 本办法自2021年3月1日起施行，有效期3年。
示例市市场监督管理局
2021年2月20日
""",
    # 现行有效: the new version of the same measure (it does not name the old one)
    "new-voucher": """示例市计量服务券实施办法
示市监规〔2024〕6号
第一条 为降低企业计量检测成本，制定本办法。
第二条 计量服务券每家企业每年最多申领3万元，用于支付计量检定校准费用。
第三条 本办法自2024年3月1日起施行，有效期5年。
示例市市场监督管理局
2024年2月20日
""",
    # 尚未施行
    "future-cqo": """示例市首席质量官制度实施办法
第一条 企业设立首席质量官并报备的，给予一次性奖励5万元。
第二条 本办法自2027年1月1日起施行。
示例市市场监督管理局
2026年11月1日
""",
    # 已废止 by new-standard, which says so
    "old-standard": """示例市标准化资助办法
示市监规〔2019〕3号
第一条 主导制定国际标准的企业，每项资助50万元。
第二条 本办法自2019年5月1日起施行。
示例市市场监督管理局
2019年4月1日
""",
    "new-standard": """示例市标准化资助办法（2024年修订）
第一条 根据《国家标准化发展纲要》，结合本市实际，制定本办法。
第二条 主导制定国际标准的企业，每项资助80万元。
第三条 本办法自2024年7月1日起施行，《示例市标准化资助办法》（示市监规〔2019〕3号）同时废止。
示例市市场监督管理局
2024年6月1日
""",
    # 已被替代 by brand-new
    "brand-old": """示例市品牌培育若干措施
一、获评示例市知名品牌的企业奖励10万元。
二、本措施自2020年1月1日起施行。
示例市市场监督管理局
2019年12月1日
""",
    "brand-new": """示例市品牌培育若干措施（2025年版）
一、获评示例市知名品牌的企业奖励15万元。
二、本措施自2025年1月1日起施行，代替《示例市品牌培育若干措施》。
示例市市场监督管理局
2024年12月1日
""",
    # 贯彻落实 (by 文号), 依据 and 根据 (by title): a county plan implementing city measures, per part
    "county-plan": """青禾县计量服务提升实施方案
为贯彻落实《示例市计量服务券实施办法》（示市监规〔2024〕6号），依据《示例市标准化资助办法（2024年修订）》，结合本县实际，制定本方案。
一、总体要求
以计量服务助力县域企业提质增效，三年内实现规上企业计量服务全覆盖。
二、重点任务
（一）推广计量服务券。县市场监管局每季度组织计量服务券申领宣讲，帮助企业足额申领。
（二）培育县域品牌。根据《示例市品牌培育若干措施（2025年版）》，对获评品牌的企业给予县级配套奖励5万元。
三、保障措施
（一）加强组织领导。成立县计量服务提升工作专班。
青禾县市场监督管理局
2024年5月10日
""",
}
CATALOG = """
[documents."old-voucher"]
short_name = "旧计量券办法"
region = "示例市"
[documents."new-voucher"]
short_name = "新计量券办法"
region = "示例市"
[documents."county-plan"]
short_name = "青禾县计量方案"
region = "示例市青禾县"
level = "县"
"""


def _meta(doc_id: str, text: str) -> DocMeta:
    lines = [line for line in text.splitlines() if line.strip()]
    meta = extract_meta(doc_id, lines, find_title(lines))
    return meta.model_copy(update={"references": extract_references(text, meta.title, meta.doc_number)})


# ----- pure rules ----------------------------------------------------------------------------------
@pytest.mark.unit
def test_term_from_the_text_gives_each_state_on_its_day() -> None:
    m = _meta("x", "示例办法\n第一条 奖励。\n第二条 本办法自2023年9月8日起施行，有效期3年。\n示例局\n2023年8月1日\n")
    assert (m.effective_date, m.validity) == ("2023-09-08", "3年")
    before = document_status(m, date(2023, 9, 7))
    assert before.state == "尚未施行" and before.since == "2023-09-08"
    assert document_status(m, date(2026, 9, 7)).state == "现行有效"  # the last day of the term
    gone = document_status(m, date(2026, 9, 8))
    assert gone.state == "已失效" and gone.until == "2026-09-07"
    assert "施行日期 2023-09-08（正文）" in gone.source and "有效期 3年（正文）" in gone.source
    assert gone.notice("示例办法") == "注意：所引《示例办法》已于2026年9月7日失效"
    assert last_day(date(2021, 3, 1), 3) == date(2024, 2, 29)
    two = _meta("y", "乙办法\n一、奖励。\n二、本办法自2020年1月1日起实施，有效期两年。\n")
    assert document_status(two, date(2022, 1, 1)).state == "已失效"


@pytest.mark.unit
def test_stated_last_day_and_a_scraped_repeal_date() -> None:
    m = _meta("x", "丙措施\n一、补助。\n二、本措施自2022年1月1日起施行，有效期至2024年12月31日。\n")
    assert m.valid_until == "2024-12-31"
    assert document_status(m, date(2024, 12, 31)).state == "现行有效"
    assert document_status(m, date(2025, 1, 1)).label() == "已失效（2024年12月31日）"
    span = _meta("y", "丁方案\n一、补助。\n二、本方案自2023年1月1日起至2025年6月30日止施行。\n")
    assert span.valid_until == "2025-06-30"
    boxed = _meta("z", "戊办法\n发布日期 | 2020-01-01 | 废止日期 | 2023-05-01 |\n有效性 | 失效 | 属性 | 其他 |\n一、补助。\n")
    assert boxed.repealed_on == "2023-05-01"
    assert document_status(boxed, date(2024, 1, 1)).state == "已废止"
    # no term and no repeal stated: in force from its date, and it says why
    plain = document_status(_meta("p", "己意见\n一、支持。\n示例局\n2022年5月1日\n"), date(2026, 1, 1))
    assert plain.state == "现行有效" and "发布日期 2022-05-01" in plain.source


@pytest.mark.unit
def test_each_kind_of_reference_is_read_with_its_relation() -> None:
    refs = extract_references(
        "为贯彻落实《关于推进质量强国建设的意见》（国发〔2023〕1号）精神，依据《某省质量促进条例》，"
        "根据《某市质量发展规划（2021-2025年）》，制定本办法。本办法代替《某市质量奖管理办法》。"
        "《某市质量奖评审细则》（某市监〔2018〕5号）同时废止。根据实际情况，逐年更新《某市抽查事项清单》。"
        "以下简称《意见》。", own_title="某市质量奖管理办法（2024年修订）")
    assert [(r.relation, r.title, r.doc_number) for r in refs] == [
        ("贯彻落实", "关于推进质量强国建设的意见", "国发〔2023〕1号"),
        ("依据", "某省质量促进条例", ""),
        ("根据", "某市质量发展规划（2021-2025年）", ""),
        ("替代", "某市质量奖管理办法", ""),
        ("废止", "某市质量奖评审细则", "某市监〔2018〕5号"),
    ]
    # a covering notice names the document it issues: that is no reference
    assert extract_references("现将《某市质量奖管理办法》印发给你们，请认真贯彻落实。", own_title="某市质量奖管理办法") == []


@pytest.mark.unit
def test_links_resolve_by_number_or_title_and_end_the_life_of_what_they_replace() -> None:
    metas = {d: _meta(d, text) for d, text in DOCS.items()}
    graph = LinkGraph(metas.values())
    out = {(k.relation, k.target, k.title) for k in graph.outgoing("county-plan")}
    # by 文号: the 2024 voucher measure, not the expired one with the same title
    assert ("贯彻落实", "new-voucher", "示例市计量服务券实施办法") in out
    assert ("依据", "new-standard", "示例市标准化资助办法（2024年修订）") in out
    assert ("根据", "brand-new", "示例市品牌培育若干措施（2025年版）") in out
    unresolved = [k for k in graph.outgoing("new-standard") if not k.resolved]
    assert [(k.relation, k.title) for k in unresolved] == [("根据", "国家标准化发展纲要")]
    assert [k.source for k in graph.enders("old-standard")] == ["new-standard"]
    assert [(k.source, k.relation) for k in graph.enders("brand-old")] == [("brand-new", "替代")]
    assert graph.implementers("new-voucher") == ["county-plan"]

    def state(doc: str, day: date) -> str:
        enders = {k.source: (k.relation, metas[k.source]) for k in graph.enders(doc)}
        return document_status(metas[doc], day, enders).state

    today = date.fromisoformat(TODAY)
    assert {d: state(d, today) for d in metas} == {
        "old-voucher": "已失效", "new-voucher": "现行有效", "future-cqo": "尚未施行", "old-standard": "已废止",
        "new-standard": "现行有效", "brand-old": "已被替代", "brand-new": "现行有效", "county-plan": "现行有效"}
    # before the repealing measure takes effect, the old one is still in force
    assert state("old-standard", date(2024, 6, 30)) == "现行有效"
    assert state("old-standard", date(2024, 7, 1)) == "已废止"


@pytest.mark.unit
def test_a_status_set_by_the_admin_wins() -> None:
    m = _meta("x", "庚办法\n一、补助。\n二、本办法自2024年1月1日起施行。\n").model_copy(
        update={"status": "已废止", "status_date": "2025-03-01", "status_note": "被某文件废止"})
    s = document_status(m, date(2026, 1, 1), set_by="管理员")
    assert (s.state, s.since, s.source) == ("已废止", "2025-03-01", "管理员设置：被某文件废止")
    assert s.notice("庚办法") == "注意：所引《庚办法》已于2025年3月1日废止"


# ----- through the service, on our own corpus --------------------------------------------------------
@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> PolicyBot:
    root = tmp_path_factory.mktemp("lifecycle")
    corpus = root / "corpus"
    corpus.mkdir()
    for doc_id, text in DOCS.items():
        (corpus / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    (corpus / "catalog.toml").write_text(CATALOG, encoding="utf-8")
    bot = PolicyBot(make_settings(root / "data", POLICYBOT_CORPUS_DIR=str(corpus), POLICYBOT_TODAY=TODAY))
    bot.library.ensure_index(progress=False)
    return bot


def _rows(bot: PolicyBot) -> dict[str, dict]:
    return {d["doc_id"]: d for d in bot.library.documents()}


@pytest.mark.integration
def test_documents_show_status_with_source_and_links_both_ways(own: PolicyBot) -> None:
    rows = _rows(own)
    assert {d: r["status"] for d, r in rows.items()} == {
        "old-voucher": "已失效", "new-voucher": "现行有效", "future-cqo": "尚未施行", "old-standard": "已废止",
        "new-standard": "现行有效", "brand-old": "已被替代", "brand-new": "现行有效", "county-plan": "现行有效"}
    assert rows["old-voucher"]["status_label"] == "已失效（2024年2月29日）"
    assert rows["old-standard"]["status_source"] == "《示例市标准化资助办法（2024年修订）》称废止本文件（正文）"
    assert rows["county-plan"]["based_on"] == ["新计量券办法（贯彻落实）", "示例市标准化资助办法（2024年修订）（依据）",
                                               "示例市品牌培育若干措施（2025年版）（根据）"]
    assert rows["new-voucher"]["cited_by"] == ["青禾县计量方案（贯彻落实）"]
    assert rows["new-standard"]["based_on"] == ["《国家标准化发展纲要》未收录（根据）", "示例市标准化资助办法（废止）"]
    table = documents_table(list(rows.values()))
    old = next(r for r in table if r[-1] == "old-voucher")
    assert old[DOC_HEADERS.index("效力状态")].startswith("已失效（2024年2月29日） （施行日期 2021-03-01（正文）")


@pytest.mark.integration
def test_the_day_is_configurable(own: PolicyBot) -> None:
    earlier = PolicyBot(make_settings(own.settings.data_dir, POLICYBOT_CORPUS_DIR=str(own.settings.corpus_dir),
                                      POLICYBOT_TODAY="2024-06-30"))
    rows = _rows(earlier)
    assert rows["old-standard"]["status"] == "现行有效"  # its repeal takes effect on 2024-07-01
    assert rows["new-standard"]["status"] == "尚未施行"
    assert rows["old-voucher"]["status"] == "已失效" and rows["brand-old"]["status"] == "现行有效"


@pytest.mark.integration
def test_an_answer_on_an_expired_measure_warns_first(own: PolicyBot) -> None:
    a = own.answer("旧计量券办法规定每家企业每年最多申领多少计量服务券？")
    assert not a.refused
    assert a.answer.startswith("注意：所引《示例市计量服务券实施办法》已于2024年2月29日失效")
    assert a.citations[0].doc_id == "old-voucher" and a.citations[0].status == "已失效"
    sources = render_sources(a)
    assert "pb-not-in-force" in sources and "已失效（2024年2月29日）" in sources


@pytest.mark.integration
def test_the_clause_in_force_is_preferred_when_both_answer(own: PolicyBot) -> None:
    a = own.answer("计量服务券每家企业每年最多申领多少？")
    assert not a.refused
    assert a.citations[0].doc_id == "new-voucher" and a.citations[0].status == "现行有效"
    assert "3万元" in a.answer.split("\n\n")[-1] or "3万元" in a.answer


@pytest.mark.integration
def test_desk_filters_on_status_and_marks_in_force(own: PolicyBot) -> None:
    every = own.hotline_search("计量服务券", k=10)
    assert {c.doc_id for _, c in every.shown()} >= {"old-voucher", "new-voucher", "county-plan"}
    current = own.hotline_search("计量服务券", k=10, status="现行有效")
    assert {c.doc_id for _, c in current.shown()} == {"new-voucher", "county-plan"}
    assert all(c.status == "现行有效" for _, c in current.shown())
    html = render_results(current)
    assert html.count("pb-status pb-in-force") == len(current.shown()) and "pb-not-in-force" not in html
    expired = own.hotline_search("计量服务券", k=10, status="已失效")
    assert {c.doc_id for _, c in expired.shown()} == {"old-voucher"}
    assert "已失效（2024年2月29日）" in render_results(expired)


@pytest.mark.integration
def test_implementation_question_answers_with_the_implementing_items_per_part(own: PolicyBot) -> None:
    a = own.answer("青禾县是怎么落实新计量券办法的？")
    assert not a.refused and a.citations
    assert {c.doc_id for c in a.citations} == {"county-plan"}
    lines = a.answer.splitlines()
    assert "贯彻落实《示例市计量服务券实施办法》（示市监规〔2024〕6号）" in lines[0]
    assert lines.index("二、重点任务") < next(i for i, l in enumerate(lines) if "推广计量服务券" in l) < \
        lines.index("三、保障措施")
    assert [c.item for c in a.citations] == ["一、", "二（一）", "二（二）", "三（一）"]
    assert "被引用" not in render_sources(a) and "依据" in render_sources(a)


@pytest.mark.integration
def test_admin_sets_and_clears_a_status(own: PolicyBot) -> None:
    lib = own.library
    lib.set_meta("brand-new", {"status": "已废止", "status_date": "2026-06-01", "status_note": "被市政府决定废止"})
    row = _rows(own)["brand-new"]
    assert (row["status"], row["status_source"]) == ("已废止", "管理员设置：被市政府决定废止")
    assert row["status_set"] == "已废止"
    with pytest.raises(ValueError, match="效力状态"):
        lib.set_meta("brand-new", {"status": "作废了"})
    lib.set_meta("brand-new", {"status": "", "status_date": "", "status_note": ""})
    assert _rows(own)["brand-new"]["status"] == "现行有效"
    assert "status" not in lib.overrides().get("brand-new", {})


@pytest.mark.integration
def test_cli_docs_and_search_show_status_and_links(own: PolicyBot, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from bot.cli import main
    from bot.settings import reset_settings

    monkeypatch.setenv("POLICYBOT_DATA_DIR", str(own.settings.data_dir))
    monkeypatch.setenv("POLICYBOT_CORPUS_DIR", str(own.settings.corpus_dir))
    monkeypatch.setenv("POLICYBOT_TODAY", TODAY)
    reset_settings()
    try:
        assert main(["docs"]) == 0
        out = capsys.readouterr().out
        old = out.split("old-voucher", 1)[1].split("\n", 1)[0]
        assert "已失效（2024年2月29日）" in old
        assert "被引用：青禾县计量方案（贯彻落实）" in out.split("new-voucher", 1)[1]
        assert main(["search", "计量服务券", "--status", "已失效"]) == 0
        out = capsys.readouterr().out
        assert "旧计量券办法" in out and "新计量券办法" not in out and "【已失效（2024年2月29日）】" in out
    finally:
        reset_settings()


# ----- the shipped corpus ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def shipped(shipped_data_dir: Path) -> PolicyBot:
    return PolicyBot(make_settings(shipped_data_dir, POLICYBOT_TODAY=TODAY))


@pytest.mark.integration
def test_shipped_tianjin_implements_the_national_opinion_both_ways(shipped: PolicyBot) -> None:
    rows = _rows(shipped)
    assert "国家民企质量意见（贯彻落实、根据）" in rows["tianjin-2022-qi-private-enterprises"]["based_on"]
    assert rows["national-2021-qi-private-enterprises"]["cited_by"] == ["天津实施意见（贯彻落实、根据）"]
    assert {r["status"] for r in rows.values()} == {"现行有效"}
    table = {r[-1]: r for r in documents_table(list(rows.values()))}
    assert table["national-2021-qi-private-enterprises"][DOC_HEADERS.index("被引用")] == "天津实施意见（贯彻落实、根据）"
    assert table["tianjin-2022-qi-private-enterprises"][DOC_HEADERS.index("依据")].startswith("国家民企质量意见（贯彻落实、根据）")
    cite = shipped.hotline_search("天津实施意见第15条", k=5).exact[0]
    assert cite.based_on[0] == "国家民企质量意见（贯彻落实、根据）" and cite.status == "现行有效"
    national = shipped.hotline_search("国家意见二（六）", k=5).exact[0]
    assert national.cited_by == ["天津实施意见（贯彻落实、根据）"]


@pytest.mark.integration
def test_shipped_how_tianjin_implements_the_national_opinion(shipped: PolicyBot) -> None:
    a = shipped.answer("天津是怎么落实国家民企质量意见的？")
    assert not a.refused
    assert {c.doc_id for c in a.citations} == {"tianjin-2022-qi-private-enterprises"}
    assert len(a.citations) >= 20  # every item of the implementing document, part by part
    assert "《关于进一步发挥质量基础设施支撑引领民营企业提质增效升级作用的意见》（国市监质发〔2021〕62号）" in a.lead
    lines = a.answer.splitlines()
    assert lines.index("二、重点任务") < lines.index("三、保障措施")
    # each Tianjin part names the national part it carries out
    assert "  (一)引导民营企业牢固树立“质量第一”的意识（对应国家民企质量意见二（一））" in lines
    assert any(line.startswith("  (九)优化民营企业发展政策环境（对应国家民企质量意见二（九））") for line in lines)
    html = render_sources(a)
    assert "国家民企质量意见（贯彻落实、根据）" in html and "pb-in-force" in html


@pytest.mark.unit
def test_reference_model_is_plain_data() -> None:
    ref = DocReference(relation="根据", title="甲", doc_number="")
    assert DocMeta(doc_id="d", title="t", references=[ref]).model_dump()["references"][0]["relation"] == "根据"


@pytest.mark.unit
def test_only_how_or_which_questions_with_an_implementation_verb_take_the_implementation_path() -> None:
    from bot.answer.implementation import asks_implementation

    assert asks_implementation("天津是怎么落实国家民企质量意见的？")
    assert asks_implementation("哪些地方贯彻了国市监质发〔2021〕62号？")
    assert not asks_implementation("国家意见和天津实施意见对落实责任的规定有什么不同？")  # a comparison
    assert not asks_implementation("天津的各个区需不需要再定一个更细的落实方案？")  # a yes-no question
    assert not asks_implementation("天津实施意见怎么申请计量服务？")  # no implementation verb
    # why the asker asks (要写落实汇报) and what they ask (哪几条) in different phrases
    assert not asks_implementation("要按国家那份意见写落实汇报，它的保障措施有哪几条？")


@pytest.mark.unit
@pytest.mark.parametrize(("sentence", "field", "value"), [
    ("本办法自2022年3月1日施行，有效期限为5年。", "validity", "5年"),
    ("本措施自2022年3月1日起实施，有效期：三年。", "validity", "三年"),
    ("本方案自印发之日起施行，执行期限至2025年6月30日。", "valid_until", "2025-06-30"),
    ("本办法自2022年3月1日起施行，有效期为2022年3月1日至2024年2月29日。", "valid_until", "2024-02-29"),
    ("本办法自2022年3月1日施行。", "effective_date", "2022-03-01"),
])
def test_term_wordings(sentence: str, field: str, value: str) -> None:
    m = _meta("x", f"辛办法\n一、补助。\n二、{sentence}\n示例局\n2022年2月1日\n")
    assert getattr(m, field) == value


@pytest.mark.unit
def test_a_reference_to_an_issuing_notice_finds_the_document_it_issued() -> None:
    issued = DocMeta(doc_id="notice", title="示例市市场监管局关于印发《示例市质量奖管理办法》的通知")
    citing = DocMeta(doc_id="plan", title="示例区质量奖实施细则", references=[
        DocReference(relation="根据", title="示例市质量奖管理办法"),
        DocReference(relation="依据", title="关于印发〈示例市质量奖管理办法〉的通知"),
    ])
    graph = LinkGraph([issued, citing])
    assert [k.target for k in graph.outgoing("plan")] == ["notice", "notice"]


@pytest.mark.integration
def test_the_warning_is_in_the_question_s_script(own: PolicyBot) -> None:
    a = own.answer("舊計量券辦法規定每家企業每年最多申領多少計量服務券？")
    assert a.answer.startswith("注意：所引《示例市計量服務券實施辦法》已於2024年2月29日失效"), a.answer[:80]


@pytest.mark.integration
def test_the_document_outline_shows_status_and_links(shipped: PolicyBot) -> None:
    from bot.ui.render_lookup import render_outline

    doc = _rows(shipped)["national-2021-qi-private-enterprises"]
    html = render_outline(doc, shipped.library.outline(doc["doc_id"]))
    assert "现行有效" in html and "被引用：天津实施意见（贯彻落实、根据）" in html


@pytest.mark.integration
def test_status_questions_are_answered_with_the_status_its_source_and_what_replaced_it(own: PolicyBot) -> None:
    a = own.answer("旧计量券办法还有效吗？")
    lines = a.answer.splitlines()
    assert lines[0] == "注意：所引《示例市计量服务券实施办法》已于2024年2月29日失效"
    assert "旧计量券办法（《示例市计量服务券实施办法》）已失效：有效期3年，已于2024年2月29日期满。 [1]" in lines
    assert any(line.startswith("判断依据：施行日期 2021-03-01（正文）；有效期 3年（正文）") for line in lines)
    assert any(line.startswith("现行文件：新计量券办法") for line in lines)
    assert [(c.doc_id, c.item) for c in a.citations] == [("old-voucher", "第三条"), ("new-voucher", "第三条")]

    replaced = own.answer("示例市标准化资助办法还有效吗？")
    assert "已废止：自2024年7月1日起废止，见《示例市标准化资助办法（2024年修订）》。" in replaced.answer
    assert [(c.doc_id, c.item) for c in replaced.citations] == [("old-standard", "第二条"), ("new-standard", "第三条")]

    current = own.answer("新计量券办法有效期到什么时候？")
    assert current.answer.startswith("新计量券办法（《示例市计量服务券实施办法》）现行有效：自2024年3月1日起施行，有效期5年，"
                                     "至2029年2月28日。")
    future = own.answer("首席质量官制度实施办法什么时候施行？")
    assert "尚未施行：自2027年1月1日起施行。" in future.answer


@pytest.mark.integration
def test_an_llm_answer_on_an_expired_measure_warns_first(own: PolicyBot, fake_llm) -> None:
    from tests.fake_openai_server import reply
    from tests.llm_fixtures import TEST_API_KEY

    llm_bot = PolicyBot(make_settings(own.settings.data_dir, POLICYBOT_TODAY=TODAY, OPENAI_API_KEY=TEST_API_KEY,
                                      OPENAI_BASE_URL=fake_llm.base_url, POLICYBOT_LLM_MODEL="fake-gpt"),
                        store=own.store)
    fake_llm.script(reply("每家企业每年最多申领2万元[S1]。"))
    a = llm_bot.answer("旧计量券办法规定每家企业每年最多申领多少计量服务券？")
    assert a.mode == "llm" and a.citations[0].doc_id == "old-voucher"
    assert a.answer == "注意：所引《示例市计量服务券实施办法》已于2024年2月29日失效\n\n每家企业每年最多申领2万元[1]。"


@pytest.mark.unit
def test_a_bare_number_is_a_reference_too() -> None:
    refs = extract_references("根据国市监质发〔2021〕62号文件精神，制定本方案。本办法自2024年1月1日起施行，"
                              "示市监规〔2019〕3号文件同时废止。本办法（示市监规〔2024〕6号）由市局负责解释。",
                              own_number="示市监规〔2024〕6号")
    assert [(r.relation, r.title, r.doc_number) for r in refs] == [("根据", "", "国市监质发〔2021〕62号"),
                                                                  ("废止", "", "示市监规〔2019〕3号")]
    old = DocMeta(doc_id="old", title="示例办法", doc_number="示市监规〔2019〕3号", date="2019-01-01")
    new = DocMeta(doc_id="new", title="示例办法（修订）", effective_date="2024-01-01", references=refs)
    graph = LinkGraph([old, new])
    assert [k.source for k in graph.enders("old")] == ["new"]


@pytest.mark.unit
def test_a_scraped_status_label_counts_with_the_dates_when_they_say_when() -> None:
    labelled = _meta("x", "壬办法\n时效性：失效\n一、补助。\n示例局\n2018年1月1日\n")
    assert labelled.status == "已失效" and labelled.sources["status"] == "text"
    s = document_status(labelled, date(2026, 1, 1))
    assert (s.state, s.source) == ("已失效", "正文标注：已失效")
    dated = _meta("y", "癸办法\n效力状态 | 已失效 | 属性 | 其他 |\n一、补助。\n二、本办法自2020年1月1日起施行，有效期3年。\n")
    s = document_status(dated, date(2026, 1, 1))
    assert (s.state, s.until) == ("已失效", "2022-12-31")


@pytest.mark.unit
def test_the_page_s_own_status_label_is_shown_beside_the_computed_state() -> None:
    """A label that is no state of ours ("阶段性文件") is kept verbatim and shown in the status answer's basis;
    a label that is the state itself (失效) is not said twice."""
    from bot.answer.status_answer import status_answer

    staged = _meta("z", "子纲要\n发布日期 | 2024-03-13 | 生效日期 | 2024-03-13 |\n有效性状态 | 阶段性文件 | 废止日期 | 暂无 |\n"
                        "一、总体要求。\n")
    assert staged.stated_status == "阶段性文件" and staged.status == "" and staged.sources["stated_status"] == "text"
    s = document_status(staged, date(2026, 1, 1))
    basis = status_answer("子纲要还有效吗？", staged, s, []).answer.splitlines()[1]
    assert s.state == "现行有效" and basis.endswith("；原发布页标注：阶段性文件。"), basis
    labelled = _meta("x", "壬办法\n时效性：失效\n一、补助。\n示例局\n2018年1月1日\n")
    s = document_status(labelled, date(2026, 1, 1))
    assert "原发布页标注" not in status_answer("壬办法还有效吗？", labelled, s, []).answer
    assert _meta("w", "丑办法\n一、补助。\n").stated_status == ""
    assert _meta("v", "寅办法\n【效力状态】尚未生效\n一、补助。\n").status == "尚未施行"  # a bracket, no separator
    assert _meta("u", "卯办法\n一、提高认证有效性水平。\n").stated_status == ""  # a body sentence, no field
    assert _meta("t", "辰办法\n时效性 已废止\n一、补助。\n").status == "已废止"  # a space between


@pytest.mark.unit
def test_status_cues_ask_about_the_document_not_a_clause() -> None:
    from bot.answer.status_answer import asks_status

    assert asks_status("旧计量券办法还有效吗？") and asks_status("这份纲要有效期到什么时候？")
    assert asks_status("天津实施意见什么时候施行？") and asks_status("这个政策现在还执行吗")
    assert not asks_status("认证证书有效期多长？")  # the term of a certificate: a clause's content
    assert not asks_status("计量服务券每家企业每年最多申领多少？")


@pytest.mark.unit
def test_statuses_of_the_parser_fixtures_on_one_day() -> None:
    """Documents written for the parser scorecard (not for this feature): some in force, some expired."""
    from ingest.documents import parse_document
    from ingest.status import collection_status

    root = Path(__file__).parent / "fixtures"
    files = {"xiyang-2022-quality-brand-measures.docx": "ingest_holdout",
             "luming-2023-testing-certification-policies.md": "ingest_holdout",
             "anping-2022-quality-city-measures.md": "ingest", "qingzhou-2023-metrology-fees.htm": "ingest",
             "linjiang-2023-ebike-quality-announcement.txt": "ingest"}
    metas = [parse_document(root / folder / name).meta for name, folder in files.items()]
    got = {d: (s.state, s.until) for d, s in collection_status(LinkGraph(metas), date.fromisoformat(TODAY)).items()}
    assert got == {
        "xiyang-2022-quality-brand-measures": ("已失效", "2024-09-30"),  # 2022-10-01, 2年
        "luming-2023-testing-certification-policies": ("已失效", "2026-10-31"),  # 2023-11-01, 3年
        "anping-2022-quality-city-measures": ("现行有效", "2027-07-31"),  # 2022-08-01, 5年
        "qingzhou-2023-metrology-fees": ("现行有效", "2028-08-31"),  # 2023-09-01, 5年
        "linjiang-2023-ebike-quality-announcement": ("现行有效", ""),  # no term stated
    }
    repealed = [r for m in metas for r in m.references if r.relation == "废止"]
    assert {r.doc_number for r in repealed} == {"青价费〔2016〕8号", "临政通〔2019〕2号"}  # not in this set: unresolved
