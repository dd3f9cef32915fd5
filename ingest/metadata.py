"""Document metadata read off the text: title, issuers, 文号, date, a scraped metadata table.

The texts do not reliably say their own title, issuer, 文号 or date (one shipped file has no title
line at all), so the catalog (:mod:`ingest.catalog`) wins where it has an entry; any document a user
drops in without one still gets what can be read off its text here.
"""
from __future__ import annotations

import re
import unicodedata

from ingest.dates import DATE_CN, is_date_line, iso_date
from ingest.doc_number import NUMBER_ALONE, is_doc_number_part, own_doc_number
from ingest.models import DocMeta
from ingest.promulgation import ISSUE_ACTS, REVISION_ACTS, Event, history, is_history_line, is_signatory_line
from ingest.text.ladder import starts_body
from ingest.text.script import to_simplified
from ingest.text.wordlists import load, org_suffix_pattern

_EFFECTIVE = re.compile(r"自\s*((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*起?\s*(?:施行|实施|执行|生效)")
# The document's own term ("本办法自…起施行，有效期5年"), not that of what it regulates ("企业标准有效期为3年").
_EFFECTIVE_ON_ISSUE = re.compile(r"自\s*(?:印发|发布|公布)之日起\s*(?:施行|实施|执行|生效)")
_VALIDITY = re.compile(r"(?:本(?:办法|方案|意见|措施|规定|通知|细则|条例|决定|规划|计划|公告)|施行|实施)[^。；]{0,40}?"
                       r"有效期(?:限)?\s*(?:为|至|：|:|暂定为?)?\s*(\d{1,2}|[一二两三四五六七八九十]{1,3})\s*年")
# The document's own last day: "有效期至2025年12月31日", "自2023年1月1日起至2025年12月31日止施行".
_VALID_UNTIL = re.compile(r"(?:本(?:办法|方案|意见|措施|规定|通知|细则|决定|规划|计划|公告)|施行|实施)[^。；]{0,40}?"
                          r"(?:有效|执行|实施|试行)期(?:限)?[^。；]{0,30}?(?:至|到|截至|截止到?)\s*"
                          r"((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)"
                          r"|自\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*起?\s*(?:至|到)\s*"
                          r"((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*止?\s*(?:施行|实施|执行|有效)")
# A scraped metadata box's own 时效性 ("时效性：失效", "有效性状态 | 已废止 |", "【效力状态】尚未生效"), kept verbatim and
# shown beside the computed state ("阶段性文件"); a label naming one of our states sets it.  A field name, not a body
# sentence ("提高认证有效性水平"): a bracket, a separator or a space follows it.
_STATUS_LABEL = re.compile(r"(?:时效性|有效性(?:状态)?|效力状态)(?:\s*[】\]]\s*[:：|｜]?|\s*[:：|｜]|\s)\s*"
                           r"([\u4e00-\u9fff]{2,8})")
_STATED_STATES = {"失效": "已失效", "废止": "已废止", "尚未施行": "尚未施行", "尚未生效": "尚未施行"}
_ADOPTED = re.compile(r"^[(（]\s*((?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日).{0,60}(?:通过|公布|发布)")
_SITE_SEPARATOR = re.compile(r"\s+[-–—|｜]\s+|\s*[_｜|]\s*")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s*")
_SENTENCE_PUNCT = re.compile(r"[。；;：:!?！？,，]")
_ORG_SUFFIX = org_suffix_pattern("org_suffixes")
_TABLE_KEYS = {
    "发布单位": "issuer", "发文机关": "issuer", "发布机关": "issuer",
    "发布文号": "doc_number", "文号": "doc_number", "发文字号": "doc_number",
    "发布日期": "date", "成文日期": "date", "生效日期": "effective_date", "施行日期": "effective_date",
    "失效日期": "valid_until", "废止日期": "repealed_on",
    "标题": "title", "名称": "title",
}


def looks_like_org_line(line: str) -> bool:
    """A sign-off line: one or more issuing bodies, no sentence punctuation."""
    if _SENTENCE_PUNCT.search(line) or len(line) > 60:
        return False
    parts = [p for p in re.split(r"\s+", to_simplified(line)) if p]
    return bool(parts) and all(_ORG_SUFFIX.search(p) for p in parts)


def _title_endings() -> tuple[str, ...]:
    words = load("title_words")
    return words + tuple(w + "”" for w in words)


