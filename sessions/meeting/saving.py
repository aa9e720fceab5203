"""Saving a live meeting: every change committed before the method returns, or, when the
disk refuses (full, read-only), applied in memory, queued and retried; and taking in what
another window saved. ``LiveMeeting`` builds on this; here is only how changes reach the disk.

A change is data (``AddEntry``, ``StartPhase``, ...: ``sessions/store/changes.py``,
``sessions/meeting/changes.py``), sent to the store's one ``apply``; what waits can be listed
(``waiting``), each saying what it does.

What waits in memory is lost if the process is killed. So a window given a keeper (its draft
slot, in the state folder: often another disk, with room) also writes the whole meeting there
after every change while anything waits, and removes that copy once nothing does; a window of
the meeting opened later takes back in the copies a stopped one left (``keep_unsaved_in``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from enum import Enum
from pathlib import Path
from typing import Any, Literal, TypeVar, cast
from typing import Protocol as Interface

from kring.sessions.errors import StoreError, TransientError, UnreadableError
from kring.sessions.meeting.changes import TakeInCopy
from kring.sessions.meeting.pending import PendingWrites
from kring.sessions.meeting.recorder import Recorder
from kring.sessions.model.clock import Clock
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.store.changes import Change, DeleteEntry, MeetingChange
from kring.sessions.store.rescue import merged_entries, read_rescued, write_rescue

R = TypeVar("R")


class Keeper(Interface):
    """Where a window keeps what the data folder has not taken yet: its draft slot's
    ``unsaved`` (``KeptCopies`` in rescue.py). ``keep_unsaved`` and ``forget_unsaved`` raise
    SaveError when that disk refuses too."""

    def keep_unsaved(self, meeting: Meeting, entries: Sequence[Entry],
                     deleted: Collection[str] = ()) -> None: ...
    def forget_unsaved(self) -> None: ...
    def left_unsaved(self) -> list[Path]: ...
    def drop_left(self, path: Path) -> None: ...
    def set_aside_left(self, path: Path, error: UnreadableError) -> None: ...


TakeIn = Callable[[Path], object]  # Store.import_rescued

Queued = Change[Any] | TakeInCopy  # what waits while the disk refuses


class Waiting(Enum):
    WAITING = "waiting"  # a change the disk refused: made in memory, queued


WAITING = Waiting.WAITING


class SavedMeeting:
    """A meeting and its entries as this window holds them, kept in step with the store."""

    def __init__(self, meeting: Meeting, entries: Sequence[Entry],
                 recorder: Recorder, clock: Clock) -> None:
        self.meeting = meeting
        self.entries: list[Entry] = list(entries)
        # Counts the changes made to ``entries`` in place, for what is worked out from them
        # again only when they changed (the coach looks each second); a new list is a change.
        self.entries_changes = 0
        self.recorder = recorder
        self.clock = clock
        self._pending: PendingWrites[Queued] = PendingWrites(self._send)
        self._landed: object = WAITING  # what the last change sent returned
        self._file_lost = False  # the meeting's file was found broken and set aside
        self._keeper: Keeper | None = None
        self._take_in: TakeIn | None = None
        self._kept = False  # our copy is on the keeper's disk
        self._kept_error: StoreError | None = None  # why the keeper's disk refused it too
        self._deleted: set[str] = set()  # entries deleted while saves wait (the copy says so)
        self._adopted: list[Path] = []  # stopped windows' copies waiting in the queue
        # Memory holds such a copy merged by hand: read the store's merge once it has it all
        # (in sync, never in the middle of a change, which goes on with the memory it had).
        self._merged = False

    def _reloaded(self) -> None:
        """Called after another window's changes were read in."""

    # -- saving and other windows -------------------------------------------------------------

    def sync(self) -> bool:
        """Retry refused saves, then take in what another window saved. Cheap when nothing
        changed (one stat), so the screen calls it every second. True if anything changed."""
        if self._file_lost:
            self._save_whole()
        if self._pending and not self.retry_saves():
            if self._kept_error is not None:
                self._keep()  # the keeper's disk may have room again
            return False
        if not self._merged and not self.recorder.needs_reload(self.meeting.id):
            return False
        self._reload()
        return True

    @property
    def unsaved(self) -> int:
        return len(self._pending)

    @property
    def waiting(self) -> tuple[Queued, ...]:
        """The changes the disk refused, in the order they will be tried again; each says
        what it does (``describe()``)."""
        return self._pending.waiting

    @property
    def last_error(self) -> str | None:
        error = self._pending.last_error
        return str(error) if error is not None else None

    @property
    def kept(self) -> bool:
        """What is not saved yet is on the keeper's disk too: a kill now loses none of it."""
        return bool(self._pending) and self._kept and self._kept_error is None

    @property
    def kept_error(self) -> str | None:
        """Why the keeper's disk refused the copy too (a sentence); None if it did not."""
        error = self._kept_error
        if error is None or not self._pending:
            return None
        reason = getattr(error, "reason", None) or str(error)
        return reason.rstrip(".")  # said inside a sentence

    def rescue(self, folder: Path) -> Path:
        """Write the whole meeting as this window holds it (the changes the disk refused
        included) to a new private file in ``folder``, which ``Store.import_rescued`` takes
        back in. Needs nothing from the data folder. Raises StoreError if this fails too."""
        return write_rescue(folder, self.meeting, self.entries, self.clock.now())

    def retry_saves(self) -> bool:
        """Replay the writes the disk refused, in order. True when none are left."""
        waiting = len(self._pending)
        try:
            done = self._pending.retry()
        except StoreError:
            self._file_lost = True
            return False
        if done:
            self._all_saved()
        elif len(self._pending) < waiting:
            # Part went through, after the copy was written: written again, the copy is newer
            # than the log, so taking it in still gives its header (the store's rule).
            self._keep()
        return done

    # -- keeping what waits, and taking in what a stopped window kept ------------------------

    def keep_unsaved_in(self, keeper: Keeper, take_in: TakeIn) -> int:
        """From now on keep what the data folder refuses in ``keeper`` too; first take back in
        (with ``take_in``: ``Store.import_rescued``) the copies windows of this meeting that
        stopped left there, oldest first. A copy the data folder refuses now is shown (the
        meeting in memory as taking it in will make it) and waits in the queue like any
        change. How many copies there were."""
        self._keeper, self._take_in = keeper, take_in
        left = keeper.left_unsaved()
        for path in left:
            self._adopt(path)
        if self._merged and not self._pending:
            self._reload_if_possible()  # taken in: the store's merge, and what else came
        return len(left)

    def _adopt(self, path: Path) -> None:
        assert self._keeper is not None
        try:
            rescued = read_rescued(path)
        except UnreadableError as error:
            self._keeper.set_aside_left(path, error)
            return
        except StoreError:
            return  # cannot be read now (a disk error): it stays for the next window
        self._adopted.append(path)
        # Shown at once, whether the data folder takes it now or later; the store's own merge
        # replaces this once it has taken everything in.
        self.meeting = rescued.meeting
        self.entries = merged_entries(self.entries, rescued)
        self._merged = True
        self._reloaded()
        self._submit(TakeInCopy(path, tuple(sorted(rescued.deleted))))
        self._keep()

    def _take_in_copy(self, change: TakeInCopy) -> None:
        """A save like any other (safe to run twice): the whole copy, then the deletions it
        lists, which a whole copy alone cannot make."""
        assert self._take_in is not None and self._keeper is not None
        self._take_in(change.path)
        for entry_id in change.deleted:
            self.recorder.apply(self.meeting.id, DeleteEntry(entry_id))
        self._keeper.drop_left(change.path)
        if change.path in self._adopted:
            self._adopted.remove(change.path)

    def _entries_changed(self, removed: Iterable[Entry] = ()) -> None:
        """Called by every change to ``entries``, after it: they change in memory only after
        their save was tried, and a copy kept for a refused save must hold the change."""
        self.entries_changes += 1
        if not self._pending:
            return  # the usual case: saved, nothing to keep
        for entry in removed:
            self._deleted.add(entry.id)
        self._keep()

    def _keep(self) -> None:
        """Write the copy of what waits: the whole meeting as held now."""
        if self._keeper is None or not self._pending:
            return
        # An entry added back (undo) after it was deleted is no longer deleted.
        deleted = self._deleted - {entry.id for entry in self.entries} if self._deleted else ()
        try:
            self._keeper.keep_unsaved(self.meeting, self.entries, deleted)
        except TransientError as error:
            self._kept_error = error  # said on screen: only the memory holds it now
            return
        self._kept, self._kept_error = True, None

    def _all_saved(self) -> None:
        """Nothing waits: the copy goes (if it cannot, the next window takes in a copy that
        holds nothing newer than the log, which changes nothing)."""
        self._deleted.clear()
        self._kept_error = None
        if self._keeper is None or not self._kept:
            return
        try:
            self._keeper.forget_unsaved()
        except TransientError:
            return  # tried again when everything is saved the next time
        self._kept = False

    # -- the machinery -----------------------------------------------------------------------

    def _reload(self) -> None:
        record = self.recorder.load(self.meeting.id)
        self.meeting, self.entries = record.meeting, list(record.entries)
        self._merged = False
        self._reloaded()

    def _reload_if_possible(self) -> None:
        try:
            self._reload()
        except StoreError:
            return  # the data folder cannot be read now: what memory holds stays shown

    def _save(self, change: Change[R]) -> R | Literal[Waiting.WAITING]:
        """Send ``change`` to the store, behind any that wait: what it returned (the entry or
        the meeting as saved), or ``WAITING`` when the disk refused it or one before it."""
        self._landed = WAITING
        if not self._submit(change):
            return WAITING
        return cast(R, self._landed)  # the last sent, as it was the last queued

    def _submit(self, change: Queued) -> bool:
        # Queued behind any refused change: a later change must never land before an earlier.
        try:
            saved = self._pending.submit(change)
        except StoreError:
            self._file_lost = True  # sync() writes the whole meeting afresh from memory
            return False
        if saved:
            self._all_saved()
        return saved

    def _send(self, change: Queued) -> object:
        """Make one queued change in the store (now or on a retry)."""
        if isinstance(change, TakeInCopy):
            self._take_in_copy(change)
            self._landed = None
        else:
            # The recorder's apply as it is now, not when the window opened: a test may have
            # replaced it since (a disk that refuses).
            self._landed = self.recorder.apply(self.meeting.id, change)
        return self._landed

    def _save_whole(self) -> None:
        """The store set the meeting's file aside as unreadable: this window holds the most
        complete copy there is, so it is written afresh and the queued changes are in it."""
        try:
            self.recorder.create_meeting(self.meeting, self.entries)
        except StoreError:
            return  # still in memory; the next sync tries again
        self._pending.drop_all()
        self._file_lost = False
        if self._keeper is not None:
            for path in self._adopted:  # in what was just written
                self._keeper.drop_left(path)
        self._adopted.clear()
        self._merged = False  # what was written is what memory holds
        self._all_saved()

    def _change(self, change: MeetingChange) -> None:
        """Make a change to the meeting as stored (re-read under the lock, so another window's
        changes are kept), then adopt the stored result; in memory alone if the disk refuses."""
        stored = self._save(change)
        # The disk refused: the change lives in memory (and the queue) until a retry.
        self.meeting = change.apply_to(self.meeting) if stored is WAITING else stored
        self._keep()
