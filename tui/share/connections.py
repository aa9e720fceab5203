"""How many connections the share server holds, and for how long, so that one device cannot
deny the room (issue 22, invariant 3). A phone holding a link opened 2,000 sockets that sent
half a request and stopped (slowloris): the server kept them all, ran out of files, and
refused everyone.

Now a connection that is not busy (no request in hand: still sending its headers, or kept
alive after its last answer) is closed ``timeout`` seconds after it connected or after its
last request ended. A busy one (an event stream, the scribe's socket, any request being
answered) is never closed for time. The server holds at most ``limit`` connections, below
the process's limit on open files, and at most ``per_address`` from one address (a phone's
browser opens about six). When either is full a newcomer is still let in: the connection
idle longest makes room for it (of the newcomer's own address when that one is full), never
a busy one; only when all in the way are busy is the newcomer itself closed.

``Tracker`` is that rule and nothing else, on a clock it is given (the tests give it a fake
one). ``Gate`` applies it to aiohttp through its public seams: ``web.Server`` is documented
as a protocol factory for ``loop.create_server``, so the gate wraps it and counts each
connection in ``connection_made`` and out in ``connection_lost``; its middleware marks a
connection busy while a request is handled; and a sweeper closes, once a second, what is
past its deadline. aiohttp's own keep-alive timer is no substitute: it neither counts nor
evicts, and until lately (aio-libs/aiohttp#13681) it did not run before a first request,
while this project takes aiohttp from 3.9 on.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter, OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar, cast

from aiohttp import web

HEADER_TIMEOUT = 10.0  # seconds to send a request's headers, or between requests
PER_ADDRESS = 64  # connections from one address; a phone's browser opens about six
FILES_CEILING = 8192  # the soft limit on open files is raised towards the hard one, to this
BACKLOG = 128  # connections waiting to be accepted; asyncio accepts as many per loop turn
# Files the process keeps for itself (the meeting, the journal, the scribe's terminals, the
# app's own when it shares), and the sockets accepted in the loop turns before the gate sees
# them or before an evicted one's file is closed: about three turns of BACKLOG each.
RESERVE = 3 * BACKLOG + 64
UNKNOWN_LIMIT = 512  # where no limit on open files can be read (Windows: select() holds 512)

C = TypeVar("C", bound=Hashable)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def open_files_limit(ceiling: int = FILES_CEILING) -> int | None:
    """The process's soft limit on open files, raised first towards its hard limit (at most
    ``ceiling``; a limit is never lowered). None where it cannot be read."""
    try:
        import resource
    except ImportError:  # Unix only: Windows has no such limit to read
        return None
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (ValueError, OSError):
        return None
    infinity = resource.RLIM_INFINITY
    wanted = ceiling if hard == infinity else min(hard, ceiling)
    if soft != infinity and soft < wanted:
        # macOS refuses a soft limit above its own maximum with EINVAL: the old one stands.
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
    return None if soft == infinity else soft


def connection_limit(files: int | None) -> int:
    """How many connections to hold with ``files`` open files allowed: the rest is the
    process's reserve, and at least half stays for connections when the limit is small."""
    if files is None:
        return UNKNOWN_LIMIT
    return max(files - RESERVE, files // 2, 1)


@dataclass
class _Held:
    address: str
    since: float  # when it connected, or when its last request ended
    busy: int = 0  # requests in hand (aiohttp handles one at a time; counted to be safe)


class Tracker(Generic[C]):
    """Which connections are held, from where, busy or since when idle; what must be closed
    to let a newcomer in, and what is past its deadline. Closes nothing itself: it says
    which connections to close, and forgets those it names."""

    def __init__(self, *, limit: int, per_address: int = PER_ADDRESS,
                 timeout: float = HEADER_TIMEOUT,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.per_address = per_address
        self.timeout = timeout
        self.clock = clock
        self._held: dict[C, _Held] = {}
        self._count: Counter[str] = Counter()
        # Idle connections in the order they became idle, which is also the order of their
        # deadlines (one timeout for all): the first is the one to evict or expire first.
        self._idle: OrderedDict[C, None] = OrderedDict()
        self._idle_from: dict[str, OrderedDict[C, None]] = {}

    def __len__(self) -> int:
        return len(self._held)

    def __contains__(self, conn: object) -> bool:
        return conn in self._held

    def held(self, address: str) -> int:
        return self._count[address]

    def is_busy(self, conn: C) -> bool:
        held = self._held.get(conn)
        return held is not None and held.busy > 0

    def open(self, conn: C, address: str) -> list[C]:
        """Count ``conn`` in, from ``address``. Returns what to close now: the connection
        that made room for it (forgotten already), none when there was room, or ``[conn]``
        itself, not counted, when every connection in its way is busy."""
        out: list[C] = []
        if self._count[address] >= self.per_address or len(self._held) >= self.limit:
            # Of its own address when that is full: one address cannot push out another's.
            idle = (self._idle_from.get(address, OrderedDict())
                    if self._count[address] >= self.per_address else self._idle)
            room = next(iter(idle), None)
            if room is None:
                return [conn]
            self.closed(room)
            out.append(room)
        self._held[conn] = _Held(address, self.clock())
        self._count[address] += 1
        self._rest(conn, address)
        return out

    def begin(self, conn: C) -> None:
        """A request of ``conn`` is being handled: it is busy until ``end``."""
        held = self._held.get(conn)
        if held is None:
            return
        held.busy += 1
        self._idle.pop(conn, None)
        self._idle_from.get(held.address, OrderedDict()).pop(conn, None)

    def end(self, conn: C) -> None:
        """A request of ``conn`` was handled: idle again, with a fresh deadline."""
        held = self._held.get(conn)
        if held is None or held.busy == 0:
            return
        held.busy -= 1
        if held.busy == 0:
            held.since = self.clock()
            self._rest(conn, held.address)

    def touch(self, conn: C) -> None:
        """An idle ``conn`` gets a fresh deadline (its answer is still being written)."""
        held = self._held.get(conn)
        if held is not None and held.busy == 0:
            held.since = self.clock()
            self._idle.pop(conn, None)
            self._idle_from[held.address].pop(conn, None)
            self._rest(conn, held.address)

    def closed(self, conn: C) -> None:
        """``conn`` is gone; forgetting one already forgotten is nothing."""
        held = self._held.pop(conn, None)
        if held is None:
            return
        self._count[held.address] -= 1
        if not self._count[held.address]:
            del self._count[held.address]
        self._idle.pop(conn, None)
        idle = self._idle_from.get(held.address)
        if idle is not None:
            idle.pop(conn, None)
            if not idle:
                del self._idle_from[held.address]

    def expired(self) -> list[C]:
        """The idle connections past their deadline, longest idle first; they stay counted
        until ``closed`` (or get a new deadline with ``touch``)."""
        deadline = self.clock() - self.timeout
        out: list[C] = []
        for conn in self._idle:
            if self._held[conn].since > deadline:
                break
            out.append(conn)
        return out

    def _rest(self, conn: C, address: str) -> None:
        self._idle[conn] = None
        self._idle_from.setdefault(address, OrderedDict())[conn] = None


class Gate:
    """The tracker on a running aiohttp server: ``protocol_factory`` wraps aiohttp's, its
    ``middleware`` goes first in the application's, and ``start``/``stop`` run the sweeper
    in the server's event loop."""

    def __init__(self, *, limit: int, per_address: int = PER_ADDRESS,
                 timeout: float = HEADER_TIMEOUT) -> None:
        self.tracker: Tracker[asyncio.Transport] = Tracker(
            limit=limit, per_address=per_address, timeout=timeout, clock=time.monotonic)
        self.refused = 0  # newcomers closed because every connection in the way was busy
        self.evicted = 0  # connections closed to make room for a newcomer
        self.expired = 0  # connections closed for time
        self._sweeper: asyncio.Task[None] | None = None

    def protocol_factory(self, inner: Callable[[], asyncio.Protocol]
                         ) -> Callable[[], asyncio.Protocol]:
        return lambda: _Counted(inner(), self)

    def opened(self, transport: asyncio.Transport) -> None:
        peer = transport.get_extra_info("peername")
        address = str(peer[0]) if isinstance(peer, tuple) and peer else ""
        for out in self.tracker.open(transport, address):
            if out is transport:
                self.refused += 1
            else:
                self.evicted += 1
            # abort, not close: the file is freed on the next loop turn, whatever an idle
            # connection had left to write (a slow reader's answer) is dropped.
            out.abort()

    def lost(self, transport: asyncio.Transport) -> None:
        self.tracker.closed(transport)

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        transport = request.transport
        if transport is None or transport not in self.tracker:
            return await handler(request)
        self.tracker.begin(transport)
        try:
            return await handler(request)
        finally:
            self.tracker.end(transport)

    def sweep(self) -> None:
        """Close the connections past their deadline. One whose answer is still going out
        when its handler has returned (unsent bytes; a file being sent, during which the
        transport stops reading) gets a fresh deadline instead: it is still being served."""
        for transport in self.tracker.expired():
            writing = transport.get_write_buffer_size() or not transport.is_reading()
            if writing and not transport.is_closing():
                self.tracker.touch(transport)
                continue
            self.tracker.closed(transport)
            self.expired += 1
            transport.abort()

    def start(self) -> None:
        self._sweeper = asyncio.get_running_loop().create_task(self._sweep())

    async def stop(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sweeper
            self._sweeper = None

    async def _sweep(self) -> None:
        interval = min(1.0, self.tracker.timeout / 4)
        while True:
            await asyncio.sleep(interval)
            self.sweep()


class _Counted(asyncio.Protocol):
    """One connection as the gate sees it: aiohttp's protocol does all the HTTP; this one
    passes everything on to it, and tells the gate when the connection comes and goes."""

    def __init__(self, inner: asyncio.Protocol, gate: Gate) -> None:
        self._inner = inner
        self._gate = gate
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)
        self._inner.connection_made(transport)
        # After aiohttp has it: a connection closed here is lost the ordinary way.
        self._gate.opened(self._transport)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._transport is not None:
            self._gate.lost(self._transport)
        self._inner.connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received()

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()
