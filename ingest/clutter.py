"""Page clutter: the navigation above a scraped policy text and the site furniture after it.

A scraped government page carries its CMS chrome into the text: menus and breadcrumbs before the
title, then after the last item related links, 打印本页 / 关闭窗口, 扫一扫, the imprint (主办单位,
网站标识码, ICP备案) and the next article's title.  Left in place they become part of the first
and last clauses.  Only the two ends are trimmed, line by line, and a line is dropped only when it
looks like chrome: a clutter word (``wordlists/page_clutter.txt``), a breadcrumb, a link-list entry
(a title with a date), or a short fragment without a sentence.  A sign-off (issuer lines, the date,
（此件公开发布）), an attachment line, a 文号 or a numbered item stops the trim: nothing of the
policy itself is cut.
"""
from __future__ import annotations

import re
from functools import cache

from ingest.dates import is_date_line
from ingest.doc_number import is_doc_number_part
from ingest.metadata import is_title_line, looks_like_org_line, title_text
from ingest.promulgation import is_history_line
from ingest.text.ladder import match_level, starts_body
from ingest.text.script import search_form, to_simplified
from ingest.text.wordlists import load

SHORT = 12  # a line this short without a sentence is a menu entry or a widget label
_SENTENCE = re.compile(r"[。；;！？!?]")
_BREADCRUMB = re.compile(r"[>＞»›]|当前位置|您的位置|您现在的位置")
# The date a related-links entry ends with ("关于…的通知 2023-05-06", "…【2023年5月6日】").
LINK_DATE = re.compile(r"[\[【(（]?\s*(19|20)\d{2}[-./年]\d{1,2}[-./月]\d{1,2}日?\s*[\]】)）]?\s*$")
# The page's information box repeated under the text ("发布日期：2020-06-08", "信息来源：…"): at the end of the
# text it is the site's record, not the policy; a 文号 line there is the policy's own and stays.
_PAGE_INFO = re.compile(r"^(索引号|发布日期|发布时间|成文日期|生成日期|印发日期|公开日期|发布机构|发文机关|主题分类|信息来源|来源"
                        r"|有效性|是否有效|效力状态|时效性)\s*[:：]")
_KEEP = re.compile(r"^(附\s*[件表](?!下载)|[(（]此件|[(（]本文|抄送|印发|特此"
                   r"|发文字号|文号|索引号|成文日期|发布日期|发文机关|主题分类)")


@cache
def _clutter_words() -> tuple[str, ...]:
    return tuple(search_form(w) for w in load("page_clutter"))


def has_clutter_word(line: str) -> bool:
    s = search_form(line)
    return any(w in s for w in _clutter_words())


def is_link_entry(line: str) -> bool:
    """An entry of a related-links list: a document title, usually with its date."""
    stripped = LINK_DATE.sub("", line).strip(" ·•-—")
    dated = stripped != line.strip() and len(stripped) >= 6 and not _SENTENCE.search(stripped)
    return dated or is_title_line(line)


def protected(line: str) -> bool:
    """Part of the policy however short: a date, an attachment, a 文号, a numbered item, a table row, a line of a
    regulation's history ("1995年7月28日 国务院发布")."""
    s = to_simplified(line)
    return bool(is_date_line(line) or _KEEP.match(s) or is_doc_number_part(s) or match_level(s) or "|" in line
                or is_history_line(s))


def is_chrome(line: str, *, link_lists: bool = True, tail: bool = False) -> bool:
    """Does this line (at an end of the text) look like page chrome rather than policy text?"""
    if _SENTENCE.search(line) and len(line) > 40:
        return False  # a real sentence; widgets and menus are never this long
    if tail and "|" not in line and _PAGE_INFO.match(to_simplified(line)):
        return True
    if protected(line):
        return False
    if has_clutter_word(line) or _BREADCRUMB.search(line):
        return True
    if looks_like_org_line(line):
        return False  # an issuer of the sign-off ("新闻中心" in a menu has a clutter word above)
    if link_lists and is_link_entry(line):
        return True
    return len(line) <= SHORT and not _SENTENCE.search(line)


def trim_tail(lines: list[str]) -> list[str]:
    """Drop site furniture after the text's last line of policy."""
    end = len(lines)
    while end > 0 and is_chrome(lines[end - 1], tail=True):
        end -= 1
    return lines[:end]


def _content_like(line: str) -> bool:
    """What follows a real title: a 文号, a date, an addressee, a sentence, a numbered item, a dateline."""
    return bool(protected(line) or line.endswith(("：", ":")) or (_SENTENCE.search(line) and len(line) >= 20)
                or line.startswith(("（", "(")) or is_title_line(line))


def is_title_here(lines: list[str], i: int) -> bool:
    """A title-like line that content follows (a menu entry like "信息公开指南" is followed by more menu)."""
    if not is_title_line(title_text(lines[i])):
        return False
    return any(_content_like(nxt) for nxt in lines[i + 1 : i + 3])


def trim_head(lines: list[str]) -> list[str]:
    """Drop navigation above the title: menus, breadcrumbs, dated link lists, widget labels."""
    start = 0
    while start < len(lines):
        line = lines[start]
        if LINK_DATE.search(line) and not protected(line) and not _SENTENCE.search(line):
            start += 1  # "关于…的通知 2023-05-06": an entry of a latest-documents box
            continue
        if is_title_here(lines, start):
            break
        nxt = lines[start + 1] if start + 1 < len(lines) else ""
        site_name = looks_like_org_line(line) and is_chrome(nxt, link_lists=False) and not _content_like(nxt)
        if not is_chrome(line, link_lists=False) and not (is_title_line(line) and len(line) <= SHORT) and not site_name:
            break  # policy text, or a long title-like line (kept even when nothing content-like follows)
        start += 1
    return drop_widgets_above_title(lines[start:])


HEAD_SCAN = 40  # the title of a page stands within its first lines


def drop_widgets_above_title(lines: list[str]) -> list[str]:
    """Widget lines (扫一扫在手机打开当前页, 下载地址 …) in a page's head, up to the first numbered item.

    The prefix trim stops at the metadata box or the first title line (their words are the policy's), but pages
    put widgets right after the box, between repeated titles, above the decree head; a line there with a
    clutter word and no sentence is chrome.
    """
    titled = any("|" not in lines[i] and is_title_here(lines, i) for i in range(min(len(lines), HEAD_SCAN)))
    if not titled:
        return lines
    body = next((i for i, line in enumerate(lines) if starts_body(to_simplified(line))), len(lines))
    return [line for i, line in enumerate(lines) if i >= body or is_title_line(title_text(line))
            or not (has_clutter_word(line) and is_chrome(line, link_lists=False))]
