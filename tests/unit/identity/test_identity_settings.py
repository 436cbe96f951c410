"""Identity's settings: stand-ins and default secrets refused outside development."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from idara.ratelimit import MemoryRateLimiter, RedisRateLimiter, make_rate_limiter
from idara.settings import Settings

BASE = {
    "public_origin": "https://idara.gov.ma",
    "web": {"secret_key": "s" * 40},
    # The trust service's own secrets, refused at their defaults too (not what is tested here).
    "trust": {"key_passphrase": "k" * 24, "subject_secret": "x" * 24},
    "identity": {
        "ca_passphrase": "p" * 24,
        "sms": {"backend": "http", "url": "https://sms.example/send"},
    },
}


def build(**changes: object) -> Settings:
    values = {**BASE, **changes}
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_the_sms_outbox_is_a_stand_in_refused_outside_development() -> None:
    assert "IDARA_IDENTITY__SMS__BACKEND=outbox" in Settings(_env_file=None).stand_ins()  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="SMS__BACKEND=outbox is a development stand-in"):
        build(env="test", identity={"ca_passphrase": "p" * 24})


def test_the_default_ca_passphrase_is_refused_outside_development() -> None:
    with pytest.raises(ValidationError, match="IDARA_IDENTITY__CA_PASSPHRASE is the development"):
        build(env="test", identity={"sms": {"backend": "http", "url": "https://x"}})


def test_the_http_sms_gateway_needs_its_url() -> None:
    with pytest.raises(ValidationError, match="IDARA_IDENTITY__SMS__URL is required"):
        build(env="test", identity={"ca_passphrase": "p" * 24, "sms": {"backend": "http"}})


def test_production_refuses_per_process_rate_limits_but_test_accepts_them() -> None:
    assert build(env="test").ratelimit.backend == "memory"
    with pytest.raises(ValidationError, match="RATELIMIT__BACKEND=memory counts per process"):
        build(env="production")
    assert build(env="production", ratelimit={"backend": "redis"}).ratelimit.backend == "redis"


def test_the_settings_choose_the_rate_limiter() -> None:
    assert isinstance(make_rate_limiter(build(env="test")), MemoryRateLimiter)
    redis_settings = build(env="test", ratelimit={"backend": "redis"})
    assert isinstance(make_rate_limiter(redis_settings), RedisRateLimiter)
