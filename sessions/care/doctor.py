"""`kring doctor`: look over a data folder and say what is wrong, changing nothing unless asked.

``check`` only reads (it does not even create lock files). ``repair`` does what is safe: files
whose content could matter are moved aside, never deleted; only lock files nobody holds and
temporary files of saves that never finished are removed; the index is rebuilt.

What a check finds is in ``findings.py``, what a repair does about it in ``repairs.py``. Meeting
files are read with the store's own reader (``store/meeting_file.py``): doctor calls a meeting
file broken exactly when the store would.
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
from kring.sessions.errors import (
    NewerFormatError,
    StoreError,
    TransientError,
    UnreadableError,
    capitalized,
)
from kring.sessions.i18n import _
from kring.sessions.model.clock import Clock, SystemClock
from kring.sessions.store import index
from kring.sessions.store.checks import check_file
from kring.sessions.store.facade import Store
from kring.sessions.store.files.atomic import (
    BACKUP_SUFFIX,
    PRIVATE_DIR,
    PRIVATE_FILE,
    describe,
    is_temp,
    read_file,
    temp_target,
)
from kring.sessions.store.files.envelope import decode
from kring.sessions.store.files.locking import LOCK_SUFFIX, is_held
from kring.sessions.store.layout import (
    COMMUNITIES_KIND,
    COMMUNITIES_WHAT,
    DRAFT_KIND,
    INDEX_KIND,
    INDEX_WHAT,
    JSON,
    SET_ASIDE_LABELS,
    Layout,
    draft_what,
    id_of,
    meeting_what,
)
from kring.sessions.store.meeting_file import (
    FileProblem,
    MeetingFile,
    ProblemKind,
    read_meeting_file,
)
from kring.sessions.store.rescue import rescued_files
from kring.sessions.store.summary import MeetingSummary

__all__ = ["INFO", "DoctorReport", "Finding", "Kind", "check", "repair"]


def check(root: Path) -> DoctorReport:
    """What is wrong in the data folder ``root``; reads only."""
    layout = Layout(Path(root))
    report = DoctorReport(layout.root)
    if not layout.root.is_dir():
        return report
    _check_writable(layout.root, report)
    meeting_ids: set[str] = set()
    checks: list[Callable[[], object]] = [
        lambda: meeting_ids.update(_check_meetings(layout, report)),
        lambda: _check_drafts(layout, meeting_ids, report),
        lambda: _check_file(layout.communities, COMMUNITIES_KIND, _(COMMUNITIES_WHAT),
                            report),
        lambda: _check_index(layout, report),
        lambda: _check_folder_extras(layout.root, report),
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


def repair(root: Path, clock: Clock | None = None) -> DoctorReport:
    """Fix what is safe to fix, then check again. ``repaired`` says what was done."""
    clock = clock or SystemClock()
    layout = Layout(Path(root))
    store = Store(layout.root, clock)
    done: list[str] = []
    failed: list[str] = []
    # A second pass tidies what the first leaves (the lock of a meeting it set aside).
    for _pass in range(2):
        before = check(layout.root)
        if before.healthy:
            break
        refused = before.of(Kind.READ_ONLY)
        if refused:
            # Every repair writes; trying each only to fail would also set nothing aside.
            failed += [_("{finding} Could not repair: {reason}").format(
                finding=finding.detail, reason=refused[0].detail)
                for finding in before.findings if finding.repairable]
            break
        repair_all(before, layout, store, clock, done, failed)
    after = check(layout.root)
    after.repaired, after.failed = done, list(dict.fromkeys(failed))
    return after


# -- checks ---------------------------------------------------------------------------------


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


def _check_meetings(layout: Layout, report: DoctorReport) -> set[str]:
    """Check every meeting file and what lies beside it; returns the ids with a file."""
    folder = layout.meetings
    names = _names(folder)
    ids = {meeting_id for name in names if (meeting_id := id_of(name)) is not None}
    for meeting_id in sorted(ids):
        _check_meeting_file(layout.meeting(meeting_id), meeting_id, meeting_what(meeting_id),
                            report)
    for name in sorted(names):
        if not name.endswith(JSON + BACKUP_SUFFIX):
            continue
        meeting_id = id_of(name[: -len(BACKUP_SUFFIX)])
        if meeting_id is None:
            continue
        what = _("the backup of meeting {id}").format(id=meeting_id)
        ok = _check_meeting_file(folder / name, meeting_id, what, report)
        if ok and meeting_id not in ids:
            report.findings.append(Finding(
                Kind.BACKUP_ONLY, folder / name,
                _("Meeting {id} has no file, but its backup reads fine.").format(id=meeting_id),
            ))
    _check_folder_extras(folder, report)
    return ids


def _check_drafts(layout: Layout, meeting_ids: set[str], report: DoctorReport) -> None:
    folder = layout.drafts
    names = _names(folder)
    for name in sorted(names):
        meeting_id = id_of(name)
        if meeting_id is not None:  # one draft per meeting, from before windows had their own
            _check_draft(folder / name, meeting_id, meeting_ids, report)
        elif (folder / name).is_dir() and id_of(name + JSON) is not None:
            _check_window_drafts(folder / name, name, meeting_ids, report)
    _check_folder_extras(folder, report, label=_draft_label)


def _check_window_drafts(folder: Path, meeting_id: str, meeting_ids: set[str],
                         report: DoctorReport) -> None:
    """``drafts/<meeting>/<window>.json``: each open window holds its draft's lock."""
    names = _names(folder)
    for name in sorted(names):
        if id_of(name) is not None and not is_held(folder / (name + LOCK_SUFFIX)):
            _check_draft(folder / name, meeting_id, meeting_ids, report)
    _check_folder_extras(folder, report, label=lambda _name: draft_what(meeting_id),
                         held=_("A Kring window has meeting {id} open right now.").format(
                             id=meeting_id))


