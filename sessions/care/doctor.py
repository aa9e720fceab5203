"""`kring doctor`: look over a data folder and say what is wrong, changing nothing unless asked.

``check`` only reads. ``repair`` does what is safe: conflict copies of this device's own logs
are taken into the log and removed, converted meetings are checked against their old files
again, rescue copies are taken back in, permissions are made private, this device's empty
logs and lines of purged meetings are removed, its logs of a meeting that is in no log are
kept in the state folder and taken out of the data folder, the index is rebuilt. Nothing in
another device's folder is ever written: it is that device's to tidy. No byte that cannot be
placed is ever destroyed: it is kept in the state folder, and the output says where.

What a check finds is in ``findings.py`` (which also holds the rule for the exit status),
what reading the device folders finds in ``survey.py``, what a repair does in ``repairs.py``.
Logs are read with the store's own reader, so doctor calls a line broken exactly when the
store does.
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
from kring.sessions.care.survey import (
    AHEAD_MS,
    Survey,
    check_clocks,
    check_devices,
    check_meetings,
    names,
)
from kring.sessions.errors import StoreError
from kring.sessions.i18n import _, ngettext
from kring.sessions.model.clock import Clock, SystemClock
from kring.sessions.paths import state_dir
from kring.sessions.store.device import read_device_id
from kring.sessions.store.events import HybridClock
from kring.sessions.store.facade import Store
from kring.sessions.store.files.atomic import PRIVATE_DIR, PRIVATE_FILE, describe
from kring.sessions.store.layout import MEETINGS, Layout, meeting_what
from kring.sessions.store.logs import Stream
from kring.sessions.store.meeting_file import FileProblem, MeetingFile, read_meeting_file
from kring.sessions.store.meetings import header_of
from kring.sessions.store.migration import legacy_files, meeting_events
from kring.sessions.store.rescue import rescued_files

__all__ = ["AHEAD_MS", "INFO", "DoctorReport", "Finding", "Kind", "check", "repair"]


def check(root: Path, state: Path | None = None, clock: Clock | None = None) -> DoctorReport:
    """What is wrong in the data folder ``root``, seen from the device ``state`` whose clock
    is ``clock``; reads only."""
    layout = Layout(Path(root), Path(state) if state is not None else state_dir())
    report = DoctorReport(layout.root)
    if not layout.root.is_dir():
        return report
    _check_writable(layout.root, report)
    _check_state_outside(layout, report)
    own = _own_device(layout)
    survey = Survey()
    now_ms = int((clock or SystemClock()).now().timestamp() * 1000)
    checks: list[Callable[[], object]] = [
        lambda: check_devices(layout, own, report, survey),
        lambda: check_meetings(layout, own, report, survey),
        lambda: check_clocks(layout, own, report, survey, now_ms),
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
    before = check(store.layout.root, store.layout.state, clock)
    refused = before.of(Kind.READ_ONLY)
    if refused:
        # Every repair writes; trying each only to fail helps nobody.
        failed += [_("{finding} Could not repair: {reason}").format(
            finding=finding.detail, reason=refused[0].detail)
            for finding in before.findings if finding.repairable]
    elif not before.healthy:
        repair_all(before, store, clock, done, failed)
    after = check(store.layout.root, store.layout.state, clock)
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
    for name in sorted(names(folder)):
        if not name.endswith(".json"):
            continue
        got = read_meeting_file(folder / name, name.removesuffix(".json"))
        if not isinstance(got, MeetingFile):
            continue
        meeting = got.meeting
        wanted = {event.id for event in meeting_events(meeting, got.entries)}
        stream = Stream(meeting_what(meeting.id), HybridClock(lambda: 0))
        paths = [layout.devices / device / MEETINGS / f"{meeting.id}.jsonl"
                 for device in sorted(names(layout.devices))]
        with contextlib.suppress(StoreError):
            stream.read([path for path in paths if path.exists()])
        missing = wanted - stream.state.seen
        try:
            header_of(stream.state, folder / name)
        except StoreError:
            missing = wanted
        if missing:
            report.findings.append(Finding(Kind.NOT_CONVERTED_FULLY, folder / name, ngettext(
                "Meeting {id} was converted from the older format, but {count} of its "
                "records is not in the logs.",
                "Meeting {id} was converted from the older format, but {count} of its "
                "records are not in the logs.", len(missing)).format(
                    id=meeting.id, count=len(missing))))


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
        if os.path.islink(folder):
            continue  # named as a link: a chmod would change what it points to
        _check_mode(folder, PRIVATE_DIR, report)
        if folder != layout.root:
            for name in sorted(names(folder)):
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
