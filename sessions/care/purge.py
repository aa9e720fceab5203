"""Removing old meetings for good: the retention the notes about pupils call for.

``plan_purge`` lists, without changing anything, every file that belongs to the meetings held
before a date (of one community, or all): the meeting file, its backup, lock and temporary
files, copies set aside as unreadable, its draft, and the minutes exported for it. ``execute``
removes exactly those, under each meeting's lock, and rebuilds the index. Nothing else in the
data folder is touched; a file Kring cannot tie to a purged meeting for certain stays.

A meeting's date is read from its file, else its backup, else a copy set aside, else the
index: a meeting whose date nothing tells is left alone and listed in ``PurgePlan.undated``.
Reports hold meeting ids, dates, communities and paths; never a case title or a name.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from kring.sessions.care.purge_minutes import minutes_of
from kring.sessions.errors import StoreError
from kring.sessions.i18n import _
from kring.sessions.model.meeting import Meeting, Status
from kring.sessions.model.privacy import fold
from kring.sessions.store import index
from kring.sessions.store.facade import Store
from kring.sessions.store.files.atomic import BACKUP_SUFFIX, is_temp, remove, temp_target
from kring.sessions.store.files.envelope import read_document
from kring.sessions.store.files.locking import LOCK_SUFFIX, file_lock, remove_if_free
from kring.sessions.store.layout import (
    INDEX_KIND,
    INDEX_WHAT,
    JSON,
    Layout,
    draft_what,
    id_of,
    meeting_what,
)
from kring.sessions.store.meeting_file import MeetingFile, read_meeting_file
from kring.sessions.store.summary import MeetingSummary


@dataclass(frozen=True, slots=True)
class PurgedMeeting:
    meeting_id: str
    date: date
    community: str
    in_progress: bool  # worth a warning before confirming


@dataclass(frozen=True, slots=True)
class PurgePlan:
    root: Path
    before: date
    community: str | None
    meetings: list[PurgedMeeting]
    meeting_files: dict[str, list[Path]]  # meeting id -> its files in meetings/ and drafts/
    minutes: list[Path]  # exported minutes of those meetings
    undated: list[str] = field(default_factory=list)  # meeting ids left alone: no date known
    unsure: list[Path] = field(default_factory=list)  # minutes that might be another's: kept

    @property
    def files(self) -> list[Path]:
        """Every file the purge removes, sorted."""
        found = [path for paths in self.meeting_files.values() for path in paths]
        return sorted([*found, *self.minutes])

    @property
    def empty(self) -> bool:
        return not self.meetings and not self.minutes


@dataclass(slots=True)
class PurgeReport:
    meetings: list[PurgedMeeting] = field(default_factory=list)  # those whose files went
    removed: list[Path] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)  # (meeting id, why it stayed)
    failed: list[tuple[Path, str]] = field(default_factory=list)  # (file, why) left in place
    indexed: int | None = None  # meetings in the rebuilt index; None if it could not be

    @property
    def complete(self) -> bool:
        return not self.kept and not self.failed


def plan_purge(layout_root: Path, *, before: date, community: str | None = None,
               minutes_dir: Path | None = None) -> PurgePlan:
    """What ``execute`` would remove: the files of every meeting dated before ``before`` (of
    ``community`` when given, matched ignoring case and accents). Reads only."""
    layout = Layout(Path(layout_root))
    in_meetings = _grouped(layout.meetings)
    in_drafts = _grouped(layout.drafts)
    indexed = _index_summaries(layout)
    wanted = None if community is None else fold(community)
    chosen: list[PurgedMeeting] = []
    purged: list[Meeting] = []  # those readable: their minutes can also be found by name
    kept: list[Meeting] = []  # dated, not purged: their minutes must not go
    undated: list[str] = []
    files: dict[str, list[Path]] = {}
    for meeting_id, paths in sorted(in_meetings.items()):
        if all(path.name.endswith(LOCK_SUFFIX) for path in paths):
            continue  # a lock left over from a meeting gone already: no meeting here
        meeting = _dated(meeting_id, paths, layout)
        summary = indexed.get(meeting_id)
        if meeting is None and summary is None:
            undated.append(meeting_id)
            continue
        source = meeting or summary
        assert source is not None
        day, name, status = source.date, source.community, source.status
        if day >= before or (wanted is not None and fold(name) != wanted):
            if meeting is not None:
                kept.append(meeting)
            continue
        chosen.append(PurgedMeeting(meeting_id, day, name, status is Status.IN_PROGRESS))
        if meeting is not None:
            purged.append(meeting)
        files[meeting_id] = sorted([*paths, *in_drafts.get(meeting_id, []),
                                    *_window_drafts(layout, meeting_id)])
    minutes, unsure = ([], []) if minutes_dir is None else minutes_of(
        Path(minutes_dir), before, wanted, purged, kept)
    return PurgePlan(root=layout.root, before=before, community=community, meetings=chosen,
                     meeting_files=files, minutes=minutes, undated=undated, unsure=unsure)


def execute(plan: PurgePlan, store: Store) -> PurgeReport:
    """Remove the plan's files and rebuild the index. Each meeting's files go while its lock
    is held, after checking its date once more (it may have changed since the plan was made);
    a meeting another Kring holds stays, listed in ``kept``."""
    if Path(store.layout.root) != Path(plan.root):
        raise ValueError("the plan was made for another data folder")
    layout = store.layout
    report = PurgeReport()
    for purged in plan.meetings:
        paths = plan.meeting_files.get(purged.meeting_id, [])
        try:
            reason = _purge_meeting(purged, paths, plan, layout, store.lock_timeout, report)
        except StoreError as error:  # BusyError: being saved by another Kring right now
            reason = error.message
        if reason is None:
            report.meetings.append(purged)
        else:
            report.kept.append((purged.meeting_id, reason))
    for path in plan.minutes:
        _remove(path, report)
    try:
        report.indexed = store.rebuild_index()
    except StoreError:
        report.indexed = None  # derived data: the next listing brings it up to date
    return report


def suggest_purge(store: Store, today: date) -> list[tuple[str, date]]:
    """Communities with a retention period that have meetings older than it: (community, the
    date to purge before). Kring suggests, the user decides."""
    summaries = store.list_meetings()
    suggestions = []
    for community in store.communities():
        if community.retention_days is None:
            continue
        cutoff = today - timedelta(days=community.retention_days)
        key = fold(community.name)
        if any(fold(s.community) == key and s.date < cutoff for s in summaries):
            suggestions.append((community.name, cutoff))
    return suggestions


# -- meetings and drafts -------------------------------------------------------------------------


def _owner_id(name: str) -> str | None:
    """The meeting id a file in meetings/ or drafts/ belongs to: ``<id>.json`` and everything
    named after it (``.bak``, ``.lock``, ``.corrupt-<time>``, ...), and temporary files."""
    if is_temp(name):
        name = temp_target(name)
    stem, dot, _rest = name.partition(JSON + ".")
    return id_of(stem + JSON) if dot else id_of(name)


def _grouped(folder: Path) -> dict[str, list[Path]]:
    groups: dict[str, list[Path]] = {}
    try:
        names = os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return groups
    for name in names:
        meeting_id = _owner_id(name)
        if meeting_id is not None and not (folder / name).is_dir():
            groups.setdefault(meeting_id, []).append(folder / name)
    return groups


def _window_drafts(layout: Layout, meeting_id: str) -> list[Path]:
    """Everything in ``drafts/<meeting id>/``: one draft (and lock) per window."""
    folder = layout.window_drafts(meeting_id)
    try:
        return [folder / name for name in os.listdir(folder) if not (folder / name).is_dir()]
    except (FileNotFoundError, NotADirectoryError):
        return []


def _dated(meeting_id: str, paths: Iterable[Path], layout: Layout) -> Meeting | None:
    """The meeting as its file tells it, else its backup, else the newest copy set aside."""
    main = layout.meeting(meeting_id)
    others = [p for p in paths if p != main and not p.name.endswith(LOCK_SUFFIX)]
    backups = [p for p in others if p.name.endswith(BACKUP_SUFFIX)]
    # Set-aside names end with the UTC time they were set aside: the newest sorts last.
    aside = sorted((p for p in others if not p.name.endswith(BACKUP_SUFFIX)),
                   key=lambda p: p.name, reverse=True)
    for path in [main, *backups, *aside]:
        meeting = _read_meeting(path, meeting_id)
        if meeting is not None:
            return meeting
    return None


def _read_meeting(path: Path, meeting_id: str) -> Meeting | None:
    """The meeting in ``path`` if the store could use that file; None otherwise."""
    got = read_meeting_file(path, meeting_id)
    return got.meeting if isinstance(got, MeetingFile) else None


def _index_summaries(layout: Layout) -> dict[str, MeetingSummary]:
    try:
        got = read_document(layout.index, INDEX_KIND, _(INDEX_WHAT))
    except (StoreError, OSError):
        return {}
    if got is None:
        return {}
    return {key: entry.summary for key, entry in index.parse(got[0]).items()}


def _purge_meeting(purged: PurgedMeeting, paths: list[Path], plan: PurgePlan, layout: Layout,
                   timeout: float, report: PurgeReport) -> str | None:
    """Remove one meeting's files; the reason it stays, or None when it went."""
    meeting_id = purged.meeting_id
    main, draft = layout.meeting(meeting_id), layout.draft(meeting_id)
    in_drafts = [p for p in paths if p.parent == layout.drafts]
    in_windows = [p for p in paths if p.parent == layout.window_drafts(meeting_id)]
    in_meetings = [p for p in paths if p.parent == layout.meetings]
    with file_lock(main, meeting_what(meeting_id), timeout) as lock:
        now = _read_meeting(main, meeting_id)
        if now is not None and (now.date >= plan.before or now.community != purged.community):
            return _("its date or community changed since the purge was planned")
        for path in in_meetings:
            if path.name != main.name + LOCK_SUFFIX:
                _remove(path, report)
        lock.discard()  # the lock file goes last, while held: see FlockLock.discard
        _note_lock_removed(main, in_meetings, report)
    if in_drafts:
        with file_lock(draft, draft_what(meeting_id), timeout) as lock:
            for path in in_drafts:
                if path.name != draft.name + LOCK_SUFFIX:
                    _remove(path, report)
            lock.discard()
            _note_lock_removed(draft, in_drafts, report)
    _purge_window_drafts(in_windows, report)
    return None


def _purge_window_drafts(paths: list[Path], report: PurgeReport) -> None:
    """Drafts go whoever's they are (the notes must go); a lock a window still holds stays,
    empty, until that window closes."""
    for path in paths:
        if not path.name.endswith(LOCK_SUFFIX):
            _remove(path, report)
    for path in paths:
        if path.name.endswith(LOCK_SUFFIX):
            if remove_if_free(path):
                report.removed.append(path)
            else:
                report.failed.append((path, _("a Kring window has the meeting open")))
    if paths:
        with contextlib.suppress(OSError):
            paths[0].parent.rmdir()


def _note_lock_removed(target: Path, planned: list[Path], report: PurgeReport) -> None:
    lock = target.with_name(target.name + LOCK_SUFFIX)
    if lock in planned and not lock.exists():
        report.removed.append(lock)


def _remove(path: Path, report: PurgeReport) -> None:
    try:
        if remove(path):
            report.removed.append(path)
    except OSError as error:
        report.failed.append((path, error.strerror or type(error).__name__))
