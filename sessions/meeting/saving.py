"""Saving a live meeting: every change committed before the method returns, or, when the
disk refuses (full, read-only), applied in memory, queued and retried; and taking in what
another window saved. ``LiveMeeting`` builds on this; here is only how changes reach the disk.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from kring.sessions.errors import StoreError
from kring.sessions.meeting.pending import PendingWrites
from kring.sessions.meeting.recorder import Recorder
from kring.sessions.model.clock import Clock
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.store.rescue import write_rescue


class SavedMeeting:
    """A meeting and its entries as this window holds them, kept in step with the store."""

    def __init__(self, meeting: Meeting, entries: Sequence[Entry], recorder: Recorder,
                 clock: Clock) -> None:
        self.meeting = meeting
        self.entries: list[Entry] = list(entries)
        self.recorder = recorder
        self.clock = clock
        self._pending = PendingWrites()
        self._file_lost = False  # the meeting's file was found broken and set aside

    def _reloaded(self) -> None:
        """Called after another window's changes were read in."""

    # -- saving and other windows -------------------------------------------------------------

    def sync(self) -> bool:
        """Retry refused saves, then take in what another window saved. Cheap when nothing
        changed (one stat), so the screen calls it every second. True if anything changed."""
        if self._file_lost:
            self._save_whole()
        if self._pending and not self.retry_saves():
            return False
        if not self.recorder.needs_reload(self.meeting.id):
            return False
        record = self.recorder.load(self.meeting.id)
        self.meeting, self.entries = record.meeting, list(record.entries)
        self._reloaded()
        return True

    @property
    def unsaved(self) -> int:
        return len(self._pending)

    @property
    def last_error(self) -> str | None:
        error = self._pending.last_error
        return str(error) if error is not None else None

    def rescue(self, folder: Path) -> Path:
        """Write the whole meeting as this window holds it (the changes the disk refused
        included) to a new private file in ``folder``, which ``Store.import_rescued`` takes
        back in. Needs nothing from the data folder. Raises StoreError if this fails too."""
        return write_rescue(folder, self.meeting, self.entries, self.clock.now())

    def retry_saves(self) -> bool:
        """Replay the writes the disk refused, in order. True when none are left."""
        try:
            return self._pending.retry()
        except StoreError:
            self._file_lost = True
            return False

    def _write(self, write: Callable[[], object]) -> None:
        # Queued behind any refused write: a later change must never land before an earlier.
        try:
            self._pending.submit(write)
        except StoreError:
            self._file_lost = True  # sync() writes the whole meeting afresh from memory

    def _save_whole(self) -> None:
        """The store set the meeting's file aside as unreadable: this window holds the most
        complete copy there is, so it is written afresh and the queued changes are in it."""
        try:
            self.recorder.create_meeting(self.meeting, self.entries)
        except StoreError:
            return  # still in memory; the next sync tries again
        self._pending.drop_all()
        self._file_lost = False

    def _change(self, mutate: Callable[[Meeting], None]) -> None:
        """Apply a change to the meeting as stored (re-read under the lock, so another window's
        changes are kept), then adopt the stored result; in memory alone if the disk refuses."""
        result: list[Meeting] = []

        def write() -> None:
            def apply(meeting: Meeting) -> Meeting:
                mutate(meeting)
                return meeting

            result.append(self.recorder.update_meeting(self.meeting.id, apply))

        self._write(write)
        if result:
            self.meeting = result[-1]
        else:
            mutate(self.meeting)  # the disk refused: the change lives in memory until a retry

