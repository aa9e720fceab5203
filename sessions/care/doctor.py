"""`kring doctor`: look over a data folder and say what is wrong, changing nothing unless asked.

``check`` only reads. ``repair`` does what is safe: conflict copies of this device's own logs
are taken into the log and removed, converted meetings are checked against their old files
again, rescue copies are taken back in, permissions are made private, the index is rebuilt.
Nothing in another device's folder is ever written: it is that device's to tidy.

What a check finds is in ``findings.py``, what a repair does about it in ``repairs.py``. Logs
are read with the store's own reader, so doctor calls a line broken exactly when the store does.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

from kring.sessions.care.findings import INFO, DoctorReport, Finding, Kind, reason_of, sentence
from kring.sessions.care.repairs import repair_all
from kring.sessions.errors import StoreError
from kring.sessions.i18n import _
from kring.sessions.model.clock import Clock, SystemClock
from kring.sessions.paths import state_dir
from kring.sessions.store.communities import communities_copies
from kring.sessions.store.device import read_device_id
from kring.sessions.store.events import HybridClock
from kring.sessions.store.facade import Store
from kring.sessions.store.files.atomic import PRIVATE_DIR, PRIVATE_FILE, describe
from kring.sessions.store.layout import (
    COMMUNITIES_LOG,
    COMMUNITIES_WHAT,
    MEETINGS,
    Layout,
    Name,
    classify,
    meeting_what,
)
from kring.sessions.store.logs import Stream
from kring.sessions.store.meeting_file import FileProblem, MeetingFile, read_meeting_file
from kring.sessions.store.meetings import header_of
from kring.sessions.store.migration import legacy_files, meeting_events
from kring.sessions.store.rescue import rescued_files

__all__ = ["INFO", "DoctorReport", "Finding", "Kind", "check", "repair"]


def check(root: Path, state: Path | None = None) -> DoctorReport:
    """What is wrong in the data folder ``root``, seen from the device ``state``; reads only."""
    layout = Layout(Path(root), Path(state) if state is not None else state_dir())
    report = DoctorReport(layout.root)
    if not layout.root.is_dir():
        return report
    _check_writable(layout.root, report)
    _check_state_outside(layout, report)
    own = _own_device(layout)
    checks: list[Callable[[], object]] = [
        lambda: _check_devices(layout, own, report),
        lambda: _check_legacy(layout, report),
        lambda: _check_migrated(layout, report),
        lambda: _check_permissions(layout, report),
        lambda: _check_rescued(layout.root, report),
    ]
    for one in checks:
        try:
            one()
        except (StoreError, OSError) as error:  # report, never a traceback: check the rest
            report.findings.append(Finding(Kind.UNCHECKED, layout.root, _(
                "Part of the data folder could not be checked: {reason}").format(
                reason=reason_of(error))))
    return report


def repair(root: Path, clock: Clock | None = None, state: Path | None = None) -> DoctorReport:
    """Fix what is safe to fix, then check again. ``repaired`` says what was done."""
    clock = clock or SystemClock()
    store = Store(Path(root), clock, state=state)
    done: list[str] = []
    failed: list[str] = []
    before = check(store.layout.root, store.layout.state)
    refused = before.of(Kind.READ_ONLY)
    if refused:
        # Every repair writes; trying each only to fail helps nobody.
        failed += [_("{finding} Could not repair: {reason}").format(
            finding=finding.detail, reason=refused[0].detail)
            for finding in before.findings if finding.repairable]
    elif not before.healthy:
        repair_all(before, store, clock, done, failed)
    after = check(store.layout.root, store.layout.state)
    after.repaired, after.failed = done, list(dict.fromkeys(failed))
    return after


# -- checks ---------------------------------------------------------------------------------


def _own_device(layout: Layout) -> str | None:
    return read_device_id(layout.device_file)


def _check_writable(root: Path, report: DoctorReport) -> None:
    """Whether anything can be saved here, found without writing anything."""
    code = None
    with contextlib.suppress(OSError, AttributeError):
        if os.statvfs(root).f_flag & os.ST_RDONLY:
            code = errno.EROFS
    if code is None and not os.access(root, os.W_OK):
        code = errno.EACCES
    if code is not None:
        report.findings.append(Finding(Kind.READ_ONLY, root, _(
            "Nothing can be saved in the data folder: {reason}").format(
            reason=describe(OSError(code, os.strerror(code)), root))))


def _check_state_outside(layout: Layout, report: DoctorReport) -> None:
    """The state folder makes this laptop one device: synced along with the data, every
    laptop would be the same device, writing the same logs."""
    state, root = os.path.realpath(layout.state), os.path.realpath(layout.root)
    if os.path.commonpath([state, root]) == root:
        report.findings.append(Finding(Kind.STATE_INSIDE, layout.state, _(
            "The state folder {state} is inside the data folder: a sync engine would carry it "
            "to other laptops, which would then write as this one. Set KRING_STATE to a folder "
            "outside it.").format(state=layout.state)))


def _check_devices(layout: Layout, own: str | None, report: DoctorReport) -> None:
    for device in sorted(_names(layout.devices)):
        communities = layout.devices / device / COMMUNITIES_LOG
        if communities.exists():
            _check_log(communities, None, report)
        for copy in communities_copies(layout.devices / device):
            found = Kind.CONFLICT_COPY if device == own else Kind.CONFLICT_ELSEWHERE
            report.findings.append(Finding(found, copy, _(
                "{name} is a sync engine's conflict copy of the communities: what it holds is "
                "read with the rest, nothing is lost.").format(name=copy.name)))
        folder = layout.devices / device / MEETINGS
        for name in sorted(_names(folder)):
            kind, meeting_id = classify(name)
            path = folder / name
            if kind is Name.LOG and meeting_id is not None:
                _check_log(path, meeting_id, report)
            elif kind is Name.CONFLICT:
                found = Kind.CONFLICT_COPY if device == own else Kind.CONFLICT_ELSEWHERE
                report.findings.append(Finding(found, path, _(
                    "{name} is a sync engine's conflict copy of meeting {id}: what it holds is "
                    "read with the rest, nothing is lost.").format(name=name, id=meeting_id)))
            elif kind is Name.TEMP:
                report.findings.append(Finding(Kind.SYNC_TEMP, path, _(
                    "{name} is a file the sync engine is still copying.").format(name=name)))
            else:
                report.findings.append(Finding(Kind.STRAY, path, _(
                    "{name} is not a Kring file; Kring leaves it alone.").format(name=name)))


def _check_log(path: Path, meeting_id: str | None, report: DoctorReport) -> None:
    """A meeting's log (or, with no meeting, a communities log) as the store reads it."""
    what = _(COMMUNITIES_WHAT) if meeting_id is None else meeting_what(meeting_id)
    stream = Stream(what, HybridClock(lambda: 0))
    try:
        stream.read([path])
    except StoreError as error:
        report.findings.append(Finding(Kind.UNREADABLE, path, sentence(what, error)))
        return
    device = path.parent.name if meeting_id is None else path.parent.parent.name
    for problem in stream.problems():
        report.findings.append(Finding(Kind.SKIPPED_LINES, path, _(
            "The log {name} of {what}: {reason}").format(
            name=device, what=what, reason=problem.reason)))