def _check_draft(path: Path, meeting_id: str, meeting_ids: set[str],
                 report: DoctorReport) -> None:
    if _check_file(path, DRAFT_KIND, draft_what(meeting_id), report) and \
            meeting_id not in meeting_ids:
        report.findings.append(Finding(
            Kind.ORPHAN_DRAFT, path,
            _("A draft belongs to meeting {id}, which does not exist.").format(id=meeting_id),
        ))


def _check_meeting_file(path: Path, meeting_id: str, what: str, report: DoctorReport) -> bool:
    """Whether the file reads as the store reads it (a missing file is fine)."""
    got = read_meeting_file(path, meeting_id, what=what)
    if isinstance(got, FileProblem):
        kind = Kind.NEWER_FORMAT if got.kind is ProblemKind.NEWER_FORMAT else Kind.UNREADABLE
        report.findings.append(Finding(kind, path, sentence(what, got.error)))
        return False
    return True


def _check_file(path: Path, kind: str, what: str, report: DoctorReport) -> bool:
    """Whether a draft or the communities file reads fine (a missing file is fine)."""
    try:
        got = read_file(path, what)
        if got is None:
            return True
        check_file(got[0], path, kind)
    except (UnreadableError, TransientError) as error:
        found = Kind.NEWER_FORMAT if isinstance(error, NewerFormatError) else Kind.UNREADABLE
        report.findings.append(Finding(found, path, sentence(what, error)))
        return False
    return True


def _check_index(layout: Layout, report: DoctorReport) -> None:
    try:
        got = read_file(layout.index, _(INDEX_WHAT))
        if got is None:
            if index.scan(layout.meetings).files:
                report.findings.append(Finding(Kind.INDEX_OUTDATED, layout.index,
                                               _("The list of meetings is missing.")))
            return
        listed = index.parse(decode(got[0], layout.index, INDEX_KIND))
    except (UnreadableError, TransientError) as error:
        report.findings.append(Finding(Kind.UNREADABLE, layout.index,
                                       sentence(_(INDEX_WHAT), error)))
        return
    actual: dict[str, MeetingSummary] = {}
    for meeting_id in index.scan(layout.meetings).files:
        got = read_meeting_file(layout.meeting(meeting_id), meeting_id)
        if isinstance(got, MeetingFile):
            actual[meeting_id] = got.summary
    stale = sorted(
        meeting_id for meeting_id in set(actual) | set(listed)
        if meeting_id not in listed or listed[meeting_id].summary != actual.get(meeting_id)
    )
    if stale:
        report.findings.append(Finding(
            Kind.INDEX_OUTDATED, layout.index,
            _("The list of meetings is out of date for {count} meeting(s): {ids}.").format(
                count=len(stale), ids=", ".join(stale[:5]) + ("…" if len(stale) > 5 else "")),
        ))


def _check_folder_extras(folder: Path, report: DoctorReport, *,
                         label: Callable[[str], str] | None = None,
                         held: str | None = None) -> None:
    """Locks, temporary files and set-aside files in one folder; ``label`` names the file a
    lock or temporary file belongs to, ``held`` replaces the sentence for a held lock."""
    names = _names(folder)
    _label = label or _meeting_label

    for name in sorted(names):
        path = folder / name
        if name.endswith(LOCK_SUFFIX):
            target = name[: -len(LOCK_SUFFIX)]
            if is_held(path):
                report.findings.append(Finding(
                    Kind.HELD_LOCK, path,
                    held or _("{what} is being saved by another Kring right now.").format(
                        what=capitalized(_label(target))),
                ))
            elif target not in names:
                report.findings.append(Finding(
                    Kind.STALE_LOCK, path,
                    _("A lock is left over for {what}, which no longer exists.").format(
                        what=_label(target)),
                ))
        elif is_temp(name):
            report.findings.append(Finding(
                Kind.TEMP_FILE, path,
                _("A save of {what} was cut off and left a temporary file.").format(
                    what=_label(temp_target(name))),
            ))
        elif any(f".{label}-" in name for label in SET_ASIDE_LABELS):
            report.findings.append(Finding(
                Kind.SET_ASIDE, path, _("{name} was set aside earlier and is kept for you to "
                                        "look at; Kring does not use it.").format(name=name),
            ))


def _check_rescued(root: Path, report: DoctorReport) -> None:
    """Rescue copies lie where the window could write them: the data folder or the home."""
    for path in rescued_files([root, Path.home()]):
        report.findings.append(Finding(Kind.RESCUED, path, _(
            "{path} is a rescue copy of a meeting, written when saving failed; "
            "repair takes it back in.").format(path=path)))


def _check_permissions(layout: Layout, report: DoctorReport) -> None:
    folders = [layout.root, layout.meetings, layout.drafts]
    folders += [layout.drafts / name for name in sorted(_names(layout.drafts))
                if id_of(name + JSON) is not None and (layout.drafts / name).is_dir()]
    for folder in folders:
        _check_mode(folder, PRIVATE_DIR, report)
    for folder in folders:
        for name in _names(folder):
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


# -- helpers --------------------------------------------------------------------------------


def _names(folder: Path) -> set[str]:
    try:
        return set(os.listdir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return set()


def _meeting_label(name: str) -> str:
    meeting_id = id_of(name)
    return name if meeting_id is None else meeting_what(meeting_id)


def _draft_label(name: str) -> str:
    meeting_id = id_of(name)
    return name if meeting_id is None else draft_what(meeting_id)


