"""Who may come in: three kinds of access, each with its own secret token, exchanged once for
a session cookie, and revocable one kind at a time.

A token is 24 random bytes (192 bits) in URL-safe base64, compared in constant time. Opening
the URL that carries it starts a *session*: another random value, sent back as an HttpOnly,
SameSite=Strict cookie, after which the browser is sent on to a URL without the token (so it
stays out of the history, a screenshot of the address bar, and any Referer). Revoking a kind
draws a new token and ends every session of that kind at once. Nothing here outlives the
``Access`` object: when sharing stops, every token and session is gone.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

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


@dataclass(slots=True)
class Session:
    kind: AccessKind
    generation: int  # the token generation it was opened with; a revocation ends it


@dataclass
class Access:
    """The tokens, the sessions they opened and the connections those hold, per kind."""

    caps: dict[AccessKind, int] = field(default_factory=lambda: dict(DEFAULT_CAPS))
    make_secret: Callable[[int], str] = secrets.token_urlsafe

    def __post_init__(self) -> None:
        self._tokens = {kind: self.make_secret(TOKEN_BYTES) for kind in AccessKind}
        self._generation = dict.fromkeys(AccessKind, 0)
        self._sessions: dict[str, Session] = {}
        self._connections = dict.fromkeys(AccessKind, 0)

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

    def open_session(self, kind: AccessKind) -> str:
        session = self.make_secret(TOKEN_BYTES)
        self._sessions[session] = Session(kind, self._generation[kind])
        return session

    def session_kind(self, session: str | None) -> AccessKind | None:
        """The kind of a live session, or None (unknown, or its kind was revoked since)."""
        if not session:
            return None
        # A dict lookup by a secret key: Python's hash of a str does not leak by timing in a
        # way a network round trip can measure, and the keys are 192 random bits.
        found = self._sessions.get(session)
        if found is None or found.generation != self._generation[found.kind]:
            return None
        return found.kind

    def revoke(self, kind: AccessKind) -> str:
        """A new token for ``kind``; the old one and every session it opened are dead now."""
        self._generation[kind] += 1
        self._tokens[kind] = self.make_secret(TOKEN_BYTES)
        self._sessions = {key: s for key, s in self._sessions.items() if s.kind is not kind}
        return self._tokens[kind]

    def generation(self, kind: AccessKind) -> int:
        return self._generation[kind]

    # -- connections -------------------------------------------------------------------------

    def connect(self, kind: AccessKind) -> bool:
        """Count a new connection of ``kind``; False (and not counted) when it is full."""
        if self._connections[kind] >= self.caps[kind]:
            return False
        self._connections[kind] += 1
        return True

    def disconnect(self, kind: AccessKind) -> None:
        self._connections[kind] = max(0, self._connections[kind] - 1)

    def connected(self, kind: AccessKind) -> int:
        """How many devices are connected with ``kind`` now (one live stream each)."""
        return self._connections[kind]
