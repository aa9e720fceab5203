"""A few log lines a minute from what the share server is built on, however many connections
misbehave: aiohttp and asyncio log one record per bad connection (a reset, a socket the
process had no file for), and a phone opening thousands of them wrote megabytes of
tracebacks on the facilitator's terminal (issue 22, invariant 3). Past a few lines a minute
a logger's records are held back and counted, and one line says how many when the minute is
over. A record about a connection (an OSError: reset, refused, out of files) comes as one
line without its traceback; any other traceback (a bug of ours answered with 500) stays."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Iterable

LINES = 5  # records let through per logger and window
WINDOW = 60.0  # seconds
# aiohttp's own loggers (aiohttp/log.py) and asyncio's, which logs a failed accept() (EMFILE)
# through the loop's default exception handler.
LOGGERS = ("aiohttp.server", "aiohttp.access", "aiohttp.web", "aiohttp.websocket", "asyncio")
_SUMMARY = "kring_held_back"  # the attribute that marks our own summary record


class RateLimit(logging.Filter):
    """On one logger: ``lines`` records per ``window`` seconds, then one summary line."""

    def __init__(self, lines: int = LINES, window: float = WINDOW,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.lines = lines
        self.window = window
        self.clock = clock
        self.logger: logging.Logger | None = None  # where the summary goes; set by install
        self.held = 0
        self._passed = 0
        self._start = clock()
        self._timer: asyncio.TimerHandle | None = None
        # Records may come from worker threads (asyncio.to_thread) as well as the loop's.
        self._lock = threading.RLock()

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, _SUMMARY, False):
            return True
        with self._lock:
            now = self.clock()
            if now - self._start >= self.window:
                self._roll(now)
            if self._passed >= self.lines:
                self.held += 1
                self._summarize_later(now)
                return False
            self._passed += 1
        one_line(record)
        return True

    def flush(self) -> None:
        """Say now how many lines were held back, if any (the window is over, or the server
        stops)."""
        with self._lock:
            self._roll(self.clock())

    def _roll(self, now: float) -> None:
        held, self.held, self._passed, self._start = self.held, 0, 0, now
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if held and self.logger is not None:
            # English, not through the catalog: it stands among aiohttp's and asyncio's own
            # lines, which are English, and says how many of them were left out.
            lines = "line" if held == 1 else "lines"
            summary = self.logger.makeRecord(
                self.logger.name, logging.WARNING, __file__, 0,
                f"{held} more log {lines} held back (too many in a minute).", (), None,
                extra={_SUMMARY: True})
            self.logger.handle(summary)

    def _summarize_later(self, now: float) -> None:
        """The summary comes when the window ends even if nothing more is logged, where a
        loop runs in this thread; elsewhere with the next record after the window."""
        if self._timer is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._timer = loop.call_later(max(0.0, self._start + self.window - now), self._due)

    def _due(self) -> None:
        with self._lock:
            self._timer = None
            if self.clock() - self._start >= self.window:
                self._roll(self.clock())


def one_line(record: logging.LogRecord) -> None:
    """A record about a connection as one line: its message and the error, no traceback
    (the traceback of a reset or of EMFILE says nothing the error does not)."""
    error = record.exc_info[1] if record.exc_info else None
    if not isinstance(error, OSError):
        return
    text = f"{record.getMessage()}: {error}"
    record.msg = " | ".join(line.strip() for line in text.splitlines() if line.strip())
    record.args = None
    record.exc_info = None
    record.exc_text = None


def install(names: Iterable[str] = LOGGERS) -> list[RateLimit]:
    """A RateLimit on each named logger, once per process (importing twice adds none)."""
    limits: list[RateLimit] = []
    for name in names:
        logger = logging.getLogger(name)
        found = next((f for f in logger.filters if isinstance(f, RateLimit)), None)
        if found is None:
            found = RateLimit()
            found.logger = logger
            logger.addFilter(found)
        limits.append(found)
    return limits
