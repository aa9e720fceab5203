"""What ``kring doctor --repair`` does about each finding: only what is safe, and only in this
device's own files. Conflict copies are taken into the log before they go; nothing whose
content could matter is deleted: bytes that cannot be placed (a damaged line of a copy, a log
whose meeting is nowhere) are first kept in this computer's state folder, and the output says
where. The index is rebuilt once, at the end."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kring.sessions.care.findings import DoctorReport, Finding, Kind, reason_of
from kring.sessions.errors import StoreError
from kring.sessions.i18n import _, ngettext
from kring.sessions.model.clock import Clock
from kring.sessions.store.events import HEADER_KEY, Event, HybridClock, parse_lines
from kring.sessions.store.facade import Store
from kring.sessions.store.files.atomic import (
    PRIVATE_DIR,
    PRIVATE_FILE,
    ensure_private_dir,
    move_aside,
    write_new,
)
from kring.sessions.store.files.locking import file_lock
from kring.sessions.store.files.logfile import NEWLINE, Whole, append, read_whole, unchanged
from kring.sessions.store.layout import (
    COMMUNITIES_LOG,
    COMMUNITIES_WHAT,
    MEETINGS,
    Layout,
    Name,
    check_id,
    classify,
    device_folders,
    meeting_what,
)
from kring.sessions.store.logs import Stream
from kring.sessions.store.meeting_file import MeetingFile, read_meeting_file
from kring.sessions.store.migration import meeting_events
from kring.sessions.store.rescue import IMPORTED_LABEL

DAMAGED_LABEL = "damaged"  # kept/<copy>.damaged-<time>: lines of a copy that are no event
NO_MEETING_LABEL = "no-meeting"  # kept/<device>.<log>.no-meeting-<time>: a log kept whole


class Changed(StoreError):
    """A file changed between reading and removing it: left as it is, for the next repair."""

    def __init__(self, path: Path) -> None:
        super().__init__(_("{name} changed while it was being repaired; it was left as it "
                           "is. Run the repair again.").format(name=path.name))


def repair_all(before: DoctorReport, store: Store, clock: Clock, done: list[str],
               failed: list[str]) -> None:
    """Repair each finding of ``before`` that can be; what was done and what failed are added
    to ``done`` and ``failed``, one sentence each."""
    for finding in before.findings:
        if not finding.repairable:
            continue
        try:
            outcome = _repair(finding, store, clock)
        except (StoreError, OSError) as error:
            failed.append(_("{finding} Could not repair: {reason}").format(
                finding=finding.detail, reason=reason_of(error)))
            continue
        if outcome:
            done.append(outcome)
    try:
        count = store.rebuild_index()
        done.append(ngettext("Rebuilt the list of meetings ({count} meeting).",
                             "Rebuilt the list of meetings ({count} meetings).",
                             count).format(count=count))
    except StoreError as error:
        failed.append(_("Could not rebuild the list of meetings: {reason}").format(
            reason=reason_of(error)))


def _repair(finding: Finding, store: Store, clock: Clock) -> str | None:
    path = finding.path
    if finding.kind is Kind.CONFLICT_COPY:
        return _take_in_copy(finding, store, clock)
    if finding.kind is Kind.EMPTY_LOG:
        return _remove_empty(path, store)
    if finding.kind is Kind.NO_MEETING:
        return _keep_log(path, store, clock)
    if finding.kind is Kind.PURGED_LINES:
        return _remove_purged(path, store)
    if finding.kind is Kind.NOT_CONVERTED_FULLY:
        got = read_meeting_file(path, path.stem)
        if not isinstance(got, MeetingFile):
            return None
        events = list(meeting_events(got.meeting, got.entries))
        with _meeting_lock(store.layout, got.meeting.id):
            append(store.layout.meeting_log(store.device, got.meeting.id),
                   [event.to_line() for event in events], meeting_what(got.meeting.id))
        return _("Converted meeting {id} again from its old file.").format(id=got.meeting.id)
    if finding.kind is Kind.RESCUED:
        meeting_id = store.import_rescued(path)
        moved = move_aside(path, IMPORTED_LABEL, clock.now())  # so it is not offered again
        return _("Took the rescue copy of meeting {id} back in; it is kept as {name}.").format(
            id=meeting_id, name=moved.name)
    if finding.kind is Kind.OPEN_PERMISSIONS:
        if not path.exists():
            return None
        os.chmod(path, PRIVATE_DIR if path.is_dir() else PRIVATE_FILE)
        return _("Made {name} private to you.").format(name=path.name)
    return None


# -- conflict copies --------------------------------------------------------------------------


def _take_in_copy(finding: Finding, store: Store, clock: Clock) -> str | None:
    """Append what the copy holds and the logs do not to this device's log, keep any line
    that is no event in the state folder, then remove the copy: the events keep their ids,
    so nothing is doubled anywhere, and no byte of the copy is lost."""
    copy = finding.path
    _kind, meeting_id = classify(copy.name)
    if meeting_id is None:
        return None
    layout = store.layout
    of_communities = copy.parent.name != MEETINGS
    what = _(COMMUNITIES_WHAT) if of_communities else meeting_what(meeting_id)
    lock = _communities_lock(layout) if of_communities else _meeting_lock(layout, meeting_id)
    with lock:
        whole = read_whole(copy, what)
        if whole is None:
            return None
        events, damaged = _events_of(whole)
        logs = Stream(what, _still())  # the logs alone, without any copy
        if of_communities:
            logs.read([folder / COMMUNITIES_LOG for folder in _device_folders(layout)
                       if (folder / COMMUNITIES_LOG).exists()])
            own = layout.communities_log(store.device)
        else:
            logs.read([path for path in store.meeting_logs(meeting_id)
                       if classify(path.name)[0] is Name.LOG])
            own = layout.meeting_log(store.device, meeting_id)
        kept = _keep(layout, f"{copy.name}.{DAMAGED_LABEL}",
                     b"".join(line + NEWLINE for line in damaged), what, clock) \
            if damaged else None
        missing = [event for event in events if event.id not in logs.state.seen]
        if missing:
            append(own, [event.to_line() for event in missing], what)
        _remove(copy, whole)
    took = _("Took the conflict copy {name} into the communities log and removed it.") \
        if of_communities else _("Took the conflict copy {name} into meeting {id}'s log and "
                                 "removed it.")
    said = took.format(name=copy.name, id=meeting_id)
    if kept is not None:
        said += " " + ngettext("{count} line of it that is no event is kept in {path}.",
                            "{count} lines of it that are no event are kept in {path}.",
                            len(damaged)).format(count=len(damaged), path=kept)
    return said


def _events_of(whole: Whole) -> tuple[list[Event], list[bytes]]:
    """The events of a whole file, and the lines (a torn end too) that are none: the torn
    end is tried as an event too (a crash may have cut only its newline)."""
    lines = whole.lines + ([whole.torn] if whole.torn else [])
    events, bad = parse_lines(lines)
    return events, [lines[number] for number in bad]


# -- logs that hold no meeting ----------------------------------------------------------------


def _remove_empty(path: Path, store: Store) -> str | None:
    """A 0-byte log of this device's: nothing is in it. Removed under the meeting's lock, and
    only while it is still empty (a save under way would have added to it)."""
    meeting_id = classify(path.name)[1]
    if meeting_id is None:
        return None
    with _meeting_lock(store.layout, meeting_id):
        whole = read_whole(path, meeting_what(meeting_id))
        if whole is None:
            return None
        if whole.data:
            raise Changed(path)
        _remove(path, whole)
    return _("Removed the empty log {name} of meeting {id}: there was nothing in it.").format(
        name=path.name, id=meeting_id)


def _keep_log(path: Path, store: Store, clock: Clock) -> str | None:
    """A log of this device's of a meeting no file holds the header of: its lines cannot be
    read as a meeting, and warn on every command. Its bytes go whole to the state folder
    (where the output says), then it leaves the data folder. Checked again under the lock:
    a log that brought the header meanwhile (a sync engine catching up) is left alone."""
    meeting_id = classify(path.name)[1]
    if meeting_id is None:
        return None
    what = meeting_what(meeting_id)
    layout = store.layout
    with _meeting_lock(layout, meeting_id):
        whole = read_whole(path, what)
        if whole is None:
            return None
        if _has_header(store, meeting_id, what):
            return None  # the meeting arrived: nothing to keep
        kept = _keep(layout, f"{path.parent.parent.name}.{path.name}.{NO_MEETING_LABEL}",
                     whole.data, what, clock)
        _remove(path, whole)
    return _("Moved {name}, lines of meeting {id} whose meeting is in no log, out of the data "
             "folder; every byte of it is kept in {path}. Put it back in {folder} if the "
             "meeting's other logs come back.").format(
        name=path.name, id=meeting_id, path=kept, folder=path.parent)


def _has_header(store: Store, meeting_id: str, what: str) -> bool:
    """Whether any log or copy of the meeting holds its header now."""
    stream = Stream(what, _still())
    stream.read(store.meeting_logs(meeting_id))
    return HEADER_KEY in stream.state.records


def _remove_purged(path: Path, store: Store) -> str | None:
    """Lines of a meeting some laptop purged, in a file of this device's: the purge is the
    decision to remove them, so they go (the purge said so; this says so again)."""
    meeting_id = classify(path.name)[1]
    if meeting_id is None or meeting_id not in store.purged():
        return None
    with _meeting_lock(store.layout, meeting_id):
        whole = read_whole(path, meeting_what(meeting_id))
        if whole is None:
            return None
        _remove(path, whole)
    store.forget(meeting_id)
    lines = len(whole.lines) + bool(whole.torn)
    return ngettext("Removed {name}: {count} line of meeting {id}, which was purged.",
                    "Removed {name}: {count} lines of meeting {id}, which was purged.",
                    lines).format(name=path.name, count=lines, id=meeting_id)


# -- the machinery ----------------------------------------------------------------------------


def _keep(layout: Layout, base: str, data: bytes, what: str, clock: Clock) -> Path:
    """Keep ``data`` in a new file of this computer's state folder, never synced and never
    deleted by Kring; returns where."""
    moment = clock.now().strftime("%Y%m%dT%H%M%SZ")
    return write_new(layout.kept, f"{base}-{moment}", data, what)


def _remove(path: Path, whole: Whole) -> None:
    """Remove ``path``, which was read as ``whole``, unless something was added since."""
    if not unchanged(path, whole.status):
        raise Changed(path)
    os.unlink(path)


@contextmanager
def _meeting_lock(layout: Layout, meeting_id: str) -> Iterator[None]:
    """The lock every Kring on this device takes to append to the meeting's log."""
    what = meeting_what(meeting_id)
    ensure_private_dir(layout.locks, what)
    with file_lock(layout.lock(f"meeting-{meeting_id}"), what):
        yield


@contextmanager
def _communities_lock(layout: Layout) -> Iterator[None]:
    what = _(COMMUNITIES_WHAT)
    ensure_private_dir(layout.locks, what)
    with file_lock(layout.lock("communities"), what):
        yield


def _device_folders(layout: Layout) -> list[Path]:
    return device_folders(layout.devices, lambda device: layout.devices / check_id(device))


def _still() -> HybridClock:
    """A clock for reading only: nothing read here is ever stamped."""
    return HybridClock(lambda: 0)
