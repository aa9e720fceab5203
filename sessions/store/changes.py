"""Changes to a meeting as data: what ``Store.apply`` makes, what a live meeting queues while the
disk refuses, and what a queue can show (``describe``) rather than an opaque function.

A change is applied to the meeting as stored when it is applied (re-read under the store's
lock), never to the copy the window held when it was made: so another window's or laptop's
change made meanwhile is kept, and a change retried after the disk refused it lands on what is
there then. Each is safe to apply twice (a save that failed may have got partway): adding an
entry whose id is there replaces it, an edit sets fields, a deletion of what is gone does
nothing.

The store knows three changes to entries (add, edit, delete) and one to the header: a
``MeetingChange``, which says itself how it changes a meeting (``make``); the live meeting's
(a phase started, time added, names protected) are in ``sessions/meeting/changes.py``.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from kring.sessions.model.meeting import Entry, Meeting

R = TypeVar("R", covariant=True)


class Change(Generic[R]):
    """One change to one meeting; ``R`` is what applying it returns. Printed, it says what it
    does in a few words (ids and field names, never the text typed: a queue may be logged)."""

    def describe(self) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        return self.describe()


@dataclass(frozen=True)
class AddEntry(Change[None]):
    """Put an entry, whole: a new one, or one brought back (undo). One whose id is there
    already is replaced."""

    entry: Entry

    def describe(self) -> str:
        return f"add entry {self.entry.id} ({self.entry.kind.value}) in step {self.entry.step}"


@dataclass(frozen=True)
class EditEntry(Change[Entry | None]):
    """Set only ``fields`` (``Entry`` field name -> value) on the entry as it is stored then, so
    that another window's change to another field is kept. Returns the entry as saved; if it
    was deleted meanwhile, ``restore`` (the entry as edited here) is put back whole, as an edit
    is never thrown away, or, without one, nothing is written and the result is None."""

    entry_id: str
    fields: Mapping[str, object]
    restore: Entry | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", dict(self.fields))  # the caller's dict may change

    def describe(self) -> str:
        return f"edit entry {self.entry_id}: {', '.join(sorted(self.fields)) or 'nothing'}"


@dataclass(frozen=True)
class DeleteEntry(Change[Entry | None]):
    """Remove an entry; returns it as it was (to undo, add it again), None if it was gone."""

    entry_id: str

    def describe(self) -> str:
        return f"delete entry {self.entry_id}"


class MeetingChange(Change[Meeting]):
    """A change to the meeting's header (everything but its entries): ``make`` makes it on the
    meeting as stored then, and the store writes only what it changed. Applying one returns the
    meeting as saved. ``make`` should set values rather than add to them where it can: a
    retry after a save that got partway runs it again."""

    def make(self, meeting: Meeting) -> None:
        """Make the change on ``meeting`` itself."""
        raise NotImplementedError

    def apply_to(self, meeting: Meeting) -> Meeting:
        """``meeting`` with this change made; ``meeting`` itself is left as it was."""
        changed = copy.deepcopy(meeting)
        self.make(changed)
        return changed
