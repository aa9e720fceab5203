"""One meeting, followed for every connected device at once.

The feed reads the meeting from the store when its file changed (one stat per poll, as the
projector window does), folds in the share journal, and keeps the page data encoded once as
a server-sent event, so a hundred phones cost one JSON encoding per change, not a hundred.
Each second it also encodes a tick, the timer alone, and wakes every stream to send it."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kring.sessions.errors import StoreError
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.room import room_view
from kring.sessions.model.clock import Clock
from kring.sessions.share.journal import Journal, journal_path
from kring.sessions.share.naming import Naming
from kring.sessions.share.page import page_state, timer_state
from kring.sessions.share.queue import ShareLog
from kring.sessions.store.facade import Store

# Seconds between looks at the meeting's file (one stat, and the journal's): what most of a
# phone's delay was at 0.2. The app also pokes the feed as it changes the phase or the turn.
POLL = 0.05
TICK = 1.0


def sse(event: str, data: Any) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"event: {event}\ndata: {text}\n\n".encode()


class MeetingFeed:
    def __init__(self, data: Path, meeting_id: str, clock: Clock,
                 state: Path | None = None, naming: Naming = Naming.ANY) -> None:
        self.store = Store(data)
        self.meeting_id = meeting_id
        self.clock = clock
        self.naming = naming  # the server's, copied here when it changes (set_naming)
        self.offer_minutes = False  # the server's too (set_offer_minutes)
        self.log = ShareLog(Journal(journal_path(meeting_id, state)))
        record = self.store.load(meeting_id)
        self.live = LiveMeeting(record.meeting, record.entries, self.store, clock)
        self.version = 0  # grows with every change of the page data
        self.seq = 0  # grows with every change and every tick: what streams wait on
        self.state: dict[str, Any] = {}
        self.message = b""  # the state as an event, encoded once for every stream
        self.tick_message = b""
        self.problem: str | None = None  # why the meeting cannot be read now, if it cannot
        self._changed = asyncio.Event()
        self._writing = asyncio.Lock()  # one journal write at a time: see write()
        self._task: asyncio.Task[None] | None = None
        self.on_change: list[Callable[[], None]] = []
        self._log_seen = -1
        self.rebuild()

    @property
    def ended(self) -> bool:
        return self.live.ended

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self.wake()

    async def wait(self, seen: int, timeout: float) -> None:
        """Until something new (a change or a tick) after ``seen`` (a ``seq``), or
        ``timeout`` seconds pass."""
        if self.seq != seen:
            return
        event = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)

    async def write(self, decide: Callable[[], list[dict[str, Any]]]) -> bool:
        """Write what ``decide`` returns (the lines a contribution or a ballot makes, decided
        from the journal as it is now) and fold it in; False when it decided on nothing.
        The deciding and folding run here, on the event loop, so the share log is never
        touched by two threads; only the write and its fsync go to a worker thread, one at
        a time, so a request is decided after the one before it is in the journal (a page
        sending a ballot twice writes it once). Raises ShareError (a full queue, a disk that
        refuses)."""
        async with self._writing:
            self.log.refresh()
            records = decide()
            if records:
                await asyncio.to_thread(self.log.journal.append_all, records)
            self.log.refresh()
        return bool(records)

    def poke(self) -> None:
        """Look now rather than at the next poll (the app changed something itself)."""
        self.poll()

    def poll(self) -> None:
        try:
            changed = self.live.sync()
            self.problem = None
        except StoreError as error:
            # Kept serving what it served: a file being repaired or a disk hiccup passes.
            self.problem = error.message
            changed = False
        self.log.refresh()
        # Counted, not taken from refresh(): this process's own appends (a vote opened in
        # the app, a ballot) were folded in when they were written.
        if changed or self.log.changes != self._log_seen:
            self.rebuild()

    def rebuild(self) -> None:
        self._log_seen = self.log.changes
        now = self.clock.now()
        state = page_state(self.live, self.log, now, self.naming,
                           offer_minutes=self.offer_minutes)
        if state != self.state:
            self.state = state
            self.version += 1
            self.message = sse("state", {**state, "version": self.version})
            self._tick(now)
            self.wake()
            for callback in self.on_change:
                callback()

    def _tick(self, now: Any = None) -> None:
        view = room_view(self.live, now or self.clock.now())
        self.tick_message = sse("tick", timer_state(view))

    def wake(self) -> None:
        self.seq += 1
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        next_tick = loop.time() + TICK
        while True:
            await asyncio.sleep(POLL)
            self.poll()
            if loop.time() >= next_tick:
                next_tick += TICK
                self._tick()
                self.wake()
