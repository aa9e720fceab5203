"""The share server: one aiohttp application on one address and port, for one meeting.

Off until started, on loopback unless an address is named, on a random port unless one is
given. Every path is refused (401) without a session of its kind, which only the URL with
that kind's token opens; ``guard.py`` checks Host and Origin and sets the headers. Nothing
is logged per request (no access log): a token must never reach a log. Bodies are capped
(413), streams per kind are capped (429), and there is no directory listing anywhere: static
files are served by name from a fixed list. No device can hold the server (``connections.py``):
connections are counted, capped per address and in all, and closed when idle too long; and
what aiohttp and asyncio log about bad connections is a few lines a minute (``logs.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from pathlib import Path

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from kring.sessions.errors import StoreError
from kring.sessions.i18n import _
from kring.sessions.model.clock import Clock, SystemClock
from kring.sessions.share.access import Access, AccessKind
from kring.sessions.share.journal import ShareError
from kring.sessions.share.naming import Naming
from kring.sessions.share.resume import Resumable, forget, keep, resumable, resume_path
from kring.tui.share import handlers, logs
from kring.tui.share.connections import (
    BACKLOG,
    HEADER_TIMEOUT,
    PER_ADDRESS,
    Gate,
    connection_limit,
    open_files_limit,
)
from kring.tui.share.feed import MeetingFeed
from kring.tui.share.guard import Guard, add_headers, host_with_port
from kring.tui.share.minutes import MinutesForRoom
from kring.tui.share.pace import Pace
from kring.tui.share.scribe import Scribe

KEEP_AFTER = 0.2  # seconds: sessions opened this long before a crash come back with it
MAX_BODY = 16 * 1024  # bytes: a contribution is at most 1,000 characters


class _BadRequests(logging.Filter):
    """Keeps aiohttp from logging a request it could not parse (two Host headers, a header
    line too long) with a traceback: it answered 4xx already, and a phone sending such
    requests must not write tracebacks on the facilitator's terminal. A 5xx is still logged:
    that one is ours to fix."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return not (isinstance(error, HttpProcessingError) and 400 <= error.code < 500)


_SERVER_LOG = logging.getLogger("aiohttp.server")
if not any(isinstance(f, _BadRequests) for f in _SERVER_LOG.filters):
    _SERVER_LOG.addFilter(_BadRequests())
# After _BadRequests: a record it drops uses up none of the few lines a minute.
logs.install()


