"""Action points as an iCalendar file (``kring calendar``): one VTODO each, with its due date,
for a teacher's own calendar or task list.

Pure: items and the clock's time in, the file's bytes out. The same items at the same time give
the same bytes, and each VTODO's UID comes from its meeting and entry, so importing the file
again updates the tasks a calendar already has instead of adding them twice.

Done action points are exported too, as ``STATUS:COMPLETED`` (dropped ones as ``CANCELLED``):
a calendar that imported a point while it was open then marks it done on the next import; left
out, it would stay open there for ever. Protected names show as each meeting's pseudonyms, as
in ``kring actions``: a calendar is often seen by others.

A community's next planned meeting (``kring community plan``) comes along as one VEVENT, while
it is still ahead of the clock passed in. Its UID comes from the community's name, so a
re-planned meeting moves in the calendar instead of appearing twice. Kring does not know how
long a meeting will take before it is held (a protocol's phases can be stretched or skipped),
so the event lasts a fixed 90 minutes: the usual length of a consultation meeting.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event, Todo

from kring.sessions.documents.filenames import slug
from kring.sessions.i18n import translator
from kring.sessions.model.action_points import ActionItem
from kring.sessions.model.community import Community
from kring.sessions.model.dates import long_date
from kring.sessions.model.meeting import ActionStatus
from kring.sessions.model.name_variants import fold
from kring.sessions.model.privacy import redact_entry

PRODID = "-//Kring//Action points//EN"
# How long a planned meeting's event lasts: the same for every protocol (see above).
MEETING_LENGTH = timedelta(minutes=90)

_STATUS = {
    ActionStatus.OPEN: "NEEDS-ACTION",
    ActionStatus.CARRIED_ON: "NEEDS-ACTION",
    ActionStatus.DONE: "COMPLETED",
    ActionStatus.DROPPED: "CANCELLED",
}


def action_uid(item: ActionItem) -> str:
    """The VTODO's UID: the same for the same action point in every export."""
    return f"{item.meeting_id}.{item.entry.id}@kring"


def meeting_uid(community: str) -> str:
    """The VEVENT's UID for a community's next meeting: the same in every export, whenever the
    meeting is planned. The slug keeps it readable; the hash of the folded name keeps names
    that slug alike (or not at all, "Ωμάδα") apart."""
    key = hashlib.sha256(fold(community).encode("utf-8")).hexdigest()[:12]
    readable = slug(community, 40)
    return f"next-meeting.{readable}-{key}@kring" if readable else f"next-meeting.{key}@kring"


def actions_calendar(items: Iterable[ActionItem], now: datetime, language: str = "en",
                     communities: Iterable[Community] = ()) -> bytes:
    """The iCalendar file (RFC 5545) of these action points, and of the next meetings of these
    communities that are still to come; ``now`` is the DTSTAMP of every component (so an
    export is the same bytes until the clock passed in changes)."""
    t = translator(language).gettext
    stamp = _utc(now)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", t("Action points"))
    for item in sorted(items, key=_order):
        calendar.add_component(_todo(item, stamp, language))
    for community in sorted(upcoming(communities, now), key=lambda c: fold(c.name)):
        calendar.add_component(_event(community, stamp, language))
    data: bytes = calendar.to_ical()
    return data


def _todo(item: ActionItem, stamp: datetime, language: str) -> Todo:
    t = translator(language).gettext
    hide = item.pseudonymizer(language)
    shown = redact_entry(item.entry, hide)
    case = hide.apply(item.case_title)
    meeting = f"{long_date(item.meeting_date, language)}, {item.community}"
    if case:
        meeting += f": {case}"
    details = []
    if shown.owner:
        details.append(t("Owner: {owner}").format(owner=shown.owner))
    details.append(t("Community: {community}").format(community=item.community))
    details.append(t("Meeting: {meeting}").format(meeting=meeting))

    todo = Todo()
    todo.add("uid", action_uid(item))
    todo.add("dtstamp", stamp)
    todo.add("created", _utc(item.entry.created_at))
    changed = item.entry.updated_at or item.entry.created_at
    todo.add("last-modified", _utc(changed))
    todo.add("summary", shown.text.strip() or t("Action point"))
    todo.add("description", "\n".join(details))
    todo.add("categories", [item.community])
    if shown.owner:
        todo.add("contact", shown.owner)
    if item.entry.due is not None:
        todo.add("due", item.entry.due)  # a date: the day, not a moment in some time zone
    todo.add("status", _STATUS[item.entry.status])
    return todo


def upcoming(communities: Iterable[Community], now: datetime) -> list[Community]:
    """The communities whose next meeting is planned and still ahead of ``now``."""
    return [c for c in communities
            if c.next_meeting is not None and c.next_meeting > _utc(now)]


def _event(community: Community, stamp: datetime, language: str) -> Event:
    t = translator(language).gettext
    assert community.next_meeting is not None
    start = _utc(community.next_meeting)
    event = Event()
    event.add("uid", meeting_uid(community.name))
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", start + MEETING_LENGTH)
    event.add("summary", t("Meeting of {community}").format(community=community.name))
    event.add("categories", [community.name])
    return event


def _order(item: ActionItem) -> tuple[object, ...]:
    return (item.meeting_date, item.meeting_created_at, item.entry.created_at, action_uid(item))


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)
