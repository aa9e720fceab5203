"""What a live meeting needs from the store, as an interface: the meeting knows how to hold a
meeting, not where or how it is kept. The ``Store`` fits it; tests pass simpler recorders."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar, cast
from typing import Protocol as Interface

from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.store.changes import AddEntry, Change, DeleteEntry, EditEntry, MeetingChange

R = TypeVar("R")
T = TypeVar("T")


class Recorder(Interface):
    """The part of the store a live meeting writes through: every change is one ``apply``
    (``sessions/store/changes.py``). A write the disk refuses raises ``TransientError``, whose
    text says why in words for people."""

    def apply(self, meeting_id: str, change: Change[R]) -> R: ...
    def create_meeting(self, meeting: Meeting, entries: Sequence[Entry] = ()) -> None: ...
    def needs_reload(self, meeting_id: str) -> bool: ...
    def load(self, meeting_id: str) -> Record: ...


class Record(Interface):
    meeting: Meeting
    entries: list[Entry]


class PartsRecorder(Interface):
    """A recorder with a method for each kind of change instead of ``apply``: the in-memory
    doubles tests wrote before changes were data. ``send`` drives one through them; once
    none is left, this and ``_by_parts`` go."""

    def update_meeting(self, meeting_id: str, mutate: Callable[[Meeting], T]) -> T: ...
    def add_entry(self, meeting_id: str, entry: Entry) -> None: ...
    def edit_entry(self, meeting_id: str, entry_id: str,
                   changes: Mapping[str, object]) -> Entry | None: ...
    def delete_entry(self, meeting_id: str, entry_id: str) -> Entry | None: ...
    def create_meeting(self, meeting: Meeting, entries: Sequence[Entry] = ()) -> None: ...
    def needs_reload(self, meeting_id: str) -> bool: ...
    def load(self, meeting_id: str) -> Record: ...


def send(recorder: Recorder | PartsRecorder, meeting_id: str, change: Change[Any]) -> object:
    """Make ``change`` through ``recorder``: its ``apply``, or, for a ``PartsRecorder``, the
    method for the change's kind (looked up now, not when the meeting was opened)."""
    apply = getattr(recorder, "apply", None)
    if callable(apply):
        return apply(meeting_id, change)
    return _by_parts(cast(PartsRecorder, recorder), meeting_id, change)


def _by_parts(recorder: PartsRecorder, meeting_id: str, change: Change[Any]) -> object:
    if isinstance(change, MeetingChange):
        def made(meeting: Meeting) -> Meeting:
            change.make(meeting)
            return meeting

        return recorder.update_meeting(meeting_id, made)
    if isinstance(change, AddEntry):
        recorder.add_entry(meeting_id, change.entry)
        return None
    if isinstance(change, EditEntry):
        edited = recorder.edit_entry(meeting_id, change.entry_id, change.fields)
        if edited is None and change.restore is not None:
            recorder.add_entry(meeting_id, change.restore)
            return change.restore
        return edited
    if isinstance(change, DeleteEntry):
        return recorder.delete_entry(meeting_id, change.entry_id)
    raise TypeError(f"not a change a recorder makes: {change!r}")
