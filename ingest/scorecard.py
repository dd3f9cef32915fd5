"""How well ingest reads files it has never seen: parsed documents scored against hand-made gold.

Each fixture ``<name>`` (``tests/fixtures/ingest``) has a gold file ``<name>.gold.json``::

    {"title", "doc_number", "date", "issuers", "effective_date", ["validity"],
     "items": [{"label": "一（二）3", "starts": "text right after the numeral"}, …],   # every numbered clause, in order
     "continuations": [{"label": "二（一）", "text": "snippet of the paragraph that closes 二（一）"}],
     "inline": ["一是… snippet that stays inside its clause"],
     "leaks": ["page clutter that no clause may contain"],
     "keep": ["sign-off lines that must survive in some clause"],
     "tables": [{"contains": ["列名：值", …]}]}                                       # all within one clause

Gold conventions: a heading with no text of its own (``第一章 总则``, ``二、重点任务`` followed by ``（一）``) is no
item, unless a paragraph after its sub-list closes it — then that paragraph is its text; labels inside an
attachment carry ``附件N `` in front; ``title``/``doc_number``/``date`` describe the file's own first document
(a covering notice's title, 文号 and sign-off date, 成文日期 rather than 发布日期); ``effective_date`` is the
施行日期 stated (自印发之日起施行 → the date); ``validity`` is 有效期 as stated ("5年") or "".

Scores per document: item recall (gold labels among the numbered clauses: kind item/section, or a clause of
an attachment labelled ``附件1 一、``), label accuracy (the clause
whose text carries an item's ``starts`` has exactly its label), fake items (item/section labels not in the
gold), leaks (gold strings plus :data:`GENERIC_LEAKS` found in any clause), continuations (snippet in the
clause with the gold label), inline enumerations kept, table rows kept, sign-off kept, and metadata per field
(exact after NFKC, removing whitespace and folding to simplified script; issuers as a set; ``validity`` only
when the model has that field).  Pure: files in, scores out; no index.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ingest.documents import ParsedDocument, parse_document
from ingest.models import DocMeta
from ingest.readers import SUPPORTED_SUFFIXES
from ingest.text.script import to_simplified

GOLD_SUFFIX = ".gold.json"
META_FIELDS: tuple[str, ...] = ("title", "doc_number", "date", "issuers", "effective_date", "validity")
ITEM_KINDS = frozenset({"item", "section"})
_ATTACHMENT_HEAD = re.compile(r"^附[件表](?:列表|\s*\d*(?:-\d+)?)$")  # an attachment head or list, not an item
# Page chrome that never belongs to a policy text, whatever the gold says (matched in simplified script).
GENERIC_LEAKS: tuple[str, ...] = (
    "打印本页", "关闭窗口", "扫一扫", "版权所有", "主办单位", "承办单位", "网站标识码", "ICP备", "公网安备",
    "网站地图", "当前位置", "浏览次数", "阅读次数", "分享到", "相关链接", "相关阅读", "上一篇", "下一篇", "返回顶部",
)


def norm(text: str) -> str:
    """NFKC, no whitespace: the form every comparison here uses."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass
class Unit:
    """One clause with its parts joined (a long clause is stored as several parts sharing a label)."""

    label: str
    kind: str
    text: str  # normalised


@dataclass
class DocScore:
    file: str
    error: str = ""
    items_gold: int = 0
    items_found: int = 0  # gold labels present among item/section clauses
    labels_right: int = 0  # gold items whose text sits in a clause with exactly the gold label
    fake_items: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)  # "string @ label"
    continuations_gold: int = 0
    continuations_right: int = 0
    inline_gold: int = 0
    inline_kept: int = 0
    tables_gold: int = 0
    tables_kept: int = 0
    keep_gold: int = 0
    keep_found: int = 0
    meta: dict[str, bool] = field(default_factory=dict)  # field → right (fields the gold and the model both have)
    meta_got: dict[str, Any] = field(default_factory=dict)
    meta_want: dict[str, Any] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)  # one human-readable line per failed check

    @property
    def item_recall(self) -> float | None:
        return _ratio(self.items_found, self.items_gold)

    @property
    def label_accuracy(self) -> float | None:
        return _ratio(self.labels_right, self.items_gold)

    @property
    def continuation_accuracy(self) -> float | None:
        return _ratio(self.continuations_right, self.continuations_gold)

    @property
    def inline_accuracy(self) -> float | None:
        return _ratio(self.inline_kept, self.inline_gold)

    @property
    def table_accuracy(self) -> float | None:
        return _ratio(self.tables_kept, self.tables_gold)

    @property
    def keep_accuracy(self) -> float | None:
        return _ratio(self.keep_found, self.keep_gold)

    @property
    def meta_accuracy(self) -> float | None:
        return _ratio(sum(self.meta.values()), len(self.meta))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.update(item_recall=self.item_recall, label_accuracy=self.label_accuracy,
                 continuation_accuracy=self.continuation_accuracy, inline_accuracy=self.inline_accuracy,
                 table_accuracy=self.table_accuracy, keep_accuracy=self.keep_accuracy, meta_accuracy=self.meta_accuracy)
        return d


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def units_of(parsed: ParsedDocument) -> list[Unit]:
    """Clauses in reading order, parts of one clause joined."""
    out: list[Unit] = []
    for c in parsed.clauses:
        if out and c.part > 1 and out[-1].label == c.item and out[-1].kind == c.kind:
            out[-1].text += norm(c.text)
        else:
            out.append(Unit(c.item, c.kind, norm(c.text)))
    return out


