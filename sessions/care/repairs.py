"""What ``kring doctor --repair`` does about each finding: only what is safe, and only in this
device's own files. Conflict copies are taken into the log before they go; nothing whose
content could matter is deleted; the index is rebuilt once, at the end."""

from __future__ import annotations

import os

from kring.sessions.care.findings import DoctorReport, Finding, Kind, reason_of
from kring.sessions.errors import StoreError
from kring.sessions.i18n import _
from kring.sessions.model.clock import Clock
from kring.sessions.store.events import HybridClock, parse_lines
from kring.sessions.store.facade import Store
from kring.sessions.store.files.atomic import PRIVATE_DIR, PRIVATE_FILE, move_aside
from kring.sessions.store.files.logfile import append, read_from
from kring.sessions.store.layout import (
    COMMUNITIES_LOG,
    COMMUNITIES_WHAT,
    MEETINGS,
    Name,
    classify,
    meeting_what,
)
from kring.sessions.store.logs import Stream
from kring.sessions.store.meeting_file import MeetingFile, read_meeting_file
from kring.sessions.store.migration import meeting_events
from kring.sessions.store.rescue import IMPORTED_LABEL


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
        done.append(_("Rebuilt the list of meetings ({count} meetings).").format(count=count))
    except StoreError as error:
        failed.append(_("Could not rebuild the list of meetings: {reason}").format(
            reason=reason_of(error)))


def _repair(finding: Finding, store: Store, clock: Clock) -> str | None:
    path = finding.path
    if finding.kind is Kind.CONFLICT_COPY:
        return _take_in_copy(finding, store)
    if finding.kind is Kind.NOT_CONVERTED_FULLY:
        got = read_meeting_file(path, path.stem)
        if not isinstance(got, MeetingFile):
            return None
        events = list(meeting_events(got.meeting, got.entries))
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


def _take_in_copy(finding: Finding, store: Store) -> str | None:
    """Append what the copy holds and the log does not to this device's log, then remove the
    copy: the events keep their ids, so nothing is doubled anywhere."""
    copy = finding.path
    _kind, meeting_id = classify(copy.name)
    if meeting_id is None:
        return None
    layout = store.layout
    of_communities = copy.parent.name != MEETINGS
    what = _(COMMUNITIES_WHAT) if of_communities else meeting_what(meeting_id)
    chunk = read_from(copy, 0, what)
    if chunk is None:
        return None
    events, _bad = parse_lines(chunk.lines)
    logs = Stream(what, HybridClock(lambda: 0))  # the logs alone, without any copy
    if of_communities:
        logs.read([folder / COMMUNITIES_LOG for folder in layout.devices.iterdir()
                   if (folder / COMMUNITIES_LOG).exists()])
        own = layout.communities_log(store.device)
    else:
        logs.read([path for path in store.meeting_logs(meeting_id)
                   if classify(path.name)[0] is Name.LOG])
        own = layout.meeting_log(store.device, meeting_id)
    missing = [event for event in events if event.id not in logs.state.seen]
    if missing:
        append(own, [event.to_line() for event in missing], what)
    copy.unlink()
    if of_communities:
        return _("Took the conflict copy {name} into the communities log and removed "
                 "it.").format(name=copy.name)
    return _("Took the conflict copy {name} into meeting {id}'s log and removed it.").format(
        name=copy.name, id=meeting_id)
