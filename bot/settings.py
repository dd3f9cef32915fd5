"""Runtime configuration, read from environment variables.

One object, created once, so that every layer (ingest, store, retrieval, LLM, UI) agrees on the data
directory and endpoints without passing paths around.  Secrets are held as ``SecretStr`` so that they
never show up in a ``repr`` or a log line.
"""
from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from vectorstore.config import StoreConfig

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def _shipped_corpus_dir() -> Path:
    """``data/policies`` of a source checkout; the ``policybot_corpus`` package of an installed wheel."""
    checkout = PACKAGE_ROOT / "data" / "policies"
    if checkout.is_dir():
        return checkout
    spec = importlib.util.find_spec("policybot_corpus")
    locations = list(spec.submodule_search_locations or []) if spec else []
    return Path(locations[0]) if locations else checkout


SHIPPED_CORPUS_DIR = _shipped_corpus_dir()


def _default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "policybot"


class Settings(BaseSettings):
    """All knobs of the product; each field maps to an environment variable (see README)."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    data_dir: Path = Field(default_factory=_default_data_dir, alias="POLICYBOT_DATA_DIR")
    corpus_dir: Path = Field(default=SHIPPED_CORPUS_DIR, alias="POLICYBOT_CORPUS_DIR")
    collection: str = Field(default="policy_clauses", alias="POLICYBOT_COLLECTION")
    index_dir: Path | None = Field(default=None, alias="POLICYBOT_INDEX_DIR")

    chroma_host: str | None = Field(default=None, alias="CHROMA_HOST")
    chroma_port: int = Field(default=8000, alias="CHROMA_PORT")
    chroma_ssl: bool = Field(default=False, alias="CHROMA_SSL")
    chroma_token: SecretStr | None = Field(default=None, alias="CHROMA_AUTH_TOKEN")

    openai_api_key: SecretStr | None = Field(default=None, alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, alias="OPENAI_BASE_URL")
    llm_model: str = Field(default="gpt-4o-mini", alias="POLICYBOT_LLM_MODEL")
    llm_timeout: float = Field(default=30.0, alias="POLICYBOT_LLM_TIMEOUT")
    llm_max_retries: int = Field(default=2, alias="POLICYBOT_LLM_MAX_RETRIES")
    llm_context_tokens: int = Field(default=3000, alias="POLICYBOT_LLM_CONTEXT_TOKENS")

    llm_max_answer_chars: int = Field(default=4000, alias="POLICYBOT_LLM_MAX_ANSWER_CHARS")
    llm_max_tokens: int = Field(default=2000, alias="POLICYBOT_LLM_MAX_TOKENS")
    llm_breaker_failures: int = Field(default=3, alias="POLICYBOT_LLM_BREAKER_FAILURES")
    llm_breaker_cooldown: float = Field(default=60.0, alias="POLICYBOT_LLM_BREAKER_COOLDOWN")

    max_question_chars: int = Field(default=2000, alias="POLICYBOT_MAX_QUESTION_CHARS")
    max_upload_bytes: int = Field(default=20 * 1024 * 1024, alias="POLICYBOT_MAX_UPLOAD_BYTES")
    max_unpacked_bytes: int = Field(default=64 * 1024 * 1024, alias="POLICYBOT_MAX_UNPACKED_BYTES")
    max_elements: int = Field(default=400_000, alias="POLICYBOT_MAX_ELEMENTS")
    parse_seconds: float = Field(default=60.0, alias="POLICYBOT_PARSE_SECONDS")
    ingest_queue_size: int = Field(default=4, alias="POLICYBOT_INGEST_QUEUE")
    threads: int = Field(default=1, alias="POLICYBOT_THREADS")  # native threads per request (bot/runtime.py)
    index_check_seconds: float = Field(default=2.0, alias="POLICYBOT_INDEX_CHECK_SECONDS")

    host: str = Field(default="127.0.0.1", alias="POLICYBOT_HOST")
    port: int = Field(default=7860, alias="POLICYBOT_PORT")
    admin_user: str = Field(default="admin", alias="POLICYBOT_ADMIN_USER")
    timezone: str = Field(default="Asia/Shanghai", alias="POLICYBOT_TIMEZONE")  # how times are shown
    admin_password: SecretStr | None = Field(default=None, alias="POLICYBOT_ADMIN_PASSWORD")
    admin_host: str = Field(default="127.0.0.1", alias="POLICYBOT_ADMIN_HOST")
    admin_port: int = Field(default=7861, alias="POLICYBOT_ADMIN_PORT")

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def overrides_file(self) -> Path:
        """The admin's metadata edits (merged over each folder's catalog.toml; the shipped data may be read-only)."""
        return self.data_dir / "catalog_overrides.json"

    @property
    def trash_dir(self) -> Path:
        """Removed documents, kept for 撤销删除 until the next rebuild."""
        return self.data_dir / "trash"

    @property
    def audit_log(self) -> Path:
        return self.data_dir / "audit.jsonl"

    @property
    def admin_enabled(self) -> bool:
        """Web writes need a configured admin password; without one the admin app does not start."""
        return bool(self.admin_password and self.admin_password.get_secret_value())

    def store_config(self) -> StoreConfig:
        """What the vector store needs to know (it never reads the environment itself)."""
        return StoreConfig(path=self.chroma_dir, collection=self.collection, host=self.chroma_host,
                           port=self.chroma_port, ssl=self.chroma_ssl, token=self.chroma_token,
                           index_dir=self.index_dir)

    @property
    def llm_configured(self) -> bool:
        """LLM mode needs an endpoint; a key alone means the public OpenAI API."""
        return bool(self.openai_base_url or self.openai_api_key)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    """Forget the cached settings (tests change the environment between cases)."""
    get_settings.cache_clear()
