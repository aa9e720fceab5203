"""What ``kring doctor`` finds by reading every device's folder: each log and conflict copy
as the store reads it, the symbolic links among them, and then what only all of a meeting's
files together tell (a 0-byte log, lines whose meeting is in no log, lines of a purged
meeting) and what the stamps of all events tell (a device whose clock runs ahead).

Reads only. Every log is read whole here anyway (for its damaged lines), so the clocks are
judged from the events already read: no second pass over the files.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kring.sessions.care.findings import DoctorReport, Finding, Kind, reason_of, sentence
from kring.sessions.errors import StoreError
from kring.sessions.i18n import _
from kring.sessions.store.communities import communities_copies
from kring.sessions.store.events import HEADER_KEY, Event, HybridClock
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


@dataclass(frozen=True, slots=True)
class Seen:
    """One file of a meeting's, as read."""

    path: Path
    device: str  # the folder it is in
    copy: bool  # a sync engine's conflict copy
    size: int
    header: bool | None  # whether it holds the meeting's header; None: it could not be read


@dataclass(slots=True)
class Survey:
    """What reading the device folders found, for the checks that look across them."""

    files: dict[str, list[Seen]] = field(default_factory=dict)  # meeting id -> its files
    stamped: dict[str, int] = field(default_factory=dict)  # device -> latest clock stamp
    # False when a folder could not be looked into: a meeting's header may be in it, so no
    # meeting is then called one whose header is nowhere.
    complete: bool = True

    def observe(self, events: list[Event]) -> None:
        """Remember each device's latest stamp taken from its own clock: a counter of 0.
        (A device that has seen a later stamp than its clock shows counts on from that one,
        with a counter above 0: it is not its clock that is ahead.)"""
        stamped = self.stamped
        for event in events:
            if event.c == 0 and event.t > stamped.get(event.device, -1):
                stamped[event.device] = event.t


def check_devices(layout: Layout, own: str | None, report: DoctorReport,
                  survey: Survey) -> None:
    if not _followable(layout.devices, layout.root, report):
        survey.complete = False
        return
    for device in sorted(names(layout.devices)):
        try:
            _check_device(layout, device, own, report, survey)
        except (StoreError, OSError) as error:  # one device's folder: check the others
            survey.complete = False
            report.findings.append(Finding(Kind.UNCHECKED, layout.devices / device, _(
                "The folder {folder} could not be checked: {reason}").format(
                folder=_shown(layout.devices / device, layout.root),
                reason=reason_of(error))))


def _check_device(layout: Layout, device: str, own: str | None, report: DoctorReport,
                  survey: Survey) -> None:
    folder = layout.devices / device
    if not _followable(folder, layout.root, report):
        survey.complete = False
        return
    mine = device == own
    communities = folder / COMMUNITIES_LOG
    if os.path.lexists(communities) and _followable(communities, layout.root, report):
        _check_log(communities, None, report, survey)
    for copy in communities_copies(folder):
        report.findings.append(Finding(_copy_kind(mine), copy, _(
            "{name} is a sync engine's conflict copy of the communities: what it holds is "
            "read with the rest, nothing is lost.").format(name=copy.name)))
        if _followable(copy, layout.root, report):
            _check_log(copy, None, report, survey)
    meetings = folder / MEETINGS
    if not os.path.lexists(meetings):
        return
    if not _followable(meetings, layout.root, report):
        survey.complete = False
        return
    for name in sorted(names(meetings)):
        _check_meeting_file(meetings / name, device, mine, layout.root, report, survey)


