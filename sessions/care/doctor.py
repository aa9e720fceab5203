"""`kring doctor`: look over a data folder and say what is wrong, changing nothing unless asked.

``check`` only reads (it does not even create lock files). ``repair`` does what is safe: files
whose content could matter are moved aside, never deleted; only lock files nobody holds and
temporary files of saves that never finished are removed; the index is rebuilt.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from kring.sessions.errors import (
    CorruptFileError,
    NewerFormatError,
    StoreError,
    TransientError,
    UnreadableError,
    capitalized,
    unreadable,
)
from kring.sessions.i18n import _
from kring.sessions.model.clock import Clock, SystemClock
from kring.sessions.store import index
from kring.sessions.store.checks import check_file, check_meeting
from kring.sessions.store.facade import Store
from kring.sessions.store.files.atomic import (
    BACKUP_SUFFIX,
    PRIVATE_DIR,
    PRIVATE_FILE,
    describe,
    is_temp,
    move_aside,
    read_file,
    temp_target,
)
from kring.sessions.store.files.envelope import check_tables, decode
from kring.sessions.store.files.locking import LOCK_SUFFIX, file_lock, is_held, remove_if_free
from kring.sessions.store.layout import (
    COMMUNITIES_KIND,
    CORRUPT_LABEL,
    DRAFT_KIND,
    INDEX_KIND,
    JSON,
    MEETING_KIND,
    ORPHAN_LABEL,
    SET_ASIDE_LABELS,
    Layout,
    id_of,
)
from kring.sessions.store.records import meeting_header
from kring.sessions.store.rescue import IMPORTED_LABEL, rescued_files


class Kind(StrEnum):
    UNREADABLE = "unreadable"  # content cannot be used: set aside (and its backup restored)
    NEWER_FORMAT = "newer-format"  # written by a newer Kring: left alone
    BACKUP_ONLY = "backup-only"  # the meeting's file is gone but its backup reads: restored
    SET_ASIDE = "set-aside"  # moved aside earlier; kept for a human to look at
    STALE_LOCK = "stale-lock"  # lock file of a file that is gone, held by nobody: removed
    HELD_LOCK = "held-lock"  # held right now: another Kring is working on this folder
    ORPHAN_DRAFT = "orphan-draft"  # a draft whose meeting does not exist: set aside
    TEMP_FILE = "temp-file"  # left by a save that was cut off: removed
    INDEX_OUTDATED = "index-outdated"  # the list of meetings disagrees with the files: rebuilt
    OPEN_PERMISSIONS = "open-permissions"  # others could read the notes: made private
    READ_ONLY = "read-only"  # nothing can be saved in the data folder: nothing is repaired
    RESCUED = "rescued"  # a rescue copy written when saving failed: taken back in
    UNCHECKED = "unchecked"  # a part of the folder could not be looked at


# Findings that are only information: nothing is wrong, nothing to repair.
INFO = frozenset({Kind.SET_ASIDE, Kind.HELD_LOCK, Kind.NEWER_FORMAT, Kind.READ_ONLY,
                  Kind.UNCHECKED})


@dataclass(frozen=True, slots=True)
class Finding:
    kind: Kind
    path: Path
    detail: str  # a sentence for the user; names meetings by id only

    @property
    def repairable(self) -> bool:
        return self.kind not in INFO


@dataclass(slots=True)
class DoctorReport:
    root: Path
    findings: list[Finding] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)  # what repair did, one sentence each
    failed: list[str] = field(default_factory=list)  # repairs that could not be done

    @property
    def healthy(self) -> bool:
        """Nothing that needs repair (information such as set-aside files may remain)."""
        return not any(finding.repairable for finding in self.findings)

    def of(self, kind: Kind) -> list[Finding]:
        return [finding for finding in self.findings if finding.kind is kind]


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
        lambda: _check_file(layout.communities, COMMUNITIES_KIND, _("the communities"),
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
                reason=_reason(error))))
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
        _repair_all(before, layout, store, clock, done, failed)
    after = check(layout.root)
    after.repaired, after.failed = done, list(dict.fromkeys(failed))
    return after


def _repair_all(before: DoctorReport, layout: Layout, store: Store, clock: Clock,
                done: list[str], failed: list[str]) -> None:
    for finding in before.findings:
        if not finding.repairable:
            continue
        try:
            outcome = _repair(finding, layout, store, clock)
        except (StoreError, OSError) as error:
            failed.append(_("{finding} Could not repair: {reason}").format(
                finding=finding.detail, reason=_reason(error)))
            continue
        if outcome:
            done.append(outcome)
    if before.of(Kind.INDEX_OUTDATED) or before.of(Kind.UNREADABLE) or before.of(
            Kind.BACKUP_ONLY):
        try:
            count = store.rebuild_index()
            done.append(_("Rebuilt the list of meetings ({count} meetings).").format(
                count=count))
        except StoreError as error:
            failed.append(_("Could not rebuild the list of meetings: {reason}").format(
                reason=_reason(error)))


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
        _check_file(layout.meeting(meeting_id), MEETING_KIND, _meeting(meeting_id), report)
    for name in sorted(names):
        if not name.endswith(JSON + BACKUP_SUFFIX):
            continue
        meeting_id = id_of(name[: -len(BACKUP_SUFFIX)])
        if meeting_id is None:
            continue
        what = _("the backup of meeting {id}").format(id=meeting_id)
        ok = _check_file(folder / name, MEETING_KIND, what, report)
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
    _check_folder_extras(folder, report, label=lambda _name: _draft(meeting_id),
                         held=_("A Kring window has meeting {id} open right now.").format(
                             id=meeting_id))


def _check_draft(path: Path, meeting_id: str, meeting_ids: set[str],
                 report: DoctorReport) -> None:
    if _check_file(path, DRAFT_KIND, _draft(meeting_id), report) and \
            meeting_id not in meeting_ids:
        report.findings.append(Finding(
            Kind.ORPHAN_DRAFT, path,
            _("A draft belongs to meeting {id}, which does not exist.").format(id=meeting_id),
        ))


def _check_file(path: Path, kind: str, what: str, report: DoctorReport) -> bool:
    """Whether the file reads fine (a missing file is fine: there is nothing to read)."""
    try:
        got = read_file(path, what)
        if got is None:
            return True
        check_file(got[0], path, kind)
    except NewerFormatError as error:
        report.findings.append(Finding(Kind.NEWER_FORMAT, path, _sentence(what, error)))
        return False
    except (UnreadableError, TransientError) as error:
        report.findings.append(Finding(Kind.UNREADABLE, path, _sentence(what, error)))
        return False
    return True


def _check_index(layout: Layout, report: DoctorReport) -> None:
    try:
        got = read_file(layout.index, _("the list of meetings"))
        if got is None:
            if index.scan(layout.meetings).files:
                report.findings.append(Finding(Kind.INDEX_OUTDATED, layout.index,
                                               _("The list of meetings is missing.")))
            return
        listed = index.parse(decode(got[0], layout.index, INDEX_KIND))
    except (UnreadableError, TransientError) as error:
        report.findings.append(Finding(Kind.UNREADABLE, layout.index,
                                       _sentence(_("the list of meetings"), error)))
        return
    actual: dict[str, dict[str, object]] = {}
    for meeting_id in index.scan(layout.meetings).files:
        summary = _summary(layout, meeting_id)
        if summary is not None:
            actual[meeting_id] = summary
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


# -- repairs --------------------------------------------------------------------------------


def _repair(finding: Finding, layout: Layout, store: Store, clock: Clock) -> str | None:
    path = finding.path
    if finding.kind is Kind.UNREADABLE:
        return _repair_unreadable(path, layout, store, clock)
    if finding.kind is Kind.BACKUP_ONLY:
        meeting_id = id_of(path.name[: -len(BACKUP_SUFFIX)])
        assert meeting_id is not None
        store.restore_backup(meeting_id)
        return _("Restored meeting {id} from its backup.").format(id=meeting_id)
    if finding.kind is Kind.STALE_LOCK:
        if not remove_if_free(path):
            return None
        return _("Removed the lock file {name}.").format(name=path.name)
    if finding.kind is Kind.ORPHAN_DRAFT:
        moved = _locked_move(path, ORPHAN_LABEL, clock, store.lock_timeout)
        return _("Set the orphaned draft aside as {name}.").format(name=moved.name)
    if finding.kind is Kind.TEMP_FILE:
        target = path.with_name(temp_target(path.name))
        # Every save holds its file's lock while its temporary file exists: with the lock
        # held, no save is in the middle of writing this one.
        with file_lock(target, target.name, timeout=1.0) as lock:
            path.unlink(missing_ok=True)
            if not target.exists():
                lock.discard()
        return _("Removed {name}, left by a save that was cut off.").format(name=path.name)
    if finding.kind is Kind.RESCUED:
        meeting_id = store.import_rescued(path)
        moved = move_aside(path, IMPORTED_LABEL, clock.now())  # so it is not offered again
        return _("Took the rescue copy of meeting {id} back in; it is kept as {name}.").format(
            id=meeting_id, name=moved.name)
    if finding.kind is Kind.OPEN_PERMISSIONS:
        if not path.exists():
            return None  # moved aside or removed by an earlier repair (and private by then)
        os.chmod(path, PRIVATE_DIR if path.is_dir() else PRIVATE_FILE)
        return _("Made {name} private to you.").format(name=path.name)
    return None  # INDEX_OUTDATED: rebuilt once, after the other repairs


def _repair_unreadable(path: Path, layout: Layout, store: Store, clock: Clock) -> str:
    meeting_id = id_of(path.name)
    if path.parent == layout.meetings and meeting_id is not None:
        try:
            store.load(meeting_id)
            return _("Meeting {id} reads fine now.").format(id=meeting_id)
        except CorruptFileError as error:
            moved = getattr(error.problem, "moved_to", None)
            if moved is None and path.exists():
                raise StoreError(_("it could not be moved aside.")) from None
            restored = bool(getattr(error.problem, "backup_ok", False))
            if restored:
                store.restore_backup(meeting_id)
            # Whole sentences, one per outcome, rather than pieces glued together: a
            # translation may need to order them differently.
            if moved is not None:
                message = _("Set meeting {id} aside as {name} and restored its backup.") \
                    if restored else _("Set meeting {id} aside as {name}.")
                return message.format(id=meeting_id, name=moved.name)
            message = _("Set meeting {id} aside and restored its backup.") if restored \
                else _("Set meeting {id} aside.")
            return message.format(id=meeting_id)
    if path == layout.communities:
        store.communities()  # sets it aside
        if any(p.path == path and p.backup_ok for p in store.problems):
            store.restore_communities_backup()
            return _("Set the unreadable communities file aside and restored its backup.")
        return _("Set the unreadable communities file aside.")
    moved = _locked_move(path, CORRUPT_LABEL, clock, store.lock_timeout)
    return _("Set {name} aside as {moved}.").format(name=path.name, moved=moved.name)


def _locked_move(path: Path, label: str, clock: Clock, timeout: float) -> Path:
    # Index, draft and backup files are written under the lock of their own name (backups
    # under their meeting's); holding it keeps a save from landing in the middle.
    owner = path.with_name(path.name.removesuffix(BACKUP_SUFFIX))
    with file_lock(owner, owner.name, timeout=timeout) as lock:
        moved = move_aside(path, label, clock.now())
        if not owner.exists():
            lock.discard()
    return moved


# -- helpers --------------------------------------------------------------------------------


def _names(folder: Path) -> set[str]:
    try:
        return set(os.listdir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return set()


def _meeting_label(name: str) -> str:
    meeting_id = id_of(name)
    return name if meeting_id is None else _meeting(meeting_id)


def _draft_label(name: str) -> str:
    meeting_id = id_of(name)
    return name if meeting_id is None else _draft(meeting_id)


def _summary(layout: Layout, meeting_id: str) -> dict[str, object] | None:
    with contextlib.suppress(StoreError):
        got = read_file(layout.meeting(meeting_id), _meeting(meeting_id))
        if got is not None:
            tables = check_tables(decode(got[0], layout.meeting(meeting_id), MEETING_KIND),
                                  layout.meeting(meeting_id))
            check_meeting(tables, layout.meeting(meeting_id), meeting_id)
            return meeting_header(tables).summary_dict()
    return None


def _meeting(meeting_id: str) -> str:
    return _("meeting {id}").format(id=meeting_id)


def _draft(meeting_id: str) -> str:
    return _("the draft of meeting {id}").format(id=meeting_id)


def _sentence(what: str, error: StoreError) -> str:
    if isinstance(error, UnreadableError):
        return unreadable(what, error.reason)
    return error.message


def _reason(error: BaseException) -> str:
    if isinstance(error, StoreError):
        return error.message
    if isinstance(error, OSError):
        return describe(error, Path(error.filename or ".").parent) if error.errno else \
            type(error).__name__
    return type(error).__name__
