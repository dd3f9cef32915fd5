"""Three outcomes, not two: answer, answer in part, or refuse.

A question is refused — with the contract's refusal sentence and "see also" clauses — only when no
clause addresses its subject: nothing was retrieved, it holds no content at all (digits and symbols,
no Chinese, no word of the sources), it names a place no document covers, or most of what it asks
about is foreign to the best clauses.  When the clauses address the subject but not what is asked of
it — an amount, a figure, a date, a web address, the steps of an application — or the second stage
finds the evidence weak, the answer is *partial*: what the documents provide, and what they do not
say.  Every rule compares the question with the clauses themselves (shares of its words, the kind of
fact asked), never with a score whose scale moves as the collection grows.
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Literal

import numpy as np

from bot.answer.evidence import evidence_score
from bot.answer.status_answer import TERM_WORDS, asks_predecessor, asks_status
from bot.answer.uncollected import uncollected_document, uncollected_place_document
from bot.retrieval import SearchHit, SearchResult, answer_types
from bot.retrieval.analysis import without_attribution
from bot.retrieval.catalog import DocumentCatalog, strip_document_names
from bot.retrieval.intent import ASKS
from bot.retrieval.snapshot import IndexSnapshot
from ingest.text.script import match_form, search_form
from ingest.text.segment import dictionary_words, overlap, query_grams, sentences
from ingest.text.word_class import dictionary_parts, is_content_word, is_locality, is_noun, is_speech_fragment
from ingest.text.word_vectors import related
from ingest.text.wordlists import load, load_mappings
from vectorstore.embedding_model import shipped

# Without fitted rerank weights: the rule calibrated on eval/dev.jsonl by the first version.
EVIDENCE_FLOOR = 0.12
DENSE_FLOOR = shipped.dense_floor  # tuned for the embedding model: lives with it


@dataclass(frozen=True)
class AskedFact:
    """A kind of fact a question asks for (``asks``), the form it takes in a clause (``needs``) and what a
    partial answer says is missing without it — one entry of ``asked_facts.toml``."""

    asks: re.Pattern[str]
    needs: re.Pattern[str]
    missing: str
    in_sentence: bool = False  # ``needs`` must match in the evidence's sentence nearest the question
    echo: bool = True  # a match the question itself says counts

    def stated(self, question: str, evidence_text: str) -> bool:
        """Does the evidence state this fact (where it must: anywhere, or beside what the question asks)?"""
        if self.in_sentence:
            grams = query_grams(question)
            evidence_text = max(sentences(evidence_text), key=lambda s: overlap(grams, s), default="")
        return any(self.echo or m.group() not in question for m in self.needs.finditer(evidence_text))


@cache
def asked_facts() -> tuple[AskedFact, ...]:
    """The facts whose very form must appear in the evidence (data: ``bot/answer/asked_facts.toml``)."""
    text = resources.files(__package__).joinpath("asked_facts.toml").read_text(encoding="utf-8")
    return tuple(AskedFact(re.compile(f["asks"], re.I), re.compile(f["needs"], re.I), f["missing"],
                           f.get("within") == "sentence", f.get("echo", True))
                 for f in tomllib.loads(text)["fact"])


MISSING_DIRECT = "对这一问题的直接答复"


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[a-z]{2,}")


def without_content(question: str, result: SearchResult) -> bool:
    """No Chinese, no document named, and no Latin word that the best clauses contain: digits and
    symbols (``' OR 1=1; --``, ``abc 1``) are no question, however well a number matches an item."""
    q = search_form(question)
    if _CJK.search(q) or result.analysis.doc_ids:
        return False
    text = search_form(" ".join(h.clause.text for h in result.hits[:3]))
    return not any(re.search(rf"(?<![a-z]){w}(?![a-z])", text) for w in _LATIN_WORD.findall(q))


UNKNOWN_SHARE = 0.5  # refuse when fewer than half of the question's words occur in the best clauses …
UNKNOWN_MIN = 2  # … and at least this many of them are foreign to the sources …
SHARED_SUBJECT = 3  # … unless the clauses share this many of its words and at least a third of them: a long
SHARED_SHARE = 1 / 3  # everyday question ("小厂买不起贵的仪器，能不能借用大学的设备") wraps its subject in words no
# policy text uses, so its share stays below half; a question that is mostly something else (instructions to the
# model with a policy phrase at the end) stays below a third
ADDRESSED = 2  # a question mostly foreign is answered in part (the nearest clauses) when they share this many words


def _subject_words(alternatives: list[Alternatives]) -> list[Alternatives]:
    """The question's words that could name its subject: content words, not a way of asking (怎么办, 怎么样), not a
    fragment of speech (多学)."""
    return [(w, alts) for w, alts in alternatives
            if is_content_word(w) and not ASKS.search(w) and not is_speech_fragment(w)]


def _known_words(result: SearchResult) -> tuple[int, int]:
    """(how many of the question's content words the best clauses contain, as such or as a word that
    means it; how many content words it has), over the best five clauses (a larger collection puts other documents'
    clauses in front of the one that says it)."""
    # time words, numerals and adverbs (现在, 第一次, 一点, 不能不) say nothing of the subject: a long everyday
    # question has many of them, and no clause needs to
    words = _subject_words(result.analysis.word_alternatives())
    evidence = search_form(" ".join(h.clause.text for h in result.hits[:5]))
    known, said = 0, None
    for word, alts in words:
        if word in evidence:
            known += 1
            continue
        other = [a for a in alts if a in evidence]
        if not other:
            continue
        # a two-character word that means it counts as a word of the text, not inside another one (天候 in 全天候
        # says nothing of 天气); the text is cut only for a question that needs it
        said = said if said is not None else set(dictionary_words(evidence))
        known += any(len(a) > 2 or a in said for a in other)
    return known, len(words)


def foreign_topic(result: SearchResult) -> bool:
    """Most of what the question asks about is foreign to the sources: "火星移民签证怎么办理",
    "外卖小哥的社保怎么交" share a procedural word (办理, 交) with some clause, not their subject.

    The words are the question's content (document names and the interrogative frame removed), in
    jieba's plain mode, two characters or more; a word counts as known when the best clauses contain
    it or a word that means it (the policy thesaurus, 同义词词林).
    """
    return _foreign(*_known_words(result))


def _foreign(known: int, total: int) -> bool:
    """:func:`foreign_topic` on the counts of :func:`_known_words`."""
    shared = known >= SHARED_SUBJECT and known >= SHARED_SHARE * total
    return total - known >= UNKNOWN_MIN and known < UNKNOWN_SHARE * total and not shared


def mentions_subject(result: SearchResult) -> bool:
    """Does any best clause contain a word of the question (or a word that means it)?"""
    known, total = _known_words(result)
    return known > 0 or total == 0


@dataclass(frozen=True)
class Outcome:
    """How to answer: ``refuse`` (with its reason), ``partial`` (with what the documents do not say) or
    ``answer``."""

    kind: Literal["answer", "partial", "refuse"]
    reason: str | None = None
    missing: str = ""


ANSWER = Outcome("answer")


def _refuse(reason: str) -> Outcome:
    return Outcome("refuse", reason)


def missing_asked_fact(question: str, evidence_text: str) -> str:
    """The fact of ``asked_facts.toml`` the question asks for and the evidence does not state ("" when none)."""
    q = without_attribution(search_form(question))  # "热线来电问：" asks no hotline number
    return next((f.missing for f in asked_facts() if f.asks.search(q) and not f.stated(q, evidence_text)), "")


QUOTED_MIN = 3  # a quoted name (“质量创新券”) is the subject itself; a quoted everyday word (“看病”) is a figure of speech


# A standard's code (ISO 9001, ISO14001, GB/T 19001, IATF 16949): letters, an optional /T, then its number
STANDARD_CODE = re.compile(r"[A-Za-z]{2,}(?:/[A-Za-z])?\s?\d{3,}(?:[.:-]\d+)*")


def missing_quoted(result: SearchResult, question: str) -> str:
    """The name the question gives exactly — quoted, or a standard's code — that none of the best clauses
    contains ("" when none).

    A term the caller puts in quotation marks is the thing asked about by its own name: when no
    clause the answer rests on has it, the documents do not speak of it, however well the rest of
    the question matches (“津品优选”标识怎么申请 → the clauses on 品牌 are near, not the answer).  So is a
    standard named by its code ("ISO14001环境管理体系认证有没有补贴" → clauses on 认证 are near, not about it).
    """
    names = [p for p in result.analysis.phrases if len(p) >= QUOTED_MIN]
    names += STANDARD_CODE.findall(unicodedata.normalize("NFKC", question))  # as the caller wrote it: ISO 9001
    if not names:  # the common case: no clause text is converted
        return ""
    evidence = match_form(" ".join(h.clause.text for h in result.hits[:3]))
    return next((f"“{p}”" for p in names if match_form(p) not in evidence), "")


SPEECH_CHECK = 3  # the nearest words of a noun that must be content words for it to name a thing

TERM_MIN = 4  # a word this long (计量托管, 医疗器械) names a thing; shorter ones (上门, 银行) are everyday words
NAMED_CLEARLY = 3.0  # a document named by its name or its kind and place ("国家这份民营企业意见"), not by a place alone


def term_not_in_named(result: SearchResult, catalog: DocumentCatalog) -> str:
    """What the answer must say the named document lacks ("" when nothing): a term of the question that the
    document it clearly names never uses — as such or in other words — while another collected document
    does ("国家这份意见里有没有针对医疗器械企业的措施" when only a Tianjin text speaks of 医疗器械).  That another
    document uses the term shows it is a policy term and not the asker's own wording (which no document uses
    and which therefore never counts); the named document's silence is read off its own text, whatever the
    size of the collection."""
    snap = result.snapshot
    analysis = result.analysis
    named = [d for d, score in analysis.doc_scores.items() if score >= NAMED_CLEARLY]
    if snap is None or not named or analysis.compare:
        return ""
    words = analysis.word_alternatives()
    terms = [(w, alts) for w, alts in words if len(w) >= TERM_MIN and not w.isascii()]
    # a name in quotation marks is a term however short (“三同”): whether it is the asker's figure of speech
    # (“看病”) is settled below — another document must use it
    terms += [(p, ()) for p in analysis.phrases if len(p) >= 2 and p not in {w for w, _ in terms}]
    compounds = _compounds(words, analysis.content)
    if not terms and not compounds:  # the common case: no document text is read
        return ""
    own = match_form(" ".join(c.text for d in named for c in snap.doc_clauses(d)))

    def says(word: str, alts: tuple[str, ...]) -> bool:
        return any(match_form(x) in own for x in (word, *alts))

    codes = {snap.doc_codes[d] for d in named if d in snap.doc_codes}
    absent = [w for w, alts in terms if not says(w, alts)]
    # a compound the named document lacks along with a word of it that is a term of art — one the general
    # word vectors do not know (加计扣除: 天津 never says 加计); a compound of everyday words (组织保障,
    # 日常质量, 质量素养) may be the asker's own way of saying what the document says otherwise
    absent += [a + b for (a, a_alts), (b, b_alts) in compounds if match_form(a + b) not in own
               and any(not says(w, alts) and related(w) is None for w, alts in ((a, a_alts), (b, b_alts)))]
    for word in absent:
        rows = np.flatnonzero(snap.phrase_mask(match_form(word)))
        if any(int(snap.part_doc[r]) not in codes for r in rows):
            return f"{catalog.display_name(named[0])}对“{word}”的规定"
    return ""


Alternatives = tuple[str, tuple[str, ...]]


def _compounds(words: list[Alternatives], content: str) -> list[tuple[Alternatives, Alternatives]]:
    """Pairs of the question's content words that stand side by side in it and together make a term of
    :data:`TERM_MIN` characters or more that jieba cut in two (加计|扣除, 星级|评定)."""
    text = match_form(content)
    return [(a, b) for a, b in pairwise(words)
            if len(a[0]) < TERM_MIN and len(b[0]) < TERM_MIN and len(a[0] + b[0]) >= TERM_MIN
            and match_form(a[0] + b[0]) in text]


def _unknown_term_unused(word: str, snap: IndexSnapshot) -> bool:
    """A dictionary noun that the general word vectors do not know and no text uses: a term of art (内审员,
    型式) is a subject the collection does not speak of; a compound (施工单位, 快速通道, 防护服) is spoken of
    when a word it is made of, or a word of that word's field, is used; a place phrase (厂里 = 厂 + 里) is
    not a subject at all."""
    if is_locality(word[-1]):
        return False
    for part in dictionary_parts(word):
        if not is_content_word(part):
            continue
        if snap.uses_phrase(match_form(part)) or any(snap.uses_phrase(match_form(w)) for w in related(part) or ()):
            return False
    return True


def subject_not_in_sources(result: SearchResult) -> str:
    """A thing the question asks about that no collected document speaks of ("" when none): a noun of the
    question that no live clause uses — as such, in other words (the policy thesaurus, 同义词词林), or as any
    word of its field in a general word-vector space ("进口化妆品要先备案还是先注册": no document has 化妆品,
    日用品, 口红 or 香水).  The best clauses then share the question's procedure (备案, 注册, 认证 …), not
    its subject: they are shown as what the documents say nearest to it, with the subject named as
    missing.  Only for a question that names no document (one that does is :func:`term_not_in_named`'s);
    a noun whose nearest words are function words (时候 → 所以, 因为) is a word of speech, not a subject.
    Whether the collection uses a word is read off its text, whatever its size."""
    snap = result.snapshot
    if snap is None or result.analysis.doc_ids:
        return ""
    foreign = [word for word, alts in result.analysis.word_alternatives() if _foreign_noun(word, alts, snap)]
    # the whole word, not the piece jieba also yields (化妆品, not 化妆)
    return f"关于“{max(foreign, key=len)}”的规定" if foreign else ""


# jieba's dictionary tags some words of asking and pointing as nouns (多长, 多少钱, 这部, 之门 of 方便之门, 干嘛):
# they begin with an interrogative (干嘛/干啥 = "what for"), a demonstrative or a particle and name no thing; nor
# do an amount said with a measure word (一堆, 一些), one after another (一项项, 一家家) or a time said relative to now
# (上个月, 去年)
_NOT_A_THING = re.compile(r"^(?:多[长久大少高远]|几|哪|什么|怎|啥|干[嘛啥吗]|这|那|该|此|每|各|之"
                          r"|[一两半][堆些点批把套块阵会下]|一(.)\1|[上下本](?:个|个?(?:月|周|星期|季度|年度|次|回))|[去今明前]年)")


def _foreign_noun(word: str, alts: tuple[str, ...], snap: IndexSnapshot) -> bool:
    """A noun that no live clause uses — as such, in other words, or as any word of its field (see
    :func:`subject_not_in_sources`)."""
    if not is_noun(word) or _NOT_A_THING.match(word) or any(snap.uses_phrase(match_form(w)) for w in (word, *alts)):
        return False
    field = related(word)  # a product with the word-vector matrix: only for a noun no text uses
    if field is None:
        return _unknown_term_unused(word, snap)
    if not field or not all(is_content_word(w) for w in field[:SPEECH_CHECK]):
        return False
    return not any(snap.uses_phrase(match_form(w)) for w in field)


# "X算不算…", "X是不是…里说的…": the question asks the documents to put X in one of their categories ("是不是可以
# 不罚款" asks yes or no, not which category)
_CLASSIFIED = re.compile(r"算不算|算是|属不属于|能不能算|可不可以算"
                         r"|是不是(?=[^，,。；;？?！!]{0,16}?(说|讲|提|列|指|认定|支持|扶持)的)")
_CLAUSE_BREAK = re.compile(r"[，,。；;？?！!\s]")  # a chat's clauses are often separated by spaces alone


def member_not_named(result: SearchResult, question: str, catalog: DocumentCatalog) -> str:
    """A particular company, brand or product that the question asks the documents to classify and that no
    collected document names ("" when none): "格力电器算不算广东措施里说的行业龙头企业", "宁德时代这种民营龙头是不是
    国家意见里说的链主企业".  A policy names kinds (老字号, 龙头企业, 链主企业), not their members: whether X is one
    is not written.  X is what comes before 算不算 / 是不是 in its phrase (document names removed); a word of it
    counts when no live clause uses it and it is a foreign noun (:func:`_foreign_noun`) or a name the general
    word vectors do not know (格力电器, 狗不理) — so "我们小厂算不算小微企业" asks about the asker, not a member."""
    snap = result.snapshot
    if snap is None:
        return ""
    text = search_form(strip_document_names(question, catalog))
    m = _CLASSIFIED.search(text)
    if m is None:
        return ""
    subject = next((p for p in reversed(_CLAUSE_BREAK.split(text[:m.start()])) if p.strip()), "")  # "X这种…，是不是"
    # a word jieba made up from a locality word and the next one (认证上|花的钱 → 上花) is a fragment, not a name
    named = [w for w, alts in result.analysis.word_alternatives() if w in subject and not _NOT_A_THING.match(w)
             and not is_locality(w[:1]) and (
        _foreign_noun(w, alts, snap) or (related(w) is None and not snap.uses_phrase(match_form(w))
                                         and _unknown_term_unused(w, snap)))]
    return f"对“{max(named, key=len)}”的认定（文件未点名具体企业、品牌）" if named else ""


def _missing_fact(q: str, result: SearchResult, evidence_text: str, about_document: bool = False) -> str:
    """The specific fact the question asks for that the best clauses do not state ("" when none): a
    fact of ``asked_facts.toml``, else what an asked answer type finds missing (its ``missing`` hook) — not
    when the document's record answers (``about_document``): a question about the document names other types
    only as its context ("要在申报材料里引用…发文字号是多少" asks the 文号, not the materials)."""
    missing = missing_asked_fact(q, evidence_text)
    intent = result.analysis.intent
    if missing or intent is None or about_document:
        return missing
    grams = result.analysis.content_grams()
    for name in intent.asks:
        if name == "quantity" and intent.answer_type == "locate":
            continue  # "第几条…十几条吧": the number asked is the item's, which a located answer names
        if name == "procedure" and intent.answer_type == "compare":
            continue  # "两地各自怎么做": what each document does, not how to apply
        check = answer_types.by_name(name).missing
        found = check(intent, grams, evidence_text) if check else ""
        if found:
            return found
    return ""


def _record_answers(result: SearchResult, record: SearchHit | None) -> bool:
    """A question about the document itself (issuer, 文号, date) whose named document's 文件信息 record is
    among the best clauses (``record``, from :func:`_named_record`): the record states those facts, however
    little of the question's wording it shares — the second stage's score says nothing about it
    ("瓯海方案的落款日期是什么时候")."""
    if record is None:
        return False
    q = search_form(result.analysis.content)  # without the document's name (天津实施意见 says 实施)
    # its term, its predecessor: the record does not say (the status answer does, if anything)
    return not (asks_status(q) or asks_predecessor(q) or any(w in q for w in TERM_WORDS))


def _named_record(result: SearchResult) -> SearchHit | None:
    """The 文件信息 record of a named document among the best three hits, for a question about the document (of the
    best hit, when the question names no document the catalog knows)."""
    intent = result.analysis.intent
    if intent is None or not answer_types.by_name(intent.answer_type).answers_from_docinfo:
        return None
    named = result.analysis.doc_ids
    if not named:  # named in words the catalog does not know ("六部门那份民企质量基础设施意见"): the record ranked first
        return result.hits[0] if result.hits and result.hits[0].clause.kind == "docinfo" else None
    return next((h for h in result.hits[:3] if h.clause.kind == "docinfo" and h.clause.doc_id in named), None)


# who is asking ("我们是香港公司", "我司作为深圳企业"): a place in it says where the asker is, not which region's
# policy is asked about
_ASKER = re.compile(r"(?:我们|咱们|我司|本公司|我公司|我厂|本厂)(?:是|系|属于|作为)?[^,，。?？!！;；]{0,10}?"
                    r"(?:公司|企业|厂|商户|商家|门店)")


SPOKEN_OF_WITHIN = 1  # the best clause, whose text may speak of a place no document's region covers


def _spoken_of(place: str, text: str) -> bool:
    """Does ``text`` speak of ``place``, by its name or by a name for several places that holds it (place_groups:
    港澳 for 香港)?"""
    return place in text or any(place in members.split() and group in text
                                for group, members in load_mappings("place_groups"))


def judge(question: str, result: SearchResult, catalog: DocumentCatalog) -> Outcome:
    """Answer, answer in part, or refuse (see the module docstring)."""
    hits = result.hits
    if not hits:
        return _refuse("no_hits")
    if without_content(question, result):
        return _refuse("no_content")
    if any(h.via in ("lookup", "part") for h in hits[:1]):
        # a number or a part of a document the collection does not hold ("浙江省质量强省纲要的主要目标") is not
        # that of the collected document of the same place
        elsewhere = uncollected_place_document(question, catalog)
        return Outcome("partial", "document_not_collected", elsewhere) if elsewhere else ANSWER
    q = search_form(question)
    covered = catalog.covered_text()
    asked = _ASKER.sub(" ", q)  # "我们是香港公司": where the asker is from is not the region asked about
    named = [p for p in load("places") if p in asked]
    spoken = search_form(" ".join(h.clause.text for h in hits[:SPOKEN_OF_WITHIN])) if named else ""
    uncovered = [p for p in named if p not in covered and not _spoken_of(p, spoken)]
    if named and len(uncovered) == len(named):
        return _refuse("out_of_scope_region")
    if result.analysis.phrase_only or result.analysis.departments:
        return ANSWER
    intent = result.analysis.intent
    compares = result.analysis.compare or (intent is not None and "compare" in intent.secondary)
    if uncovered and compares:  # "天津和上海相比", "北京有没有…？和天津的相比": answered for 天津, the other named as missing
        return Outcome("partial", "out_of_scope_region", f"{'、'.join(uncovered)}的相关规定")
    elsewhere = uncollected_place_document(question, catalog)
    if elsewhere:  # "跟上海的质量强市纲要比" where no Shanghai document is a 纲要
        return Outcome("partial", "document_not_collected", elsewhere)
    quoted = missing_quoted(result, question)
    if quoted:
        return Outcome("partial", "name_not_in_sources", quoted)
    member = member_not_named(result, question, catalog)
    if member:
        return Outcome("partial", "member_not_named", member)
    cited = uncollected_document(result, question, catalog)
    if cited:
        return Outcome("partial", "document_not_collected", cited)
    absent = term_not_in_named(result, catalog)
    if absent:
        return Outcome("partial", "term_not_in_document", absent)
    if not result.analysis.doc_ids:
        known, total = _known_words(result)  # counted once: the text of the best clauses may need cutting
        if _foreign(known, total):
            # mostly foreign: refused when the best clauses share too little of it to address its subject, else
            # what they say is shown as the nearest, not as the answer (a long story in everyday words)
            return Outcome("partial", "weak_evidence", MISSING_DIRECT) if known >= ADDRESSED \
                else _refuse("weak_evidence")
    # a question about the document itself (落款, 发文字号) is answered by its 文件信息 record, whatever words of
    # the document's paperwork the texts do not use
    record = _named_record(result)
    about_document = _record_answers(result, record)
    subject = "" if about_document else subject_not_in_sources(result)
    if subject:
        return Outcome("partial", "subject_not_in_sources", subject)
    # the fact asked must be in the clause the answer rests on (its first), not in any of the best three:
    # "申报时间" is not answered by a year in some other clause; a comparison rests on several
    # (a question about the document rests on its 文件信息 record, as the extractive answer does)
    # (a document's 文件信息 record answers only a question about the document: its dates are no answer to
    # "什么时候开始申报", so the clauses the answer quotes are the evidence)
    clauses = [h for h in hits if h.clause.kind != "docinfo"] or hits
    evidence_text = record.clause.text if record is not None else \
        " ".join(h.clause.text for h in clauses[:3 if result.analysis.compare else 1])
    missing = _missing_fact(q, result, evidence_text, about_document)
    if missing:
        return Outcome("partial", "fact_not_in_sources", missing)
    scores = [h.rerank for h in hits if h.rerank is not None]
    if scores and result.answerable_floor is not None:
        # The second stage scores content match, type fit and similarity together; below the floor
        # fitted on answerable (corpus-generated) questions the evidence is weak: the best clause is
        # shown as what the documents say nearest to the question, not as its answer.
        weak = max(scores) < result.answerable_floor
    else:
        weak = evidence_score(strip_document_names(question, catalog), hits) < EVIDENCE_FLOOR \
            and hits[0].dense < DENSE_FLOOR
    if not weak or about_document:
        return ANSWER
    # weak evidence: what the documents say nearest to the question — unless none of its words is there at all
    return Outcome("partial", "weak_evidence", MISSING_DIRECT) if mentions_subject(result) else _refuse("weak_evidence")

