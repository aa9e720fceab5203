"""How fast one address may send requests. The limits per session (access.py) decide what a
flood may keep; this decides what answering it costs. The share server runs in the
facilitator's own app when shared with F12, and a script on one phone sent 600 to 2,400
requests a second, nearly all refused, each still parsed, routed and answered on the loop
that draws the facilitator's screen.

An address has a bucket of requests (a page load is five or six, a phone's whole evening a
few hundred); past it, a request is held for ``penalty`` seconds and then refused (429). A
held request costs a sleeping coroutine, and a client with its connections full of held
requests sends no more: one address gets at most its connections per ``penalty`` seconds
answered, the few thousand a second it could send are never read."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from kring.sessions.share.access import Bucket

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
BURST = 200  # requests at once: thirty phones behind one address loading their pages
PER_SECOND = 20.0  # a phone sends a few an hour once its page is loaded
PENALTY = 2.0  # seconds a request over the pace waits before its 429
KEEP = 4096  # addresses remembered; past that, the ones with a full bucket are forgotten


class Pace:
    def __init__(self, *, burst: int = BURST, per_second: float = PER_SECOND,
                 penalty: float = PENALTY, now: Callable[[], float] = time.monotonic) -> None:
        self.burst = burst
        self.per_second = per_second
        self.penalty = penalty
        self.now = now
        self.held = 0  # requests held and refused so far: what a benchmark reports
        self._buckets: dict[str, Bucket] = {}

    def allows(self, address: str) -> bool:
        """Whether a request from ``address`` is answered now (and spend one)."""
        now = self.now()
        bucket = self._buckets.get(address)
        if bucket is None:
            if len(self._buckets) >= KEEP:
                self._forget_idle(now)
            bucket = self._buckets[address] = Bucket.full(self.burst, self.per_second, now)
        return bucket.take(now)

    def _forget_idle(self, now: float) -> None:
        """Forget the addresses whose bucket has refilled: nothing is lost by it."""
        self._buckets = {address: bucket for address, bucket in self._buckets.items()
                         if not bucket.is_full(now)}

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if self.allows(request.remote or ""):
            return await handler(request)
        self.held += 1
        await asyncio.sleep(self.penalty)
        raise web.HTTPTooManyRequests(text="429 Too Many Requests",
                                      headers={"Retry-After": str(round(self.penalty))})
