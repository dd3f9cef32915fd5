"""An upload before it is indexed (bot/service/uploads.py): a safe name, a refusal that says why, a free
name, what replacing changes, and a copy that leaves no half-written or rejected file behind."""
from __future__ import annotations

import pytest

from bot.service.uploads import clause_diff, diff_text, free_name, place_upload, safe_filename, upload_refusal
from tests.unit.handmade import all_parts

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("given,safe", [
    ("../../etc/passwd", "passwd"), ("C:\\Users\\a\\政策.docx", "政策.docx"), (".hidden.txt", "hidden.txt"),
    ('a<b>:"c"|?*.md', "a_b___c____.md"), ("\x00\x1f", "upload.txt"), ("", "upload.txt"), ("x" * 200, "x" * 120),
])
def test_safe_filename(given, safe):
    assert safe_filename(given) == safe


def test_upload_refusal_says_why():
    assert upload_refusal("a.txt", 10, 100) is None
    assert upload_refusal("a.txt", 2048, 1024) == "跳过 a.txt：文件过大（2 KB，上限 1 KB）"
    assert ".docx" in (upload_refusal("a.doc", 10, 100) or "")  # legacy Word: says to save as .docx


def test_free_name_skips_ids_indexed_or_on_disk(tmp_path):
    (tmp_path / "doc.txt").write_text("x")
    (tmp_path / "doc-2.md").write_text("x")
    assert free_name(tmp_path / "doc.txt", taken={"doc-3"}).name == "doc-4.txt"


def test_clause_diff_counts_by_item():
    old = all_parts()
    new = [c.model_copy(update={"text": c.text + "（修订）"}) if c.item == "二3" else c for c in old if c.item != "三6"]
    new.append(old[-1].model_copy(update={"item": "四、", "clause_id": "x:四、"}))
    diff = clause_diff(old, new)
    assert diff == {"added": 1, "removed": 1, "changed": 1}
    assert diff_text(diff) == "新增 1 条、删除 1 条、修改 1 条"


def test_place_upload_keeps_an_accepted_file_and_removes_a_rejected_one(tmp_path):
    source = tmp_path / "in.txt"
    source.write_text("新内容", encoding="utf-8")
    target = tmp_path / "uploads" / "doc.txt"
    target.parent.mkdir()
    seen = []
    place_upload(source, target, lambda p: seen.append(p.read_text(encoding="utf-8")) or True)
    assert seen == ["新内容"] and target.read_text(encoding="utf-8") == "新内容"
    assert sorted(p.name for p in target.parent.iterdir()) == ["doc.txt"]  # no .part, no .previous left

    source.write_text("被拒绝的内容", encoding="utf-8")
    place_upload(source, target, lambda p: False)
    assert target.read_text(encoding="utf-8") == "新内容"  # the replaced upload's file is back
    assert sorted(p.name for p in target.parent.iterdir()) == ["doc.txt"]

    fresh = tmp_path / "uploads" / "new.txt"
    place_upload(source, fresh, lambda p: False)
    assert not fresh.exists()  # a rejected new file never comes back on rebuild
