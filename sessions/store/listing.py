"""Listing meetings: served from the index file, kept up to date as meetings are saved.

The index is derived data (see ``index.py``): a meeting file whose stamp the index does not
know is read again, an unreadable index is set aside and rebuilt, and an index that cannot be
written is left stale. So the index costs time when it is wrong, never correctness.
"""

from __future__ import annotations

from collections.abc import Iterable

from kring.sessions.errors import CorruptFileError, StoreError, TransientError, UnreadableError
from kring.sessions.i18n import _
from kring.sessions.model.meeting import Meeting
from kring.sessions.store import index
from kring.sessions.store.files.atomic import Stamp, move_aside
from kring.sessions.store.files.envelope import read_document, write_document
from kring.sessions.store.files.locking import file_lock
from kring.sessions.store.layout import CORRUPT_LABEL, INDEX_KIND, INDEX_WHAT, Layout
from kring.sessions.store.meeting_file import meeting_storage
from kring.sessions.store.records import meeting_header
from kring.sessions.store.recovery import Recovery
from kring.sessions.store.summary import MeetingSummary, newest_first


class MeetingIndex:
    """The list of meetings, and the index file behind it."""

    def __init__(self, layout: Layout, recovery: Recovery) -> None:
        self.layout = layout
        self.recovery = recovery

    def list(self) -> list[MeetingSummary]:
        """Summaries of every readable meeting, newest first. Meeting files whose stamp the
        index does not know are read (and the index updated); unreadable ones are set aside
        and reported in the recovery's problems."""
        with self.recovery.mutex:
            known = self._read()
            found = index.scan(self.layout.meetings)
            fresh: dict[str, index.IndexEntry] = {}
            listed: list[MeetingSummary] = []
            for meeting_id, stamp in found.files.items():
                entry = known.get(meeting_id)
                if entry is None or entry.stamp != stamp:
                    entry = self._entry_of(meeting_id)
                    if entry is None:
                        continue
                    fresh[meeting_id] = entry
                listed.append(entry.summary)
            gone = [meeting_id for meeting_id in known if meeting_id not in found.files]
            if fresh or gone:
                self._update(fresh, gone)
            for meeting_id in found.backup_only:
                self.recovery.note_backup_only(meeting_storage(self.layout, meeting_id),
                                               meeting_id)
        return newest_first(listed)

    def rebuild(self) -> int:
        """Write the index afresh from the meeting files; returns how many meetings it holds.
        A broken index is set aside first, never written over."""
        with self.recovery.mutex:
            entries = {}
            for meeting_id in index.scan(self.layout.meetings).files:
                entry = self._entry_of(meeting_id)
                if entry is not None:
                    entries[meeting_id] = entry
            with file_lock(self.layout.index, _(INDEX_WHAT), self.recovery.lock_timeout):
                self._read(locked=True)
                write_document(self.layout.index, INDEX_KIND, index.to_data(entries),
                               _(INDEX_WHAT))
        return len(entries)

    def put(self, meeting: Meeting, stamp: Stamp | None,
            before: MeetingSummary | None = None) -> None:
        """Record the meeting's summary (its file now at ``stamp``) unless it is the same as
        ``before``: a stale stamp alone only makes the next list read this one file again."""
        summary = MeetingSummary.of(meeting)
        if stamp is not None and summary != before:
            self._update({meeting.id: index.IndexEntry(summary, stamp)}, ())

    def _read(self, *, locked: bool = False) -> dict[str, index.IndexEntry]:
        """The index's entries; {} when it is missing or unreadable (a broken one is set aside:
        derived data, so not a problem worth the user's attention; doctor lists it)."""
        try:
            got = read_document(self.layout.index, INDEX_KIND, _(INDEX_WHAT))
        except CorruptFileError:
            try:
                if locked:
                    move_aside(self.layout.index, CORRUPT_LABEL, self.recovery.clock.now())
                else:
                    with file_lock(self.layout.index, _(INDEX_WHAT),
                                   self.recovery.lock_timeout):
                        return self._read(locked=True)
            except (OSError, TransientError):
                pass
            return {}
        except (UnreadableError, TransientError):
            return {}  # the meeting files can stand in for it
        return {} if got is None else index.parse(got[0])

    def _entry_of(self, meeting_id: str) -> index.IndexEntry | None:
        """Summary and stamp taken from the meeting file itself; None if it is unreadable."""
        # A storage of its own: listing should not keep every meeting in memory.
        storage = meeting_storage(self.layout, meeting_id)
        try:
            tables = self.recovery.read(storage)
        except StoreError:
            return None
        if tables is None or storage.stamp is None:
            return None
        return index.IndexEntry(MeetingSummary.of(meeting_header(tables)), storage.stamp)

    def _update(self, put: dict[str, index.IndexEntry], gone: Iterable[str]) -> None:
        try:
            with file_lock(self.layout.index, _(INDEX_WHAT), self.recovery.lock_timeout):
                entries = self._read(locked=True)
                entries.update(put)
                for meeting_id in gone:
                    if not self.layout.meeting(meeting_id).exists():
                        entries.pop(meeting_id, None)
                write_document(self.layout.index, INDEX_KIND, index.to_data(entries),
                               _(INDEX_WHAT))
        except TransientError:
            pass  # derived data: the next list notices the stale stamps and reads the files
