"""The text a window is still typing, kept per window so that nothing typed is ever lost.

Each open window has a slot: ``drafts/<meeting id>/<window id>.json``, plus a lock file beside
it that the window holds (``flock``) for as long as it is open. The kernel lets go of that lock
when the window's process dies, however it dies (kill -9, power cut), so "its lock can be
taken" means "nobody is typing there any more", with no pid files to go stale. A window only
ever writes its own file, so two windows typing at once never touch each other's text.

A new window claims what dead windows of its meeting left: it takes each such lock (one window
at a time can; a second window opening at the same moment finds it taken and leaves that draft
alone), saves the texts as its own draft first, and only then deletes them. A crash in between
can show a text twice; it never loses one. The single per-meeting draft of older Krings
(``drafts/<meeting id>.json``) is claimed the same way, under its old save lock.

While the data folder refuses saves, a window also keeps a copy of the whole meeting beside
its draft (``unsaved``: rescue.py's ``KeptCopies``); a window claiming a dead window's slot takes
its copies over too, for the live meeting to take back in (``SavedMeeting.keep_unsaved_in``).

Window ids are random, never a person's name.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kring.sessions.errors import (
    BusyError,
    SaveError,
    StoreError,
    TransientError,
    UnreadableError,
)
from kring.sessions.model.clock import Clock
from kring.sessions.store.files.atomic import (
    PRIVATE_FILE,
    describe,
    ensure_private_dir,
    move_aside,
    remove,
)
from kring.sessions.store.files.envelope import read_document, write_document
from kring.sessions.store.files.locking import HAS_FLOCK, LOCK_SUFFIX, file_lock, try_flock
from kring.sessions.store.layout import CORRUPT_LABEL, DRAFT_KIND, JSON, Layout, draft_what, id_of
from kring.sessions.store.rescue import KeptCopies

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
# A broken draft is handed to the store, which sets it aside (we hold its lock) and reports it.
Unreadable = Callable[[Path, UnreadableError, str], None]


@dataclass(slots=True)
class _Claimed:
    saved_at: datetime | None
    text: str
    path: Path
    release: Callable[[bool], None]  # True: the draft is ours now, delete it; False: leave it


class DraftSlot:
    """One window's draft of one meeting. Open it with ``Store.draft_slot``."""

    recovered: str | None  # what dead windows left, claimed into this slot; None if nothing

    def __init__(self, layout: Layout, meeting_id: str, clock: Clock, *,
                 lock_timeout: float = 10.0, on_unreadable: Unreadable | None = None) -> None:
        self.meeting_id = meeting_id
        self.folder = layout.window_drafts(meeting_id)
        self.window_id = ""
        self.recovered = None
        self._layout = layout
        self._clock = clock
        self._lock_timeout = lock_timeout
        self._on_unreadable = on_unreadable
        self._what = draft_what(meeting_id)
        self._fd: int | None = None
        self._saved = ""  # what our file holds now
        self._closed = False
        # What the data folder refused, kept here too: only ever under our own lock.
        self.unsaved = KeptCopies(self.folder, meeting_id, self._own_window, self._set_aside)
        try:
            self._hold_own()
        except TransientError:
            return  # a disk that refuses now: save() tries again; dead drafts stay for later
        self._claim()

    @property
    def path(self) -> Path:
        return self.folder / f"{self.window_id}{JSON}"

    # -- the API the UI uses -----------------------------------------------------------------

    def save(self, text: str) -> None:
        """Keep ``text`` (the whole line being typed); '' clears the draft. Raises SaveError (a
        TransientError) when the disk refuses; the caller still has the text and tries again."""
        if self._closed:
            raise RuntimeError("this draft slot is closed")
        if self._fd is None:
            self._hold_own()
        if text == self._saved:
            return
        if text:
            self._write(text)
        else:
            try:
                remove(self.path)
            except OSError as error:
                raise SaveError(self._what, describe(error, self.folder), error.errno) from error
        self._saved = text

    def close(self) -> None:
        """Let go: a window closing. A non-empty draft stays for the next window to recover,
        and so does a copy of what the data folder refused (``unsaved``)."""
        if self._closed:
            return
        self._closed = True
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            if not self._saved:
                with contextlib.suppress(OSError):
                    remove(self.path)
            # Unlinked while held, as FlockLock.discard does: a claimer that opened it already
            # sees st_nlink 0 and starts over on a fresh lock file, which it can take.
            with contextlib.suppress(OSError):
                os.unlink(self._lock_path(self.path))
        finally:
            os.close(fd)
        with contextlib.suppress(OSError):
            self.folder.rmdir()  # only when empty: no window of this meeting is left

    def __enter__(self) -> DraftSlot:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- our own slot ------------------------------------------------------------------------

    def _own_window(self) -> str:
        """Our window's id, holding its lock (a copy kept without it could be claimed)."""
        if self._closed:
            raise RuntimeError("this draft slot is closed")
        if self._fd is None:
            self._hold_own()
        return self.window_id

    def _set_aside(self, path: Path, error: UnreadableError) -> None:
        if self._on_unreadable is not None:
            self._on_unreadable(path, error, self.meeting_id)  # set aside and reported
            return
        with contextlib.suppress(OSError):
            move_aside(path, CORRUPT_LABEL, self._clock.now())

    def _hold_own(self) -> None:
        for _attempt in range(8):
            window_id = secrets.token_hex(8)
            fd = _open_lock(self._lock_path(self.folder / f"{window_id}{JSON}"), self._what,
                            exclusive=True)
            if fd is None:
                continue  # that id is taken (astronomically unlikely): draw another
            if try_flock(fd) is False:
                os.close(fd)
                continue
            # None (no locks here): typing still gets saved; no window can claim it while
            # we live, nor after, which keeps it on disk rather than risking it.
            self.window_id, self._fd = window_id, fd
            return
        raise BusyError(self._what)

    def _write(self, text: str) -> None:
        data = {"meeting": self.meeting_id, "window": self.window_id, "text": text,
                "saved_at": self._clock.now().isoformat()}
        try:
            write_document(self.path, DRAFT_KIND, data, self._what)
        except SaveError as error:
            if error.errno != errno.ENOENT:
                raise
            # The folder went (a purge, doctor): make it again, once.
            ensure_private_dir(self.folder, self._what)
            write_document(self.path, DRAFT_KIND, data, self._what)

    # -- claiming what dead windows left -----------------------------------------------------

    def _claim(self) -> None:
        claimed: list[_Claimed] = []
        try:
            claimed += self._claim_windows()
            claimed += self._claim_legacy()
            texts = [c.text for c in sorted(claimed, key=_order) if c.text]
            if not texts:
                for item in claimed:
                    item.release(True)  # empty drafts: nothing to keep
                return
            self.recovered = "\n".join(texts)
            try:
                self._write(self.recovered)  # ours first, then theirs go: never neither
            except StoreError:
                for item in claimed:
                    item.release(False)  # still on disk, for a window that can save
                return
            self._saved = self.recovered
            for item in claimed:
                item.release(True)
        except BaseException:
            for item in claimed:
                item.release(False)
            raise

    def _claim_windows(self) -> list[_Claimed]:
        if not HAS_FLOCK:
            return []  # pragma: no cover - without flock no window can be known to be dead
        try:
            names = set(os.listdir(self.folder))
        except OSError:
            return []
        claimed: list[_Claimed] = []
        for window in sorted(_windows(names) - {self.window_id}):
            draft = f"{window}{JSON}"
            copies = [name for name in names if KeptCopies.window_of(name) == window]
            if draft not in names and not copies:
                self._drop_stale_lock(self.folder / (draft + LOCK_SUFFIX))
                continue
            got = self._claim_window(self.folder / draft, copies)
            if got is not None:
                claimed.append(got)
        return claimed

    def _claim_window(self, path: Path, copies: list[str]) -> _Claimed | None:
        lock = self._lock_path(path)
        try:
            fd = _open_lock(lock, self._what, exclusive=False)
        except TransientError:
            return None
        if fd is None or not try_flock(fd) or os.fstat(fd).st_nlink == 0:
            if fd is not None:
                os.close(fd)
            return None  # a window that is still open (or another window claiming it)
        self.unsaved.take_over(sorted(copies), self.window_id)

        def release(taken: bool) -> None:
            try:
                if taken:
                    with contextlib.suppress(OSError):
                        remove(path)
                    with contextlib.suppress(OSError):
                        os.unlink(lock)
            finally:
                os.close(fd)

        data = self._read(path, release)
        if data is None:
            return None
        return _Claimed(_moment(data.get("saved_at")), _text(data), path, release)

    def _claim_legacy(self) -> list[_Claimed]:
        path = self._layout.draft(self.meeting_id)
        if not path.exists():
            return []
        try:
            lock = file_lock(path, self._what, min(self._lock_timeout, 1.0))
            lock.__enter__()
        except TransientError:
            return []  # an older Kring is saving it right now: left for the next window

        def release(taken: bool) -> None:
            try:
                if taken:
                    with contextlib.suppress(OSError):
                        remove(path)
                    lock.discard()
            finally:
                lock.__exit__(None, None, None)

        data = self._read(path, release)
        if data is None:
            return []
        return [_Claimed(_moment(data.get("saved_at")), _text(data), path, release)]

    def _read(self, path: Path, release: Callable[[bool], None]) -> dict[str, object] | None:
        """A claimed draft's content; None (its lock let go) when there is none to take."""
        try:
            got = read_document(path, DRAFT_KIND, self._what)
        except UnreadableError as error:
            if self._on_unreadable is not None:
                self._on_unreadable(path, error, self.meeting_id)  # sets it aside: we hold it
            release(False)
            return None
        except TransientError:
            release(False)
            return None
        if got is None:
            release(True)  # claimed by another window just before us: tidy its lock
            return None
        return got[0]

    def _drop_stale_lock(self, lock: Path) -> None:
        """A dead window that never typed anything left only its lock file."""
        with contextlib.suppress(OSError, TransientError):
            fd = _open_lock(lock, self._what, exclusive=False)
            if fd is None:
                return
            try:
                if try_flock(fd) and not lock.with_name(lock.name[: -len(LOCK_SUFFIX)]).exists():
                    os.unlink(lock)
            finally:
                os.close(fd)

    @staticmethod
    def _lock_path(path: Path) -> Path:
        return path.with_name(path.name + LOCK_SUFFIX)