_SIGNED_ON = re.compile(r"^(.{3,12}?)\s+(\S{8,12}日)$")  # "总理 李克强  2021年7月27日"
_ISSUED_DOC = re.compile(r"《([^》]{4,80})》[^。]{0,80}?(?:印发|现予公布|现予发布|予以公布)"
                         r"|(?:现发布|现予发布|现公布)《([^》]{4,80})》")
# "…管理办法（试行）", "…若干措施（2025年版）", "…资助办法（2024年修订）": a short note after the title word.
_TRAILING_NOTE = re.compile(r"[（(][^（()）]{1,12}[)）]$")
_ISSUING_TITLE = re.compile(r"关于(?:印发|转发|发布|公布)《[^》]+》")  # "…关于印发《…办法》的通知"


def is_title_line(line: str) -> bool:
    s = to_simplified(line)
    return (
        6 <= len(s) <= 100
        and not _SENTENCE_PUNCT.search(s)
        and ("《" not in s or bool(_ISSUING_TITLE.search(s)))
        and "|" not in s
        and _TRAILING_NOTE.sub("", s).endswith(_title_endings())
    )


def title_text(line: str) -> str:
    """The title in a line that may carry a site name: "某市人民政府门户网站 - 关于…的通知" → "关于…的通知"."""
    line = _MARKDOWN_HEADING.sub("", line).strip().strip("*").strip()
    pieces = [p.strip() for p in _SITE_SEPARATOR.split(line) if p.strip()]
    if len(pieces) > 1:
        titled = [p for p in pieces if is_title_line(p)]
        if titled:
            return max(titled, key=len)
    return line


def find_title(lines: list[str], limit: int = 40) -> tuple[int, int] | None:
    """Locate the title as a span of lines [start, end); handles a title broken over two lines."""
    for i, line in enumerate(lines[:limit]):
        if starts_body(to_simplified(line)):
            return None  # the body has started; no title line in this document
        if is_title_line(title_text(line)):
            if i + 1 < len(lines) and NUMBER_ALONE.match(to_simplified(lines[i + 1].strip())):
                continue  # "某省人民代表大会常务委员会公告" over "（第89号）": the announcement's head, not the title
            prev = lines[i - 1] if i else ""
            if prev and not _SENTENCE_PUNCT.search(prev) and not is_title_line(prev) and (
                    to_simplified(prev).startswith("关于")
                    or (looks_like_org_line(prev) and to_simplified(line).startswith("关于"))):
                start = i - 1  # "关于…" / "…的通知", or the issuer on a line above "关于…的通知"
                if to_simplified(prev).startswith("关于") and start and looks_like_org_line(lines[start - 1]):
                    start -= 1  # the issuers, then "关于印发《…" and "…》的通知"
                return (start, i + 1)
            return (i, i + 1)
    return None


def parse_meta_table(lines: list[str]) -> tuple[dict[str, str], list[int]]:
    """Read a scraped ``key | value |`` metadata table (发布单位/发布文号/发布日期 …).

    Returns the values found and the indexes of the lines that belong to the table, so the parser can
    move them out of the body into the document-info clause.
    """
    key_idx = [i for i, l in enumerate(lines)
               if "|" in l and re.match(r"^[\u4e00-\u9fff](?:\s*[\u4e00-\u9fff]){1,5}\s*[:：]?\s*\|", to_simplified(l))]
    if len(key_idx) < 2:
        return {}, []
    start, end = key_idx[0], key_idx[-1]
    if end - start > 15:
        return {}, []
    block = " | ".join(lines[start : end + 1])
    cells = [re.sub(r"\s+", "", c).rstrip(":：") for c in block.split("|")]
    values: dict[str, str] = {}
    for i, cell in enumerate(cells):
        key = _TABLE_KEYS.get(to_simplified(cell))
        if key:
            j = i + 1
            while j < len(cells) and not cells[j]:
                j += 1
            if j < len(cells) and to_simplified(cells[j]) not in _TABLE_KEYS:
                values.setdefault(key, cells[j])
    return values, list(range(start, end + 1))


