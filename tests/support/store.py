"""Records to put in a store: a meeting and its entries as the store's own tests make them,
on 25 November 2026 from nine o'clock; and ``Mutate``, the tests' way to change a meeting's
header as they please."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.model.protocol import Capture
from kring.sessions.store.changes import MeetingChange

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def meeting(meeting_id: str = "m1", **changes: object) -> Meeting:
    """A meeting of Team 4B (three people, a one-phase incident protocol), ``changes`` set on
    it."""
    base = Meeting(
        id=meeting_id, community="Team 4B", date=date(2026, 11, 25),
        protocol={"id": "incident", "name": "Incident method", "phases": [{"id": "facts"}]},
        created_at=START, participants=["Anna", "Bram", "Chris"],
        roles={"facilitator": "Anna", "note-taker": "Bram"},
    )
    for key, value in changes.items():
        setattr(base, key, value)
    return base


def entry(entry_id: str, text: str = "a note", seconds: int = 0, **changes: object) -> Entry:
    """A fact ``seconds`` after the start, ``changes`` set on it."""
    made = Entry(id=entry_id, kind=Capture.FACT, text=text, step="facts",
                 created_at=datetime.fromtimestamp(START.timestamp() + seconds, UTC))
    for key, value in changes.items():
        setattr(made, key, value)
    return made


@dataclass(frozen=True)
class Mutate(MeetingChange):
    """Any change to a meeting's header, as a function of the meeting: the tests' way to set
    up a header (``store.apply(meeting_id, Mutate(fn))``) where none of the app's changes
    (``sessions/meeting/changes.py``) says it. Made on the meeting as stored, as they are."""

    fn: Callable[[Meeting], object]

    def make(self, meeting: Meeting) -> None:
        self.fn(meeting)

    def describe(self) -> str:
        return "change the header (a test's)"
