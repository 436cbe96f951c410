"""The Redis limiter behaves like the memory one, shared by every worker (needs Redis)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis

from idara.ratelimit import LockoutPolicy, RedisRateLimiter
from idara.web.errors import IdaraError


@pytest.fixture
def client() -> Iterator[redis.Redis]:
    connection = redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=0.5)
    try:
        connection.ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    yield connection
    connection.close()


@pytest.fixture
def prefix() -> str:
    return f"idara-test-{uuid.uuid4().hex[:8]}:"


def test_two_workers_share_one_window(client: redis.Redis, prefix: str) -> None:
    first, second = RedisRateLimiter(client, prefix), RedisRateLimiter(client, prefix)
    assert first.hit("ip", limit=2, window_s=30).allowed
    assert second.hit("ip", limit=2, window_s=30).allowed
    refused = first.hit("ip", limit=2, window_s=30)
    assert not refused.allowed and 0 < refused.retry_after_s <= 30


def test_the_lockout_grows_and_resets_in_redis(client: redis.Redis, prefix: str) -> None:
    limiter = RedisRateLimiter(client, prefix)
    policy = LockoutPolicy(max_failures=2, wait_increment_s=40, max_wait_s=60)
    assert [limiter.failure("card", policy) for _ in range(6)] == [0, 40, 0, 60, 0, 60]
    assert 0 < limiter.locked_for("card") <= 60
    assert limiter.failures("card") == 6
    limiter.reset("card")
    assert limiter.locked_for("card") == 0 and limiter.failures("card") == 0


def test_an_unreachable_redis_fails_closed_with_a_503_code() -> None:
    dead = redis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    with pytest.raises(IdaraError) as caught:
        RedisRateLimiter(dead).hit("ip", limit=1, window_s=1)
    assert caught.value.code == "service_unavailable"
