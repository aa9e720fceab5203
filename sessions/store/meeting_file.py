"""A whole meeting in one file: a rescue copy, or a meeting of a data folder from before the
per-device logs. What a usable one is, read without side effects.

Rescue copies, the conversion of an older data folder and ``kring doctor`` all read such files
through ``read_meeting_file``, so they agree on what counts as a meeting. Reading here never
moves, locks or writes anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from kring.sessions.errors import NewerFormatError, StoreError, UnreadableError
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.store.checks import check_meeting
from kring.sessions.store.files.atomic import Stamp, read_file
from kring.sessions.store.files.envelope import Tables, check_tables, decode
from kring.sessions.store.layout import MEETING_KIND, meeting_what
from kring.sessions.store.records import meeting_header, record_of
from kring.sessions.store.summary import MeetingSummary


class ProblemKind(StrEnum):
    UNREADABLE = "unreadable"  # the content cannot be used: the store sets such a file aside
    NEWER_FORMAT = "newer-format"  # written by a newer Kring: left alone, never set aside
    UNAVAILABLE = "unavailable"  # the disk refused the read (permissions, a FIFO): may pass


@dataclass(frozen=True, slots=True)
class MeetingFile:
    """A meeting file that reads and checks as a whole."""

    path: Path
    tables: Tables
    stamp: Stamp  # the version read; see files/atomic.py

    @property
    def meeting(self) -> Meeting:
        """The header: everything but the entries (a fresh copy on every call)."""
        return meeting_header(self.tables)

    @property
    def entries(self) -> list[Entry]:
        """The entries in the order they were made."""
        return record_of(self.tables)[1]

    @property
    def summary(self) -> MeetingSummary:
        return MeetingSummary.of(self.meeting)


@dataclass(frozen=True, slots=True)
class FileProblem:
    """Why a meeting file could not be used; ``error`` says it in a sentence for the user."""

    path: Path
    error: StoreError

    @property
    def kind(self) -> ProblemKind:
        if isinstance(self.error, NewerFormatError):
            return ProblemKind.NEWER_FORMAT
        if isinstance(self.error, UnreadableError):
            return ProblemKind.UNREADABLE
        return ProblemKind.UNAVAILABLE


def read_meeting_file(path: Path, meeting_id: str | None = None, *,
                      what: str | None = None) -> MeetingFile | FileProblem | None:
    """The meeting file at ``path`` (a meeting's file, its backup, a copy set aside, a rescue
    copy); None when there is no file. With ``meeting_id``, a file holding another meeting is
    a problem too: file names are how every part of Kring finds a meeting."""
    what = what or (path.name if meeting_id is None else meeting_what(meeting_id))
    try:
        got = read_file(path, what)
        if got is None:
            return None
        tables = parse_meeting(got[0], path, meeting_id)
    except StoreError as error:
        return FileProblem(path, error)
    return MeetingFile(path, tables, got[1])


def parse_meeting(raw: bytes, path: Path, meeting_id: str | None = None) -> Tables:
    """The tables of a whole, usable meeting file; raises UnreadableError saying why not."""
    tables = check_tables(decode(raw, path, MEETING_KIND), path)
    check_meeting(tables, path, meeting_id)
    return tables
