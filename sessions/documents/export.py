"""Minutes of any meeting, on demand: find the meeting people mean, render it as asked."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime

from kring.sessions.documents.minutes import HTML, MARKDOWN, render_minutes_texts
from kring.sessions.errors import NotFoundError, StoreError, unreadable
from kring.sessions.guard.meeting import Verdict
from kring.sessions.i18n import _
from kring.sessions.model.meeting import Meeting, MeetingWithEntries
from kring.sessions.store.facade import Store
from kring.sessions.store.layout import meeting_what

FORMATS = (MARKDOWN, HTML)


class AmbiguousMeeting(NotFoundError):
    """More than one meeting starts with what was typed."""


class UnreadableMeetingError(StoreError):
    """The meeting people mean is there, but its file cannot be read: say so, rather than
    that there is no such meeting."""

    def __init__(self, meeting_id: str, detail: str) -> None:
        super().__init__(_("{detail} 'kring doctor' checks the data folder and says what can be "
                           "done.").format(detail=detail))
        self.meeting_id = meeting_id


def resolve_meeting(store: Store, ref: str) -> str:
    """A meeting id from what people type: the id, a unique start of it, or ``latest``.

    Raises NotFoundError, AmbiguousMeeting, or UnreadableMeetingError when the only meetings
    that match have files that cannot be read."""
    meetings = store.list_meetings()  # newest first
    listed = [summary.id for summary in meetings]
    if ref == "latest" and listed:
        return listed[0]
    matches = [meeting_id for meeting_id in listed if meeting_id.startswith(ref)]
    if ref in matches:
        return ref
    if len(matches) > 1:
        raise AmbiguousMeeting(_("'{ref}' could be {ids}: type more of the id.").format(
            ref=ref, ids=", ".join(sorted(matches))))
    if matches:
        return matches[0]
    unreadable = unreadable_meetings(store, set(listed))
    broken = [meeting_id for meeting_id in unreadable
              if ref == "latest" or meeting_id.startswith(ref)]
    if broken:
        raise UnreadableMeetingError(broken[0], unreadable_reason(store, broken[0]))
    if not listed and not unreadable:
        raise NotFoundError(_("There are no meetings yet."))
    raise NotFoundError(_("No meeting has an id starting with '{ref}'; 'kring list' shows "
                          "them.").format(ref=ref))


def unreadable_meetings(store: Store, listed: set[str]) -> list[str]:
    """Ids of meetings that are there but did not list: files that cannot be read (a FIFO, no
    permission, broken), and those set aside earlier as unreadable."""
    ids = {problem.meeting_id for problem in store.problems
           if problem.meeting_id is not None and not problem.partial}
    with contextlib.suppress(StoreError):  # a folder that cannot be listed: nothing to add
        ids |= store.meeting_ids()
    return sorted(ids - listed)


def unreadable_reason(store: Store, meeting_id: str) -> str:
    """The store's own sentence for why the meeting cannot be read (the file is read once
    more: it may have been fixed meanwhile)."""
    for problem in store.problems:
        if problem.meeting_id == meeting_id and not problem.partial:
            return problem.message
    try:
        store.load(meeting_id)
    except StoreError as error:
        return error.message
    return unreadable(meeting_what(meeting_id), _("it changed while it was read"))


@dataclass(frozen=True, slots=True)
class Rendered:
    meeting: Meeting
    text: str
    format: str


def render_minutes(store: Store, meeting_id: str, format: str = MARKDOWN,
                   now: datetime | None = None, guard: Verdict | None = None) -> Rendered:
    """The minutes so far of a meeting in progress, or the minutes of an ended one."""
    return render_record(store.load(meeting_id), format, now, guard)


def render_record(record: MeetingWithEntries, format: str = MARKDOWN,
                  now: datetime | None = None, guard: Verdict | None = None) -> Rendered:
    wanted = HTML if format == HTML else MARKDOWN
    texts = render_minutes_texts(record.meeting, record.entries, html=wanted == HTML, now=now,
                                 guard=guard)
    return Rendered(record.meeting, texts[wanted], format)
