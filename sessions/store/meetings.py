"""Meeting files: load one, change its header or its entries, take a rescue copy back in.

Every change is one locked read-modify-write of the meeting's file (``Recovery.transaction``):
so two processes never lose each other's changes, and a change is on disk when the method
returns. A change to the header also updates the meeting's summary in the index; entries never
touch the index (it only lists meetings).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from kring.sessions.errors import NotFoundError
from kring.sessions.i18n import _
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.store.files.atomic import Stamp, current_stamp
from kring.sessions.store.layout import Layout
from kring.sessions.store.listing import MeetingIndex
from kring.sessions.store.meeting_file import meeting_storage
from kring.sessions.store.records import (
    ENTRIES_TABLE,
    drop_entry,
    find_entry,
    meeting_header,
    put_entry,
    put_header,
    record_of,
)
from kring.sessions.store.recovery import Recovery
from kring.sessions.store.rescue import newer, read_rescue
from kring.sessions.store.storage import AtomicJSONStorage, KringDB, table_of
from kring.sessions.store.summary import MeetingSummary

T = TypeVar("T")

_REMEMBERED = 16  # meetings whose parsed file a store keeps between commits


@dataclass(slots=True)
class MeetingRecord:
    meeting: Meeting
    entries: list[Entry]  # in the order they were created
    stamp: Stamp  # the version of the file this was read from; see Store.changed_since


class Meetings:
    """The meeting files of one data folder, as one process sees them."""

    def __init__(self, layout: Layout, recovery: Recovery, index: MeetingIndex) -> None:
        self.layout = layout
        self.recovery = recovery
        self.index = index
        # A storage remembers the file it last read or wrote, so a commit does not parse the
        # whole meeting again: kept for the meetings used most recently.
        self._storages: dict[str, AtomicJSONStorage] = {}
        self._known: dict[str, Stamp | None] = {}  # see needs_reload

    def create(self, meeting: Meeting, entries: Iterable[Entry]) -> None:
        with self._edit(meeting.id, create=True) as db:
            self.recovery.keep_old_backup(self.storage(meeting.id))
            put_header(db, meeting)
            for entry in entries:
                put_entry(db, entry)
        self._index_put(meeting)

    def load(self, meeting_id: str) -> MeetingRecord:
        with self.recovery.mutex:
            storage = self.storage(meeting_id)
            tables = self.recovery.read(storage)
            if tables is None:
                raise NotFoundError(_("There is no meeting {id}.").format(id=meeting_id))
            assert storage.stamp is not None
            meeting, entries = record_of(tables)
            self._known[meeting_id] = storage.stamp
            return MeetingRecord(meeting, entries, storage.stamp)

    def save(self, meeting: Meeting) -> None:
        with self._edit(meeting.id) as db:
            before = MeetingSummary.of(meeting_header(db.storage.read()))
            put_header(db, meeting)
        self._index_put(meeting, before)

    def update(self, meeting_id: str, mutate: Callable[[Meeting], T]) -> T:
        with self._edit(meeting_id) as db:
            meeting = meeting_header(db.storage.read())
            before = MeetingSummary.of(meeting)
            result = mutate(meeting)
            if meeting.id != meeting_id:
                raise ValueError("a meeting's id cannot change")
            put_header(db, meeting)
        self._index_put(meeting, before)
        return result

    def add_entry(self, meeting_id: str, entry: Entry) -> None:
        with self._edit(meeting_id) as db:
            put_entry(db, entry)

    def edit_entry(self, meeting_id: str, entry_id: str,
                   changes: Mapping[str, object]) -> Entry | None:
        with self._edit(meeting_id) as db:
            doc_id = find_entry(db, entry_id)
            if doc_id is None:
                return None
            stored = Entry.from_dict((db.storage.read() or {})[ENTRIES_TABLE][str(doc_id)])
            edited = replace(stored, **changes)  # type: ignore[arg-type]
            if edited.id != entry_id:
                raise ValueError("an entry's id cannot change")
            if edited != stored:
                table_of(db, ENTRIES_TABLE).put(edited.to_dict(), doc_id)
            return edited

    def delete_entry(self, meeting_id: str, entry_id: str) -> Entry | None:
        with self._edit(meeting_id) as db:
            return drop_entry(db, entry_id)

    def restore_backup(self, meeting_id: str) -> MeetingRecord:
        self.recovery.restore(self.storage(meeting_id))
        record = self.load(meeting_id)
        self._index_put(record.meeting)
        return record

    def import_rescued(self, path: Path) -> str:
        meeting, entries, written = read_rescue(path)
        with self._edit(meeting.id, create=True) as db:
            storage = self.storage(meeting.id)
            tables = db.storage.read()
            stored: dict[str, Entry] = {}
            header = meeting
            if tables is None:
                self.recovery.keep_old_backup(storage)
            else:
                stored = {entry.id: entry for entry in record_of(tables)[1]}
                if storage.stamp is not None and storage.stamp.mtime_ns > written:
                    header = meeting_header(tables)  # changed on disk after the rescue
            if tables is None or header is meeting:
                put_header(db, meeting)
            for entry in entries:
                if entry != stored.get(entry.id) and newer(entry, stored.get(entry.id)):
                    put_entry(db, entry)
        self._index_put(header)
        return meeting.id

    # -- noticing other processes' changes --------------------------------------------------

    def stamp(self, meeting_id: str) -> Stamp | None:
        return current_stamp(self.layout.meeting(meeting_id))

    def needs_reload(self, meeting_id: str) -> bool:
        return meeting_id not in self._known or self.stamp(meeting_id) != self._known[meeting_id]

    # -- the machinery ----------------------------------------------------------------------

    def storage(self, meeting_id: str) -> AtomicJSONStorage:
        storage = self._storages.pop(meeting_id, None)
        if storage is None:
            storage = meeting_storage(self.layout, meeting_id)
            if len(self._storages) >= _REMEMBERED:  # forget the longest unused
                del self._storages[next(iter(self._storages))]
        self._storages[meeting_id] = storage  # most recently used last
        return storage

    @contextmanager
    def _edit(self, meeting_id: str, *, create: bool = False) -> Iterator[KringDB]:
        missing = None if create else _("There is no meeting {id}.").format(id=meeting_id)
        with self.recovery.mutex:
            storage = self.storage(meeting_id)
            with self.recovery.transaction(storage, missing=missing) as db:
                before = storage.stamp
                yield db
            # Our save sits on top of what we last handed out only if nobody saved in between
            # (or if there was nothing before it: then we wrote all there is).
            if before is None or self._known.get(meeting_id) == before:
                self._known[meeting_id] = storage.stamp

    def _index_put(self, meeting: Meeting, before: MeetingSummary | None = None) -> None:
        self.index.put(meeting, self.storage(meeting.id).stamp, before)
