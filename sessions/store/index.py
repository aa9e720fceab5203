"""The index: what lists and cross-meeting views read, kept per device, derived from the logs.

A SQLite file in this device's state folder (never synced): one row per meeting with its
summary, its digest (``digest.py``) and the version of its logs it was taken from. Bringing it
up to date lists the log folders (one stat per log) and folds again only the meetings whose
logs changed, so a list costs the same with 5,000 past meetings as with 100, and a query reads
only the rows it asks for. Derived data: a missing, stale or broken index costs time, never
correctness; a broken one is set aside and built again.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kring.sessions.errors import NotFoundError, StoreError
from kring.sessions.model.clock import Clock
from kring.sessions.store.files.atomic import ensure_private_dir, move_aside
from kring.sessions.store.layout import (
    COMMUNITIES_LOG,
    CORRUPT_LABEL,
    INDEX_WHAT,
    LOG,
    Layout,
    Name,
    classify,
    device_folders,
)
from kring.sessions.store.summary import MeetingSummary

if TYPE_CHECKING:
    # Imported where used: a list whose index is up to date reads rows, and the home screen
    # shows its first frame without loading the meeting model or the logs' readers.
    from kring.sessions.model.meeting import Meeting
    from kring.sessions.model.protocol import Step
    from kring.sessions.store.digest import MeetingDigest
    from kring.sessions.store.meetings import Meetings

_VERSION = "7"
# A summary is a row's columns, read without a JSON decoder (the home screen's first frame
# then needs none); the digest, which only cross-meeting views read, is one JSON column, and
# the figures only the insights read another.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
DROP TABLE IF EXISTS meetings;
CREATE TABLE IF NOT EXISTS meetings (
    id TEXT PRIMARY KEY,
    stamp TEXT NOT NULL,
    community TEXT NOT NULL,
    day TEXT NOT NULL,
    created TEXT NOT NULL,
    name TEXT NOT NULL,
    title TEXT NOT NULL,
    public_title TEXT NOT NULL,
    protocol TEXT NOT NULL,
    language TEXT NOT NULL,
    status TEXT NOT NULL,
    digest TEXT NOT NULL,
    figures TEXT NOT NULL,
    open_actions INTEGER NOT NULL,
    journal INTEGER NOT NULL,
    in_progress INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS by_community ON meetings (community, day, created);
CREATE INDEX IF NOT EXISTS by_day ON meetings (day, created);
CREATE INDEX IF NOT EXISTS by_progress ON meetings (in_progress, day, created);
"""


# The columns of a summary, and the name each has in ``MeetingSummary.to_dict()``.
_SUMMARY = {"id": "id", "name": "community", "day": "date", "title": "case",
            "protocol": "protocol", "language": "language", "status": "status",
            "created": "created_at", "public_title": "public_case"}
_SUMMARY_COLUMNS = ", ".join(_SUMMARY)


def _read_row(row: tuple[object, ...], *, digests: bool
              ) -> tuple[MeetingSummary, MeetingDigest | None] | None:
    """The summary columns, then (with ``digests``) the digest column and, when selected, the
    figures column; None for a row that does not read as one (a column of the wrong type or
    form reads as a damaged row)."""
    summary = MeetingSummary.from_dict(dict(zip(_SUMMARY.values(), row, strict=False)))
    if summary is None or not digests:
        return None if summary is None else (summary, None)
    import json

    from kring.sessions.store.digest import MeetingDigest

    try:
        digest = MeetingDigest.from_dict(summary, json.loads(str(row[len(_SUMMARY)])))
        if len(row) > len(_SUMMARY) + 1:
            from dataclasses import replace

            from kring.sessions.store.figures import MeetingFigures

            figures = MeetingFigures.from_dict(json.loads(str(row[len(_SUMMARY) + 1])))
            digest = replace(digest, figures=figures)
        return summary, digest
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def scan(layout: Layout) -> tuple[dict[str, str], dict[str, list[Path]]]:
    """The version of every meeting's logs, as one string each: (device, name, size, mtime)
    of each of its logs and conflict copies; and the conflict copies of each meeting."""
    parts: dict[str, list[str]] = {}
    copies: dict[str, list[Path]] = {}
    for folder in device_folders(layout.devices, layout.device_meetings):
        try:
            entries = list(os.scandir(folder))
        except OSError:  # gone, not a folder, or unreadable: doctor names the last
            continue
        device = folder.parent.name
        for entry in entries:
            kind, meeting_id = classify(entry.name)
            if meeting_id is None or kind not in (Name.LOG, Name.CONFLICT):
                continue
            status = _status(entry)
            if status is None:
                continue
            parts.setdefault(meeting_id, []).append(
                f"{device}/{entry.name}:{status.st_size}:{status.st_mtime_ns}")
            if kind is Name.CONFLICT:
                copies.setdefault(meeting_id, []).append(folder / entry.name)
    versions = {meeting_id: "|".join(sorted(found)) for meeting_id, found in parts.items()}
    return versions, {meeting_id: sorted(found) for meeting_id, found in copies.items()}


