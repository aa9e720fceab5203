"""A rescue copy: a meeting as a window holds it in memory, written somewhere else when the
data folder refuses to save (full, read-only, failing), and taken back in later.

The copy is a meeting file like those in ``meetings/`` (same format, 0600), named after the
meeting's id only (``kring-rescue-<id>-<UTC time>.json``), never after a person. Writing it
touches nothing in the data folder. Taking it back in merges it into the store, newest wins:
per entry by when it was last changed, for the header by which file was written later.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
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


def rescue_what(meeting_id: str) -> str:
    return _("a rescue copy of meeting {id}").format(id=meeting_id)


def write_rescue(folder: Path, meeting: Meeting, entries: Sequence[Entry],
                 moment: datetime) -> Path:
    """Write the meeting to a new file in ``folder``; raises SaveError (saying why) if that
    fails too. The folder must exist: making folders in someone's home is not ours to do."""
    what = rescue_what(meeting.id)
    tables: Tables = {
        MEETING_TABLE: {"1": meeting.to_dict()},
        ENTRIES_TABLE: {str(number): entry.to_dict() for number, entry in enumerate(entries, 1)},
    }
    data = DocEncoder().encode(MEETING_KIND, tables)
    stem = f"{PREFIX}{check_id(meeting.id)}-{moment.strftime('%Y%m%dT%H%M%SZ')}"
    path = Path(folder) / f"{stem}.json"
    number = 1
    while path.exists():  # two rescues in one second: never replace the first
        number += 1
        path = Path(folder) / f"{stem}-{number}.json"
    atomic_write(path, data, what)
    return path


def read_rescue(path: Path) -> tuple[Meeting, list[Entry], int]:
    """The meeting in a rescue copy, its entries, and when the copy was written (ns).
    Raises NotFoundError, CorruptFileError or ReadError."""
    what = _("the rescue copy {name}").format(name=Path(path).name)
    got = read_meeting_file(Path(path), what=what)
    if got is None:
        raise NotFoundError(_("There is no file {name}.").format(name=Path(path).name))
    if isinstance(got, FileProblem):
        raise got.error
    meeting, entries = record_of(got.tables)
    return meeting, entries, got.stamp.mtime_ns


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
