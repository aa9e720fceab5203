"""A meeting held through ``LiveMeeting`` on a recorder in memory that keeps what a store
would and can be told to refuse: the meeting's state machine without a disk or a screen."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import TypeVar

from kring.sessions.errors import CorruptFileError, SaveError
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.model.protocol import Role
from kring.sessions.protocols.templates import load_protocol
from kring.templates import BUILTIN_DIR

T = TypeVar("T")


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

    def update_meeting(self, meeting_id: str, mutate: Callable[[Meeting], T]) -> T:
        self._check()
        fresh = copy.deepcopy(self.meeting)
        result = mutate(fresh)
        self.meeting = fresh
        return copy.deepcopy(result)

    def add_entry(self, meeting_id: str, entry: Entry) -> None:
        self._check()
        self.entries[entry.id] = copy.deepcopy(entry)

    def edit_entry(self, meeting_id: str, entry_id: str,
                   changes: Mapping[str, object]) -> Entry | None:
        self._check()
        if entry_id not in self.entries:
            return None
        self.entries[entry_id] = replace(self.entries[entry_id], **changes)  # type: ignore[arg-type]
        return copy.deepcopy(self.entries[entry_id])

    def delete_entry(self, meeting_id: str, entry_id: str) -> Entry | None:
        self._check()
        return self.entries.pop(entry_id, None)

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
