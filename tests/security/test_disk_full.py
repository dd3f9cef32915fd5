"""A full disk gives one clear line and a nonzero exit from every command, and leaves nothing
half-written active (issue 25, item 6).

The data directory lives on a tmpfs of a few MB mounted for this module (needs root; skipped
otherwise), holding a copy of the shipped index; a filler file takes the rest of the space.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui_fixtures import REPO, app_env

pytestmark = pytest.mark.integration

DISK_MB = 6
FULL = "磁盘空间已满"


@pytest.fixture(scope="module")
def small_disk(tmp_path_factory, shipped_index) -> Iterator[Path]:
    mount = tmp_path_factory.mktemp("small-disk")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_MB}m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip()}")
    try:
        shipped_index.copy_to(mount / "data")
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, leave_kb: int) -> None:
    """Take all free space of ``disk`` but ``leave_kb`` KB."""
    filler = disk / "filler"
    filler.unlink(missing_ok=True)
    free_kb = shutil.disk_usage(disk).free // 1024
    with filler.open("wb") as fh:
        for _ in range(max(free_kb - leave_kb, 0) // 64):
            fh.write(b"\0" * 65536)
        fh.flush()


def cli(disk: Path, *args: str) -> subprocess.CompletedProcess:
    env = app_env(disk / "data")
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=600)


def big_document(path: Path, items: int = 800) -> Path:
    lines = ["测试市大文件办法"] + [f"第{i}条 测试条款{i}：企业质量提升第{i}项措施由市场监管部门负责组织实施，按季度报告进展。"
                                    for i in range(1, items + 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_ingest_on_a_nearly_full_disk_stops_clearly_and_activates_nothing(small_disk: Path, tmp_path: Path) -> None:
    doc = big_document(tmp_path / "disk-full-big.txt")
    fill(small_disk, leave_kb=400)
    done = cli(small_disk, "ingest", str(doc), "--quiet")
    assert done.returncode == 4, (done.returncode, done.stderr[-2000:])
    assert FULL in done.stderr and "Traceback" not in done.stderr, done.stderr[-2000:]
    (small_disk / "filler").unlink()
    docs = cli(small_disk, "docs")
    assert docs.returncode == 0, docs.stderr[-2000:]
    assert "tianjin-2022-qi-private-enterprises" in docs.stdout and "disk-full-big" not in docs.stdout
    found = cli(small_disk, "show", "天津实施意见第15条")
    assert found.returncode == 0 and "15" in found.stdout, found.stderr[-2000:]


@pytest.mark.parametrize("args,writes", [
    (("ask", "天津有没有定期跟踪分析民营企业的经营状况？"), False), (("docs",), False), (("search", "首席质量官"), False),
    (("remove", "tianjin-2022-qi-private-enterprises"), True), (("rebuild",), True),
    (("meta", "tianjin-2022-qi-private-enterprises", "--region", "天津"), True)])
def test_every_command_on_a_full_disk_says_so(small_disk: Path, args: tuple[str, ...], writes: bool) -> None:
    fill(small_disk, leave_kb=0)
    try:
        done = cli(small_disk, *args)
    finally:
        (small_disk / "filler").unlink()
    assert "Traceback" not in done.stderr, (args, done.stderr[-2000:])
    if writes or done.returncode != 0:  # a read may still be served from what is on disk
        assert done.returncode != 0 and FULL in done.stderr, (args, done.returncode, done.stderr[-2000:])
    if writes:  # and the library is as it was
        docs = cli(small_disk, "docs")
        assert "tianjin-2022-qi-private-enterprises" in docs.stdout, docs.stderr[-2000:]


def test_the_app_does_not_start_on_a_full_disk(small_disk: Path) -> None:
    fill(small_disk, leave_kb=0)
    try:
        env = app_env(small_disk / "data")
        done = subprocess.run([sys.executable, str(REPO / "app.py"), "--port", "0"], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=600)
    finally:
        (small_disk / "filler").unlink()
    assert done.returncode == 4, done.stderr[-2000:]
    assert FULL in done.stderr and "Traceback" not in done.stderr


def test_a_log_write_on_a_full_disk_leaves_no_torn_line(small_disk: Path) -> None:
    from bot.service.logs import BoundedLog

    log = BoundedLog(small_disk / "data" / "feedback-full.jsonl", 1 << 20)
    assert log.append({"comment": "第一条"})
    size = log.path.stat().st_size
    fill(small_disk, leave_kb=0)
    try:
        with pytest.raises(OSError):
            for _ in range(1000):
                log.append({"comment": "评" * 290})
    finally:
        (small_disk / "filler").unlink()
    assert log.path.stat().st_size >= size
    assert all(line.endswith("}") for line in log.path.read_text(encoding="utf-8").splitlines())


def test_an_upload_on_a_full_disk_says_so_and_leaves_nothing(small_disk: Path, tmp_path: Path) -> None:
    from gradio_client import handle_file

    from tests.ui_fixtures import OUTPUT_DIR, admin_client, make_docx, start_app_process, stop_app_process

    proc, _, admin_url = start_app_process(small_disk / "data", OUTPUT_DIR / "disk-full-app.log",
                                           extra_env={"GRADIO_TEMP_DIR": str(tmp_path / "gradio")})
    try:
        doc = make_docx(tmp_path / "full-disk-upload.docx", "测试市满盘办法",
                        ["第一条 满盘测试条款由市场监管部门负责。" * 40, "第二条 其他事项另行规定。"])
        admin = admin_client(admin_url)
        fill(small_disk, leave_kb=0)
        try:
            out = admin.predict([handle_file(str(doc))], False, api_name="/upload")
        finally:
            (small_disk / "filler").unlink()
        row = out[0]["data"][0]
        assert row[1] != "新增" and FULL in " ".join(map(str, row)), row
        uploads = small_disk / "data" / "uploads"
        assert not uploads.exists() or not any(uploads.iterdir()), list(uploads.iterdir())
        docs = admin.predict(api_name="/documents")["data"]
        assert not any("full-disk-upload" in str(r) for r in docs)
    finally:
        stop_app_process(proc)
