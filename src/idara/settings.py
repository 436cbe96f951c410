"""One typed settings object for the whole platform, read from IDARA_* variables and .env."""

from __future__ import annotations

import warnings
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Known only so that it can be refused outside development: anyone can read it here.
DEVELOPMENT_SECRET_KEY = "idara-development-secret-key-do-not-use-in-production"  # noqa: S105


class Environment(StrEnum):
    """Where the platform runs; everything but development is held to production rules."""

    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class SettingsError(ValueError):
    """A setting is wrong; the message names the variable to fix."""


class DatabaseSettings(BaseModel):
    """Where the data lives: the embedded SQLite file by default, PostgreSQL by URL."""

    url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; empty means the SQLite file idara.db in the data directory.",
    )
    echo: bool = False
    pool_size: int = Field(default=10, ge=1, le=200)
    max_overflow: int = Field(default=10, ge=0, le=200)
    pool_timeout_s: float = Field(default=10.0, gt=0)


class WebSettings(BaseModel):
    """The HTTP side: secrets, limits, languages and cookies."""

    secret_key: SecretStr = SecretStr(DEVELOPMENT_SECRET_KEY)
    max_body_bytes: int = Field(default=1_000_000, ge=1024, description="Largest request body.")
    default_language: str = "fr"
    languages: tuple[str, ...] = ("fr", "ar")
    trusted_proxies: tuple[str, ...] = Field(
        default=(),
        description="Addresses of reverse proxies whose X-Forwarded-For is believed.",
    )

    @model_validator(mode="after")
    def _default_is_offered(self) -> WebSettings:
        if self.default_language not in self.languages:
            raise SettingsError(
                f"IDARA_WEB__DEFAULT_LANGUAGE={self.default_language!r} is not one of "
                f"IDARA_WEB__LANGUAGES {list(self.languages)}"
            )
        return self


class LogSettings(BaseModel):
    """Structured logs: JSON lines for machines, or a readable console form for people."""

    level: str = "INFO"
    json_format: bool = Field(default=True, alias="json")

    model_config = {"populate_by_name": True}


class OpsSettings(BaseModel):
    """Operations endpoints: who may read the Prometheus metrics."""

    metrics_token: SecretStr | None = Field(
        default=None,
        description="Bearer token for /metrics; without it only loopback clients may read them.",
    )


class Settings(BaseSettings):
    """Every setting of the platform; built once and handed to create_app and the CLI."""

    model_config = SettingsConfigDict(
        env_prefix="IDARA_",
        env_nested_delimiter="__",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    env: Environment = Environment.DEVELOPMENT
    public_origin: str = "http://127.0.0.1:8000"
    data_dir: Path = Path("var")
    db: DatabaseSettings = DatabaseSettings()
    web: WebSettings = WebSettings()
    log: LogSettings = LogSettings()
    ops: OpsSettings = OpsSettings()

    @field_validator("public_origin")
    @classmethod
    def _origin_shape(cls, value: str) -> str:
        value = value.rstrip("/")
        scheme, sep, rest = value.partition("://")
        if not sep or scheme not in ("http", "https") or not rest or "/" in rest:
            raise SettingsError(
                f"IDARA_PUBLIC_ORIGIN={value!r} must be an origin such as https://idara.gov.ma "
                "(scheme and host, no path)"
            )
        return value

    @model_validator(mode="after")
    def _production_rules(self) -> Settings:
        if self.env is Environment.DEVELOPMENT:
            return self
        problems = []
        if self.web.secret_key.get_secret_value() == DEVELOPMENT_SECRET_KEY:
            problems.append("IDARA_WEB__SECRET_KEY is the development default; set a secret")
        elif len(self.web.secret_key.get_secret_value()) < 32:
            problems.append("IDARA_WEB__SECRET_KEY is shorter than 32 characters")
        if not self.public_origin.startswith("https://"):
            problems.append(f"IDARA_PUBLIC_ORIGIN={self.public_origin!r} must use https://")
        problems.extend(f"{name} is a development stand-in" for name in self.stand_ins())
        if problems:
            raise SettingsError(
                f"IDARA_ENV={self.env.value} refuses these settings: " + "; ".join(problems)
            )
        return self

    def stand_ins(self) -> list[str]:
        """Settings that point at development stand-ins (outbox SMS, file key store...)."""
        # Domains add their own stand-in checks here as they gain external ports.
        return []

    @property
    def is_development(self) -> bool:
        """Whether development conveniences (stand-ins, default secrets) are allowed."""
        return self.env is Environment.DEVELOPMENT

    @property
    def https(self) -> bool:
        """Whether the public site is served over HTTPS (cookies get Secure, HSTS is sent)."""
        return self.public_origin.startswith("https://")

    @property
    def database_url(self) -> str:
        """The database URL, defaulting to the embedded SQLite file in the data directory."""
        if self.db.url:
            return self.db.url
        return f"sqlite:///{(self.data_dir / 'idara.db').resolve()}"


class _EnvironmentOnly(BaseSettings):
    """Reads IDARA_ENV alone, so a command can check it before validating everything else."""

    model_config = SettingsConfigDict(env_prefix="IDARA_", env_file=".env", extra="ignore")

    env: Environment = Environment.DEVELOPMENT


def current_environment() -> Environment:
    """The environment named by IDARA_ENV (or .env), without the other settings' rules."""
    return _EnvironmentOnly().env


def load_settings(**overrides: Annotated[Any, "setting values"]) -> Settings:
    """Build the settings from the environment (and .env), warning about development mode."""
    settings = Settings(**overrides)
    if settings.is_development and settings.web.secret_key.get_secret_value() == (
        DEVELOPMENT_SECRET_KEY
    ):
        warnings.warn(
            "Idara runs in development mode with the public default secret key; "
            "never expose it to a network",
            stacklevel=2,
        )
    return settings
