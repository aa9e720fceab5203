"""What ``kring doctor --repair`` does about each finding: only what is safe. Files whose
content could matter are moved aside, never deleted; only lock files nobody holds and temporary
files of saves that never finished are removed; the index is rebuilt once, at the end."""

from __future__ import annotations

import os
from pathlib import Path

from kring.sessions.care.findings import DoctorReport, Finding, Kind, reason_of
from kring.sessions.errors import CorruptFileError, StoreError
from kring.sessions.i18n import _
from kring.sessions.model.clock import Clock
from kring.sessions.store.facade import Store
from kring.sessions.store.files.atomic import (
    BACKUP_SUFFIX,
    PRIVATE_DIR,
    PRIVATE_FILE,
    move_aside,
    temp_target,
)
from kring.sessions.store.files.locking import file_lock, remove_if_free
from kring.sessions.store.layout import CORRUPT_LABEL, ORPHAN_LABEL, Layout, id_of
from kring.sessions.store.rescue import IMPORTED_LABEL


def repair_all(before: DoctorReport, layout: Layout, store: Store, clock: Clock,
               done: list[str], failed: list[str]) -> None:
    """Repair each finding of ``before`` that can be; what was done and what failed are added
    to ``done`` and ``failed``, one sentence each."""
    for finding in before.findings:
        if not finding.repairable:
            continue
        try:
            outcome = _repair(finding, layout, store, clock)
        except (StoreError, OSError) as error:
            failed.append(_("{finding} Could not repair: {reason}").format(
                finding=finding.detail, reason=reason_of(error)))
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
                reason=reason_of(error)))


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
