"""A rescue copy: a meeting as a window holds it in memory, written somewhere else when the
data folder refuses to save (full, read-only, failing), and taken back in later.

The copy is a meeting file like those in ``meetings/`` (same format, 0600), named after the
meeting's id only (``kring-rescue-<id>-<UTC time>.json``), never after a person. Writing it
touches nothing in the data folder. Taking it back in merges it into the store, newest wins:
per entry by when it was last changed, for the header by which file was written later.

A window also keeps such a copy beside its draft in the state folder for as long as the data
folder refuses anything (``KeptCopies``), so that a kill loses nothing. That copy also lists the
entries deleted meanwhile (a whole copy cannot say an entry is gone), which ``Rescued.deleted``
reads; files without the list read as before.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kring.sessions.errors import (
    NotFoundError,
    SaveError,
    TransientError,
    UnreadableError,
)
from kring.sessions.i18n import _
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.store.files.atomic import atomic_write, describe, ensure_private_dir, remove
from kring.sessions.store.files.envelope import DocEncoder, Tables
from kring.sessions.store.layout import JSON, MEETING_KIND, check_id
from kring.sessions.store.meeting_file import FileProblem, read_meeting_file
from kring.sessions.store.records import ENTRIES_TABLE, MEETING_TABLE, record_of

PREFIX = "kring-rescue-"
IMPORTED_LABEL = "imported"  # a rescue copy taken back in by doctor --repair
DELETED_TABLE = "deleted"  # ids of entries deleted while the data folder refused saves
UNSAVED = ".unsaved"  # a window's kept copies: <window>.unsaved.json, <window>.unsaved-<x>.json
_KEPT_NAME = re.compile(r"(?P<window>[A-Za-z0-9_-]{1,64})\.unsaved(?:-[0-9a-f]{1,32})?\.json")


def rescue_what(meeting_id: str) -> str:
    return _("a rescue copy of meeting {id}").format(id=meeting_id)


def write_rescue(folder: Path, meeting: Meeting, entries: Sequence[Entry],
                 moment: datetime) -> Path:
    """Write the meeting to a new file in ``folder``; raises SaveError (saying why) if that
    fails too. The folder must exist: making folders in someone's home is not ours to do."""
    data = encode_rescue(meeting, entries)
    stem = f"{PREFIX}{check_id(meeting.id)}-{moment.strftime('%Y%m%dT%H%M%SZ')}"
    path = Path(folder) / f"{stem}.json"
    number = 1
    while path.exists():  # two rescues in one second: never replace the first
        number += 1
        path = Path(folder) / f"{stem}-{number}.json"
    atomic_write(path, data, rescue_what(meeting.id))
    return path


def encode_rescue(meeting: Meeting, entries: Sequence[Entry], deleted: Collection[str] = (),
                  encoder: DocEncoder | None = None) -> bytes:
    tables: Tables = {
        MEETING_TABLE: {"1": meeting.to_dict()},
        ENTRIES_TABLE: {str(number): entry.to_dict() for number, entry in enumerate(entries, 1)},
    }
    if deleted:
        tables[DELETED_TABLE] = {str(number): {"id": entry_id}
                                 for number, entry_id in enumerate(sorted(deleted), 1)}
    return (encoder or DocEncoder()).encode(MEETING_KIND, tables)


@dataclass(frozen=True, slots=True)
class Rescued:
    """What a rescue copy holds."""

    meeting: Meeting
    entries: list[Entry]
    deleted: frozenset[str]  # entries deleted while the copy was kept
    written: int  # when the copy was written (its mtime, ns)


def read_rescue(path: Path) -> tuple[Meeting, list[Entry], int]:
    """The meeting in a rescue copy, its entries, and when the copy was written (ns).
    Raises NotFoundError, CorruptFileError or ReadError."""
    rescued = read_rescued(path)
    return rescued.meeting, rescued.entries, rescued.written


def read_rescued(path: Path) -> Rescued:
    """All a rescue copy holds. Raises NotFoundError, CorruptFileError or ReadError."""
    what = _("the rescue copy {name}").format(name=Path(path).name)
    got = read_meeting_file(Path(path), what=what)
    if got is None:
        raise NotFoundError(_("There is no file {name}.").format(name=Path(path).name))
    if isinstance(got, FileProblem):
        raise got.error
    meeting, entries = record_of(got.tables)
    deleted = frozenset(doc["id"] for doc in got.tables.get(DELETED_TABLE, {}).values()
                        if isinstance(doc.get("id"), str))
    return Rescued(meeting, entries, deleted, got.stamp.mtime_ns)


def merged_entries(entries: Sequence[Entry], rescued: Rescued) -> list[Entry]:
    """The entries as taking ``rescued`` in leaves them, worked out in memory: for a window
    that shows a copy the data folder cannot take yet. Per entry the newer version, as
    ``Store.import_rescued`` decides; the copy's deletions applied; in the order made."""
    by_id = {entry.id: entry for entry in entries}
    for entry in rescued.entries:
        if newer(entry, by_id.get(entry.id)):
            by_id[entry.id] = entry
    for entry_id in rescued.deleted:
        by_id.pop(entry_id, None)
    return sorted(by_id.values(), key=lambda entry: entry.created_at.timestamp())  # stable


