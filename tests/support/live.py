"""A meeting held through ``LiveMeeting`` on a recorder in memory that keeps what a store
would and can be told to refuse: the meeting's state machine without a disk or a screen."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import TypeVar, cast

from kring.sessions.errors import CorruptFileError, SaveError
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.model.protocol import Role
from kring.sessions.protocols.templates import load_protocol
from kring.sessions.store.changes import AddEntry, Change, DeleteEntry, EditEntry, MeetingChange
from kring.templates import BUILTIN_DIR

R = TypeVar("R")


class MemoryRecorder:
    """Keeps what a store would, as deep copies, and can be told to refuse writes."""

    def __init__(self, meeting: Meeting) -> None:
        self.meeting = copy.deepcopy(meeting)
        self.entries: dict[str, Entry] = {}
        self.refuse: str | None = None

    def _check(self) -> None:
        if self.refuse:
            raise SaveError("meeting m1", self.refuse)
        if self.broken:
            raise CorruptFileError(Path("m1.json"), "it is cut off")

    def apply(self, meeting_id: str, change: Change[R]) -> R:
        """As ``Store.apply``: each change as its docstring says (``sessions/store/changes.py``),
        on the copies kept here; what it returns, a copy."""
        self._check()
        if isinstance(change, MeetingChange):
            self.meeting = change.apply_to(self.meeting)
            return cast(R, copy.deepcopy(self.meeting))
        if isinstance(change, AddEntry):
            self._put(change.entry)
            return cast(R, None)
        if isinstance(change, EditEntry):
            stored = self.entries.get(change.entry_id)
            if stored is None:  # deleted meanwhile: the edit brings it back, or nothing
                if change.restore is not None:
                    self._put(change.restore)
                return cast(R, change.restore)
            self.entries[change.entry_id] = replace(stored, **change.fields)  # type: ignore[arg-type]
            return cast(R, copy.deepcopy(self.entries[change.entry_id]))
        if isinstance(change, DeleteEntry):
            return cast(R, self.entries.pop(change.entry_id, None))
        raise TypeError(f"not a change a recorder makes: {change!r}")

    def _put(self, entry: Entry) -> None:
        self.entries[entry.id] = copy.deepcopy(entry)

    changed_elsewhere = False
    broken: bool = False

    def create_meeting(self, meeting: Meeting, entries: Sequence[Entry] = ()) -> None:
        if self.refuse:
            raise SaveError("meeting m1", self.refuse)
        self.broken = False  # as the store does: a fresh file where the broken one was
        self.meeting = copy.deepcopy(meeting)
        self.entries = {e.id: copy.deepcopy(e) for e in entries}

    def needs_reload(self, meeting_id: str) -> bool:
        return self.changed_elsewhere

    def load(self, meeting_id: str) -> SimpleNamespace:
        self.changed_elsewhere = False
        return SimpleNamespace(meeting=copy.deepcopy(self.meeting),
                               entries=[copy.deepcopy(e) for e in self.entries.values()])


PEOPLE = ["Anouk", "Bram", "Chantal", "Dev"]


def plan(protocol_id: str = "incident", people: list[str] = PEOPLE) -> MeetingPlan:
    """A meeting of CoP Inclusion on 25 November 2026, Anouk facilitating, Bram's case."""
    protocol = load_protocol(BUILTIN_DIR / "en" / f"{protocol_id}.toml")
    result = MeetingPlan(protocol, community="CoP Inclusion", date=date(2026, 11, 25),
                         participants=list(people))
    result.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: "Bram"}
    return result


def live(clock: FakeClock, protocol_id: str = "incident",
         people: list[str] = PEOPLE) -> tuple[LiveMeeting, MemoryRecorder]:
    """``plan``'s meeting, started on a ``MemoryRecorder``; both returned."""
    meeting = plan(protocol_id, people).create(clock)
    recorder = MemoryRecorder(meeting)
    session = LiveMeeting(meeting, [], recorder, clock)
    session.start()
    return session, recorder
