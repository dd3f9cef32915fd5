"""Main-content extraction on Chinese government pages: our whole-page walker, trafilatura, readability-lxml.

    python bench/html_extraction.py [DIR ...]      # default: the HTML fixtures under tests/fixtures/

Per page and extractor it prints how many of the gold items' opening words survive (policy text kept),
how many gold clutter strings remain (page chrome left in), and whether the 信息公开 metadata box rows
(文号, 成文日期 …) survive.  "product" is what ingest uses: trafilatura's block, trusted only when it keeps
every numbered line, plus the metadata box and the title.  readability-lxml is compared when installed
(``pip install readability-lxml==0.9``); it is not a dependency of the product.
"""
from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.readers.encoding import decode_bytes
from ingest.readers.html import _decode_html, _html_text, main_content
from ingest.readers.tables import is_metadata_row

REPO = Path(__file__).resolve().parent.parent


def norm(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def whole_page(markup: str) -> str:
    return _html_text(markup)


def trafilatura_only(markup: str) -> str:
    import trafilatura

    out = trafilatura.extract(markup, output_format="html", include_tables=True, favor_recall=True,
                              include_comments=False, include_images=False, include_links=False, deduplicate=False)
    return _html_text(out) if out else ""


def readability(markup: str) -> str:
    from readability import Document  # type: ignore[import-not-found]

    return _html_text(Document(markup).summary())


def product(markup: str) -> str:
    return main_content(markup, _html_text(markup))


def extractors() -> dict[str, Callable[[str], str]]:
    found: dict[str, Callable[[str], str]] = {"whole page": whole_page, "trafilatura": trafilatura_only}
    try:
        import readability as _  # type: ignore[import-not-found]  # noqa: F401

        found["readability"] = readability
    except ImportError:
        print("(readability-lxml not installed: pip install readability-lxml==0.9 to compare it)")
    found["product"] = product
    return found


def main() -> None:
    dirs = [Path(a) for a in sys.argv[1:]] or [REPO / "tests" / "fixtures"]
    pages = sorted(p for d in dirs for p in d.rglob("*") if p.suffix in (".html", ".htm", ".xhtml"))
    pages = [p for p in pages if Path(f"{p}.gold.json").is_file()]
    methods = extractors()
    print(f"{'page':44} {'extractor':12} {'items kept':>10} {'clutter left':>12} {'meta rows':>9}")
    for page in pages:
        gold = json.loads(Path(f"{page}.gold.json").read_text(encoding="utf-8"))
        markup = _decode_html(page.read_bytes()) if page.suffix != ".xhtml" else decode_bytes(page.read_bytes())
        box = [line for line in whole_page(markup).splitlines() if is_metadata_row(line)]
        for name, extract in methods.items():
            text = norm(extract(markup))
            kept = sum(norm(g["starts"]) in text for g in gold["items"])
            left = sum(norm(w) in text for w in gold.get("leaks", []))
            rows = sum(norm(r) in text for r in box)
            print(f"{page.name[:44]:44} {name:12} {kept:>5}/{len(gold['items']):<4} {left:>7}/{len(gold.get('leaks', [])):<4}"
                  f" {rows:>5}/{len(box)}")


if __name__ == "__main__":
    main()
