"""The privacy guard as the app holds it: one process for the app's lifetime (started when a
meeting first opens), its state as a Textual signal, and its answers awaited on the loop.

The process and what it answers are ``sessions/guard/process.py``'s; here they meet the
loop: the state is told from the process's reader thread and published on the app's loop,
and a request's future is awaited there."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

from textual.app import App
from textual.signal import Signal

from kring.sessions.guard.process import GuardOff, GuardProcess, GuardState, Spans


class AppGuard:
    def __init__(self, app: App[None], state: Path) -> None:
        self.changed: Signal[GuardState] = Signal(app, "guard-changed")
        self._loop = asyncio.get_running_loop()
        self._process = GuardProcess(state, self._heard)
        self._process.start()

    @property
    def state(self) -> GuardState:
        return self._process.state

    @property
    def problem(self) -> str | None:
        return self._process.problem

    async def spot(self, texts: list[str]) -> Spans | None:
        """The spans of each text; None when the guard is off (it says why: ``problem``)."""
        if not texts:
            return []
        try:
            return await asyncio.wrap_future(self._process.spot(texts))
        except GuardOff:
            return None

    def stop(self) -> None:
        self._process.stop()

    def _heard(self, state: GuardState, _problem: str | None) -> None:
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody is left to tell
            self._loop.call_soon_threadsafe(self.changed.publish, state)
