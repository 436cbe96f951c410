"""The trust service's clock: the system's, or a controllable one for tests and replays."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any, Protocol

from idara.db import utcnow


class Clock(Protocol):
    """Tells the time (aware UTC)."""

    def now(self) -> datetime:
        """The current time."""
        ...


class SystemClock:
    """The real time."""

    def now(self) -> datetime:
        """The current time, from the system."""
        return utcnow()


class ManualClock:
    """A clock that only moves when told to (tests of expiry without sleeping)."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or utcnow()
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """The time the clock was set to."""
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        with self._lock:
            self._now += timedelta(seconds=seconds)


SYSTEM = SystemClock()


def of(state: Any) -> Clock:
    """The clock an application uses (`app.state.trust_clock`, else the system's)."""
    clock: Clock = getattr(state, "trust_clock", SYSTEM)
    return clock
