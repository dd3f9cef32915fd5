"""``bot.answer.local_llm``: model assembly on tiny fake parts (no 1 GB model, no llama_cpp needed)."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from bot.answer import local_llm
from bot.answer.local_llm import ModelAssemblyError, assemble_model

pytestmark = pytest.mark.unit

NAME = "model.gguf"


def _parts(tmp_path: Path, chunks: list[bytes]) -> list[Path]:
    src = tmp_path / "parts"
    src.mkdir()
    paths = []
    for i, data in enumerate(chunks, 1):
        p = src / f"part{i}.bin"
        p.write_bytes(data)
        paths.append(p)
    return paths


CHUNKS = [b"GGUF" + b"a" * 1000, b"b" * 7, b"", b"c" * 5000]
WHOLE = b"".join(CHUNKS)
SHA = hashlib.sha256(WHOLE).hexdigest()


def _assemble(target: Path, parts: list[Path], **kw) -> Path:
    kw = {"expected_size": len(WHOLE), "expected_sha256": SHA, "filename": NAME, **kw}
    return assemble_model(target, parts, **kw)


def _leftovers(target: Path) -> list[str]:
    return sorted(p.name for p in target.iterdir() if p.name != NAME) if target.exists() else []


def test_concatenates_parts_in_order(tmp_path: Path) -> None:
    target = tmp_path / "models"
    out = _assemble(target, _parts(tmp_path, CHUNKS))
    assert out == target / NAME
    assert out.read_bytes() == WHOLE
    assert _leftovers(target) == []  # temp file renamed, nothing left behind


def test_small_chunks_are_streamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local_llm, "_CHUNK", 3)  # parts larger than one read still join correctly
    out = _assemble(tmp_path / "models", _parts(tmp_path, CHUNKS))
    assert out.read_bytes() == WHOLE


def test_wrong_size_raises_and_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "models"
    with pytest.raises(ModelAssemblyError, match="字节"):
        _assemble(target, _parts(tmp_path, CHUNKS), expected_size=len(WHOLE) + 1)
    assert not (target / NAME).exists()
    assert _leftovers(target) == []


def test_wrong_hash_raises_and_cleans_up(tmp_path: Path) -> None:
    target = tmp_path / "models"
    with pytest.raises(ModelAssemblyError, match="SHA-256"):
        _assemble(target, _parts(tmp_path, CHUNKS), expected_sha256="0" * 64)
    assert not (target / NAME).exists()
    assert _leftovers(target) == []


def test_parts_out_of_order_fail_the_hash(tmp_path: Path) -> None:
    parts = _parts(tmp_path, CHUNKS)
    with pytest.raises(ModelAssemblyError):
        _assemble(tmp_path / "models", list(reversed(parts)))


def test_missing_part_raises(tmp_path: Path) -> None:
    parts = _parts(tmp_path, CHUNKS)
    parts[1].unlink()
    with pytest.raises(ModelAssemblyError, match="不存在"):
        _assemble(tmp_path / "models", parts)


def test_existing_good_file_is_not_rewritten(tmp_path: Path) -> None:
    target = tmp_path / "models"
    out = _assemble(target, _parts(tmp_path, CHUNKS))
    before = out.stat()
    os.utime(out, ns=(before.st_atime_ns, before.st_mtime_ns - 10**9))  # an older mtime to compare with
    stamp = out.stat().st_mtime_ns
    # Parts that do not even exist: a good existing file must not read (or need) them.
    again = _assemble(target, [tmp_path / "nope1", tmp_path / "nope2"])
    assert again == out
    assert out.stat().st_mtime_ns == stamp and out.stat().st_ino == before.st_ino
    assert out.read_bytes() == WHOLE


def test_existing_bad_file_is_replaced(tmp_path: Path) -> None:
    target = tmp_path / "models"
    target.mkdir()
    (target / NAME).write_bytes(b"x" * len(WHOLE))  # right size, wrong content (e.g. corrupted)
    out = _assemble(target, _parts(tmp_path, CHUNKS))
    assert out.read_bytes() == WHOLE


def test_default_parts_names_the_missing_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local_llm, "PART_MODULE", "policybot_no_such_part_{}")
    with pytest.raises(ModelAssemblyError, match="policybot_no_such_part_1.*local-llm"):
        local_llm.default_parts()


def test_serve_without_llama_cpp_explains_and_returns_2(monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(local_llm, "_llama_cpp_available", lambda: False)
    assert local_llm.serve() == 2
    assert "pip install -e '.[local-llm]'" in capsys.readouterr().err


def test_cli_has_llm_serve() -> None:
    from bot.cli import build_parser

    args = build_parser().parse_args(["llm", "serve", "--port", "9999"])
    assert (args.host, args.port, args.handler) == ("127.0.0.1", 9999, "tools:cmd_llm")
