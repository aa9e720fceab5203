"""What can still be read from a meeting file that no longer reads as a whole.

A meeting file set aside as unreadable is usually newer than its backup (the backup is the
version before the last save), so the entries only it holds would be lost by restoring the
backup alone. A cut-off or damaged file mostly consists of documents that are still intact:
each is tried on its own, checked as the store checks a whole file, and kept only if it passes.
A document with bytes that are not UTF-8 is dropped rather than kept with its text garbled.

``merge`` lays the salvaged versions over the backup, oldest first, so the newest readable
version of the header and of every entry wins.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kring.sessions.errors import TransientError, UnreadableError
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.store.files.atomic import backup_path, read_file
from kring.sessions.store.files.envelope import Tables
from kring.sessions.store.layout import CORRUPT_LABEL
from kring.sessions.store.meeting_file import FileProblem, read_meeting_file
from kring.sessions.store.records import ENTRIES_TABLE, MEETING_TABLE

_TABLE = re.compile(f'"({MEETING_TABLE}|{ENTRIES_TABLE})":\\s*\\{{')
_DOC = re.compile(r'"(\d+)":\s*\{')
# What from_dict raises on a document that is not what it should be (as sessions/checks.py).
_DAMAGE = (KeyError, TypeError, ValueError, AttributeError, AssertionError, IndexError)
_DECODER = json.JSONDecoder()


@dataclass(slots=True)
class Salvaged:
    header: dict[str, Any] | None = None  # the meeting document, if it reads
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)  # entry id -> document
    whole: bool = False  # the entries table read in full: an entry missing was deleted

    @property
    def empty(self) -> bool:
        return self.header is None and not self.entries


def salvage(raw: bytes, meeting_id: str) -> Salvaged:
    """Every document of a damaged meeting file that reads and checks on its own."""
    # Undecodable bytes become lone surrogates, so the documents around them still parse;
    # documents holding one are dropped below.
    text = raw.decode("utf-8", errors="surrogateescape")
    found = Salvaged()
    for match in _TABLE.finditer(text):
        if match.group(1) == MEETING_TABLE:
            _take_header(text, match.end() - 1, meeting_id, found)
        else:
            _take_entries(text, match.end() - 1, found)
    return found


def merge(base: Tables | None, newer: Iterable[Salvaged]) -> Tables | None:
    """The backup's tables (``base``) with the salvaged versions laid over them, oldest first;
    None if no version has a readable header."""
    header = None
    entries: dict[str, dict[str, Any]] = {}
    if base is not None:
        header = next(iter(base.get(MEETING_TABLE, {}).values()), None)
        entries = {doc["id"]: doc for doc in base.get(ENTRIES_TABLE, {}).values()}
    for version in newer:
        header = version.header or header
        if version.whole:
            entries = dict(version.entries)
        else:
            entries.update(version.entries)
    if header is None:
        return None
    ordered = sorted(entries.values(), key=lambda doc: Entry.from_dict(doc).created_at)
    return {MEETING_TABLE: {"1": header},
            ENTRIES_TABLE: {str(number): doc for number, doc in enumerate(ordered, 1)}}


def _take_header(text: str, brace: int, meeting_id: str, found: Salvaged) -> None:
    for doc in _documents(text, brace):
        try:
            meeting = Meeting.from_dict(doc)
            meeting.summary_dict()
        except _DAMAGE:
            continue
        if meeting.id == meeting_id:
            found.header = doc
            return


def _take_entries(text: str, brace: int, found: Salvaged) -> None:
    table, _end = _decode_at(text, brace)
    if isinstance(table, dict):
        found.whole = True
        docs: Iterable[dict[str, Any]] = [doc for doc in table.values() if isinstance(doc, dict)]
    else:
        docs = _documents(text, brace)
    for doc in docs:
        if _entry_ok(doc):
            found.entries[doc["id"]] = doc
        else:
            found.whole = False  # a damaged entry: what it was cannot be told


def _documents(text: str, brace: int) -> Iterable[dict[str, Any]]:
    """The objects under digit keys from ``brace`` on, each parsed on its own."""
    position = brace + 1
    while (match := _DOC.search(text, position)) is not None:
        doc, end = _decode_at(text, match.end() - 1)
        if isinstance(doc, dict):
            yield doc
            position = end  # past it: what is nested inside is not a document
        else:
            position = match.end()


def _decode_at(text: str, position: int) -> tuple[Any, int]:
    try:
        value, end = _DECODER.raw_decode(text, position)
    except (ValueError, RecursionError):
        return None, position
    return (None, position) if _garbled(value) else (value, end)


def _garbled(value: Any) -> bool:
    if isinstance(value, str):
        return any("\udc80" <= char <= "\udcff" for char in value)
    if isinstance(value, dict):
        return any(_garbled(key) or _garbled(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_garbled(item) for item in value)
    return False


def _entry_ok(doc: dict[str, Any]) -> bool:
    if not isinstance(doc.get("id"), str) or not isinstance(doc.get("text"), str):
        return False
    try:
        Entry.from_dict(doc)
    except _DAMAGE:
        return False
    return True


def newest_state(path: Path, meeting_id: str, what: str) -> Tables | None:
    """The newest readable state of a meeting whose file was set aside: its backup, with what
    can be read from the copies set aside since that backup was written laid over it. None
    when neither holds a readable meeting. Raises the backup's UnreadableError when it is
    broken and nothing else holds the meeting, ReadError when the disk refuses a read."""
    base: Tables | None = None
    broken: UnreadableError | None = None
    since = 0
    got = read_meeting_file(backup_path(path), meeting_id, what=what)
    if isinstance(got, FileProblem):
        if not isinstance(got.error, UnreadableError):
            raise got.error  # the disk refused: nothing can be said about the meeting yet
        broken = got.error
    elif got is not None:
        base, since = got.tables, got.stamp.mtime_ns
    versions: list[tuple[int, str, Salvaged]] = []
    for aside in path.parent.glob(f"{path.name}.{CORRUPT_LABEL}-*"):
        read = read_file(aside, what)
        # A copy set aside before the backup was written is older than it: passed over.
        if read is not None and read[1].mtime_ns >= since:
            versions.append((read[1].mtime_ns, aside.name, salvage(read[0], meeting_id)))
    versions.sort(key=lambda version: version[:2])
    merged = merge(base, [version for _, _, version in versions])
    if merged is None and broken is not None:
        raise broken  # the backup is there but broken, and nothing else holds the meeting
    return merged


def salvageable(path: Path | None, meeting_id: str, what: str) -> bool:
    """Whether a set-aside copy still holds a readable meeting header."""
    if path is None:
        return False
    try:
        got = read_file(path, what)
    except TransientError:
        return False
    return got is not None and salvage(got[0], meeting_id).header is not None