def is_item(unit: Unit) -> bool:
    """A numbered clause: an item or section, or a numbered clause inside an attachment (``附件1 一、``)."""
    return unit.kind in ITEM_KINDS or (unit.kind == "attachment" and not _ATTACHMENT_HEAD.match(unit.label))


def _meta_value(field_name: str, value: Any) -> Any:
    """Compared in simplified script: a Big5 file's 文号 is the same fact in either script."""
    if field_name == "issuers":
        return sorted({to_simplified(norm(v)) for v in value or []})
    return to_simplified(norm(str(value or "")))


def score_parsed(name: str, parsed: ParsedDocument, gold: dict[str, Any]) -> DocScore:
    """Score one parsed document against its gold."""
    s = DocScore(file=name)
    units = units_of(parsed)
    items = [u for u in units if is_item(u)]
    item_labels = {u.label for u in items}
    gold_items = gold.get("items", [])
    gold_labels = {g["label"] for g in gold_items}

    s.items_gold = len(gold_items)
    for g in gold_items:
        label, starts = g["label"], norm(g["starts"])
        if label in item_labels:
            s.items_found += 1
        else:
            s.misses.append(f"missing item {label}")
        # The clause that carries the item's opening words: where they come earliest (a child may repeat
        # its parent's title in front of its own text, never the other way round).
        hits = [(u.text.find(starts), k, u) for k, u in enumerate(units) if u.kind != "docinfo" and starts in u.text]
        if not hits:
            s.misses.append(f"text of {label} not found: {g['starts']}")
            continue
        _, _, best = min(hits, key=lambda h: (h[0], h[1]))
        # Words that recur verbatim in another item (“（二）《许可证》正、副本；” under two articles) prove
        # nothing about which clause is which: the item is right when one clause opening with them has its label.
        best = next((u for p, _, u in hits if u.label == label and p == best.text.find(starts)), best)
        if best.label == label:
            s.labels_right += 1
        else:
            s.misses.append(f"{label} labelled {best.label} ({best.kind}): {g['starts']}")

    s.fake_items = [u.label for u in items if u.label not in gold_labels]
    s.misses.extend(f"fake item {label}" for label in s.fake_items)

    leak_words = list(dict.fromkeys([*gold.get("leaks", []), *GENERIC_LEAKS]))
    for word in leak_words:
        w = to_simplified(norm(word))
        for u in units:
            if w and w in to_simplified(u.text):
                s.leaks.append(f"{word} @ {u.label}")
                break
    s.misses.extend(f"leak {leak}" for leak in s.leaks)

    by_label: dict[str, str] = {}
    for u in items:
        by_label[u.label] = by_label.get(u.label, "") + u.text
    for c in gold.get("continuations", []):
        s.continuations_gold += 1
        if norm(c["text"]) in by_label.get(c["label"], ""):
            s.continuations_right += 1
        else:
            where = next((u.label for u in units if norm(c["text"]) in u.text), "nowhere")
            s.misses.append(f"continuation of {c['label']} is in {where}: {c['text']}")

    for snippet in gold.get("inline", []):
        s.inline_gold += 1
        t = norm(snippet)
        if any(t in u.text and not u.text.startswith(t) and u.label in gold_labels for u in items):
            s.inline_kept += 1
        else:
            s.misses.append(f"inline enumeration split off or lost: {snippet}")

    for table in gold.get("tables", []):
        s.tables_gold += 1
        cells = [norm(c) for c in table["contains"]]
        if any(all(c in u.text for c in cells) for u in units):
            s.tables_kept += 1
        else:
            s.misses.append(f"table row not kept as 列名：值 in one clause: {'；'.join(table['contains'])}")

    for line in gold.get("keep", []):
        s.keep_gold += 1
        if any(norm(line) in u.text for u in units if u.kind != "docinfo"):
            s.keep_found += 1
        else:
            s.misses.append(f"lost: {line}")

    for f in META_FIELDS:
        if f not in gold or not hasattr(parsed.meta, f):
            continue  # a field the gold does not state, or the model does not have yet
        want, got = _meta_value(f, gold[f]), _meta_value(f, getattr(parsed.meta, f))
        s.meta[f] = want == got
        s.meta_want[f], s.meta_got[f] = gold[f], getattr(parsed.meta, f)
        if want != got:
            s.misses.append(f"{f}: want {gold[f]!r}, got {getattr(parsed.meta, f)!r}")
    return s


