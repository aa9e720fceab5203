"""Time, passed in rather than read from a global, so tests can control it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol as Interface


class Clock(Interface):
    def now(self) -> datetime:
        """The current moment, timezone-aware."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FakeClock:
    """A clock that moves only when told to: for tests and demos."""

    current: datetime = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float = 0, **kwargs: float) -> None:
        self.current += timedelta(seconds=seconds, **kwargs)
