"""HTML → text: charset-aware decoding, paragraphs as lines, tables as rows, the site's chrome dropped."""
from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ingest.readers.base import UnreadableFileError
from ingest.readers.encoding import BOMS, decode_bytes, try_decode
from ingest.readers.limits import current_limits
from ingest.readers.tables import is_metadata_row, table_lines
from ingest.text.ladder import match_level
from ingest.text.script import to_simplified

if TYPE_CHECKING:
    from bs4 import Tag

_HTML_DROP = frozenset(
    {"script", "style", "nav", "header", "footer", "noscript", "iframe", "form", "head", "template", "svg"}
)
_HTML_BLOCKS = frozenset(
    {
        "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
        "thead", "tbody", "tfoot", "caption", "section", "article", "main", "aside", "blockquote",
        "pre", "address", "figure", "figcaption", "center", "hr", "body",
    }
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML collapses only these; &nbsp; / U+3000 are content


def _decode_html(data: bytes) -> str:
    """BOM beats <meta charset>, which beats guessing; GB2312/GBK labels are read as gb18030."""
    if any(data.startswith(bom) for bom, _ in BOMS):
        return decode_bytes(data)
    match = _META_CHARSET.search(data[:8192])
    if match:
        label = match.group(1).decode("ascii", "ignore").lower()
        if label in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "euc-cn"):
            label = "gb18030"  # pages labelled GB2312 routinely contain GBK-only characters
        elif label == "big5":
            label = "cp950"
        if (text := try_decode(data, label)) is not None:
            return text
    return decode_bytes(data)


def read_html(path: Path, data: bytes) -> str:
    current_limits().check_elements(path, data.count(b"<"))  # before a tree of millions of tags is built
    try:
        markup = _decode_html(data)
    except ValueError as exc:
        raise UnreadableFileError(path, "无法识别网页编码", f"undecodable HTML: {exc}") from exc
    full = _html_text(markup)
    if not full:
        raise UnreadableFileError(path, "网页中没有正文文字", "no text in HTML page")
    return main_content(markup, full)


def _html_text(markup: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "lxml")
    pieces: list[str] = []
    _html_walk(soup, pieces)
    lines = (line.strip(" \t") for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line.strip())


def main_content(markup: str, full: str) -> str:
    """The page's article, without the site's menus, widgets and footer.

    trafilatura (maintained, tuned on news and government sites) finds the main block; compared on
    Chinese government pages it keeps the 信息公开 metadata box and the attachment tables and drops
    navigation, share widgets, related links and the imprint, where readability-lxml drops the
    metadata box and keeps the widgets.  It is trusted only when it keeps every numbered line of the
    whole page and the page's title; otherwise the whole page's text is used (the text-level clutter
    trim in :mod:`ingest.clutter` still applies).
    """
    try:
        import trafilatura

        main_html = trafilatura.extract(markup, output_format="html", include_tables=True, favor_recall=True,
                                        include_comments=False, include_images=False, include_links=False,
                                        deduplicate=False)
    except Exception:  # a library bug on odd markup must not lose the document
        return full
    main = _html_text(main_html) if main_html else ""
    if not main:
        return full
    kept = set(main.splitlines())
    numbered = [line for line in full.splitlines() if match_level(to_simplified(line))]
    if any(line not in kept for line in numbered):
        return full
    # What trafilatura leaves out but the document needs: the metadata box and the article's own title.
    box = [line for line in full.splitlines() if is_metadata_row(line) and line not in kept]
    title = _page_title(markup)
    head = [title] if title and title not in main else []
    return "\n".join([*box, *head, main])


def _page_title(markup: str) -> str:
    """The article's title: its <h1>, else the page's <title> (site name and all; cleaning strips it)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "lxml")
    heading = soup.find("h1") or soup.find(class_=re.compile(r"(^|[-_])title$", re.IGNORECASE))
    if heading is not None and (text := _HTML_SPACE.sub(" ", heading.get_text()).strip()):
        return text
    tag = soup.find("title")
    text = _HTML_SPACE.sub(" ", tag.get_text()).strip() if tag is not None else ""
    # "<title>关于…的通知 - 某区人民政府</title>": the longest piece between the site separators.
    return max(re.split(r"\s+[-–—|]\s+|_|｜", text), key=len).strip() if text else ""


def _html_walk(node: object, out: list[str]) -> None:
    """Append text, with "\\n" at block boundaries so paragraphs survive as lines."""
    from bs4 import NavigableString, Tag
    from bs4.element import PreformattedString

    for child in getattr(node, "children", ()):
        if isinstance(child, PreformattedString):  # comments, doctype, CDATA
            continue
        if isinstance(child, NavigableString):
            out.append(_HTML_SPACE.sub(" ", str(child)))
            continue
        if not isinstance(child, Tag):
            continue
        name = (child.name or "").lower()
        if name in _HTML_DROP:
            continue
        if name == "br":
            out.append("\n")
        elif name == "table" and _is_layout_table(child):
            for cell in _direct_cells(child):  # a page frame: its cells hold paragraphs, not values
                out.append("\n")
                _html_walk(cell, out)
                out.append("\n")
        elif name == "table":
            rows: list[list[str]] = []
            header_cells = False
            for tr in child.find_all("tr"):
                if tr.find_parent("table") is not child:
                    continue  # a nested table's rows are read with that table
                cells = []
                for cell in tr.find_all(("td", "th"), recursive=False):
                    header_cells = header_cells or (cell.name == "th" and not rows)
                    parts: list[str] = []
                    _html_walk(cell, parts)
                    cells.append(_HTML_SPACE.sub(" ", "".join(parts)).strip())
                rows.append(cells)
            out.append("\n" + "\n".join(table_lines(rows, header_cells)) + "\n")
        elif name in _HTML_BLOCKS:
            out.append("\n")
            _html_walk(child, out)
            out.append("\n")
        else:
            _html_walk(child, out)


def _direct_cells(table: Tag) -> list[Tag]:
    """The table's own cells (not those of a table nested in one of them), in reading order."""
    return [cell for tr in table.find_all("tr") if tr.find_parent("table") is table
            for cell in tr.find_all(("td", "th"), recursive=False)]


def _is_layout_table(table: Tag) -> bool:
    """A table that frames the page rather than holding data: one column (older CMS pages — the gov.cn policy
    library among them — hold the whole article in one ``<td>``), or a cell that holds a table of its own or an
    article's worth of paragraphs (a menu cell beside a content cell).  Read as a row, its paragraphs would run
    together into one line and every numbered item would be lost."""
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    if not rows:
        return False
    if all(len(tr.find_all(("td", "th"), recursive=False)) <= 1 for tr in rows):
        return True
    total = len(table.get_text(strip=True))
    return any(cell.find("table") is not None or _is_article_cell(cell, total) for cell in _direct_cells(table))


_ARTICLE_BLOCKS = 3  # paragraphs in one cell …
_ARTICLE_SHARE = 0.5  # … holding most of the table's text: the article beside a menu, not one long value


def _is_article_cell(cell: Tag, table_chars: int) -> bool:
    blocks = cell.find_all(("p", "div", "h1", "h2", "h3", "h4", "li"))
    return len(blocks) >= _ARTICLE_BLOCKS and len(cell.get_text(strip=True)) >= _ARTICLE_SHARE * table_chars