def _check_legacy(layout: Layout, report: DoctorReport) -> None:
    """Meeting files of the older format that could not be converted."""
    for path in legacy_files(layout):
        got = read_meeting_file(path, path.stem)
        reason = sentence(meeting_what(path.stem), got.error) if isinstance(got, FileProblem) \
            else _("Meeting {id} has not been converted yet.").format(id=path.stem)
        report.findings.append(Finding(Kind.NOT_CONVERTED, path, reason))


def _check_migrated(layout: Layout, report: DoctorReport) -> None:
    """Every converted meeting's events are in the logs, as they were in its old file."""
    folder = layout.migrated / MEETINGS
    for name in sorted(_names(folder)):
        if not name.endswith(".json"):
            continue
        got = read_meeting_file(folder / name, name.removesuffix(".json"))
        if not isinstance(got, MeetingFile):
            continue
        meeting = got.meeting
        wanted = {event.id for event in meeting_events(meeting, got.entries)}
        stream = Stream(meeting_what(meeting.id), HybridClock(lambda: 0))
        paths = [layout.devices / device / MEETINGS / f"{meeting.id}.jsonl"
                 for device in sorted(_names(layout.devices))]
        with contextlib.suppress(StoreError):
            stream.read([path for path in paths if path.exists()])
        missing = wanted - stream.state.seen
        try:
            header_of(stream.state, folder / name)
        except StoreError:
            missing = wanted
        if missing:
            report.findings.append(Finding(Kind.NOT_CONVERTED_FULLY, folder / name, _(
                "Meeting {id} was converted from the older format, but {count} of its "
                "records are not in the logs.").format(id=meeting.id, count=len(missing))))


def _check_rescued(root: Path, report: DoctorReport) -> None:
    """Rescue copies lie where the window could write them: the data folder or the home."""
    for path in rescued_files([root, Path.home()]):
        report.findings.append(Finding(Kind.RESCUED, path, _(
            "{path} is a rescue copy of a meeting, written when saving failed; "
            "repair takes it back in.").format(path=path)))


def _check_permissions(layout: Layout, report: DoctorReport) -> None:
    own = _own_device(layout)
    folders = [layout.root, layout.devices]
    if own is not None:  # another device's files are its owner's to set
        folders += [layout.devices / own, layout.devices / own / MEETINGS]
    for folder in folders:
        _check_mode(folder, PRIVATE_DIR, report)
        if folder != layout.root:
            for name in sorted(_names(folder)):
                path = folder / name
                if path.is_file() and not path.is_symlink():
                    _check_mode(path, PRIVATE_FILE, report)


def _check_mode(path: Path, private: int, report: DoctorReport) -> None:
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if mode & 0o077:
        report.findings.append(Finding(
            Kind.OPEN_PERMISSIONS, path,
            _("{name} can be read by other users of this computer "
              "(mode {mode}, should be {private}).").format(
                name=path.name, mode=f"{mode:o}", private=f"{private:o}"),
        ))


def _names(folder: Path) -> set[str]:
    try:
        return set(os.listdir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return set()
