"""Removing old meetings for good: the retention the notes about pupils call for.

``plan_purge`` lists, without changing anything, every file that belongs to the meetings held
before a date (of one community, or all): every device's log of it and their conflict copies,
this device's drafts, the copies kept from the older format, and the minutes exported for it.
``execute`` removes exactly those, under the meeting's lock, and rebuilds the index. Nothing
else is touched; a file Kring cannot tie to a purged meeting for certain stays.

A meeting whose logs cannot be read is left alone and listed in ``PurgePlan.undated``.
Reports hold meeting ids, dates, communities and paths; never a case title or a name.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from kring.sessions.care.purge_minutes import minutes_of
from kring.sessions.errors import StoreError
from kring.sessions.i18n import _
from kring.sessions.model.meeting import Meeting
from kring.sessions.model.name_variants import fold
from kring.sessions.model.status import Status
from kring.sessions.store.facade import Store
from kring.sessions.store.files.atomic import remove
from kring.sessions.store.files.locking import LOCK_SUFFIX, file_lock, remove_if_free
from kring.sessions.store.layout import (
    JSON,
    MEETINGS,
    meeting_what,
)


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
               minutes_dir: Path | None = None, state: Path | None = None) -> PurgePlan:
    """What ``execute`` would remove: the files of every meeting dated before ``before`` (of
    ``community`` when given, matched ignoring case and accents). Reads only."""
    store = Store(Path(layout_root), state=state)
    layout = store.layout
    wanted = None if community is None else fold(community)
    chosen: list[PurgedMeeting] = []
    purged: list[Meeting] = []  # their minutes can also be found by name
    kept: list[Meeting] = []  # dated, not purged: their minutes must not go
    undated: list[str] = []
    files: dict[str, list[Path]] = {}
    for meeting_id in sorted(store.meeting_ids()):
        try:
            meeting = store.load(meeting_id).meeting
        except StoreError:
            undated.append(meeting_id)
            continue
        if meeting.date >= before or (wanted is not None and fold(meeting.community) != wanted):
            kept.append(meeting)
            continue
        chosen.append(PurgedMeeting(meeting_id, meeting.date, meeting.community,
                                    meeting.status is Status.IN_PROGRESS))
        purged.append(meeting)
        files[meeting_id] = sorted(_files_of(store, meeting_id))
    minutes, unsure = ([], []) if minutes_dir is None else minutes_of(
        Path(minutes_dir), before, wanted, purged, kept)
    return PurgePlan(root=layout.root, before=before, community=community, meetings=chosen,
                     meeting_files=files, minutes=minutes, undated=undated, unsure=unsure)


def execute(plan: PurgePlan, store: Store) -> PurgeReport:
    """Remove the plan's files and rebuild the index. Each meeting's files go while this
    device's lock of it is held, after checking its date once more (it may have changed since
    the plan was made); a meeting a Kring window is saving stays, listed in ``kept``.

    Every device's log of the meeting goes: retention is the community's rule, and a sync
    engine carries the removal to the other members' laptops."""
    if Path(store.layout.root) != Path(plan.root):
        raise ValueError("the plan was made for another data folder")
    report = PurgeReport()
    for purged in plan.meetings:
        paths = plan.meeting_files.get(purged.meeting_id, [])
        try:
            reason = _purge_meeting(purged, paths, plan, store, report)
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


def _files_of(store: Store, meeting_id: str) -> list[Path]:
    """Every file of the meeting: each device's log and its conflict copies, this device's
    drafts of it, and the copies kept from the older format (converted and backed up)."""
    layout = store.layout
    found = list(store.meeting_logs(meeting_id))
    folders = [layout.window_drafts(meeting_id)]
    for folder in folders:
        with contextlib.suppress(OSError):
            found += [folder / name for name in os.listdir(folder)
                      if not (folder / name).is_dir()]
    name = f"{meeting_id}{JSON}"
    for folder in (layout.legacy_drafts, layout.migrated / MEETINGS, layout.local / "backup-v1"):
        for candidate in (folder / name, folder / f"{name}.bak"):
            if candidate.exists():
                found.append(candidate)
    return found


def _purge_meeting(purged: PurgedMeeting, paths: list[Path], plan: PurgePlan, store: Store,
                   report: PurgeReport) -> str | None:
    """Remove one meeting's files; the reason it stays, or None when it went."""
    meeting_id = purged.meeting_id
    layout = store.layout
    with file_lock(layout.lock(f"meeting-{meeting_id}"), meeting_what(meeting_id),
                   store.lock_timeout):
        try:
            now = store.load(meeting_id).meeting
        except StoreError:
            now = None
        if now is not None and (now.date >= plan.before or now.community != purged.community):
            return _("its date or community changed since the purge was planned")
        # First the record every laptop honours, then the files: a laptop offline now may
        # still add to the meeting, and its lines must never bring the meeting back.
        store.record_purge(meeting_id, before=plan.before, on=store.clock.now().date())
        locks = [p for p in paths if p.name.endswith(LOCK_SUFFIX)]
        for path in paths:
            if path not in locks:
                _remove(path, report)
        for path in locks:  # a draft's lock a window still holds stays, empty, till it closes
            if remove_if_free(path):
                report.removed.append(path)
            else:
                report.failed.append((path, _("a Kring window has the meeting open")))
        with contextlib.suppress(OSError):
            layout.window_drafts(meeting_id).rmdir()
    store.forget(meeting_id)
    return None


def _remove(path: Path, report: PurgeReport) -> None:
    try:
        if remove(path):
            report.removed.append(path)
    except OSError as error:
        report.failed.append((path, error.strerror or type(error).__name__))
