"""The in-memory rate limiter and the Keycloak-like lockout, with a hand-driven clock."""

from __future__ import annotations

import pytest

from idara.ratelimit import LockoutPolicy, MemoryRateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def test_attempts_above_the_limit_are_refused_until_the_window_ends(clock: Clock) -> None:
    limiter = MemoryRateLimiter(clock)
    assert all(limiter.hit("ip", limit=3, window_s=60).allowed for _ in range(3))
    refused = limiter.hit("ip", limit=3, window_s=60)
    assert not refused.allowed and refused.retry_after_s == 60
    clock.now += 61
    assert limiter.hit("ip", limit=3, window_s=60).allowed


def test_keys_are_counted_apart(clock: Clock) -> None:
    limiter = MemoryRateLimiter(clock)
    limiter.hit("a", limit=1, window_s=60)
    assert limiter.hit("b", limit=1, window_s=60).allowed


def test_the_lockout_waits_grow_with_each_series_of_failures_up_to_the_maximum() -> None:
    policy = LockoutPolicy(max_failures=3, wait_increment_s=60, max_wait_s=150)
    assert [policy.wait_after(n) for n in range(1, 13)] == [
        0, 0, 60, 0, 0, 120, 0, 0, 150, 0, 0, 150,
    ]  # fmt: skip


def test_a_locked_key_stays_locked_for_the_wait_then_opens(clock: Clock) -> None:
    limiter = MemoryRateLimiter(clock)
    policy = LockoutPolicy(max_failures=2, wait_increment_s=30)
    assert limiter.failure("card", policy) == 0
    assert limiter.failure("card", policy) == 30
    assert limiter.locked_for("card") == 30
    clock.now += 31
    assert limiter.locked_for("card") == 0
    assert limiter.failures("card") == 2


def test_a_success_resets_the_failures(clock: Clock) -> None:
    limiter = MemoryRateLimiter(clock)
    policy = LockoutPolicy(max_failures=2)
    limiter.failure("cin", policy)
    limiter.reset("cin")
    assert limiter.failure("cin", policy) == 0


def test_failures_are_forgotten_after_the_failure_reset_time(clock: Clock) -> None:
    limiter = MemoryRateLimiter(clock)
    policy = LockoutPolicy(max_failures=2, failure_reset_s=100)
    limiter.failure("k", policy)
    clock.now += 101
    assert limiter.failure("k", policy) == 0  # counts as the first again
