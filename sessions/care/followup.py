"""Action points between meetings: listing them, reviewing them, marking them done.

An action point is an ``Entry`` of kind ``ACTION`` in the meeting where it was raised, and its
status lives there too: marking it in a later meeting's review changes the entry in its own
meeting's file (adding a ``StatusChange``) and records a ``ReviewNote`` in the later meeting, so
both meetings' minutes tell the story. "Carried on" means still to do: it counts as open.

Nothing here reads the clock: ``today`` is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from kring.sessions.errors import NotFoundError
from kring.sessions.i18n import _
from kring.sessions.model.action_points import STILL_TO_DO, ActionItem
from kring.sessions.model.kinds import Capture
from kring.sessions.model.meeting import ActionStatus, Entry, Meeting, ReviewNote, StatusChange
from kring.sessions.model.privacy import merge_names, same_name
from kring.sessions.store.changes import EditEntry, MeetingChange
from kring.sessions.store.facade import Store


class StatusFilter(StrEnum):
    """What ``kring actions --status`` chooses from."""

    OPEN = "open"  # open and carried on: still to do
    DONE = "done"
    ALL = "all"  # dropped ones too


_CHOSEN: dict[StatusFilter, frozenset[ActionStatus]] = {
    StatusFilter.OPEN: STILL_TO_DO,
    StatusFilter.DONE: frozenset({ActionStatus.DONE}),
    StatusFilter.ALL: frozenset(ActionStatus),
}


def actions(store: Store, *, today: date, community: str | None = None,
            owner: str | None = None, status: str | StatusFilter = StatusFilter.OPEN,
            include_private: bool = False) -> list[ActionItem]:
    """Action points across all meetings: overdue ones first, then the earliest due (those
    without a due date last), then by when they were raised. ``community`` and ``owner``
    match ignoring case and accents (``owner`` also by first name: "anna" finds "Anna de
    Vries"). Private ones only with ``include_private``: they are the facilitator's, and this
    list is often shown."""
    chosen = _CHOSEN[StatusFilter(status)]
    items = [
        item for item in _all_items(store, community, include_private=include_private,
                                    open_only=chosen <= STILL_TO_DO)
        if item.entry.status in chosen and (owner is None or same_name(owner, item.entry.owner))
    ]
    return sorted(items, key=lambda item: (not item.overdue(today), item.entry.due is None,
                                           item.entry.due or date.min, *_raised(item)))


def open_actions_for_review(store: Store, community: str, before: Meeting, *,
                            include_private: bool = False) -> list[ActionItem]:
    """What the review that opens ``before`` goes through: the action points of the
    community's earlier meetings that are still to do, in the order they were raised. Those
    already marked in this review stay in the list (with ``change_in(before.id)``), so the
    screen does not lose them the moment they are marked, and a mistake can be put right."""
    items = []
    for item in _all_items(store, community, include_private=include_private):
        if item.meeting_id == before.id:
            continue
        if (item.meeting_date, item.meeting_created_at) >= (before.date, before.created_at):
            continue  # held later (or at the same moment): not "earlier"
        if item.still_to_do or item.change_in(before.id) is not None:
            items.append(item)
    return sorted(items, key=_raised)


@dataclass(frozen=True)
class MarkAction(MeetingChange):
    """The review of an earlier meeting's action point, in the meeting that reviews it: its
    ``note`` (None: the review of it undone), and the names protected in the action's meeting
    (``names``) added to this meeting's. The point's own status changes in its own meeting
    (an ``EditEntry``, ``mark``). Sets rather than adds, so a retry changes nothing more; a
    point marked again keeps its place, so the minutes list the review in the order it was
    held."""

    source_id: str  # the meeting the action point was raised in
    entry_id: str
    note: ReviewNote | None
    names: tuple[str, ...] = ()

    def make(self, meeting: Meeting) -> None:
        notes = list(meeting.reviews)
        at = next((index for index, n in enumerate(notes)
                   if (n.meeting_id, n.entry_id) == (self.source_id, self.entry_id)), None)
        if at is None:
            notes.extend([self.note] if self.note is not None else [])
        elif self.note is None:
            del notes[at]
        else:
            notes[at] = self.note
        meeting.reviews = notes
        meeting.protected_names = merge_names(meeting.protected_names, self.names)

    def describe(self) -> str:  # the status, never the text or comment: a queue may be logged
        how = "undo the review of" if self.note is None else f"mark {self.note.status.value}"
        return f"{how} action point {self.entry_id} of meeting {self.source_id}"


def mark(store: Store, item: ActionItem | tuple[str, str], status: ActionStatus, *,
         in_meeting: Meeting, on: date, comment: str = "") -> Entry:
    """Set an action point's status in the review of ``in_meeting``; returns the entry as
    saved in its own meeting.

    Marking it again in the same meeting replaces that meeting's change (so a retry or a
    correction never piles up history), and marking it ``OPEN`` there undoes the review of it.
    ``in_meeting`` gets the same ``ReviewNote`` in memory as on disk, so a screen holding it
    shows the review at once; the names protected in the action's meeting are added to its
    protected names, so they stay hidden in these minutes too."""
    source_id, entry_id = (item.meeting_id, item.entry.id) if isinstance(item, ActionItem) \
        else item
    if source_id == in_meeting.id:
        raise ValueError("an action point is reviewed in a later meeting, not its own")
    record = store.load(source_id)
    current = next((e for e in record.entries if e.id == entry_id), None)
    if current is None or current.kind is not Capture.ACTION:
        raise NotFoundError(_("That action point is no longer there."))
    history = [c for c in current.history if c.meeting_id != in_meeting.id]
    before = history[-1].status if history else ActionStatus.OPEN
    undo = status is ActionStatus.OPEN and before is ActionStatus.OPEN and not comment
    if not undo:
        history.append(StatusChange(status, on, in_meeting.id, comment))
    # Only the status and its history: a due date or text changed on another laptop meanwhile
    # is that laptop's change, and stays.
    status_now = history[-1].status if history else ActionStatus.OPEN
    saved = store.apply(source_id, EditEntry(entry_id, {"status": status_now,
                                                       "history": history}))
    if saved is None:
        raise NotFoundError(_("That action point is no longer there."))
    updated = saved

    note = None if undo else ReviewNote(
        entry_id=entry_id, meeting_id=source_id, meeting_date=record.meeting.date,
        text=current.text, owner=current.owner, due=current.due, status=status, on=on,
        comment=comment, private=current.private)
    review = MarkAction(source_id, entry_id, note, tuple(record.meeting.protected_names))
    store.apply(in_meeting.id, review)
    review.make(in_meeting)
    return updated


# -- the machinery -------------------------------------------------------------------------------


def _all_items(store: Store, community: str | None, *, include_private: bool,
               open_only: bool = False) -> list[ActionItem]:
    """Every action point of the (community's) meetings that can be read. Meetings that cannot
    are skipped; the store reports them in ``store.problems``."""
    items: list[ActionItem] = []
    for digest in store.digests(community, open_actions=open_only):
        meeting = digest.summary
        for entry in digest.entries:
            if entry.kind is not Capture.ACTION or (entry.private and not include_private):
                continue
            items.append(ActionItem(
                meeting_id=meeting.id, meeting_date=meeting.date, community=meeting.community,
                case_title=meeting.case, entry=entry,
                meeting_created_at=meeting.created_at,
                protected_names=digest.protected_names,
                pseudonym_style=digest.pseudonym_style))
    return items


def _raised(item: ActionItem) -> tuple[date, datetime, datetime]:
    return (item.meeting_date, item.meeting_created_at, item.entry.created_at)
