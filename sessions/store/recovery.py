"""The store's safety net: a file that cannot be read is never written over, never half-used.

Every read and every change of a meeting or communities file goes through ``Recovery``. A file
found unreadable is moved aside as ``<name>.corrupt-<UTC time>`` (under its lock) and reported
in ``problems`` with what can be done. ``restore`` puts the newest readable state in its place:
for a meeting, the backup (the version before its last save) with every entry and header still
readable in the copies set aside laid over it (``salvage.py``); for the communities, the backup.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kring.sessions.errors import (
    BusyError,
    CorruptFileError,
    NewerFormatError,
    NotFoundError,
    SaveError,
    StoreError,
    UnreadableError,
    capitalized,
    unreadable,
)
from kring.sessions.i18n import _
from kring.sessions.model.clock import Clock
from kring.sessions.store.checks import check_meeting, check_with
from kring.sessions.store.files.atomic import (
    atomic_write,
    backup_path,
    describe,
    move_aside,
    read_file,
)
from kring.sessions.store.files.envelope import Tables
from kring.sessions.store.files.locking import file_lock
from kring.sessions.store.layout import CORRUPT_LABEL, DRAFT_KIND, KEPT_LABEL, draft_what
from kring.sessions.store.meeting_file import (
    FileProblem,
    meeting_id_of,
    read_meeting_file,
)
from kring.sessions.store.salvage import newest_state, salvageable
from kring.sessions.store.storage import AtomicJSONStorage, KringDB, open_db


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


class Recovery:
    """Guarded reads and changes of the store's files, and the problems they turned up."""

    def __init__(self, clock: Clock, lock_timeout: float, mutex: threading.RLock) -> None:
        self.clock = clock
        self.lock_timeout = lock_timeout
        self.problems: dict[Path, LoadProblem] = {}
        # Shared with the store: the storages' caches are per process, and this keeps two
        # threads (UI and a worker) from interleaving inside one read-modify-write.
        self.mutex = mutex

    # -- reading and changing ----------------------------------------------------------------

    def read(self, storage: AtomicJSONStorage) -> Tables | None:
        """Read without the lock; a broken file is looked at again under the lock (another
        process may be restoring it) before it is set aside."""
        try:
            return storage.read()
        except CorruptFileError:
            pass
        except NewerFormatError as error:
            self.report(storage, error)
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
            self.report(storage, error, move=move)
            raise

    @contextmanager
    def transaction(self, storage: AtomicJSONStorage, *,
                    missing: str | None) -> Iterator[KringDB]:
        """Lock the file, read it fresh, let the caller change it, write it once. With
        ``missing``, a file that is not there raises NotFoundError saying so."""
        with self.mutex, file_lock(storage.path, storage.what, self.lock_timeout), \
                storage.transaction():
            try:
                tables = storage.read()
            except UnreadableError as error:
                self.report(storage, error)
                raise
            if tables is None and missing is not None:
                raise NotFoundError(missing)
            yield open_db(storage)

    # -- reporting ---------------------------------------------------------------------------

    def report(self, storage: AtomicJSONStorage, error: UnreadableError, *,
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
                backup_readable(storage)
                or salvageable(moved, meeting_id_of(storage) or "", storage.what)),
            meeting_id=meeting_id or meeting_id_of(storage),
        )
        self.problems[storage.path] = problem
        if isinstance(error, CorruptFileError):
            error.problem = problem

    def draft_unreadable(self, path: Path, error: UnreadableError, meeting_id: str) -> None:
        """A broken draft found while claiming (its lock is held): set aside and reported."""
        stand_in = AtomicJSONStorage(path, DRAFT_KIND, what=draft_what(meeting_id),
                                     keep_backup=False)
        with self.mutex:
            self.report(stand_in, error, meeting_id=meeting_id)

    def note_backup_only(self, storage: AtomicJSONStorage, meeting_id: str) -> None:
        """A meeting set aside earlier (maybe by another run) whose backup can still help."""
        if storage.path in self.problems or not backup_readable(storage):
            return
        aside = sorted(storage.path.parent.glob(f"{storage.path.name}.{CORRUPT_LABEL}-*"))
        reason = _("its file is missing")
        if aside:
            got = read_meeting_file(aside[-1], meeting_id, what=storage.what)
            if isinstance(got, FileProblem) and isinstance(got.error, UnreadableError):
                reason = got.error.reason
        self.problems[storage.path] = LoadProblem(
            what=storage.what, path=storage.path, reason=reason,
            moved_to=aside[-1] if aside else None, backup_ok=True, meeting_id=meeting_id,
        )

    # -- putting things back ----------------------------------------------------------------

    def restore(self, storage: AtomicJSONStorage) -> None:
        """Put the newest readable state in place of a file that cannot be read; refuses when
        the file reads fine."""
        with self.mutex, file_lock(storage.path, storage.what, self.lock_timeout):
            storage.forget()
            try:
                current = storage.read()
            except CorruptFileError as error:
                self.report(storage, error)
                current = None
            if current is not None:
                raise StoreError(_("{what} reads fine; there is nothing to restore.").format(
                    what=capitalized(storage.what)))
            meeting_id = meeting_id_of(storage)
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
            self.problems.pop(storage.path, None)

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
        self.problems.pop(storage.path, None)

    def keep_old_backup(self, storage: AtomicJSONStorage) -> None:
        """Re-creating a meeting whose file was set aside: its backup may hold what nothing else
        does, and the next save would replace it, so it goes aside too (caller holds the lock)."""
        backup = backup_path(storage.path)
        if not storage.path.exists() and backup.exists():
            try:
                move_aside(backup, KEPT_LABEL, self.clock.now())
            except OSError as error:
                raise SaveError(storage.what, describe(error, backup.parent), error.errno) \
                    from error


def backup_readable(storage: AtomicJSONStorage) -> bool:
    """Whether the file's backup exists and reads as a whole."""
    backup = backup_path(storage.path)
    try:
        got = read_file(backup, storage.what)
        if got is None:
            return False
        check_with(got[0], backup, storage.kind, storage.check)
    except StoreError:
        return False
    return True

