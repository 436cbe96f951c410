"""Rate limits and brute-force lockout shared by every domain, in memory or in Redis.

Two tools behind one port:
- `hit`: a fixed-window counter ("at most N attempts per IP every W seconds");
- `failure`/`locked_for`/`reset`: lockout with waits that grow with the failures, modelled on
  Keycloak's brute-force detection (failure factor, wait increment, max wait, failure reset).

The memory backend counts per process: right for development, tests and a single worker,
wrong for several workers (each would allow the full limit), so production uses Redis
(see docs/decisions/0023-rate-limiting.md and Settings._production_rules).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from idara.settings import Settings
from idara.web.errors import IdaraError


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    """Every `max_failures` failures lock the key for a wait that grows, up to a maximum."""

    max_failures: int = 5
    wait_increment_s: int = 60
    max_wait_s: int = 900
    failure_reset_s: int = 12 * 3600

    def wait_after(self, failures: int) -> int:
        """Seconds of lockout that the failure number `failures` starts (0: none)."""
        if failures <= 0 or failures % self.max_failures:
            return 0
        return min(self.max_wait_s, self.wait_increment_s * (failures // self.max_failures))


@dataclass(frozen=True, slots=True)
class Decision:
    """The answer to one attempt: allowed or not, and when to try again."""

    allowed: bool
    count: int
    retry_after_s: int = 0


class RateLimiter(Protocol):
    """The port every domain uses; keys are opaque strings chosen by the caller."""

    def hit(self, key: str, *, limit: int, window_s: int) -> Decision:
        """Count one attempt in the current window and say whether it is within the limit."""
        ...

    def failure(self, key: str, policy: LockoutPolicy) -> int:
        """Count one failure; returns the lockout (seconds) it starts, 0 when none."""
        ...

    def locked_for(self, key: str) -> int:
        """Seconds the key stays locked (0 when it is not)."""
        ...

    def failures(self, key: str) -> int:
        """Failures counted for the key since its last reset."""
        ...

    def reset(self, key: str) -> None:
        """Forget the key's failures and lockout (after a success)."""
        ...


class MemoryRateLimiter:
    """Counters in this process's memory, guarded by a lock (one worker only)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[float, int]] = {}
        # key -> (failures, locked_until, last_failure)
        self._lockouts: dict[str, tuple[int, float, float]] = {}

    def _purge(self, now: float) -> None:
        # Keeps memory bounded under a flood of distinct keys.
        if len(self._windows) > 100_000:
            self._windows = {k: v for k, v in self._windows.items() if v[0] > now}
        if len(self._lockouts) > 100_000:
            self._lockouts = {k: v for k, v in self._lockouts.items() if v[1] > now}

    def hit(self, key: str, *, limit: int, window_s: int) -> Decision:
        """Count one attempt in a fixed window."""
        with self._lock:
            now = self._clock()
            self._purge(now)
            ends, count = self._windows.get(key, (0.0, 0))
            if ends <= now:
                ends, count = now + window_s, 0
            count += 1
            self._windows[key] = (ends, count)
        if count > limit:
            return Decision(False, count, max(1, math.ceil(ends - now)))
        return Decision(True, count)

    def _current(
        self, key: str, now: float, policy_reset: float | None
    ) -> tuple[int, float, float]:
        failures, until, last = self._lockouts.get(key, (0, 0.0, 0.0))
        if policy_reset is not None and failures and now - last > policy_reset:
            return 0, 0.0, 0.0
        return failures, until, last

    def failure(self, key: str, policy: LockoutPolicy) -> int:
        """Count a failure and start a lockout on every `max_failures`-th one."""
        with self._lock:
            now = self._clock()
            self._purge(now)
            failures, until, _ = self._current(key, now, policy.failure_reset_s)
            failures += 1
            wait = policy.wait_after(failures)
            if wait:
                until = now + wait
            self._lockouts[key] = (failures, until, now)
        return wait

    def locked_for(self, key: str) -> int:
        """Seconds left on the key's lockout."""
        with self._lock:
            _, until, _ = self._current(key, self._clock(), None)
            left = until - self._clock()
        return max(0, math.ceil(left)) if left > 0 else 0

    def failures(self, key: str) -> int:
        """Failures counted so far."""
        with self._lock:
            return self._lockouts.get(key, (0, 0.0, 0.0))[0]

    def reset(self, key: str) -> None:
        """Forget the key's failures."""
        with self._lock:
            self._lockouts.pop(key, None)


# Atomic in Redis: INCR then set the expiry of a new window, in one round trip.
_HIT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('TTL', KEYS[1])}
"""
# failures += 1; every max_failures-th failure locks for a growing wait; the whole record
# expires failure_reset_s after the last failure (Keycloak's "failure reset time").
_FAILURE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local factor = tonumber(ARGV[1])
local wait = 0
if failures % factor == 0 then
  wait = math.min(tonumber(ARGV[3]), tonumber(ARGV[2]) * math.floor(failures / factor))
  redis.call('HSET', KEYS[1], 'until', tostring(now + wait))
end
redis.call('EXPIRE', KEYS[1], math.max(tonumber(ARGV[4]), wait))
return wait
"""
_LOCKED = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local untils = redis.call('HGET', KEYS[1], 'until')
if not untils then return 0 end
local left = tonumber(untils) - now
if left <= 0 then return 0 end
return math.ceil(left)
"""


class RedisRateLimiter:
    """Counters in Redis, shared by every worker and host; each operation is one Lua call."""

    def __init__(self, client: Any, prefix: str = "idara:") -> None:
        self._client = client
        self._prefix = prefix
        self._hit = client.register_script(_HIT)
        self._failure = client.register_script(_FAILURE)
        self._locked = client.register_script(_LOCKED)

    def _call(self, action: Callable[[], Any]) -> Any:
        import redis

        try:
            return action()
        except redis.RedisError as exc:
            # Fail closed: without counters a brute-force attack would go unthrottled.
            raise IdaraError("service_unavailable") from exc

    def hit(self, key: str, *, limit: int, window_s: int) -> Decision:
        """Count one attempt in a fixed window."""
        count, ttl = self._call(
            lambda: self._hit(keys=[f"{self._prefix}rl:{key}"], args=[window_s])
        )
        if int(count) > limit:
            return Decision(False, int(count), max(1, int(ttl)))
        return Decision(True, int(count))

    def failure(self, key: str, policy: LockoutPolicy) -> int:
        """Count a failure atomically and start a lockout when due."""
        args = [
            policy.max_failures,
            policy.wait_increment_s,
            policy.max_wait_s,
            policy.failure_reset_s,
        ]
        return int(self._call(lambda: self._failure(keys=[f"{self._prefix}lo:{key}"], args=args)))

    def locked_for(self, key: str) -> int:
        """Seconds left on the key's lockout."""
        return int(self._call(lambda: self._locked(keys=[f"{self._prefix}lo:{key}"])))

    def failures(self, key: str) -> int:
        """Failures counted so far."""
        value = self._call(lambda: self._client.hget(f"{self._prefix}lo:{key}", "failures"))
        return int(value or 0)

    def reset(self, key: str) -> None:
        """Forget the key's failures."""
        self._call(lambda: self._client.delete(f"{self._prefix}lo:{key}"))


def make_rate_limiter(settings: Settings) -> RateLimiter:
    """The backend the settings choose; Redis connects lazily, on first use."""
    if settings.ratelimit.backend == "redis":
        import redis

        client = redis.Redis.from_url(
            settings.redis.url, socket_timeout=1.0, socket_connect_timeout=1.0
        )
        return RedisRateLimiter(client)
    return MemoryRateLimiter()
