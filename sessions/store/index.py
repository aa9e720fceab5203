"""The index of meetings: a summary of each, so listing a thousand meetings reads one file.

The index is derived data. Each summary carries the stamp of the meeting file it was taken
from; a meeting file whose stamp differs (written by a process that crashed before updating
the index, or changed by adding entries, which never touch the index) is simply read again.
So a lost, broken or stale index costs time, never correctness.

On disk: ``{"meetings": {<id>: {"summary": <MeetingSummary.to_dict()>, "stamp": [...]}}}``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kring.sessions.errors import ReadError
from kring.sessions.i18n import _
from kring.sessions.store.files.atomic import BACKUP_SUFFIX, Stamp, describe_read, stamp_of
from kring.sessions.store.layout import JSON, id_of
from kring.sessions.store.summary import MeetingSummary


@dataclass(frozen=True, slots=True)
class IndexEntry:
    summary: MeetingSummary
    stamp: Stamp

    def to_dict(self) -> dict[str, Any]:
        return {"summary": self.summary.to_dict(), "stamp": list(self.stamp)}


def parse(data: dict[str, Any]) -> dict[str, IndexEntry]:
    """The usable entries of an index file; anything malformed is left out (and so re-read
    from its meeting file)."""
    found: dict[str, IndexEntry] = {}
    meetings = data.get("meetings")
    if not isinstance(meetings, dict):
        return found
    for meeting_id, item in meetings.items():
        if not isinstance(item, dict):
            continue
        stored, stamp = item.get("summary"), item.get("stamp")
        summary = MeetingSummary.from_dict(stored) if isinstance(stored, dict) else None
        if (
            summary is not None
            and summary.id == meeting_id
            and isinstance(stamp, list)
            and len(stamp) == 3
            and all(type(part) is int for part in stamp)
        ):
            found[meeting_id] = IndexEntry(summary, Stamp(*stamp))
    return found


def to_data(entries: dict[str, IndexEntry]) -> dict[str, Any]:
    return {"meetings": {key: entry.to_dict() for key, entry in sorted(entries.items())}}


@dataclass(frozen=True, slots=True)
class Scan:
    """What is in ``meetings/``: the stamp of every meeting file, and the ids of meetings that
    have a backup but no file (set aside as unreadable, or lost)."""

    files: dict[str, Stamp]
    backup_only: list[str]


def scan(folder: Path) -> Scan:
    """Raises ReadError when the folder exists but cannot be listed (no permission, a file)."""
    files: dict[str, Stamp] = {}
    backups: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return Scan({}, [])
    except OSError as error:
        raise ReadError(_("the folder {folder}").format(folder=folder), describe_read(error),
                        error.errno) from error
    for entry in entries:
        meeting_id = id_of(entry.name)
        if meeting_id is not None:
            try:
                files[meeting_id] = stamp_of(entry.stat())
            except FileNotFoundError:
                continue  # set aside or replaced this very moment
        elif entry.name.endswith(JSON + BACKUP_SUFFIX):
            backups.append(entry.name[: -len(BACKUP_SUFFIX)])
    backup_only = [
        meeting_id
        for name in backups
        if (meeting_id := id_of(name)) is not None and meeting_id not in files
    ]
    return Scan(files, sorted(backup_only))
