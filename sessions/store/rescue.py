"""A rescue copy: a meeting as a window holds it in memory, written somewhere else when the
data folder refuses to save (full, read-only, failing), and taken back in later.

The copy is a meeting file like those in ``meetings/`` (same format, 0600), named after the
meeting's id only (``kring-rescue-<id>-<UTC time>.json``), never after a person. Writing it
touches nothing in the data folder. Taking it back in merges it into the store, newest wins:
per entry by when it was last changed, for the header by which file was written later.

A window also keeps such a copy in its own drafts in the state folder for as long as the data
folder refuses anything (``keep_rescue``; see drafts.py), so that a kill loses nothing. That
copy also lists the entries deleted meanwhile (a whole copy cannot say an entry is gone), which
``Rescued.deleted`` reads; files without the list read as before.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kring.sessions.errors import NotFoundError
from kring.sessions.i18n import _
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.store.files.atomic import atomic_write
from kring.sessions.store.files.envelope import DocEncoder, Tables
from kring.sessions.store.layout import MEETING_KIND, check_id
from kring.sessions.store.meeting_file import FileProblem, read_meeting_file
from kring.sessions.store.records import ENTRIES_TABLE, MEETING_TABLE, record_of

PREFIX = "kring-rescue-"
IMPORTED_LABEL = "imported"  # a rescue copy taken back in by doctor --repair
DELETED_TABLE = "deleted"  # ids of entries deleted while the data folder refused saves


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


def keep_rescue(path: Path, meeting: Meeting, entries: Sequence[Entry],
                deleted: Collection[str] = (), encoder: DocEncoder | None = None) -> None:
    """Write (or replace) the copy at ``path``: synced to the disk before this returns, 0600.
    Raises SaveError (saying why) when that disk refuses too. An ``encoder`` kept between calls
    re-encodes only the entries that changed: a window writes its copy after every change."""
    atomic_write(path, encode_rescue(meeting, entries, deleted, encoder), rescue_what(meeting.id))


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
