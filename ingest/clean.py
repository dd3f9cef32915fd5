"""Text cleaning: the display form of a document (original script, noise removed).

Web scrapes of policy texts carry three kinds of noise that break search and citations:
pinyin glued after characters (``貿(mào)易``), site boilerplate (copyright notes, navigation bullets,
``相关阅读``, obfuscated mail lines), and metadata tables.  The display text keeps the author's
characters and punctuation; the search form (:mod:`ingest.text.script`) is only used to spot
repeated paragraphs.
"""
from __future__ import annotations

import re

from ingest.clutter import LINK_DATE, trim_head, trim_tail
from ingest.readers.tables import pipe_tables
from ingest.text.script import search_form

_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
# A pinyin syllable: optional initial, a vowel cluster, optional nasal/retroflex final.
_SYLLABLE = rf"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?[aeiouv{_TONE}]+(?:ng|n|r)?"
_PINYIN_GLUE = re.compile(rf"(?<=[\u3400-\u9fff])[(（]({_SYLLABLE})[)）]")

_BOILERPLATE_LINE = re.compile(
    r"""^(
        [•·▪●◆■]\s*.*                                  # navigation bullets / contact lines
      | [①②③④⑤⑥⑦⑧⑨⑩※].*(本网|版权|转载|邮箱|信息来源|QQ).*  # copyright footers
      | .*(版权所有|版權所有|Copyright|©|All\s+Rights\s+Reserved).*
      | .*\#.*换成@.* | .*\#.*換成@.*                   # mail obfuscation
      | .*(邮箱|郵箱|E-?mail)\s*[:：].*
      | (服务|服務|联系|聯繫)?(电话|電話|传真|傳真)\s*[:：]?\s*[\d\-\s()（）]{7,}.*
      | (信息)?(来源|來源)\s*[:：].*(发布时间|發布時間|发布日期|發布日期|阅读次数|閱讀次數).*
      | .*(阅读次数|閱讀次數|浏览次数|瀏覽次數|点击数|點擊數|访问次数|訪問次數)\s*[:：].*
      | [-*_=━─—~·]{3,}                                 # a rule line (markdown ---, 版记 ━━━)
      | (打印本页|打印本頁|关闭窗口|關閉窗口|返回顶部|返回頂部|分享到)\s*.*
      | (上一篇|下一篇)\s*[:：].*
      | <!--.*-->                                       # a markdown file's HTML comment (never displayed)
    )$""",
    re.VERBOSE | re.IGNORECASE,
)
# Everything after one of these lines is a list of links to other pages.
_TAIL_MARKER = re.compile(r"^(相关阅读|相關閱讀|相关链接|相關鏈接|相关文章|相關文章|相关新闻|相關新聞|延伸阅读|相关文件|相關文件"
                         r"|相关稿件|相關稿件|相关政策|相關政策)\s*[:：]?\s*$")
# A news headline that a site puts above the real title (“…联合发布《…》”).
_HEADLINE = re.compile(r"^.{0,40}(联合|聯合)?(印发|印發|发布|發布|出台)《.+》\s*$")


_MARKDOWN = re.compile(r"^#{1,6}\s+|^>\s+")  # heading and quote markers of a .md file
_EMPHASIS = re.compile(r"\*\*|__")


def strip_markdown(line: str) -> str:
    """``## 一、总体要求`` → ``一、总体要求``; ``**加粗**`` → ``加粗``: the ladder must see the numeral first."""
    return _EMPHASIS.sub("", _MARKDOWN.sub("", line))


def tab_row(line: str) -> str:
    """A row copied out of a Word/Excel table has its cells separated by tabs: keep them apart as ``a | b``."""
    cells = [c.strip() for c in line.split("\t") if c.strip()]
    if len(cells) < 2 or LINK_DATE.fullmatch(cells[-1]):
        return line  # "title<TAB>2023-07-12": an entry of a related-links list, not a table row
    return " | ".join(cells)


def strip_pinyin(text: str) -> str:
    """Remove pinyin annotations glued after a character; ``(一)``, ``(云南)``, ``(TISC)`` stay."""
    return _PINYIN_GLUE.sub("", text)


def normalize_space(line: str) -> str:
    """Collapse runs of (also full-width / non-breaking) spaces; strip the ends."""
    line = line.replace("\u3000", " ").replace("\xa0", " ").replace("\u200b", "")
    return re.sub(r"[ \t]+", " ", line).strip()


# A page's byline: "作者:法律资料网 时间:2024-07-22 浏览:8464 来源:法律资料网" — two or more of these fields, no sentence.
_BYLINE_FIELD = re.compile(r"(?<![文布新])(作者|时间|来源|來源|浏览|瀏覽|阅读|閱讀|点击|點擊|发布时间|發布時間|发布日期|更新时间"
                           r"|编辑|編輯|字号|字號)\s*[:：]")


def is_boilerplate(line: str) -> bool:
    return bool(_BOILERPLATE_LINE.match(line)) or ("|" not in line and len(_BYLINE_FIELD.findall(line)) >= 2
                                                   and not re.search(r"[。；;]", line))


def clean_lines(raw: str) -> list[str]:
    """Raw document text → list of meaningful lines in the original script.

    Drops blank lines, boilerplate, link lists after ``相关阅读``, site headlines above the title,
    repeated paragraphs (scrapes often repeat the abstract above and below a metadata table) and the
    page's navigation and furniture at both ends (:mod:`ingest.clutter`).
    """
    out: list[str] = []
    seen: set[str] = set()
    for raw_line in raw.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        raw_line = tab_row(raw_line)
        line = normalize_space(strip_markdown(strip_pinyin(raw_line).strip()))
        if not line:
            continue
        if _TAIL_MARKER.match(line):
            break
        if is_boilerplate(line):
            continue
        if not out and _HEADLINE.match(line):
            continue
        key = search_form(line)
        if len(line) > 20 and key in seen:
            continue
        seen.add(key)
        out.append(line)
    return pipe_tables(trim_tail(trim_head(out)))
