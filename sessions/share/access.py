"""Who may come in: three kinds of access, each with its own secret token, exchanged once for
a session cookie, and revocable one kind at a time.

A token is 24 random bytes (192 bits) in URL-safe base64, compared in constant time. Opening
the URL that carries it starts a *session*: another random value, sent back as an HttpOnly,
SameSite=Strict cookie, after which the browser is sent on to a URL without the token (so it
stays out of the history, a screenshot of the address bar, and any Referer). Revoking a kind
draws a new token and ends every session of that kind at once. Nothing here outlives the
``Access`` object: when sharing stops, every token and session is gone.

The holder of a link may be hostile (a script, a link forwarded to a group chat): what one
session and one address may hold (sessions, streams) and do (writes a minute) is bounded
by ``Limits``, and a session idle for hours ends.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kring.sessions.i18n import N_

TOKEN_BYTES = 24  # ≥ 128 bits, as the issue asks; 192 costs nothing


class AccessKind(StrEnum):
    VIEW = "view"  # the phase, the time, who speaks: phones and a second projector
    CONTRIBUTE = "contribute"  # writing questions, reflections, advice; voting
    SCRIBE = "scribe"  # the whole meeting screen in a browser, for a note-taker

    @property
    def prefix(self) -> str:
        """The short path a token URL starts with: short, for the QR code."""
        return {"view": "v", "contribute": "c", "scribe": "s"}[self.value]

    @property
    def label(self) -> str:
        """N_-marked; translated where shown."""
        return {"view": N_("View"), "contribute": N_("Contribute"),
                "scribe": N_("Scribe")}[self.value]


# How many live connections (event streams, the scribe's terminal) each kind may hold at once.
DEFAULT_CAPS: dict[AccessKind, int] = {AccessKind.VIEW: 300, AccessKind.CONTRIBUTE: 150,
                                       AccessKind.SCRIBE: 2}


@dataclass(frozen=True, slots=True)
class Limits:
    """What one phone may hold and do, so that one phone cannot take the room's share. An
    *address* is what the server sees a request come from: on a school network, one device.
    The numbers leave a person room for mistakes (a page opened twice, a QR code scanned
    again, a tablet passed round) and nothing for a script."""

    sessions_per_address: int = 20
    sessions: int = 3000  # in all: the oldest idle one goes to make room
    streams_per_session: int = 3  # a page open in two tabs, and one reconnecting
    streams_per_address: int = 12
    idle: float = 2 * 3600.0  # seconds without a request or a stream: the session ends
    # Writes (contributions, ballots, taking one back): a burst, then a steady rate. A person
    # types a question in half a minute; the bucket bounds what one client adds to the
    # journal whatever it sends.
    burst: int = 20
    per_minute: float = 20.0
    address_burst: int = 40
    address_per_minute: float = 60.0


@dataclass(slots=True)
class Bucket:
    """A token bucket: ``burst`` writes at once, refilled at ``rate`` a second."""

    burst: int
    rate: float
    tokens: float
    at: float

    @classmethod
    def full(cls, burst: int, rate: float, now: float) -> Bucket:
        return cls(burst, rate, burst, now)

    def is_full(self, now: float) -> bool:
        """Whether it has refilled: forgetting it now loses nothing."""
        return self.tokens + (now - self.at) * self.rate >= self.burst

    def take(self, now: float) -> bool:
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


@dataclass(slots=True)
class Session:
    kind: AccessKind
    generation: int  # the token generation it was opened with; a revocation ends it
    address: str
    # Who this session is to the journal (a voter, a contribution's source): issued here,
    # never chosen by the phone, and not the cookie, so a journal line holds no secret.
    public: str
    seen: float  # when it last made a request or held a stream (monotonic seconds)
    writes: Bucket
    streams: int = 0


@dataclass
class Access:
    """The tokens, the sessions they opened and the connections those hold, per kind, per
    session and per address."""

    caps: dict[AccessKind, int] = field(default_factory=lambda: dict(DEFAULT_CAPS))
    make_secret: Callable[[int], str] = secrets.token_urlsafe
    limits: Limits = field(default_factory=Limits)
    now: Callable[[], float] = time.monotonic  # passed in: tests control the clock

    def __post_init__(self) -> None:
        self._tokens = {kind: self.make_secret(TOKEN_BYTES) for kind in AccessKind}
        self._generation = dict.fromkeys(AccessKind, 0)
        self._sessions: dict[str, Session] = {}
        self._connections = dict.fromkeys(AccessKind, 0)
        self._address_streams: dict[str, int] = {}
        self._address_writes: dict[str, Bucket] = {}
        # Called when a token or the set of sessions changed: the server keeps them on
        # disk, so that after a crash sharing comes back on the same URLs (resume.py).
        self.on_change: Callable[[], None] | None = None

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    # -- kept across a crash -----------------------------------------------------------------

    def record(self) -> dict[str, Any]:
        """The tokens and sessions, as JSON-ready data (secrets: kept 0600, state only)."""
        now = self.now()
        # How long each has been idle, not when it was last seen: the clock is this
        # process's own (monotonic), and the next process counts from its own.
        return {"tokens": {kind.value: token for kind, token in self._tokens.items()},
                "generation": {kind.value: n for kind, n in self._generation.items()},
                "sessions": [[secret, s.kind.value, s.generation, s.address, s.public,
                              0.0 if s.streams else round(now - s.seen, 1)]
                             for secret, s in self._sessions.items()]}

    def restore(self, record: dict[str, Any]) -> bool:
        """Take the tokens and sessions of ``record`` (from ``record()`` of a server that
        crashed); False, and nothing changed, when it is not one."""
        try:
            tokens = {AccessKind(kind): str(token)
                      for kind, token in record["tokens"].items()}
            generation = {AccessKind(kind): int(n) for kind, n in record["generation"].items()}
            now = self.now()
            sessions = {
                str(secret): Session(AccessKind(kind), int(gen), str(address), str(public),
                                     seen=now - max(0.0, float(idle)),
                                     writes=self._writes(now))
                for secret, kind, gen, address, public, idle in record["sessions"]}
        except (KeyError, TypeError, ValueError, AttributeError):
            return False
        if set(tokens) != set(AccessKind) or set(generation) != set(AccessKind) or any(
                len(token) < TOKEN_BYTES for token in tokens.values()):
            return False
        self._tokens, self._generation = tokens, generation
        self._sessions = dict(list(sessions.items())[-self.limits.sessions:])
        return True

    def token(self, kind: AccessKind) -> str:
        return self._tokens[kind]

    def kind_of_token(self, token: str) -> AccessKind | None:
        """The kind ``token`` opens, or None. Every kind is compared, in constant time each,
        so neither the answer's timing nor its order tells an attacker anything."""
        found = None
        for kind, secret in self._tokens.items():
            if hmac.compare_digest(secret.encode(), token.encode("utf-8", "replace")):
                found = kind
        return found

    # -- sessions ----------------------------------------------------------------------------

    def open_session(self, kind: AccessKind, address: str = "") -> str | None:
        """A new session of ``kind`` for a device at ``address``; None when that address
        holds as many sessions as one device may (each new one would be another voter)."""
        now = self.now()
        self.expire(now)
        if self.sessions_at(address) >= self.limits.sessions_per_address:
            return None
        if len(self._sessions) >= self.limits.sessions:
            idle = [(s.seen, key) for key, s in self._sessions.items() if not s.streams]
            if not idle:
                return None
            del self._sessions[min(idle)[1]]
        secret = self.make_secret(TOKEN_BYTES)
        self._sessions[secret] = Session(
            kind, self._generation[kind], address, public=self.make_secret(9), seen=now,
            writes=self._writes(now))
        self._changed()
        return secret

    def session(self, secret: str | None) -> Session | None:
        """The live session ``secret`` names, marked as seen now; None when there is none
        (unknown, idle too long, or its kind was revoked since)."""
        if not secret:
            return None
        # A dict lookup by a secret key: Python's hash of a str does not leak by timing in a
        # way a network round trip can measure, and the keys are 192 random bits.
        found = self._sessions.get(secret)
        if found is None or found.generation != self._generation[found.kind]:
            return None
        now = self.now()
        if not found.streams and now - found.seen > self.limits.idle:
            del self._sessions[secret]
            return None
        found.seen = now
        return found

    def session_kind(self, secret: str | None) -> AccessKind | None:
        found = self.session(secret)
        return None if found is None else found.kind

    def sessions_at(self, address: str) -> int:
        return sum(1 for s in self._sessions.values() if s.address == address)

    def neighbours(self, session: Session) -> frozenset[str]:
        """The public ids of every session from ``session``'s address, its own included."""
        return frozenset(s.public for s in self._sessions.values()
                         if s.address == session.address)

    def sessions(self, kind: AccessKind) -> int:
        """How many live sessions of ``kind`` there are: devices that came in, connected or
        not (beside the voters, it shows a facilitator a phone making itself many)."""
        return sum(1 for s in self._sessions.values()
                   if s.kind is kind and s.generation == self._generation[kind])

    def expire(self, now: float | None = None) -> int:
        """End the sessions idle too long; how many ended."""
        now = self.now() if now is None else now
        idle = [key for key, s in self._sessions.items()
                if not s.streams and now - s.seen > self.limits.idle]
        for key in idle:
            del self._sessions[key]
        if idle:
            self._changed()
        return len(idle)

    def may_write(self, session: Session) -> bool:
        """Whether ``session`` may add to the journal now: its own budget and its
        address's both have room (and each is spent)."""
        now = self.now()
        limits = self.limits
        address = self._address_writes.get(session.address)
        if address is None:
            if len(self._address_writes) >= limits.sessions:  # addresses seen, each kept
                self._address_writes = {key: bucket for key, bucket
                                        in self._address_writes.items()
                                        if not bucket.is_full(now)}
            address = self._address_writes[session.address] = Bucket.full(
                limits.address_burst, limits.address_per_minute / 60, now)
        return session.writes.take(now) and address.take(now)

    def _writes(self, now: float) -> Bucket:
        """A new session's budget of writes."""
        return Bucket.full(self.limits.burst, self.limits.per_minute / 60, now)

    def revoke(self, kind: AccessKind) -> str:
        """A new token for ``kind``; the old one and every session it opened are dead now."""
        self._generation[kind] += 1
        self._tokens[kind] = self.make_secret(TOKEN_BYTES)
        self._sessions = {key: s for key, s in self._sessions.items() if s.kind is not kind}
        self._changed()
        return self._tokens[kind]

    def generation(self, kind: AccessKind) -> int:
        return self._generation[kind]

    # -- connections -------------------------------------------------------------------------

    def connect(self, kind: AccessKind, session: Session | None = None) -> bool:
        """Count a new connection of ``kind`` (of ``session``, when it has one); False, and
        not counted, when the kind, the session or its address holds all it may."""
        if self._connections[kind] >= self.caps[kind]:
            return False
        if session is not None:
            address = self._address_streams.get(session.address, 0)
            if (session.streams >= self.limits.streams_per_session
                    or address >= self.limits.streams_per_address):
                return False
            session.streams += 1
            session.seen = self.now()
            self._address_streams[session.address] = address + 1
        self._connections[kind] += 1
        return True

    def disconnect(self, kind: AccessKind, session: Session | None = None) -> None:
        self._connections[kind] = max(0, self._connections[kind] - 1)
        if session is not None:
            session.streams = max(0, session.streams - 1)
            session.seen = self.now()
            left = self._address_streams.get(session.address, 1) - 1
            if left > 0:
                self._address_streams[session.address] = left
            else:
                self._address_streams.pop(session.address, None)

    def connected(self, kind: AccessKind) -> int:
        """How many devices are connected with ``kind`` now (one live stream each)."""
        return self._connections[kind]
