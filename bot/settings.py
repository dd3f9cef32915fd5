"""Runtime configuration, read from environment variables.

One object, created once, so that every layer (ingest, store, retrieval, LLM, UI) agrees on the data
directory and endpoints without passing paths around.  Secrets are held as ``SecretStr`` so that they
never show up in a ``repr`` or a log line.

A plain pydantic model that reads the environment itself (:func:`_environment`), not pydantic-settings:
every field is a scalar named by one variable, and importing pydantic-settings (asyncio, dotenv, its
source providers) cost more than a clause lookup's whole work — every command pays for its settings.
"""
from __future__ import annotations

import importlib.util
import os
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr

from vectorstore.config import StoreConfig
from vectorstore.embedding_model import DEFAULT_MODEL

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


def _environment(aliases: dict[str, str]) -> dict[str, str]:
    """The variables named by ``aliases`` (field → variable) that are set, by field; names match
    case-insensitively, as they did under pydantic-settings."""
    env = {k.lower(): v for k, v in os.environ.items()}
    return {field: env[alias.lower()] for field, alias in aliases.items() if alias.lower() in env}


class Settings(BaseModel):
    """All knobs of the product; each field maps to an environment variable (see README).  Values passed
    in (by variable or field name: ``Settings(POLICYBOT_DATA_DIR=…)``) win over the environment."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    def __init__(self, **values: Any) -> None:
        aliases = {name: f.alias or name for name, f in type(self).model_fields.items()}
        by_alias = {alias: name for name, alias in aliases.items()}
        given = {by_alias.get(k, k): v for k, v in values.items()}
        super().__init__(**{**_environment(aliases), **given})

    data_dir: Path = Field(default_factory=_default_data_dir, alias="POLICYBOT_DATA_DIR")
    corpus_dir: Path = Field(default=SHIPPED_CORPUS_DIR, alias="POLICYBOT_CORPUS_DIR")
    collection: str = Field(default="policy_clauses", alias="POLICYBOT_COLLECTION")
    embedding_model: str = Field(default=DEFAULT_MODEL, alias="POLICYBOT_EMBEDDING_MODEL")
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
    log_max_bytes: int = Field(default=8 * 1024 * 1024, alias="POLICYBOT_LOG_MAX_BYTES")  # per log, both generations
    log_rate: int = Field(default=20, alias="POLICYBOT_LOG_RATE")  # records per client address per minute
    login_failures: int = Field(default=5, alias="POLICYBOT_LOGIN_FAILURES")  # per address + username per window
    login_window: float = Field(default=60.0, alias="POLICYBOT_LOGIN_WINDOW")  # seconds
    login_ceiling: int = Field(default=100, alias="POLICYBOT_LOGIN_CEILING")  # all addresses together per window
    ingest_queue_size: int = Field(default=4, alias="POLICYBOT_INGEST_QUEUE")
    threads: int = Field(default=1, alias="POLICYBOT_THREADS")  # native threads per request (bot/runtime.py)
    index_check_seconds: float = Field(default=2.0, alias="POLICYBOT_INDEX_CHECK_SECONDS")
    concurrency: int = Field(default=8, alias="POLICYBOT_CONCURRENCY")  # requests served at once: page queue, and API

    # The day document statuses are computed for (现行有效 / 已失效 …); unset = the real date.  Tests and
    # reviews pin it: POLICYBOT_TODAY=2026-12-04.
    today_override: date | None = Field(default=None, alias="POLICYBOT_TODAY")

    host: str = Field(default="127.0.0.1", alias="POLICYBOT_HOST")
    port: int = Field(default=7860, alias="POLICYBOT_PORT")
    admin_user: str = Field(default="admin", alias="POLICYBOT_ADMIN_USER")
    timezone: str = Field(default="Asia/Shanghai", alias="POLICYBOT_TIMEZONE")  # how times are shown
    admin_password: SecretStr | None = Field(default=None, alias="POLICYBOT_ADMIN_PASSWORD")
    admin_host: str = Field(default="127.0.0.1", alias="POLICYBOT_ADMIN_HOST")
    admin_port: int = Field(default=7861, alias="POLICYBOT_ADMIN_PORT")

    # HTTP API (bot/api): off unless keys are configured here or created in the admin app.
    api_keys: SecretStr | None = Field(default=None, alias="POLICYBOT_API_KEYS")  # comma-separated
    api_rate: int = Field(default=60, alias="POLICYBOT_API_RATE")  # requests per minute per key (0: no limit)
    api_max_body_bytes: int = Field(default=256 * 1024, alias="POLICYBOT_API_MAX_BODY_BYTES")
    api_max_messages: int = Field(default=50, alias="POLICYBOT_API_MAX_MESSAGES")
    api_cors_origins: str = Field(default="", alias="POLICYBOT_API_CORS_ORIGINS")  # comma-separated; none by default
    public_url: str = Field(default="", alias="POLICYBOT_PUBLIC_URL")  # base of clause links (relative when empty)
    log_format: str = Field(default="text", alias="POLICYBOT_LOG_FORMAT")  # text | json

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
    def api_keys_file(self) -> Path:
        """Keys created in the admin app (hashes only)."""
        return self.data_dir / "api_keys.json"

    def env_api_keys(self) -> list[str]:
        """The keys of ``POLICYBOT_API_KEYS`` (never logged: callers hash them at once)."""
        raw = self.api_keys.get_secret_value() if self.api_keys else ""
        return [k.strip() for k in raw.split(",") if k.strip()]

    def cors_origins(self) -> list[str]:
        return [o.strip() for o in self.api_cors_origins.split(",") if o.strip()]

    @property
    def admin_enabled(self) -> bool:
        """Web writes need a configured admin password; without one the admin app does not start."""
        return bool(self.admin_password and self.admin_password.get_secret_value())

    def store_config(self) -> StoreConfig:
        """What the vector store needs to know (it never reads the environment itself)."""
        return StoreConfig(path=self.chroma_dir, collection=self.collection, host=self.chroma_host,
                           port=self.chroma_port, ssl=self.chroma_ssl, token=self.chroma_token,
                           index_dir=self.index_dir, embedding_model=self.embedding_model)

    def today(self) -> date:
        """The day "in force" means: ``POLICYBOT_TODAY`` when set, else the real date (read per call)."""
        return self.today_override or date.today()

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
