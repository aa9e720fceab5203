"""Minutes of any meeting, on demand: find the meeting people mean, render it as asked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sessions.errors import NotFoundError
from sessions.meeting import Meeting
from sessions.minutes import minutes_title, render_markdown
from sessions.minutes_html import render_html
from sessions.store import Store

FORMATS = ("md", "html")


class AmbiguousMeeting(NotFoundError):
    """More than one meeting starts with what was typed."""


def resolve_meeting(store: Store, ref: str) -> str:
    """A meeting id from what people type: the id, a unique start of it, or ``latest``."""
    meetings = store.list_meetings()  # newest first
    if not meetings:
        raise NotFoundError("There are no meetings yet.")
    if ref == "latest":
        return str(meetings[0]["id"])
    matches = [m["id"] for m in meetings if str(m["id"]).startswith(ref)]
    if ref in matches:
        return ref
    if not matches:
        raise NotFoundError(f"No meeting has an id starting with '{ref}'; 'kring list' shows "
                            "them.")
    if len(matches) > 1:
        raise AmbiguousMeeting(f"'{ref}' could be {', '.join(sorted(matches))}: type more of "
                               "the id.")
    return str(matches[0])


@dataclass(frozen=True, slots=True)
class Rendered:
    meeting: Meeting
    text: str
    format: str


def render_minutes(store: Store, meeting_id: str, format: str = "md",
                   now: datetime | None = None) -> Rendered:
    """The minutes so far of a meeting in progress, or the minutes of an ended one."""
    record = store.load(meeting_id)
    markdown = render_markdown(record.meeting, record.entries, now=now)
    if format == "html":
        page = render_html(markdown, minutes_title(record.meeting),
                           language=record.meeting.language)
        return Rendered(record.meeting, page, format)
    return Rendered(record.meeting, markdown, format)
