"""scripts/install.py: one progress line, the installer's output in a log, the log's tail on failure."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "install.py"
spec = importlib.util.spec_from_file_location("install_script", SCRIPT)
assert spec and spec.loader
install = importlib.util.module_from_spec(spec)
spec.loader.exec_module(install)


def test_progress_is_read_off_the_log(tmp_path: Path) -> None:
    log = tmp_path / "install.log"
    log.write_text("Collecting gradio==6.31.0\nRequirement already satisfied: pip in ./x\nCollecting numpy\n"
                   "Building wheels for collected packages: jieba\n", encoding="utf-8")
    assert install._count(log) == 3 and install._phase(log) == "正在构建"
    with log.open("a", encoding="utf-8") as fh:
        fh.write("Installing collected packages: numpy, gradio\n")
    assert install._phase(log) == "正在写入环境"


def test_a_step_writes_to_the_log_not_the_terminal(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "install.log"
    install.run_step("安装依赖", [sys.executable, "-c", "print('WARNING: noisy installer line')"], log, tty=False)
    out, err = capfd.readouterr()
    assert "noisy installer line" in log.read_text(encoding="utf-8")
    assert "noisy installer line" not in out + err


def test_a_failed_step_prints_the_log_tail_and_its_path(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "install.log"
    with pytest.raises(SystemExit) as exc:
        install.run_step("安装依赖", [sys.executable, "-c", "import sys; print('ERROR: no matching distribution'); sys.exit(3)"],
                         log, tty=False)
    assert exc.value.code == 3
    err = capfd.readouterr().err
    assert "安装依赖失败（退出码 3）" in err and str(log) in err and "ERROR: no matching distribution" in err