class ShareServer:
    def __init__(self, data: Path, meeting_id: str, *, address: str = "127.0.0.1",
                 port: int = 0, clock: Clock | None = None,
                 caps: dict[AccessKind, int] | None = None, state: Path | None = None,
                 scribe_command: str | None = None, naming: Naming = Naming.ANY,
                 header_timeout: float = HEADER_TIMEOUT, max_connections: int | None = None,
                 per_address: int = PER_ADDRESS, resume: bool = True,
                 offer_minutes: bool = True) -> None:
        self.data = data
        self.meeting_id = meeting_id
        self.address = address
        self.requested_port = port
        self.port = 0
        self.clock: Clock = clock or SystemClock()
        self.access = Access(caps=caps) if caps is not None else Access()
        self.guard = Guard()
        self.state = state
        self.scribe = Scribe(scribe_command)
        self.feed: MeetingFeed | None = None
        self.naming = naming  # whether contributions are signed: handlers.send applies it
        # Once the meeting has ended, the room's pages offer its minutes (the Markdown and the
        # one-page handout) until sharing stops, unless the facilitator turned that off.
        self.offer_minutes = offer_minutes
        self.minutes = MinutesForRoom()
        self.closing = False
        self.on_change: list[Callable[[], None]] = []  # devices connected or left
        self.header_timeout = header_timeout
        self.max_connections = max_connections  # None: as many as the file limit allows
        self.per_address = per_address
        self.gate: Gate | None = None
        self.pace = Pace()  # requests a second per address: a flood costs little to answer
        # Kept in the state folder while sharing, so that after a crash sharing this meeting
        # again comes back on the same URLs and sessions (sessions/share/resume.py).
        self.resume = resume
        self.resumed = False  # this server took up where a crashed one stopped
        self._keeping: asyncio.TimerHandle | None = None
        self._runner: web.AppRunner | None = None
        self._listening: asyncio.Server | None = None
        self._keeps: set[asyncio.Task[None]] = set()  # keeping the sessions: _keep_now

    # -- running -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen. Raises ShareError (a sentence) when the meeting cannot be read or the
        address and port cannot be used."""
        try:
            self.feed = MeetingFeed(self.data, self.meeting_id, self.clock, self.state,
                                    self.naming)
        except StoreError as error:
            raise ShareError(error.message) from error
        self.feed.offer_minutes = self.offer_minutes
        self.feed.rebuild()
        limit = self.max_connections or connection_limit(open_files_limit())
        gate = Gate(limit=limit, per_address=self.per_address, timeout=self.header_timeout)
        # The gate first: a request is busy from the moment a handler could see it.
        app = web.Application(client_max_size=MAX_BODY,
                              middlewares=[gate.middleware, self.pace.middleware,
                                           self.guard.middleware],
                              handler_args={"max_field_size": 8190})
        app.on_response_prepare.append(add_headers)
        app[handlers.SERVER] = self
        handlers.add_routes(app)
        runner = web.AppRunner(app, access_log=None, handle_signals=False,
                               shutdown_timeout=1.0)
        await runner.setup()
        assert runner.server is not None
        # Listening ourselves rather than with web.TCPSite, which hands aiohttp's protocol
        # factory to the loop as it is: the gate must see every connection come and go.
        loop = asyncio.get_running_loop()
        factory = gate.protocol_factory(runner.server)
        listening = None
        found = self._resumable()
        if found is not None:
            with contextlib.suppress(OSError):  # taken meanwhile: new URLs, as ever
                listening = await loop.create_server(factory, self.address, found.port,
                                                     backlog=BACKLOG)
            self.resumed = listening is not None and self.access.restore(found.access)
        if listening is None:
            try:
                listening = await loop.create_server(factory, self.address,
                                                     self.requested_port, backlog=BACKLOG)
            except OSError as error:
                await runner.cleanup()
                raise ShareError(_("Cannot share on {address} port {port}: {reason}.").format(
                    address=self.address, port=self.requested_port or _("any"),
                    reason=error.strerror or str(error))) from error
        self._runner = runner
        self._listening = listening
        self.gate = gate
        self.port = int(listening.sockets[0].getsockname()[1])
        self.guard.allow(self.address, self.port)
        gate.start()
        self.feed.start()
        if self.resume:
            self.access.on_change = self._keep_soon
            self._keep(self.access.record())

    def _resumable(self) -> Resumable | None:
        """What a crashed sharing of this meeting on this address left, to take up."""
        if not self.resume:
            return None
        found = resumable(resume_path(self.meeting_id, self.state), self.address,
                          self.clock.now())
        if found is None or self.requested_port not in (0, found.port):
            return None
        return found

    def _keep_soon(self) -> None:
        """A session came or went: kept within ``KEEP_AFTER`` seconds, in a worker thread,
        once for all that changed meanwhile (a room joining at once is one write, and the
        loop that serves it never waits for a disk)."""
        if self._keeping is None and not self.closing:
            self._keeping = asyncio.get_running_loop().call_later(KEEP_AFTER, self._keep_now)

    def _keep_now(self) -> None:
        self._keeping = None
        if not self.closing:
            task = asyncio.get_running_loop().create_task(
                asyncio.to_thread(self._keep, self.access.record()))
            self._keeps.add(task)
            task.add_done_callback(self._keeps.discard)

    def _keep(self, record: dict[str, object]) -> None:
        """The tokens and sessions as they were, for after a crash. A disk that refuses
        costs only that: sharing goes on, and a crash would mean new URLs."""
        with contextlib.suppress(StoreError):
            keep(resume_path(self.meeting_id, self.state), self.address, self.port,
                 record, self.clock.now())

    async def stop(self) -> None:
        """Stop sharing: every token and session dies with the server."""
        self.closing = True
        if self._keeping is not None:
            self._keeping.cancel()
            self._keeping = None
        if self.resume:
            self.access.on_change = None
            for task in list(self._keeps):  # a keep under way must not outlive forget
                with contextlib.suppress(Exception):
                    await task
            forget(resume_path(self.meeting_id, self.state))
        await self.scribe.close_all()
        if self.feed is not None:
            await self.feed.stop()
        if self._listening is not None:
            self._listening.close()  # no newcomer while the rest shuts down
        if self.gate is not None:
            await self.gate.stop()
        if self._runner is not None:
            await self._runner.cleanup()  # closes every connection it still has
            self._runner = None
        if self._listening is not None:
            # Since Python 3.12 this waits for every connection: the runner closed them.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._listening.wait_closed(), 1.0)
            self._listening = None

    # -- what the facilitator sees and does --------------------------------------------------

    def url(self, kind: AccessKind) -> str:
        host = host_with_port(self.address, self.port)
        return f"http://{host}/{kind.prefix}/{self.access.token(kind)}"

    def urls(self) -> dict[str, str]:
        return {kind.value: self.url(kind) for kind in AccessKind}

    def connected(self, kind: AccessKind) -> int:
        return self.access.connected(kind)

    async def revoke(self, kind: AccessKind) -> str:
        """A new URL for ``kind``; every device using the old one is cut off now."""
        self.access.revoke(kind)
        if kind is AccessKind.SCRIBE:
            await self.scribe.close_all()
        if self.feed is not None:
            self.feed.wake()  # open streams look at their session again, and end
        self.changed()
        return self.url(kind)

    def set_naming(self, naming: Naming) -> None:
        """From now on: a form already open that still offers a name has it dropped (or,
        named only, is asked for one) when sent; the pages change within a poll."""
        self.naming = naming
        if self.feed is not None:
            self.feed.naming = naming
            self.feed.rebuild()

    def set_offer_minutes(self, offer: bool) -> None:
        """Whether the room's pages offer the minutes once the meeting has ended."""
        self.offer_minutes = offer
        if self.feed is not None:
            self.feed.offer_minutes = offer
            self.feed.rebuild()

    def changed(self) -> None:
        for callback in self.on_change:
            with contextlib.suppress(Exception):
                callback()
