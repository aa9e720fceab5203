"""What a live meeting needs from the store, as an interface: the meeting knows how to hold a
meeting, not where or how it is kept. The ``Store`` fits it; tests pass simpler recorders."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol as Interface
from typing import TypeVar

from kring.sessions.model.meeting import Entry, Meeting, MeetingWithEntries
from kring.sessions.store.changes import Change

R = TypeVar("R")


class Recorder(Interface):
    """The part of the store a live meeting writes through: every change is one ``apply``
    (``sessions/store/changes.py``). A write the disk refuses raises ``TransientError``, whose
    text says why in words for people."""

    def apply(self, meeting_id: str, change: Change[R]) -> R: ...
    def create_meeting(self, meeting: Meeting, entries: Sequence[Entry] = ()) -> None: ...
    def needs_reload(self, meeting_id: str) -> bool: ...
    def load(self, meeting_id: str) -> MeetingWithEntries: ...