def newer(rescued: Entry, stored: Entry | None) -> bool:
    """Whether the rescued version of an entry replaces the stored one (ties: the rescue)."""
    if stored is None:
        return True
    return (rescued.updated_at or rescued.created_at) >= (stored.updated_at or stored.created_at)


def rescued_files(folders: Iterable[Path]) -> list[Path]:
    """Rescue copies not yet taken back in, in these folders."""
    found: set[Path] = set()
    for folder in folders:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        found.update(Path(folder) / name for name in names
                     if name.startswith(PREFIX) and name.endswith(".json"))
    return sorted(found)


class KeptCopies:
    """The rescue copies one window keeps in its meeting's drafts folder (``DraftSlot.unsaved``;
    its lock makes them that window's): its own, ``<window>.unsaved.json``, replaced after
    every change while the data folder refuses saves; and those it took over from windows that
    stopped, ``<window>.unsaved-<random>.json``, to take back in. ``SavedMeeting`` uses it.

    ``window`` gives this window's id, first making sure the window holds its lock (raising
    TransientError when the disk refuses even that); ``set_aside`` deals with a copy that does
    not read (the store sets it aside and reports it, as it does a broken draft)."""

    def __init__(self, folder: Path, meeting_id: str, window: Callable[[], str],
                 set_aside: Callable[[Path, UnreadableError], None]) -> None:
        self.folder = folder
        self.meeting_id = meeting_id
        self._window = window
        self._set_aside = set_aside
        self._encoder = DocEncoder()  # re-encodes only the entries changed since the last copy

    @staticmethod
    def window_of(name: str) -> str | None:
        """The window whose kept copy the file ``name`` is; None if it is none."""
        match = _KEPT_NAME.fullmatch(name)
        return match["window"] if match else None

    def path(self, window: str) -> Path:
        return self.folder / f"{window}{UNSAVED}{JSON}"

    def keep_unsaved(self, meeting: Meeting, entries: Sequence[Entry],
                     deleted: Collection[str] = ()) -> None:
        """Keep the whole meeting as this window holds it (``deleted``: the entries deleted
        since the data folder last took everything) in place of the copy kept before: on the
        disk (fsynced) and 0600 before this returns. Raises SaveError (a TransientError) when
        this disk refuses too: then nothing more can be done than say so."""
        path = self.path(self._window())
        data = encode_rescue(meeting, entries, deleted, self._encoder)
        try:
            atomic_write(path, data, rescue_what(self.meeting_id))
        except SaveError as error:
            if error.errno != errno.ENOENT:
                raise
            # The folder went (a purge, doctor): made again, once.
            ensure_private_dir(self.folder, rescue_what(self.meeting_id))
            atomic_write(path, data, rescue_what(self.meeting_id))

    def forget_unsaved(self) -> None:
        """The data folder has everything: the copy goes. Raises SaveError if it cannot."""
        try:
            remove(self.path(self._window()))
        except OSError as error:
            raise SaveError(rescue_what(self.meeting_id), describe(error, self.folder),
                            error.errno) from error

    def left_unsaved(self) -> list[Path]:
        """The copies this window took over from windows that stopped before the data folder
        took everything (a kill, a power cut, a close while it refused), oldest first: taken
        back in in the order they were written, so that the newest header wins."""
        try:
            prefix = f"{self._window()}{UNSAVED}-"
            names = os.listdir(self.folder)
        except (OSError, TransientError):
            return []  # no slot of our own (the disk refuses): so nothing was taken over
        return sorted((self.folder / name for name in names
                       if name.startswith(prefix) and _KEPT_NAME.fullmatch(name)), key=_age)

    def drop_left(self, path: Path) -> None:
        """A copy taken back in goes. One that cannot be removed now is taken in again by the
        next window, which adds nothing: every part of it is older than what is saved."""
        with contextlib.suppress(OSError):
            remove(path)

    def set_aside_left(self, path: Path, error: UnreadableError) -> None:
        """A copy that does not read: never taken in, never written over, never lost."""
        self._set_aside(path, error)

    def take_over(self, names: Iterable[str], window: str) -> None:
        """Make a dead window's copies (``names`` in the folder) this ``window``'s, each by one
        rename: at every moment a copy is that window's or this one's, never neither, so a
        crash in between loses none (a rename a power cut undoes leaves it the dead window's:
        claimed again next time). The caller holds both windows' locks."""
        for name in names:
            target = self.folder / f"{window}{UNSAVED}-{secrets.token_hex(8)}{JSON}"
            with contextlib.suppress(OSError):  # a disk that refuses: left for a later window
                os.rename(self.folder / name, target)


def _age(path: Path) -> tuple[int, str]:
    with contextlib.suppress(OSError):
        return path.stat().st_mtime_ns, path.name
    return 0, path.name
