"""The session store: meetings, drafts and communities on disk, safe against crashes, broken
files and a second Kring on the same data folder.

Every change is one locked read-modify-write of one small file: take the file's lock, read what
is on disk now, apply the change, write it atomically, let go. So two processes never lose each
other's changes, and a change is on disk when the method returns. Reads take no lock: files are
only ever replaced whole, so a reader sees one version or the next.

A file that cannot be read is never written over: it is moved aside as
``<name>.corrupt-<UTC time>`` and reported in ``Store.problems``. ``restore_backup`` puts the
newest readable state in its place: the backup (the version before its last save) with every
entry and header still readable in the copy set aside laid over it (``sessions/salvage.py``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from kring.sessions.errors import (
    BusyError,
    CorruptFileError,
    NewerFormatError,
    NotFoundError,
    SaveError,
    StoreError,
    TransientError,
    UnreadableError,
    capitalized,
    unreadable,
)
from kring.sessions.i18n import _
from kring.sessions.model.clock import Clock, SystemClock
from kring.sessions.model.community import Community
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.store import index
from kring.sessions.store.checks import check_communities, check_meeting, check_with
from kring.sessions.store.drafts import DraftSlot
from kring.sessions.store.files.atomic import (
    Stamp,
    atomic_write,
    backup_path,
    current_stamp,
    describe,
    move_aside,
    read_file,
)
from kring.sessions.store.files.envelope import Tables, read_document, write_document
from kring.sessions.store.files.locking import file_lock
from kring.sessions.store.layout import (
    COMMUNITIES_KIND,
    COMMUNITIES_WHAT,
    CORRUPT_LABEL,
    DRAFT_KIND,
    INDEX_KIND,
    INDEX_WHAT,
    KEPT_LABEL,
    MEETING_KIND,
    Layout,
    draft_what,
    meeting_what,
)
from kring.sessions.store.records import (
    COMMUNITIES_TABLE,
    ENTRIES_TABLE,
    drop_community,
    drop_entry,
    find_entry,
    get_community,
    meeting_header,
    put_community,
    put_entry,
    put_header,
    record_of,
)
from kring.sessions.store.rescue import newer, read_rescue
from kring.sessions.store.salvage import newest_state, salvageable
from kring.sessions.store.storage import AtomicJSONStorage, KringDB, open_db, table_of

T = TypeVar("T")

_REMEMBERED = 16  # meetings whose parsed file a store keeps between commits


@dataclass(slots=True)
class MeetingRecord:
    meeting: Meeting
    entries: list[Entry]  # in the order they were created
    stamp: Stamp  # the version of the file this was read from; see Store.changed_since


@dataclass(frozen=True, slots=True)
class LoadProblem:
    """A file Kring could not read, for the user: what, why, and what can be done."""

    what: str  # "meeting 3fa2…", "the communities", ...
    path: Path
    reason: str
    moved_to: Path | None  # where the unreadable file now is; None if it stayed put
    backup_ok: bool  # a backup exists that reads fine: restore_backup can bring it back
    meeting_id: str | None = None

    @property
    def message(self) -> str:
        text = unreadable(self.what, self.reason)
        if self.moved_to is not None:
            text += _(" The file was moved aside as {name}.").format(name=self.moved_to.name)
        if self.backup_ok:
            text += _(" The version from before its last save can be restored.")
        return text


class Store:
    """All reading and writing of a data folder. One per process (or per test)."""

    def __init__(self, root: Path, clock: Clock | None = None, *,
                 lock_timeout: float = 10.0) -> None:
        self.layout = Layout(Path(root))
        self.clock: Clock = clock or SystemClock()
        self.lock_timeout = lock_timeout
        self._problems: dict[Path, LoadProblem] = {}
        self._meetings: dict[str, AtomicJSONStorage] = {}
        self._communities = AtomicJSONStorage(
            self.layout.communities, COMMUNITIES_KIND, what=_(COMMUNITIES_WHAT),
            check=check_communities,
        )
        self._known: dict[str, Stamp | None] = {}  # see needs_reload
        # The caches above are per process; this keeps two threads (UI and a worker) from
        # interleaving inside one read-modify-write.
        self._mutex = threading.RLock()

    # -- problems ---------------------------------------------------------------------------

    @property
    def problems(self) -> list[LoadProblem]:
        """Files found unreadable since this store was opened (or still waiting for repair)."""
        return list(self._problems.values())

    def clear_problems(self) -> None:
        self._problems.clear()

    # -- meetings ---------------------------------------------------------------------------

    def create_meeting(self, meeting: Meeting, entries: Iterable[Entry] = ()) -> None:
        """Write a new meeting (with any entries it already has). Safe to retry: for an existing
        meeting this replaces the header and adds or replaces the entries given."""
        with self._edit(meeting.id, create=True) as db:
            self._keep_old_backup(self._meeting_storage(meeting.id))
            put_header(db, meeting)
            for entry in entries:
                put_entry(db, entry)
        self._index_put(meeting)

    def load(self, meeting_id: str) -> MeetingRecord:
        """The meeting as it is on disk now. Raises NotFoundError, CorruptFileError (the file
        has been moved aside; see ``problems``), NewerFormatError or ReadError."""
        with self._mutex:
            storage = self._meeting_storage(meeting_id)
            tables = self._read(storage)
            if tables is None:
                raise NotFoundError(_("There is no meeting {id}.").format(id=meeting_id))
            assert storage.stamp is not None
            meeting, entries = record_of(tables)
            self._known[meeting_id] = storage.stamp
            return MeetingRecord(meeting, entries, storage.stamp)

    def save_meeting(self, meeting: Meeting) -> None:
        """Replace the meeting's header (everything but its entries) with ``meeting``."""
        with self._edit(meeting.id) as db:
            before = meeting_header(db.storage.read()).summary_dict()
            put_header(db, meeting)
        self._index_put(meeting, before)

    def update_meeting(self, meeting_id: str, mutate: Callable[[Meeting], T]) -> T:
        """Apply ``mutate`` to the meeting as it is on disk now, and save it; returns what
        ``mutate`` returns. For retries after a SaveError, ``mutate`` should set values rather
        than add to them: it runs again on the file as it is then."""
        with self._edit(meeting_id) as db:
            meeting = meeting_header(db.storage.read())
            before = meeting.summary_dict()
            result = mutate(meeting)
            if meeting.id != meeting_id:
                raise ValueError("a meeting's id cannot change")
            put_header(db, meeting)
        self._index_put(meeting, before)
        return result

    def add_entry(self, meeting_id: str, entry: Entry) -> None:
        """Save an entry. Adding an entry whose id is already there replaces it, so a failed
        save can simply be tried again."""
        with self._edit(meeting_id) as db:
            put_entry(db, entry)

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
        """Remove an entry and return it (to undo, add it again); None if it was not there."""
        with self._edit(meeting_id) as db:
            return drop_entry(db, entry_id)

    def restore_backup(self, meeting_id: str) -> MeetingRecord:
        """Put the version from before the meeting's last save back in place of a file that
        could not be read. Refuses when the current file reads fine."""
        self._restore(self._meeting_storage(meeting_id))
        record = self.load(meeting_id)
        self._index_put(record.meeting)
        return record

    def import_rescued(self, path: Path) -> str:
        """Take a rescue copy (``LiveMeeting.rescue``) back in; returns its meeting's id. Per
        entry the newer version wins (by when it was last changed); the header is the copy's
        if it was written after the meeting's file. Safe to repeat."""
        meeting, entries, written = read_rescue(path)
        with self._edit(meeting.id, create=True) as db:
            storage = self._meeting_storage(meeting.id)
            tables = db.storage.read()
            stored: dict[str, Entry] = {}
            header = meeting
            if tables is None:
                self._keep_old_backup(storage)
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

    def list_meetings(self) -> list[dict[str, Any]]:
        """Summaries (``Meeting.summary_dict()``) of every readable meeting, newest first.

        Served from the index; meeting files whose stamp the index does not know are read
        (and the index updated). Unreadable ones are set aside and reported in ``problems``."""
        with self._mutex:
            known = self._read_index()
            found = index.scan(self.layout.meetings)
            fresh: dict[str, index.IndexEntry] = {}
            listed: list[dict[str, Any]] = []
            for meeting_id, stamp in found.files.items():
                entry = known.get(meeting_id)
                if entry is None or entry.stamp != stamp:
                    entry = self._index_entry(meeting_id)
                    if entry is None:
                        continue
                    fresh[meeting_id] = entry
                listed.append(dict(entry.summary))
            gone = [meeting_id for meeting_id in known if meeting_id not in found.files]
            if fresh or gone:
                self._index_update(fresh, gone)
            for meeting_id in found.backup_only:
                self._note_backup_only(meeting_id)
        listed.sort(key=index.sort_key, reverse=True)
        return listed

    def rebuild_index(self) -> int:
        """Write the index afresh from the meeting files (doctor --repair); returns how many
        meetings it holds. A broken index is set aside first, never written over."""
        with self._mutex:
            entries = {}
            for meeting_id in index.scan(self.layout.meetings).files:
                entry = self._index_entry(meeting_id)
                if entry is not None:
                    entries[meeting_id] = entry
            with file_lock(self.layout.index, _(INDEX_WHAT), self.lock_timeout):
                self._read_index(locked=True)
                write_document(self.layout.index, INDEX_KIND, index.to_data(entries),
                               _(INDEX_WHAT))
        return len(entries)

    # -- noticing other processes' changes --------------------------------------------------

    def stamp(self, meeting_id: str) -> Stamp | None:
        """The version of the meeting's file on disk now (one stat: cheap enough to poll)."""
        return current_stamp(self.layout.meeting(meeting_id))

    def changed_since(self, meeting_id: str, stamp: Stamp | None) -> bool:
        return self.stamp(meeting_id) != stamp

    def needs_reload(self, meeting_id: str) -> bool:
        """Whether the file holds anything this store has not handed out: true after another
        process saved, false after our own saves on top of what we last loaded."""
        return meeting_id not in self._known or self.stamp(meeting_id) != self._known[meeting_id]

    # -- drafts -----------------------------------------------------------------------------

    def draft_slot(self, meeting_id: str) -> DraftSlot:
        """This window's draft of the meeting, holding what dead windows of it left in
        ``recovered``; ``close()`` it when the window goes. Never raises for a disk that
        refuses: then ``recovered`` is None and ``save`` says why."""
        self.layout.window_drafts(meeting_id)  # a bad id fails here, not on the first save
        return DraftSlot(self.layout, meeting_id, self.clock, lock_timeout=self.lock_timeout,
                         on_unreadable=self._draft_unreadable)

    def _draft_unreadable(self, path: Path, error: UnreadableError, meeting_id: str) -> None:
        """A broken draft found while claiming (its lock is held): set aside and reported."""
        stand_in = AtomicJSONStorage(path, DRAFT_KIND, what=draft_what(meeting_id),
                                     keep_backup=False)
        with self._mutex:
            self._report(stand_in, error, meeting_id=meeting_id)

    # -- communities ------------------------------------------------------------------------

    def communities(self) -> list[Community]:
        with self._mutex:
            try:
                tables = self._read(self._communities)
            except UnreadableError:
                return []  # reported in problems; restore_communities_backup may help
            docs = (tables or {}).get(COMMUNITIES_TABLE, {})
            found = [Community.from_dict(dict(doc)) for doc in docs.values()]
        return sorted(found, key=lambda community: community.name.casefold())

    def save_community(self, community: Community) -> None:
        """Add a community or replace the one with the same name."""
        with self._transaction(self._communities, missing=None) as db:
            put_community(db, community, community.name)

    def update_community(self, name: str, mutate: Callable[[Community], T]) -> T:
        """Apply ``mutate`` to the community as it is on disk now (renaming it is allowed)."""
        with self._transaction(self._communities, missing=None) as db:
            community = get_community(db, name)
            if community is None:
                raise NotFoundError(_("There is no such community."))
            result = mutate(community)
            if community.name != name and get_community(db, community.name) is not None:
                raise ValueError("another community already has that name")
            put_community(db, community, name)
        return result

    def delete_community(self, name: str) -> Community | None:
        with self._transaction(self._communities, missing=None) as db:
            return drop_community(db, name)

    def restore_communities_backup(self) -> list[Community]:
        self._restore(self._communities)
        return self.communities()

    # -- the machinery ----------------------------------------------------------------------

    def _meeting_storage(self, meeting_id: str) -> AtomicJSONStorage:
        storage = self._meetings.pop(meeting_id, None)
        if storage is None:
            storage = _meeting_file(self.layout, meeting_id)
            if len(self._meetings) >= _REMEMBERED:  # forget the longest unused
                del self._meetings[next(iter(self._meetings))]
        self._meetings[meeting_id] = storage  # most recently used last
        return storage

    @contextmanager
    def _edit(self, meeting_id: str, *, create: bool = False) -> Iterator[KringDB]:
        missing = None if create else _("There is no meeting {id}.").format(id=meeting_id)
        with self._mutex:
            storage = self._meeting_storage(meeting_id)
            with self._transaction(storage, missing=missing) as db:
                before = storage.stamp
                yield db
            # Our save sits on top of what we last handed out only if nobody saved in between
            # (or if there was nothing before it: then we wrote all there is).
            if before is None or self._known.get(meeting_id) == before:
                self._known[meeting_id] = storage.stamp

    @contextmanager
    def _transaction(self, storage: AtomicJSONStorage, *,
                     missing: str | None) -> Iterator[KringDB]:
        """Lock the file, read it fresh, let the caller change it, write it once."""
        with self._mutex, file_lock(storage.path, storage.what, self.lock_timeout), \
                storage.transaction():
            try:
                tables = storage.read()
            except UnreadableError as error:
                self._report(storage, error)
                raise
            if tables is None and missing is not None:
                raise NotFoundError(missing)
            yield open_db(storage)

    def _read(self, storage: AtomicJSONStorage) -> Tables | None:
        """Read without the lock; a broken file is looked at again under the lock (another
        process may be restoring it) before it is set aside."""
        try:
            return storage.read()
        except CorruptFileError:
            pass
        except NewerFormatError as error:
            self._report(storage, error)
            raise
        try:
            with file_lock(storage.path, storage.what, self.lock_timeout):
                return self._read_again(storage, move=True)
        except (BusyError, UnreadableError):
            raise
        except SaveError:  # no lock file can be made here (read-only): report, move nothing
            return self._read_again(storage, move=False)

    def _read_again(self, storage: AtomicJSONStorage, *, move: bool) -> Tables | None:
        storage.forget()
        try:
            return storage.read()
        except UnreadableError as error:
            self._report(storage, error, move=move)
            raise

    def _report(self, storage: AtomicJSONStorage, error: UnreadableError, *,
                meeting_id: str | None = None, move: bool = True) -> None:
        """Set a corrupt file aside (the caller holds its lock) and record the problem."""
        moved: Path | None = None
        if isinstance(error, CorruptFileError) and move:
            try:
                moved = move_aside(storage.path, CORRUPT_LABEL, self.clock.now())
            except OSError:
                moved = None  # a read-only folder: it stays, and is still never written over
            storage.forget()
        problem = LoadProblem(
            what=storage.what, path=storage.path, reason=error.reason, moved_to=moved,
            backup_ok=storage.keep_backup and (
                _backup_readable(storage)
                or salvageable(moved, _meeting_id_of(storage) or "", storage.what)),
            meeting_id=meeting_id or _meeting_id_of(storage),
        )
        self._problems[storage.path] = problem
        if isinstance(error, CorruptFileError):
            error.problem = problem

    def _restore(self, storage: AtomicJSONStorage) -> None:
        with self._mutex, file_lock(storage.path, storage.what, self.lock_timeout):
            storage.forget()
            try:
                current = storage.read()
            except CorruptFileError as error:
                self._report(storage, error)
                current = None
            if current is not None:
                raise StoreError(_("{what} reads fine; there is nothing to restore.").format(
                    what=capitalized(storage.what)))
            meeting_id = _meeting_id_of(storage)
            if meeting_id is not None:
                self._restore_meeting(storage, meeting_id)
                return
            backup = backup_path(storage.path)
            got = read_file(backup, storage.what)
            if got is None:
                raise NotFoundError(_("There is no backup of {what}.").format(
                    what=storage.what))
            check_with(got[0], backup, storage.kind, storage.check)
            atomic_write(storage.path, got[0], storage.what, keep_backup=False)
            storage.forget()
            self._problems.pop(storage.path, None)

    def _restore_meeting(self, storage: AtomicJSONStorage, meeting_id: str) -> None:
        """The backup is the version before the last save: what only the last save added
        is still in the copy set aside as unreadable, wherever it can be read (caller holds
        the lock)."""
        tables = newest_state(storage.path, meeting_id, storage.what)
        if tables is None:
            raise NotFoundError(_("There is no backup of {what}.").format(what=storage.what))
        check_meeting(tables, storage.path, meeting_id)
        storage.write(tables)  # no file there: the backup stays as it is
        storage.forget()
        self._problems.pop(storage.path, None)

    def _keep_old_backup(self, storage: AtomicJSONStorage) -> None:
        """Re-creating a meeting whose file was set aside: its backup may hold what nothing else
        does, and the next save would replace it, so it goes aside too (caller holds the lock)."""
        backup = backup_path(storage.path)
        if not storage.path.exists() and backup.exists():
            try:
                move_aside(backup, KEPT_LABEL, self.clock.now())
            except OSError as error:
                raise SaveError(storage.what, describe(error, backup.parent), error.errno) \
                    from error

    # -- the index --------------------------------------------------------------------------

    def _read_index(self, *, locked: bool = False) -> dict[str, index.IndexEntry]:
        """The index's entries; {} when it is missing or unreadable (a broken one is set aside:
        derived data, so not a problem worth the user's attention; doctor lists it)."""
        try:
            got = read_document(self.layout.index, INDEX_KIND, _(INDEX_WHAT))
        except CorruptFileError:
            try:
                if locked:
                    move_aside(self.layout.index, CORRUPT_LABEL, self.clock.now())
                else:
                    with file_lock(self.layout.index, _(INDEX_WHAT), self.lock_timeout):
                        return self._read_index(locked=True)
            except (OSError, TransientError):
                pass
            return {}
        except (UnreadableError, TransientError):
            return {}  # the meeting files can stand in for it
        return {} if got is None else index.parse(got[0])

    def _index_entry(self, meeting_id: str) -> index.IndexEntry | None:
        """Summary and stamp taken from the meeting file itself; None if it is unreadable."""
        # A throwaway unless we have one: listing should not keep every meeting in memory.
        storage = self._meetings.get(meeting_id) or _meeting_file(self.layout, meeting_id)
        try:
            tables = self._read(storage)
        except StoreError:
            return None
        if tables is None or storage.stamp is None:
            return None
        return index.IndexEntry(meeting_header(tables).summary_dict(), storage.stamp)

    def _index_put(self, meeting: Meeting, before: dict[str, Any] | None = None) -> None:
        """Record the meeting's summary in the index, unless it is the same as ``before``: a
        stale stamp alone only makes the next list read this one file again."""
        summary = meeting.summary_dict()
        stamp = self._meeting_storage(meeting.id).stamp
        if stamp is not None and summary != before:
            self._index_update({meeting.id: index.IndexEntry(summary, stamp)}, ())

    def _index_update(self, put: dict[str, index.IndexEntry], gone: Iterable[str]) -> None:
        try:
            with file_lock(self.layout.index, _(INDEX_WHAT), self.lock_timeout):
                entries = self._read_index(locked=True)
                entries.update(put)
                for meeting_id in gone:
                    if not self.layout.meeting(meeting_id).exists():
                        entries.pop(meeting_id, None)
                write_document(self.layout.index, INDEX_KIND, index.to_data(entries),
                               _(INDEX_WHAT))
        except TransientError:
            pass  # derived data: the next list notices the stale stamps and reads the files

    def _note_backup_only(self, meeting_id: str) -> None:
        """A meeting set aside earlier (maybe by another run) whose backup can still help."""
        storage = self._meeting_storage(meeting_id)
        if storage.path in self._problems or not _backup_readable(storage):
            return
        aside = sorted(storage.path.parent.glob(f"{storage.path.name}.{CORRUPT_LABEL}-*"))
        reason = _("its file is missing")
        if aside:
            try:
                got = read_file(aside[-1], storage.what)
                check_with(got[0] if got else b"", aside[-1], MEETING_KIND, storage.check)
            except UnreadableError as error:
                reason = error.reason
            except TransientError:
                pass
        self._problems[storage.path] = LoadProblem(
            what=storage.what, path=storage.path, reason=reason,
            moved_to=aside[-1] if aside else None, backup_ok=True, meeting_id=meeting_id,
        )


def _meeting_file(layout: Layout, meeting_id: str) -> AtomicJSONStorage:
    return AtomicJSONStorage(layout.meeting(meeting_id), MEETING_KIND,
                             what=meeting_what(meeting_id),
                             check=partial(check_meeting, meeting_id=meeting_id))


def _backup_readable(storage: AtomicJSONStorage) -> bool:
    backup = backup_path(storage.path)
    try:
        got = read_file(backup, storage.what)
        if got is None:
            return False
        check_with(got[0], backup, storage.kind, storage.check)
    except StoreError:
        return False
    return True


def _meeting_id_of(storage: AtomicJSONStorage) -> str | None:
    if storage.kind != MEETING_KIND:
        return None
    return storage.path.name.removesuffix(".json")