def signoff(lines: list[str]) -> tuple[list[str], str]:
    """(issuers, ISO date) of a sign-off: issuer lines directly above a date line; at the end or in the front."""
    for block in (lines[-15:], lines[:60]):
        for i, line in enumerate(block):
            if not is_date_line(line):
                continue
            j, found = i - 1, list[str]()
            while j >= 0 and looks_like_org_line(block[j]):
                found = block[j].split() + found
                j -= 1
            if found:
                return found, iso_date(line)
    return [], ""


def _issuer_from_title(title: str) -> list[str]:
    """"某区市场监管局关于印发…的通知" → ["某区市场监管局"]."""
    head = to_simplified(title).split("关于", 1)[0]
    return split_issuers(head) if head and head != to_simplified(title) and looks_like_org_line(head) else []


_ADOPTED_BY = re.compile(r"([\u4e00-\u9fff]{2,12}?[省市区县州])第[一二三四五六七八九十百\d]+届"
                         r"(人民代表大会常务委员会|人民代表大会)第[一二三四五六七八九十百\d]+次(?:全体)?会议(?:通过|批准)")


def _issuer_from_adoption(head: list[str]) -> list[str]:
    """"（…某省第十三届人民代表大会常务委员会第三十次会议通过）" → ["某省人民代表大会常务委员会"]."""
    for line in head:
        m = _ADOPTED_BY.search(DATE_CN.sub(" ", to_simplified(line)))
        if m:
            return [m.group(1) + m.group(2)]
    return []


def _issuer_from_decree(number: str) -> list[str]:
    """"国务院令第735号" → ["国务院"]: a decree is signed by the body whose 令 it is."""
    m = re.match(r"^(?:中华人民共和国)?([\u4e00-\u9fff]{2,20}?)令", to_simplified(number))
    return [m.group(1)] if m else []


def split_issuers(value: str) -> list[str]:
    """"国务院办公厅、中央军委办公厅" (a metadata box names joint issuers in one cell) → one name each."""
    parts = [p for p in re.split(r"[、，,；;\s]+", value.strip()) if p]
    return parts if len(parts) > 1 and all(looks_like_org_line(p) for p in parts) else [value.strip()]


def _signed_decree_date(lines: list[str]) -> int | None:
    """The line holding a decree's date under or beside its signatory, as an index: "总理 李强" over
    "2021年7月27日", or both on one line ("总理 李克强  2021年7月27日")."""
    for i, line in enumerate(lines[:15]):
        if is_signatory_line(line) and i + 1 < len(lines) and is_date_line(lines[i + 1]):
            return i + 1
        dated = _SIGNED_ON.match(to_simplified(line.strip()))
        if dated and is_signatory_line(dated.group(1)) and is_date_line(dated.group(2)):
            return i
    return None


def _version_event(events: list[Event]) -> Event | None:
    """The date the text in hand dates from: its latest issue or revision, else its (first) adoption.

    "2004年10月13日 …常务会议通过" / "2004年10月20日 …令第422号公布" → the 公布; a local regulation
    "…通过" / "…批准" / "2019年12月27日 …修正" → the 修正; "…会议通过" alone → that day.
    """
    versions = [e for e in events if e.act in ISSUE_ACTS | REVISION_ACTS]
    if versions:
        return max(versions, key=lambda e: iso_date(e.date))
    return next((e for e in events if e.act == "通过"), None)


def _history_maker(events: list[Event]) -> str:
    """Who made the regulation: the body that issued it, else the one that adopted it (not the approving one)."""
    for acts in (ISSUE_ACTS, frozenset({"通过"}), REVISION_ACTS):
        maker = next((e.body for e in events if e.act in acts and e.body), "")
        if maker:
            return maker
    return ""


def _first_line_title(lines: list[str]) -> str:
    """The first line, when it reads as a heading: a file named by a slug ("shandong-2020-…") must not be titled
    by its file name because its title ends in a word the title list lacks ("…操作规程", "…工作指引")."""
    for line in lines[:3]:
        s = to_simplified(line.strip())
        if "|" in s or is_date_line(s) or is_doc_number_part(s):
            continue  # a metadata box row, a date, a 文号 above the title
        heading = 6 <= len(s) <= 80 and not _SENTENCE_PUNCT.search(s) and not starts_body(s) \
            and not looks_like_org_line(s) and not is_history_line(s) and not s.endswith(("：", ":"))
        return _MARKDOWN_HEADING.sub("", line).strip() if heading else ""
    return ""


