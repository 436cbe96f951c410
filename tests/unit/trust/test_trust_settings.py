"""The trust service's settings refuse the development passphrase outside development."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from idara.settings import Settings


def _production(monkeypatch: pytest.MonkeyPatch, passphrase: str | None) -> Settings:
    monkeypatch.setenv("IDARA_ENV", "production")
    monkeypatch.setenv("IDARA_PUBLIC_ORIGIN", "https://idara.gov.ma")
    monkeypatch.setenv("IDARA_WEB__SECRET_KEY", "x" * 40)
    if passphrase is not None:
        monkeypatch.setenv("IDARA_TRUST__KEY_PASSPHRASE", passphrase)
    return Settings(_env_file=None)  # type: ignore[call-arg]


def test_the_default_key_passphrase_is_refused_outside_development_by_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(ValidationError, match="IDARA_TRUST__KEY_PASSPHRASE is the development"):
        _production(monkeypatch, None)


def test_a_short_key_passphrase_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError, match="IDARA_TRUST__KEY_PASSPHRASE is shorter"):
        _production(monkeypatch, "short")


def test_an_authorization_code_may_not_live_longer_than_sixty_seconds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("IDARA_TRUST__CODE_TTL_S", "61")
    with pytest.raises(ValidationError, match="code_ttl_s"):
        Settings(_env_file=None)  # type: ignore[call-arg]