def _windows(names: Collection[str]) -> set[str]:
    """The windows that left something in a meeting's drafts folder: a lock, a draft, a copy."""
    found: set[str] = set()
    for name in names:
        if name.endswith(JSON + LOCK_SUFFIX):
            found.add(name[: -len(JSON + LOCK_SUFFIX)])
        elif (window := id_of(name) or KeptCopies.window_of(name)) is not None:
            found.add(window)
    return found


def _open_lock(path: Path, what: str, *, exclusive: bool) -> int | None:
    """A descriptor on a lock file (made if missing); None when ``exclusive`` and it exists."""
    flags = os.O_RDWR | os.O_CREAT | _CLOEXEC | (os.O_EXCL if exclusive else 0)
    try:
        try:
            fd = os.open(path, flags, PRIVATE_FILE)
        except FileNotFoundError:
            ensure_private_dir(path.parent, what)  # folders are made on first need
            fd = os.open(path, flags, PRIVATE_FILE)
    except FileExistsError:
        return None
    except OSError as error:
        raise SaveError(what, describe(error, path.parent), error.errno) from error
    with contextlib.suppress(OSError):
        os.fchmod(fd, PRIVATE_FILE)  # O_CREAT's mode went through the umask
    return fd


def _text(data: dict[str, object]) -> str:
    text = data.get("text")
    return text if isinstance(text, str) else ""


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _order(claimed: _Claimed) -> tuple[float, str]:
    # Oldest first; a draft without a readable time goes by its file's age.
    if claimed.saved_at is not None:
        return claimed.saved_at.timestamp(), claimed.path.name
    with contextlib.suppress(OSError):
        return claimed.path.stat().st_mtime, claimed.path.name
    return 0.0, claimed.path.name
