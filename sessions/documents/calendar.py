"""Action points as an iCalendar file (``kring calendar``): one VTODO each, with its due date,
for a teacher's own calendar or task list.

Pure: items and the clock's time in, the file's bytes out. The same items at the same time give
the same bytes, and each VTODO's UID comes from its meeting and entry, so importing the file
again updates the tasks a calendar already has instead of adding them twice.

Done action points are exported too, as ``STATUS:COMPLETED`` (dropped ones as ``CANCELLED``):
a calendar that imported a point while it was open then marks it done on the next import; left
out, it would stay open there for ever. Protected names show as each meeting's pseudonyms, as
in ``kring actions``: a calendar is often seen by others.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from icalendar import Calendar, Todo

from kring.sessions.i18n import translator
from kring.sessions.model.action_points import ActionItem
from kring.sessions.model.dates import long_date
from kring.sessions.model.meeting import ActionStatus
from kring.sessions.model.privacy import redact_entry

PRODID = "-//Kring//Action points//EN"

_STATUS = {
    ActionStatus.OPEN: "NEEDS-ACTION",
    ActionStatus.CARRIED_ON: "NEEDS-ACTION",
    ActionStatus.DONE: "COMPLETED",
    ActionStatus.DROPPED: "CANCELLED",
}


def action_uid(item: ActionItem) -> str:
    """The VTODO's UID: the same for the same action point in every export."""
    return f"{item.meeting_id}.{item.entry.id}@kring"


def actions_calendar(items: Iterable[ActionItem], now: datetime, language: str = "en") -> bytes:
    """The iCalendar file (RFC 5545) of these action points; ``now`` is the DTSTAMP of every
    VTODO (so an export is the same bytes until the clock passed in changes)."""
    t = translator(language).gettext
    stamp = _utc(now)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", t("Action points"))
    for item in sorted(items, key=_order):
        calendar.add_component(_todo(item, stamp, language))
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


def _order(item: ActionItem) -> tuple[object, ...]:
    return (item.meeting_date, item.meeting_created_at, item.entry.created_at, action_uid(item))


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)