def score_file(path: Path, gold: dict[str, Any]) -> DocScore:
    """Parse one file and score it; a file that fails to parse scores zero everywhere."""
    path = Path(path)
    try:
        parsed = parse_document(path)
    except Exception as exc:  # a report: one broken file must not hide the others' scores
        s = DocScore(file=path.name, error=f"{type(exc).__name__}: {exc}")
        s.items_gold = len(gold.get("items", []))
        s.continuations_gold = len(gold.get("continuations", []))
        s.inline_gold = len(gold.get("inline", []))
        s.tables_gold = len(gold.get("tables", []))
        s.keep_gold = len(gold.get("keep", []))
        s.meta = {f: False for f in META_FIELDS if f in gold and f in DocMeta.model_fields}
        s.misses.append(f"parse failed: {s.error}")
        return s
    return score_parsed(path.name, parsed, gold)


def gold_path(path: Path) -> Path:
    return path.with_name(path.name + GOLD_SUFFIX)


def fixture_files(directory: Path) -> list[Path]:
    """The policy files of a fixture directory (every supported suffix), sorted."""
    return sorted(p for p in Path(directory).iterdir()
                  if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.endswith(GOLD_SUFFIX))


def load_gold(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(gold_path(path).read_text(encoding="utf-8"))
    return data


def score_dir(directory: Path) -> list[DocScore]:
    """Score every file that has a gold file beside it."""
    return [score_file(p, load_gold(p)) for p in fixture_files(directory) if gold_path(p).exists()]


# --------------------------------------------------------------------------- totals and the printed report

def totals(scores: Iterable[DocScore]) -> dict[str, Any]:
    """Micro-averaged figures over documents, plus metadata accuracy per field."""
    ss = list(scores)

    def ratio(num: str, den: str) -> float | None:
        return _ratio(sum(getattr(s, num) for s in ss), sum(getattr(s, den) for s in ss))

    per_field: dict[str, float | None] = {}
    for f in META_FIELDS:
        marks = [s.meta[f] for s in ss if f in s.meta]
        per_field[f] = _ratio(sum(marks), len(marks))
    meta_marks = [v for s in ss for v in s.meta.values()]
    return {
        "documents": len(ss),
        "errors": sum(bool(s.error) for s in ss),
        "item_recall": ratio("items_found", "items_gold"),
        "label_accuracy": ratio("labels_right", "items_gold"),
        "fake_items": sum(len(s.fake_items) for s in ss),
        "leaks": sum(len(s.leaks) for s in ss),
        "documents_with_leaks": sum(bool(s.leaks) for s in ss),
        "continuation_accuracy": ratio("continuations_right", "continuations_gold"),
        "inline_accuracy": ratio("inline_kept", "inline_gold"),
        "table_accuracy": ratio("tables_kept", "tables_gold"),
        "keep_accuracy": ratio("keep_found", "keep_gold"),
        "meta_accuracy": _ratio(sum(meta_marks), len(meta_marks)),
        "meta_fields": per_field,
    }


def _f(x: float | None) -> str:
    return "   -" if x is None else f"{x:4.2f}"


_SHORT = {"title": "title", "doc_number": "docno", "date": "date", "issuers": "issuer", "effective_date": "eff",
          "validity": "valid"}
HEADER = f"{'file':52} {'recall':>6} {'labels':>6} {'fake':>4} {'leaks':>5} {'cont':>4} {'inline':>6} {'table':>5} " \
         f"{'keep':>4} {'meta':>4}  wrong metadata"


def format_row(s: DocScore) -> str:
    wrong = ",".join(_SHORT[f] for f, ok in s.meta.items() if not ok)
    if s.error:
        wrong = f"PARSE ERROR {s.error}"
    return (f"{s.file[:52]:52} {_f(s.item_recall):>6} {_f(s.label_accuracy):>6} {len(s.fake_items):>4} {len(s.leaks):>5} "
            f"{_f(s.continuation_accuracy):>4} {_f(s.inline_accuracy):>6} {_f(s.table_accuracy):>5} "
            f"{_f(s.keep_accuracy):>4} {_f(s.meta_accuracy):>4}  {wrong}")


def format_report(scores: list[DocScore], details: bool = False) -> str:
    """One row per document, then the total line and metadata accuracy per field."""
    t = totals(scores)
    lines = [HEADER]
    for s in scores:
        lines.append(format_row(s))
        if details:
            lines.extend(f"    - {m}" for m in s.misses)
    lines.append(
        f"{'TOTAL (' + str(t['documents']) + ' documents, ' + str(t['errors']) + ' unreadable)':52} "
        f"{_f(t['item_recall']):>6} {_f(t['label_accuracy']):>6} {t['fake_items']:>4} {t['leaks']:>5} "
        f"{_f(t['continuation_accuracy']):>4} {_f(t['inline_accuracy']):>6} {_f(t['table_accuracy']):>5} "
        f"{_f(t['keep_accuracy']):>4} {_f(t['meta_accuracy']):>4}  leaks in {t['documents_with_leaks']} documents")
    lines.append("metadata per field: " + "  ".join(f"{_SHORT[f]} {_f(v).strip()}" for f, v in t["meta_fields"].items()))
    return "\n".join(lines)


def report_json(scores: list[DocScore]) -> dict[str, Any]:
    return {"documents": [s.to_dict() for s in scores], "total": totals(scores)}
