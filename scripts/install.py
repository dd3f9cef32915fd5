"""`make install`: the virtual environment and the project's packages, with one progress line.

Why: the first `make run` spent a minute installing in silence, then printed a wall of installer
warnings.  This runs the same commands (venv, pip upgrade, ``pip install -e .[extras]``) with their
output in a log file, and shows one line that updates in place: the step, the packages fetched so far
and the seconds spent.  On a failure the log's last lines and its path are printed.

Standard library only: it runs before the venv exists.

    python3 scripts/install.py --venv .venv --extras test --log .venv/install.log
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


PHASES = (("Installing collected packages", "正在写入环境"), ("Building", "正在构建"), ("Collecting", "正在下载"))


def _count(log: Path) -> int:
    """Packages pip has looked at so far (new or already there), read off its log."""
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return 0
    return sum(1 for line in text.splitlines() if line.startswith(("Collecting ", "Requirement already satisfied: ")))


def _phase(log: Path) -> str:
    """What pip is doing now, from the last phase its log has reached."""
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    at = {word: text.rfind(word) for word, _ in PHASES}
    word = max(at, key=lambda w: at[w])
    return dict(PHASES)[word] if at[word] >= 0 else ""


def _line(text: str, tty: bool) -> None:
    if tty:
        sys.stderr.write("\r\033[K" + text)
    else:
        sys.stderr.write(text + "\n")
    sys.stderr.flush()


def run_step(title: str, cmd: list[str], log: Path, tty: bool) -> None:
    """Run ``cmd`` with its output appended to ``log``, updating the progress line until it ends."""
    started = time.monotonic()
    with log.open("a", encoding="utf-8") as fh:
        fh.write(f"\n$ {' '.join(cmd)}\n")
        fh.flush()
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, cwd=REPO)
        done = threading.Event()

        def tick() -> None:
            while not done.wait(1.0 if tty else 15.0):
                phase = _phase(log)
                _line(f"{title}… {phase + '，' if phase else ''}已处理 {_count(log)} 个包，"
                      f"{time.monotonic() - started:.0f} 秒", tty)

        ticker = threading.Thread(target=tick, daemon=True)
        ticker.start()
        code = proc.wait()
        done.set()
        ticker.join()
    if code != 0:
        _line(f"{title}失败（退出码 {code}）。安装日志：{log}", tty)
        sys.stderr.write("\n" + "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-20:]) + "\n")
        raise SystemExit(code)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="create the venv and install policybot, quietly")
    p.add_argument("--venv", default=".venv")
    p.add_argument("--extras", default="test", help="optional dependency groups, comma-separated ('' for none)")
    p.add_argument("--log", default=None, help="installer output (default: <venv>/install.log)")
    args = p.parse_args(argv)
    venv = (REPO / args.venv).resolve()
    log = Path(args.log).resolve() if args.log else venv / "install.log"
    tty = sys.stderr.isatty()
    started = time.monotonic()
    _line(f"首次安装依赖（约 1–3 分钟，视网络而定；详细输出见 {log}）", False)
    if not (venv / "bin" / "python").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("", encoding="utf-8")
    py = str(venv / "bin" / "python")
    run_step("更新 pip", [py, "-m", "pip", "install", "--upgrade", "pip"], log, tty)
    target = f".[{args.extras}]" if args.extras else "."
    run_step("安装依赖", [py, "-m", "pip", "install", "-e", target], log, tty)
    _line(f"依赖已安装（{_count(log)} 个包，{time.monotonic() - started:.0f} 秒）。", tty)
    if tty:
        sys.stderr.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
