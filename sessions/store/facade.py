"""The session store: meetings, drafts and communities on disk, safe against crashes, broken
files and a second Kring on the same data folder.

``Store`` is the one face the rest of Kring uses; each job sits in a module of its own:

    meetings.py      meeting files: load, change the header or entries, take a rescue back in
    communities.py   the communities file
    listing.py       the list of meetings, served from the index (index.py, summary.py)
    recovery.py      unreadable files: set aside, reported in ``problems``, restored
    drafts.py        what each window is still typing
    meeting_file.py  what a usable meeting file is; the one reader doctor and purge share

Every change is one locked read-modify-write of one small file: take the file's lock, read what
is on disk now, apply the change, write it atomically, let go. So two processes never lose each
other's changes, and a change is on disk when the method returns. Reads take no lock: files are
only ever replaced whole, so a reader sees one version or the next.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TypeVar

from kring.sessions.model.clock import Clock, SystemClock
from kring.sessions.model.community import Community
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.store.communities import Communities
from kring.sessions.store.drafts import DraftSlot
from kring.sessions.store.files.atomic import Stamp
from kring.sessions.store.layout import Layout
from kring.sessions.store.listing import MeetingIndex
from kring.sessions.store.meetings import MeetingRecord, Meetings
from kring.sessions.store.recovery import LoadProblem, Recovery
from kring.sessions.store.summary import MeetingSummary

T = TypeVar("T")

__all__ = ["LoadProblem", "MeetingRecord", "MeetingSummary", "Store"]


class Store:
    """All reading and writing of a data folder. One per process (or per test)."""

    def __init__(self, root: Path, clock: Clock | None = None, *,
                 lock_timeout: float = 10.0) -> None:
        self.layout = Layout(Path(root))
        self.clock: Clock = clock or SystemClock()
        self.lock_timeout = lock_timeout
        # The parts keep per-process caches; one lock keeps two threads (UI and a worker) from
        # interleaving inside one read-modify-write.
        self._recovery = Recovery(self.clock, lock_timeout, threading.RLock())
        self._index = MeetingIndex(self.layout, self._recovery)
        self._meetings = Meetings(self.layout, self._recovery, self._index)
        self._communities = Communities(self.layout, self._recovery)

    # -- problems ---------------------------------------------------------------------------

    @property
    def problems(self) -> list[LoadProblem]:
        """Files found unreadable since this store was opened (or still waiting for repair)."""
        return list(self._recovery.problems.values())

    def clear_problems(self) -> None:
        self._recovery.problems.clear()

    # -- meetings ---------------------------------------------------------------------------

    def create_meeting(self, meeting: Meeting, entries: Iterable[Entry] = ()) -> None:
        """Write a new meeting (with any entries it already has). Safe to retry: for an existing
        meeting this replaces the header and adds or replaces the entries given."""
        self._meetings.create(meeting, entries)

    def load(self, meeting_id: str) -> MeetingRecord:
        """The meeting as it is on disk now. Raises NotFoundError, CorruptFileError (the file
        has been moved aside; see ``problems``), NewerFormatError or ReadError."""
        return self._meetings.load(meeting_id)

    def save_meeting(self, meeting: Meeting) -> None:
        """Replace the meeting's header (everything but its entries) with ``meeting``."""
        self._meetings.save(meeting)

    def update_meeting(self, meeting_id: str, mutate: Callable[[Meeting], T]) -> T:
        """Apply ``mutate`` to the meeting as it is on disk now, and save it; returns what
        ``mutate`` returns. For retries after a SaveError, ``mutate`` should set values rather
        than add to them: it runs again on the file as it is then."""
        return self._meetings.update(meeting_id, mutate)

    def add_entry(self, meeting_id: str, entry: Entry) -> None:
        """Save an entry. Adding an entry whose id is already there replaces it, so a failed
        save can simply be tried again."""
        self._meetings.add_entry(meeting_id, entry)

    def update_entry(self, meeting_id: str, entry: Entry) -> None:
        """Save a whole entry as given. If another window deleted it meanwhile, it comes back:
        an edit is never thrown away. Prefer ``edit_entry``, which keeps other windows'
        changes to the entry's other fields."""
        self.add_entry(meeting_id, entry)

    def edit_entry(self, meeting_id: str, entry_id: str,
                   changes: Mapping[str, object]) -> Entry | None:
        """Set only the fields in ``changes`` (``Entry`` field name -> value) on the entry as
        it is on disk now, so that another window's change to another field is kept; returns
        the entry as saved, or None if it is not there (deleted elsewhere). It sets values,
        so running it twice is harmless (a retry after a SaveError)."""
        return self._meetings.edit_entry(meeting_id, entry_id, changes)

    def delete_entry(self, meeting_id: str, entry_id: str) -> Entry | None:
        """Remove an entry and return it (to undo, add it again); None if it was not there."""
        return self._meetings.delete_entry(meeting_id, entry_id)

    def restore_backup(self, meeting_id: str) -> MeetingRecord:
        """Put the newest readable state of a meeting back in place of a file that could not be
        read: its backup (the version before its last save) with whatever the copy set aside
        still holds laid over it. Refuses when the current file reads fine."""
        return self._meetings.restore_backup(meeting_id)

    def import_rescued(self, path: Path) -> str:
        """Take a rescue copy (``LiveMeeting.rescue``) back in; returns its meeting's id. Per
        entry the newer version wins (by when it was last changed); the header is the copy's
        if it was written after the meeting's file. Safe to repeat."""
        return self._meetings.import_rescued(path)

    def list_meetings(self) -> list[MeetingSummary]:
        """A summary of every readable meeting, newest first (``summary.newest_first``).

        Served from the index; meeting files whose stamp the index does not know are read
        (and the index updated). Unreadable ones are set aside and reported in ``problems``."""
        return self._index.list()

    def rebuild_index(self) -> int:
        """Write the index afresh from the meeting files (doctor --repair); returns how many
        meetings it holds. A broken index is set aside first, never written over."""
        return self._index.rebuild()

    # -- noticing other processes' changes --------------------------------------------------

    def stamp(self, meeting_id: str) -> Stamp | None:
        """The version of the meeting's file on disk now (one stat: cheap enough to poll)."""
        return self._meetings.stamp(meeting_id)

    def changed_since(self, meeting_id: str, stamp: Stamp | None) -> bool:
        return self.stamp(meeting_id) != stamp

    def needs_reload(self, meeting_id: str) -> bool:
        """Whether the file holds anything this store has not handed out: true after another
        process saved, false after our own saves on top of what we last loaded."""
        return self._meetings.needs_reload(meeting_id)

    # -- drafts -----------------------------------------------------------------------------

    def draft_slot(self, meeting_id: str) -> DraftSlot:
        """This window's draft of the meeting, holding what dead windows of it left in
        ``recovered``; ``close()`` it when the window goes. Never raises for a disk that
        refuses: then ``recovered`` is None and ``save`` says why."""
        self.layout.window_drafts(meeting_id)  # a bad id fails here, not on the first save
        return DraftSlot(self.layout, meeting_id, self.clock, lock_timeout=self.lock_timeout,
                         on_unreadable=self._recovery.draft_unreadable)

    # -- communities ------------------------------------------------------------------------

    def communities(self) -> list[Community]:
        """Every community, by name; none while their file cannot be read (see problems)."""
        return self._communities.all()

    def save_community(self, community: Community) -> None:
        """Add a community or replace the one with the same name."""
        self._communities.save(community)

    def update_community(self, name: str, mutate: Callable[[Community], T]) -> T:
        """Apply ``mutate`` to the community as it is on disk now (renaming it is allowed)."""
        return self._communities.update(name, mutate)

    def delete_community(self, name: str) -> Community | None:
        return self._communities.delete(name)

    def restore_communities_backup(self) -> list[Community]:
        return self._communities.restore_backup()