def _status(entry: os.DirEntry[str]) -> os.stat_result | None:
    """The log's status; None when it is gone (or is a link to nothing, which reads as no
    file). For a link in a loop, or a log the system will not stat, the link's own: its
    meeting is still folded, and reading it then names the meeting as one that could not be
    read, while every other meeting lists."""
    try:
        return entry.stat()
    except FileNotFoundError:
        return None
    except OSError:
        try:
            return entry.stat(follow_symlinks=False)
        except OSError:
            return None


def communities_stamp(layout: Layout) -> str:
    """The version of every device's communities log and its conflict copies (a stat each),
    where purge records are: whether the meetings purged may have changed."""
    parts = []
    for folder in device_folders(layout.devices, lambda device: layout.devices / device):
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.startswith(COMMUNITIES_LOG.removesuffix(LOG)):
                        with contextlib.suppress(OSError):
                            status = entry.stat()
                            parts.append(f"{folder.name}/{entry.name}:{status.st_size}:"
                                         f"{status.st_mtime_ns}")
        except OSError:
            continue
    return "|".join(sorted(parts))


class MeetingIndex:
    def __init__(self, layout: Layout, meetings: Callable[[], Meetings], clock: Clock,
                 mutex: threading.RLock, on_unreadable: Callable[[str, StoreError], None]
                 ) -> None:
        self.layout = layout
        self.meetings = meetings
        self.clock = clock
        self.mutex = mutex
        self.on_unreadable = on_unreadable
        self._steps: dict[tuple[str, tuple[str, ...]], tuple[frozenset[str], tuple[Step, ...]]] = {}
        self._db: sqlite3.Connection | None = None  # while a _fresh is open

    def summaries(self, limit: int | None = None, *, offset: int = 0,
                  in_progress_first: bool = False) -> list[MeetingSummary]:
        """Newest first (by day, then by when each was set up), or those in progress first."""
        order = "in_progress DESC, day DESC, created DESC" if in_progress_first \
            else "day DESC, created DESC"
        query = f"SELECT {_SUMMARY_COLUMNS} FROM meetings ORDER BY {order} LIMIT ? OFFSET ?"
        args = (-1 if limit is None else limit, offset)
        return [summary for summary, _digest in self._rows(query, args, digests=False)]

    def count(self) -> int:
        with self._fresh() as db:
            return int(db.execute("SELECT count(*) FROM meetings").fetchone()[0])

    def page(self, limit: int | None, offset: int = 0, *, check: bool = True
             ) -> tuple[list[MeetingSummary], int]:
        """Those in progress first, then newest first: ``limit`` from ``offset``, and how
        many there are in all (one look at the logs for both; none without ``check``: the
        page as the index last saw them, for a caller that looks afterwards)."""
        with self._fresh(check=check):
            return self.summaries(limit, offset=offset, in_progress_first=True), self.count()

    def digests(self, community: str | None = None, *, open_actions: bool = False,
                journal: bool = False, figures: bool = False) -> list[MeetingDigest]:
        """Newest first; of one community (matched ignoring case and accents) or of all; with
        ``open_actions`` or ``journal`` only the meetings that have any (so a list of what is
        still to do reads a few rows, not every meeting ever held); with ``figures``, the
        figures the insights read too."""
        columns = "digest, figures" if figures else "digest"
        query = f"SELECT {_SUMMARY_COLUMNS}, {columns} FROM meetings WHERE 1"
        args: tuple[str, ...] = ()
        if community is not None:
            from kring.sessions.model.name_variants import fold

            query += " AND community = ?"
            args = (fold(community),)
        if open_actions:
            query += " AND open_actions > 0"
        if journal:
            query += " AND journal > 0"
        query += " ORDER BY day DESC, created DESC"
        return [digest for _summary, digest in self._rows(query, args, digests=True)
                if digest is not None]

    def _rows(self, query: str, args: tuple[object, ...], *, digests: bool
              ) -> list[tuple[MeetingSummary, MeetingDigest | None]]:
        """The rows of ``query``, read. A row that does not read (damaged by hand or by a
        disk) is dropped and its meeting folded again from the logs, once."""
        for attempt in range(2):
            with self._fresh() as db:
                found, damaged = [], []
                for row in db.execute(query, args).fetchall():
                    read = _read_row(row, digests=digests)
                    if read is None:
                        damaged.append(row[0])
                    else:
                        found.append(read)
                if not damaged or attempt:
                    return found
                with contextlib.suppress(sqlite3.Error), db:
                    db.executemany("DELETE FROM meetings WHERE id = ?", [(m,) for m in damaged])
        raise AssertionError("unreachable")

    def rebuild(self) -> int:
        """Build the index afresh from the logs; returns how many meetings it holds."""
        with self.mutex:
            self._discard()
            return self.count()

    # -- the machinery -----------------------------------------------------------------------

    @contextlib.contextmanager
    def _fresh(self, *, check: bool = True) -> Iterator[sqlite3.Connection]:
        """The index, brought up to date with the logs (once: inside another ``_fresh``, the
        same connection, already up to date); without ``check``, as it last saw them."""
        with self.mutex:
            if self._db is not None:
                yield self._db
                return
            db = self._db = self._open()
            try:
                if check:
                    self._update(db)
                yield db
            finally:
                self._db = None
                db.close()

    def _update(self, db: sqlite3.Connection) -> None:
        found, copies = scan(self.layout)
        purged = self._purged(db) if found else set()
        found = {meeting_id: stamp for meeting_id, stamp in found.items()
                 if meeting_id not in purged}
        known = dict(db.execute("SELECT id, stamp FROM meetings").fetchall())
        stale = [meeting_id for meeting_id in known if meeting_id not in found]
        changed = [(meeting_id, stamp) for meeting_id, stamp in found.items()
                   if known.get(meeting_id) != stamp]
        if not changed and not stale:
            return
        import json

        from kring.sessions.model.name_variants import fold
        from kring.sessions.store.digest import MeetingDigest
        from kring.sessions.store.figures import MeetingFigures
        from kring.sessions.store.meetings import entries_of, header_of

        meetings = self.meetings()
        rows = []
        for meeting_id, stamp in changed:
            try:
                stream = meetings.current(meeting_id, copies=copies.get(meeting_id, []),
                                          purged=purged)
                meeting = header_of(stream.state, Path(meeting_id))
            except NotFoundError:
                continue
            except StoreError as error:
                self.on_unreadable(meeting_id, error)
                stale.append(meeting_id)
                continue
            entries = entries_of(stream.state)
            evaluation, steps = self._steps_of(meeting)
            digest = MeetingDigest.of(meeting, entries, evaluation,
                                      MeetingFigures.of(meeting, entries, steps))
            summary = digest.summary
            stored = summary.to_dict()
            rows.append((meeting_id, stamp, fold(summary.community), stored["date"],
                         stored["created_at"], stored["community"], stored["case"],
                         stored["public_case"], stored["protocol"], stored["language"],
                         stored["status"], json.dumps(digest.to_dict()),
                         json.dumps(digest.figures.to_dict()), digest.open_actions,
                         digest.journal_entries, int(summary.in_progress)))
        if not rows and not stale:
            return
        with contextlib.suppress(sqlite3.Error), db:  # read-only state folder: stays stale
            db.executemany("DELETE FROM meetings WHERE id = ?", [(m,) for m in stale])
            db.executemany(
                f"INSERT OR REPLACE INTO meetings VALUES ({', '.join(['?'] * 16)})", rows)

    def _purged(self, db: sqlite3.Connection) -> set[str]:
        """The meetings a purge record names (the communities logs hold them): read again only
        when those logs changed, so a listing of unchanged logs reads no communities."""
        stamp = communities_stamp(self.layout)
        rows = dict(db.execute(
            "SELECT key, value FROM meta WHERE key IN ('purges', 'purged')").fetchall())
        if rows.get("purges") == stamp and isinstance(rows.get("purged"), str):
            # Ids, one a line (no JSON: the home screen's first frame reads this).
            return set(rows["purged"].split()) - {""}
        purged = set(self.meetings().purged())
        with contextlib.suppress(sqlite3.Error), db:  # read-only state folder: read each time
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                           [("purges", stamp), ("purged", "\n".join(sorted(purged)))])
        return purged

    def _steps_of(self, meeting: Meeting) -> tuple[frozenset[str], tuple[Step, ...]]:
        """The meeting's evaluation steps and all its steps; remembered per protocol snapshot
        and participants, which most meetings share (reading a snapshot costs a millisecond:
        5 s over 5,000)."""
        import json

        key = (json.dumps(meeting.protocol, sort_keys=True, default=str),
               tuple(meeting.participants))
        found = self._steps.get(key)
        if found is None:
            from kring.sessions.protocols.snapshot import meeting_steps
            from kring.sessions.store.digest import evaluation_keys

            steps = meeting_steps(meeting)
            found = self._steps[key] = (evaluation_keys(steps), steps)
        return found

    def _open(self) -> sqlite3.Connection:
        ensure_private_dir(self.layout.local, INDEX_WHAT)
        for attempt in range(2):
            try:
                db = sqlite3.connect(self.layout.index, timeout=10, isolation_level=None)
                db.isolation_level = "DEFERRED"
                with contextlib.suppress(OSError):
                    os.chmod(self.layout.index, 0o600)
                version = None
                with contextlib.suppress(sqlite3.Error):
                    row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
                    version = row[0] if row else None
                if version != _VERSION:
                    with db:
                        db.executescript(_SCHEMA)  # drops an older version's table
                        db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)",
                                   (_VERSION,))
                return db
            except sqlite3.OperationalError:
                # The state folder refuses (read-only, full): lists still work, built in
                # memory each time.
                db = sqlite3.connect(":memory:", isolation_level=None)
                db.executescript(_SCHEMA)
                return db
            except sqlite3.DatabaseError:
                if attempt:
                    raise
                self._discard(broken=True)
        raise AssertionError("unreachable")

    def _discard(self, *, broken: bool = False) -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            path = Path(f"{self.layout.index}{suffix}")
            if not path.exists():
                continue
            if broken and not suffix:
                move_aside(path, CORRUPT_LABEL, self.clock.now())
            else:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