def extract_meta(doc_id: str, lines: list[str], title_span: tuple[int, int] | None) -> DocMeta:
    """Best-effort metadata from the text alone (the catalog, when it has an entry, wins).

    ``sources`` says where each field came from ("text", "file name"), so an admin can trust or fix it.
    """
    head = "\n".join(lines[:40])
    table, _ = parse_meta_table(lines[:40])
    sources: dict[str, str] = {}
    title = title_text("".join(lines[title_span[0] : title_span[1]])) if title_span else table.get("title", "")
    if not title:
        # A covering notice names the document it issues (“《…》…现印发给你们”), a decree the one it promulgates
        # (“《…》已经…通过，现予公布” / “现发布《…》”).
        quoted = _ISSUED_DOC.search(head)
        title = (quoted.group(1) or quoted.group(2)) if quoted else ""
    title = title or _first_line_title(lines)
    sources["title"] = "text" if title else "file name"
    title = title or doc_id
    events = history(lines)
    number = table.get("doc_number", "")
    if not number or number in ("暂无", "无"):
        number = own_doc_number(lines) or ""
        if number:
            sources["doc_number"] = "text"
        elif number := next((e.number for e in events if e.number), ""):
            sources["doc_number"] = "history"  # "2021年7月30日 国家市场监督管理总局令第45号公布"
    else:
        sources["doc_number"] = "text"
    issuers = split_issuers(table["issuer"]) if table.get("issuer") else []
    found_issuers, signed = signoff(lines)
    issuers = issuers or found_issuers or _issuer_from_title(title)
    if not issuers and (issuers := _issuer_from_decree(number)):
        sources["issuers"] = sources["doc_number"]  # the body whose 令 it is, where the 令 was read
    if not issuers and (maker := _history_maker(events)):
        issuers, sources["issuers"] = [maker], "history"
    issuers = issuers or _issuer_from_adoption(lines[:15])
    date = iso_date(table.get("date", "")) or signed
    issued = bool(date)  # the day it was signed or issued, not the day a body adopted it
    if not date and (k := _signed_decree_date(lines)) is not None:
        date, issued, sources["date"] = iso_date(lines[k]), True, "decree"  # "总理 温家宝" / "二○○五年八月二十三日"
    if not date and (event := _version_event(events)):
        date, issued, sources["date"] = iso_date(event.date), event.act in ISSUE_ACTS, "history"
    if not date:  # a regulation: "（2022年1月5日某省人大常委会第三十次会议通过）", or a date under the title
        adopted = next((m for l in lines[:15] if (m := _ADOPTED.match(to_simplified(l)))), None)
        date = iso_date(adopted.group(1)) if adopted else next((iso_date(l) for l in lines[:15] if is_date_line(l)), "")
        issued = not adopted
    body = unicodedata.normalize("NFKC", "\n".join(to_simplified(l) for l in lines))
    effective = iso_date(table.get("effective_date", ""))
    if not effective and (start := next((e for e in events if e.act in ("施行", "实施")), None)):
        effective, sources["effective_date"] = iso_date(start.date), "history"  # "2021年9月1日 施行"
    if not effective and (m := _EFFECTIVE.search(body)):
        effective = iso_date(m.group(1))
    if not effective and issued and _EFFECTIVE_ON_ISSUE.search(body):
        effective = date  # "自印发之日起施行": in force from the day it was issued (unknown if only adopted)
    validity = f"{m.group(1)}年" if (m := _VALIDITY.search(body)) else ""
    until = iso_date(table.get("valid_until", ""))
    if not until and (m := _VALID_UNTIL.search(body)):
        until = iso_date(m.group(1) or m.group(2))
    repealed = iso_date(table.get("repealed_on", ""))
    label = m.group(1) if (m := _STATUS_LABEL.search(to_simplified(head))) else ""
    status = next((state for word, state in _STATED_STATES.items() if label.removeprefix("已").startswith(word)), "")
    for name, value in (("doc_number", number), ("issuers", issuers), ("date", date), ("effective_date", effective),
                        ("validity", validity), ("valid_until", until), ("repealed_on", repealed), ("status", status),
                        ("stated_status", label)):
        if value:
            sources.setdefault(name, "text")
    return DocMeta(doc_id=doc_id, title=title, issuers=issuers, doc_number=number, date=date,
                   effective_date=effective, validity=validity, valid_until=until, repealed_on=repealed,
                   status=status, stated_status=label, sources=sources)