def _check_meeting_file(path: Path, device: str, mine: bool, root: Path,
                        report: DoctorReport, survey: Survey) -> None:
    kind, meeting_id = classify(path.name)
    if kind not in (Name.LOG, Name.CONFLICT):
        meeting_id = None
    if not _followable(path, root, report):
        if meeting_id is not None:  # what it leads to is unknown: so is the meeting's header
            survey.files.setdefault(meeting_id, []).append(
                Seen(path, device, kind is Name.CONFLICT, -1, None))
        return
    if kind is Name.TEMP:
        report.findings.append(Finding(Kind.SYNC_TEMP, path, _(
            "{name} is a file the sync engine is still copying.").format(name=path.name)))
        return
    if meeting_id is None:
        report.findings.append(Finding(Kind.STRAY, path, _(
            "{name} is not a Kring file; Kring leaves it alone.").format(name=path.name)))
        return
    if kind is Name.CONFLICT:
        report.findings.append(Finding(_copy_kind(mine), path, _(
            "{name} is a sync engine's conflict copy of meeting {id}: what it holds is "
            "read with the rest, nothing is lost.").format(name=path.name, id=meeting_id)))
    stream = _check_log(path, meeting_id, report, survey)
    header = None if stream is None else HEADER_KEY in stream.state.records
    survey.files.setdefault(meeting_id, []).append(
        Seen(path, device, kind is Name.CONFLICT, _size(path), header))


def _copy_kind(mine: bool) -> Kind:
    return Kind.CONFLICT_COPY if mine else Kind.CONFLICT_ELSEWHERE


def _check_log(path: Path, meeting_id: str | None, report: DoctorReport,
               survey: Survey) -> Stream | None:
    """A meeting's log (or, with no meeting, a communities log) as the store reads it; None
    when it cannot be read at all."""
    what = _(COMMUNITIES_WHAT) if meeting_id is None else meeting_what(meeting_id)
    stream = Stream(what, HybridClock(lambda: 0))
    try:
        survey.observe(stream.read([path]))
    except StoreError as error:
        report.findings.append(Finding(Kind.UNREADABLE, path, sentence(what, error)))
        return None
    for problem in stream.problems():
        report.findings.append(Finding(Kind.SKIPPED_LINES, path, _(
            "The log {name} of {what}: {reason}").format(
            name=_shown(path, report.root), what=what, reason=problem.reason)))
    return stream


def _followable(path: Path, root: Path, report: DoctorReport) -> bool:
    """Whether ``path`` can be read: a symbolic link is named (Kring never writes through
    one, and a sync engine may carry the link rather than what it points to), and one that
    leads nowhere (a loop, a target that is not there) is not followed."""
    if not os.path.islink(path):
        return True
    shown = _shown(path, root)
    try:
        target = os.path.realpath(path, strict=True)
    except OSError:
        report.findings.append(Finding(Kind.SYMLINK, path, _(
            "{path} is a symbolic link that leads nowhere (round in a loop, or to something "
            "that is not there): nothing is read through it. Remove it, or put the file or "
            "folder itself there.").format(path=shown)))
        return False
    report.findings.append(Finding(Kind.SYMLINK, path, _(
        "{path} is a symbolic link to {target}: Kring reads through it but never writes "
        "through it, and a sync engine may carry the link instead of what it points to. Put "
        "the file or folder itself there.").format(path=shown, target=target)))
    return True


def _shown(path: Path, root: Path) -> str:
    """``path`` as a user finds it: within the data folder (ids only, no names)."""
    try:
        return os.fspath(path.relative_to(root))
    except ValueError:
        return os.fspath(path)


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return -1  # gone, or unreadable: reported as such already


def check_meetings(layout: Layout, own: str | None, report: DoctorReport,
                   survey: Survey) -> None:
    """What only all of a meeting's files together tell: that none holds its header (a
    0-byte log of a failed first save, lines whose meeting is nowhere), or that it was
    purged and lines of it wait."""
    purged = _purged(layout)
    retold: set[Path] = set()  # copies reported again below as what they hold
    for meeting_id, seen in sorted(survey.files.items()):
        if meeting_id in purged:
            for one in seen:
                if one.size < 0:
                    continue  # a link that leads nowhere: named as such
                report.findings.append(_purged_finding(one, meeting_id, own, layout.root))
                retold.add(one.path)
            continue
        nowhere = survey.complete and all(one.header is False for one in seen)
        for one in seen:
            found = _header_finding(one, meeting_id, own, nowhere, layout.root)
            if found is not None:
                report.findings.append(found)
                retold.add(one.path)
    report.findings[:] = [finding for finding in report.findings
                          if not (finding.kind in (Kind.CONFLICT_COPY, Kind.CONFLICT_ELSEWHERE)
                                  and finding.path in retold)]


