"""One typed settings object for the whole platform, read from IDARA_* variables and .env."""

from __future__ import annotations

import warnings
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Known only so that it can be refused outside development: anyone can read it here.
DEVELOPMENT_SECRET_KEY = "idara-development-secret-key-do-not-use-in-production"  # noqa: S105
DEVELOPMENT_CA_PASSPHRASE = "idara-development-ca-passphrase"  # noqa: S105
DEVELOPMENT_TRUST_PASSPHRASE = "idara-development-trust-passphrase"  # noqa: S105
DEVELOPMENT_SUBJECT_SECRET = "idara-development-subject-secret"  # noqa: S105


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


class RedisSettings(BaseModel):
    """The Redis server that holds shared short-lived state (rate limits, lockouts)."""

    url: str = "redis://127.0.0.1:6379/0"


class RateLimitSettings(BaseModel):
    """Where rate-limit and lockout counters live (see docs/decisions/0023)."""

    backend: Literal["memory", "redis"] = Field(
        default="memory",
        description="memory: one process only (development, tests); redis: shared by workers.",
    )


class SessionSettings(BaseModel):
    """Server-side sessions: an opaque id in a cookie, the state in the database."""

    idle_timeout_s: int = Field(default=1800, ge=60)
    absolute_timeout_s: int = Field(default=12 * 3600, ge=300)


class SmsSettings(BaseModel):
    """How one-time codes reach a phone: the development outbox or an HTTP SMS gateway."""

    backend: Literal["outbox", "http"] = "outbox"
    url: str | None = None
    token: SecretStr | None = None


class LockoutSettings(BaseModel):
    """Brute-force detection modelled on Keycloak's: waits that grow with the failures."""

    max_failures: int = Field(default=5, ge=1, description="Failures before each wait.")
    wait_increment_s: int = Field(default=60, ge=1)
    max_wait_s: int = Field(default=900, ge=1)
    failure_reset_s: int = Field(default=12 * 3600, ge=60)
    ip_attempts: int = Field(default=60, ge=1, description="Login attempts per IP and window.")
    ip_window_s: int = Field(default=300, ge=1)


class IdentitySettings(BaseModel):
    """The identity domain: national PKI, virtual cards, login methods."""

    ca_passphrase: SecretStr = SecretStr(DEVELOPMENT_CA_PASSPHRASE)
    key_store: Literal["file"] = Field(
        default="file", description="file: CA keys sealed under the passphrase in data_dir/pki."
    )
    key_dir: Path | None = None
    challenge_ttl_s: int = Field(default=300, ge=30, le=600)
    app_code_ttl_s: int = Field(default=120, ge=30, le=600)
    otp_ttl_s: int = Field(default=300, ge=60, le=900)
    card_validity_days: int = Field(default=3650, ge=1)
    pin_kdf_iterations: int = Field(default=600_000, ge=1000, le=10_000_000)
    sms: SmsSettings = SmsSettings()
    lockout: LockoutSettings = LockoutSettings()


class CatalogueSettings(BaseModel):
    """The catalogue of public services: ministry sign-in and search limits."""

    admin_session_hours: int = Field(default=8, ge=1, le=24, description="Admin session life.")
    login_max_failures: int = Field(
        default=5, ge=1, description="Failed admin sign-ins per username before a pause."
    )
    login_max_failures_per_ip: int = Field(
        default=20, ge=1, description="Failed admin sign-ins per address before a pause."
    )
    login_window_minutes: int = Field(default=15, ge=1, description="The pause, in minutes.")
    page_size: int = Field(default=20, ge=5, le=100, description="Search results per page.")


class TrustSettings(BaseModel):
    """The trust service (OpenID Connect provider): keys, lifetimes, replay windows."""

    key_passphrase: SecretStr = Field(
        default=SecretStr(DEVELOPMENT_TRUST_PASSPHRASE),
        description="Seals the provider's signing keys and derives the pairwise subject secret.",
    )
    code_ttl_s: int = Field(default=60, ge=5, le=60, description="Authorization code lifetime.")
    par_ttl_s: int = Field(default=60, ge=10, le=600, description="PAR request_uri lifetime.")
    authorization_ttl_s: int = Field(
        default=900, ge=60, le=3600, description="Time a citizen has to sign in and consent."
    )
    key_kdf_iterations: int = Field(default=600_000, ge=1000, le=10_000_000)
    subject_secret: SecretStr = Field(
        default=SecretStr(DEVELOPMENT_SUBJECT_SECRET),
        description="Derives pairwise subject identifiers: never change it once in use.",
    )
    assertion_max_lifetime_s: int = Field(
        default=3600, ge=30, le=3600, description="Longest exp - iat of a client assertion."
    )
    clock_skew_s: int = Field(default=10, ge=0, le=120)
    dpop_max_age_s: int = Field(default=300, ge=10, le=3600)
    dpop_nonce_window_s: int = Field(default=300, ge=30, le=3600)
    max_token_lifetime_s: int = Field(
        default=86_400, ge=300, description="Longest lifetime a client may register for a JWT."
    )
    consent_ttl_days: int = Field(default=180, ge=1, le=730)
    verification_per_minute: int = Field(default=600, ge=1)
    backchannel_timeout_s: float = Field(default=3.0, gt=0, le=30)
    portal_client_id: str = "idara-portal"


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
    redis: RedisSettings = RedisSettings()
    ratelimit: RateLimitSettings = RateLimitSettings()
    session: SessionSettings = SessionSettings()
    identity: IdentitySettings = IdentitySettings()
    trust: TrustSettings = TrustSettings()
    catalogue: CatalogueSettings = CatalogueSettings()

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
        if self.identity.ca_passphrase.get_secret_value() == DEVELOPMENT_CA_PASSPHRASE:
            problems.append("IDARA_IDENTITY__CA_PASSPHRASE is the development default")
        elif len(self.identity.ca_passphrase.get_secret_value()) < 16:
            problems.append("IDARA_IDENTITY__CA_PASSPHRASE is shorter than 16 characters")
        trust_passphrase = self.trust.key_passphrase.get_secret_value()
        if trust_passphrase == DEVELOPMENT_TRUST_PASSPHRASE:
            problems.append("IDARA_TRUST__KEY_PASSPHRASE is the development default")
        elif len(trust_passphrase) < 16:
            problems.append("IDARA_TRUST__KEY_PASSPHRASE is shorter than 16 characters")
        if self.trust.subject_secret.get_secret_value() == DEVELOPMENT_SUBJECT_SECRET:
            problems.append("IDARA_TRUST__SUBJECT_SECRET is the development default")
        if self.identity.sms.backend == "http" and not self.identity.sms.url:
            problems.append("IDARA_IDENTITY__SMS__URL is required by the http SMS backend")
        if self.env is Environment.PRODUCTION and self.ratelimit.backend == "memory":
            # Production runs several workers: per-process counters would multiply the limits.
            problems.append("IDARA_RATELIMIT__BACKEND=memory counts per process; use redis")
        problems.extend(f"{name} is a development stand-in" for name in self.stand_ins())
        if problems:
            raise SettingsError(
                f"IDARA_ENV={self.env.value} refuses these settings: " + "; ".join(problems)
            )
        return self

    def stand_ins(self) -> list[str]:
        """Settings that point at development stand-ins (outbox SMS, file key store...)."""
        # Domains add their own stand-in checks here as they gain external ports.
        found = []
        if self.identity.sms.backend == "outbox":
            found.append("IDARA_IDENTITY__SMS__BACKEND=outbox")
        return found

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
