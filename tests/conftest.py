"""Shared fixtures: one real index of the shipped corpus per test session (embedding takes ~25 s)."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import Settings
from tests.llm_fixtures import fake_llm, llm_settings  # noqa: F401  (fixtures)

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "data" / "policies"


def make_settings(data_dir: Path, **extra) -> Settings:
    return Settings(POLICYBOT_DATA_DIR=str(data_dir), **extra)


@pytest.fixture(scope="session")
def shipped_data_dir(tmp_path_factory) -> Path:
    from bot.service import PolicyBot

    data = tmp_path_factory.mktemp("shipped-index")
    bot = PolicyBot(make_settings(data))
    report = bot.library.ensure_index(progress=False)
    assert report is not None and all(r.status == "added" for r in report.results)
    return data


@pytest.fixture(scope="session")
def bot(shipped_data_dir):
    """An extractive-mode bot over the shipped corpus (no LLM configured)."""
    from bot.service import PolicyBot

    return PolicyBot(make_settings(shipped_data_dir))