def _header_finding(one: Seen, meeting_id: str, own: str | None, nowhere: bool,
                    root: Path) -> Finding | None:
    shown = _shown(one.path, root)
    mine = one.device == own
    if one.size == 0 and not one.copy:
        if mine:
            return Finding(Kind.EMPTY_LOG, one.path, _(
                "The log {path} of meeting {id} is empty (0 bytes): a first save that "
                "failed, on a full disk say. Nothing is in it; repair removes it.").format(
                path=shown, id=meeting_id))
        if not nowhere:
            return Finding(Kind.EMPTY_ELSEWHERE, one.path, _(
                "The log {path} of meeting {id} is empty (0 bytes); the meeting reads from "
                "its other logs.").format(path=shown, id=meeting_id))
    if not nowhere:
        return None
    if mine:
        return Finding(Kind.NO_MEETING, one.path, _(
            "{path} holds lines of meeting {id}, but no log holds the meeting itself, so it "
            "cannot be read. Repair keeps its bytes in this computer's state folder and "
            "takes it out of the data folder.").format(path=shown, id=meeting_id))
    return Finding(Kind.NO_MEETING_ELSEWHERE, one.path, _(
        "{path} holds lines of meeting {id}, but no log holds the meeting itself, so it "
        "cannot be read. It is device {device}'s file: 'kring doctor --repair' on that "
        "computer keeps its bytes and tidies it.").format(
        path=shown, id=meeting_id, device=one.device))


def _purged_finding(one: Seen, meeting_id: str, own: str | None, root: Path) -> Finding:
    shown = _shown(one.path, root)
    if one.device == own:
        return Finding(Kind.PURGED_LINES, one.path, _(
            "{path} holds lines of meeting {id}, which was purged: written by a laptop that "
            "was offline then, or brought back by a sync engine. They are not shown; "
            "repair removes them.").format(path=shown, id=meeting_id))
    return Finding(Kind.PURGED_ELSEWHERE, one.path, _(
        "{path} holds lines of meeting {id}, which was purged. They are not shown. It is "
        "device {device}'s file: 'kring doctor --repair' on that computer removes "
        "it.").format(path=shown, id=meeting_id, device=one.device))


def _purged(layout: Layout) -> Collection[str]:
    """The meetings some laptop purged (read only: no lock is taken, nothing written)."""
    from kring.sessions.store.communities import Communities

    communities = Communities(layout, lambda: "", HybridClock(lambda: 0), lock_timeout=0.0,
                              mutex=threading.RLock(), on_lines=lambda problems: None)
    try:
        return set(communities.purged())
    except StoreError:
        return set()  # the communities log that cannot be read is reported on its own


AHEAD_MS = 5 * 60 * 1000  # clocks set by hand drift by a minute or two; five is no drift


def check_clocks(layout: Layout, own: str | None, report: DoctorReport, survey: Survey,
                 now_ms: int) -> None:
    """Devices whose events carry stamps far ahead of this computer's clock. Last writer
    wins, per field: such a laptop's change wins over every later change another laptop
    makes to the same thing, until the clocks agree."""
    for device, latest in sorted(survey.stamped.items()):
        ahead = latest - now_ms
        if ahead <= AHEAD_MS:
            continue
        moment = datetime.fromtimestamp(latest / 1000, UTC).strftime("%Y-%m-%d %H:%M")
        detail = _(
            "Device {device} stamped changes up to {minutes} minutes ahead of this "
            "computer's clock (the latest at {moment} UTC): until the clocks agree, its "
            "changes win over any later change another laptop makes to the same thing. Set "
            "the clock right on the computer whose time is wrong.").format(
            device=device, minutes=ahead // 60_000, moment=moment)
        if device == own:
            detail += " " + _("(Device {device} is this computer.)").format(device=device)
        report.findings.append(Finding(Kind.CLOCK_AHEAD, layout.devices / device, detail))


def names(folder: Path) -> set[str]:
    """The names in ``folder``; none when it is not there (or is no folder)."""
    try:
        return set(os.listdir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return set()
