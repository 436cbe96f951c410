"""Settings: environment variables, nesting, and the production rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from idara.settings import DEVELOPMENT_SECRET_KEY, Environment, Settings

STRONG = "x" * 40
# What production needs beyond the web secret (identity's CA passphrase, SMS, Redis).
PRODUCTION_EXTRAS = {
    "IDARA_IDENTITY__CA_PASSPHRASE": "p" * 24,
    "IDARA_IDENTITY__SMS__BACKEND": "http",
    "IDARA_IDENTITY__SMS__URL": "https://sms.example/send",
    "IDARA_RATELIMIT__BACKEND": "redis",
    "IDARA_TRUST__KEY_PASSPHRASE": "t" * 24,
    "IDARA_TRUST__SUBJECT_SECRET": "s" * 24,
}


def build(monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings(_env_file=None)  # type: ignore[call-arg]


def test_nested_sections_are_read_from_double_underscore_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = build(
        monkeypatch,
        IDARA_DB__URL="postgresql+psycopg://u@h/db",
        IDARA_WEB__MAX_BODY_BYTES="2048",
        IDARA_DATA_DIR="/srv/idara",
    )
    assert settings.db.url == "postgresql+psycopg://u@h/db"
    assert settings.web.max_body_bytes == 2048
    assert settings.data_dir == Path("/srv/idara")


def test_database_defaults_to_sqlite_file_in_the_data_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings = build(monkeypatch, IDARA_DATA_DIR=str(tmp_path))
    assert settings.database_url == f"sqlite:///{tmp_path.resolve() / 'idara.db'}"


def test_development_accepts_the_default_secret_and_http(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = build(monkeypatch, IDARA_ENV="development")
    assert settings.env is Environment.DEVELOPMENT
    assert settings.web.secret_key.get_secret_value() == DEVELOPMENT_SECRET_KEY


@pytest.mark.parametrize("env", ["test", "production"])
def test_outside_development_the_default_secret_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, env: str
) -> None:
    with pytest.raises(ValidationError, match="IDARA_WEB__SECRET_KEY is the development default"):
        build(monkeypatch, IDARA_ENV=env, IDARA_PUBLIC_ORIGIN="https://idara.gov.ma")


def test_production_refuses_a_short_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError, match="shorter than 32"):
        build(
            monkeypatch,
            IDARA_ENV="production",
            IDARA_WEB__SECRET_KEY="short",
            IDARA_PUBLIC_ORIGIN="https://idara.gov.ma",
        )


def test_production_refuses_an_http_origin_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(
        ValidationError, match=re.escape("IDARA_PUBLIC_ORIGIN='http://idara.gov.ma'")
    ):
        build(
            monkeypatch,
            IDARA_ENV="production",
            IDARA_WEB__SECRET_KEY=STRONG,
            IDARA_PUBLIC_ORIGIN="http://idara.gov.ma",
        )


def test_production_accepts_https_and_a_real_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = build(
        monkeypatch,
        IDARA_ENV="production",
        IDARA_WEB__SECRET_KEY=STRONG,
        IDARA_PUBLIC_ORIGIN="https://idara.gov.ma/",
        **PRODUCTION_EXTRAS,
    )
    assert settings.public_origin == "https://idara.gov.ma"
    assert settings.https


def test_production_refuses_development_stand_ins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Settings, "stand_ins", lambda self: ["IDARA_SMS__BACKEND=outbox"])
    with pytest.raises(
        ValidationError, match="IDARA_SMS__BACKEND=outbox is a development stand-in"
    ):
        build(
            monkeypatch,
            IDARA_ENV="production",
            IDARA_WEB__SECRET_KEY=STRONG,
            IDARA_PUBLIC_ORIGIN="https://idara.gov.ma",
        )


@pytest.mark.parametrize("origin", ["idara.gov.ma", "ftp://idara.gov.ma", "https://idara.gov.ma/x"])
def test_a_public_origin_that_is_not_an_origin_is_refused(
    monkeypatch: pytest.MonkeyPatch, origin: str
) -> None:
    with pytest.raises(ValidationError, match="must be an origin"):
        build(monkeypatch, IDARA_PUBLIC_ORIGIN=origin)


def test_the_default_language_must_be_offered(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError, match="IDARA_WEB__DEFAULT_LANGUAGE='en'"):
        build(monkeypatch, IDARA_WEB__DEFAULT_LANGUAGE="en")


def test_an_unknown_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError, match="env"):
        build(monkeypatch, IDARA_ENV="staging")


def test_secrets_never_appear_in_the_settings_representation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = build(monkeypatch, IDARA_WEB__SECRET_KEY=STRONG)
    assert STRONG not in repr(settings)
    assert STRONG not in str(settings.model_dump())


def test_an_env_file_in_the_working_directory_is_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text("IDARA_DATA_DIR=/srv/from-dotenv\nIDARA_DB__POOL_SIZE=7\n")
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    assert settings.data_dir == Path("/srv/from-dotenv")
    assert settings.db.pool_size == 7


def test_environment_variables_win_over_the_env_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text("IDARA_DATA_DIR=/srv/from-dotenv\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("IDARA_DATA_DIR", "/srv/from-env")
    assert Settings().data_dir == Path("/srv/from-env")
