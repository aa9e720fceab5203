"""What a live meeting needs from the store, as an interface: the meeting knows how to hold a
meeting, not where or how it is kept. The ``Store`` fits it; tests pass simpler recorders."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol as Interface
from typing import TypeVar

from kring.sessions.model.meeting import Entry, Meeting

T = TypeVar("T")


class Recorder(Interface):
    """The part of the store a live meeting writes through. A write the disk refuses raises
    ``TransientError``, whose text says why in words for people."""

    def update_meeting(self, meeting_id: str, mutate: Callable[[Meeting], T]) -> T: ...
    def add_entry(self, meeting_id: str, entry: Entry) -> None: ...
    def edit_entry(self, meeting_id: str, entry_id: str,
                   changes: Mapping[str, object]) -> Entry | None: ...
    def delete_entry(self, meeting_id: str, entry_id: str) -> Entry | None: ...
    def create_meeting(self, meeting: Meeting, entries: Sequence[Entry] = ()) -> None: ...
    def needs_reload(self, meeting_id: str) -> bool: ...
    def load(self, meeting_id: str) -> Record: ...


class Record(Interface):
    meeting: Meeting
    entries: list[Entry]
