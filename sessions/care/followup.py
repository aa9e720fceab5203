"""Action points between meetings: listing them, reviewing them, marking them done.

An action point is an ``Entry`` of kind ``ACTION`` in the meeting where it was raised, and its
status lives there too: marking it in a later meeting's review changes the entry in its own
meeting's file (adding a ``StatusChange``) and records a ``ReviewNote`` in the later meeting, so
both meetings' minutes tell the story. "Carried on" means still to do: it counts as open.

Nothing here reads the clock: ``today`` is passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from kring.sessions.documents.minutes import inline, inline_line
from kring.sessions.errors import NotFoundError
from kring.sessions.i18n import _, translator
from kring.sessions.model.dates import long_date
from kring.sessions.model.labels import status_label
from kring.sessions.model.meeting import (
    ActionStatus,
    Entry,
    Meeting,
    PseudonymStyle,
    ReviewNote,
    StatusChange,
)
from kring.sessions.model.privacy import (
    Pseudonymizer,
    merge_names,
    pseudonymizer_for,
    redact_entry,
    redact_review,
    same_name,
)
from kring.sessions.model.protocol import Capture
from kring.sessions.store.facade import Store
from kring.sessions.store.rosters import community_records

STILL_TO_DO = frozenset({ActionStatus.OPEN, ActionStatus.CARRIED_ON})


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


@dataclass(frozen=True, slots=True)
class ActionItem:
    """An action point with the meeting it was raised in."""

    meeting_id: str
    meeting_date: date
    community: str
    case_title: str
    entry: Entry
    meeting_created_at: datetime  # orders two meetings on the same day
    # That meeting's pseudonyms, so an export of items from many meetings hides each one's.
    protected_names: tuple[str, ...] = ()
    pseudonym_style: PseudonymStyle = PseudonymStyle.LETTERS

    @property
    def status(self) -> ActionStatus:
        return self.entry.status

    @property
    def still_to_do(self) -> bool:
        return self.entry.status in STILL_TO_DO

    def age_days(self, today: date) -> int:
        """Days since the meeting that raised it."""
        return (today - self.meeting_date).days

    def overdue(self, today: date) -> bool:
        return self.still_to_do and self.entry.due is not None and self.entry.due < today

    def change_in(self, meeting_id: str) -> StatusChange | None:
        """The status it was given in that meeting (its review), if any."""
        return next((c for c in reversed(self.entry.history) if c.meeting_id == meeting_id),
                    None)

    def pseudonymizer(self, language: str) -> Pseudonymizer:
        return Pseudonymizer(self.protected_names, self.pseudonym_style, language)


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
        item for item in _all_items(store, community, include_private=include_private)
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
    updated = replace(current, status=history[-1].status if history else ActionStatus.OPEN,
                      history=history)
    store.update_entry(source_id, updated)

    note = None if undo else ReviewNote(
        entry_id=entry_id, meeting_id=source_id, meeting_date=record.meeting.date,
        text=current.text, owner=current.owner, due=current.due, status=status, on=on,
        comment=comment, private=current.private)
    names = record.meeting.protected_names

    def review(meeting: Meeting) -> None:
        # Sets rather than adds: update_meeting may run this again on a retry. A point marked
        # again keeps its place, so the minutes list the review in the order it was held.
        notes = list(meeting.reviews)
        at = next((index for index, n in enumerate(notes)
                   if (n.meeting_id, n.entry_id) == (source_id, entry_id)), None)
        if at is None:
            notes.extend([note] if note is not None else [])
        elif note is None:
            del notes[at]
        else:
            notes[at] = note
        meeting.reviews = notes
        meeting.protected_names = merge_names(meeting.protected_names, names)

    store.update_meeting(in_meeting.id, review)
    review(in_meeting)
    return updated


# -- showing them --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActionRow:
    """One line of ``kring actions --format table``: plain text, names already hidden."""

    status: str  # translated
    owner: str
    text: str
    due: str  # ISO date or ""
    age_days: int
    overdue: bool
    meeting_date: str
    community: str
    case: str


def action_rows(items: Iterable[ActionItem], today: date, language: str = "en", *,
                real_names: bool = False) -> list[ActionRow]:
    """Rows for a table. Protected names become each meeting's pseudonyms unless
    ``real_names`` (the facilitator's own view)."""
    t = translator(language).gettext
    rows = []
    for item in items:
        shown = _shown(item, language, real_names)
        rows.append(ActionRow(
            status=status_label(shown.status, t), owner=shown.owner or "", text=shown.text,
            due=shown.due.isoformat() if shown.due else "", age_days=item.age_days(today),
            overdue=item.overdue(today), meeting_date=item.meeting_date.isoformat(),
            community=item.community, case=_case(item, language, real_names)))
    return rows


def actions_markdown(items: Sequence[ActionItem], today: date, language: str = "en", *,
                     real_names: bool = False) -> str:
    """The action points as a Markdown document (``kring actions --format md``); overdue
    ones are marked in bold. Typed text is escaped and protected names hidden."""
    t = translator(language).gettext
    blocks = [f"# {t('Action points')}",
              f"*{t('As of {date}.').format(date=long_date(today, language))}*"]
    if not items:
        blocks.append(f"*{t('No action points.')}*")
        return "\n\n".join(blocks) + "\n"
    rows = [
        f"| {t('Status')} | {t('Owner')} | {t('Action point')} | {t('Due')} | {t('Age')} "
        f"| {t('Meeting')} |",
        "| --- | --- | --- | --- | ---: | --- |",
    ]
    for item in items:
        shown = _shown(item, language, real_names)
        due = long_date(shown.due, language) if shown.due else "—"
        if item.overdue(today):
            due = f"**{due} — {t('overdue')}**"
        meeting = f"{long_date(item.meeting_date, language)} {inline_line(item.community)}"
        case = _case(item, language, real_names)
        if case:
            meeting += f": {inline_line(case)}"
        rows.append(
            f"| {status_label(shown.status, t)} | {inline_line(shown.owner or '') or '—'} "
            f"| {inline_line(shown.text) or '—'} | {due} "
            f"| {t('{days} d').format(days=item.age_days(today))} | {meeting} |")
    blocks.append("\n".join(rows))
    return "\n\n".join(blocks) + "\n"


def review_markdown(meeting: Meeting, *, language: str | None = None, level: int = 2,
                    real_names: bool = False) -> str:
    """The review of earlier action points held in ``meeting``, for its minutes: a heading
    and one list item per point reviewed; "" when none was (private ones never show)."""
    language = language or meeting.language
    t = translator(language).gettext
    notes = [note for note in meeting.reviews if not note.private]
    if not notes:
        return ""
    hide = pseudonymizer_for(meeting, language)
    lines = []
    for note in notes:
        shown = note if real_names else redact_review(note, hide)
        owner = inline_line(shown.owner) if shown.owner else ""
        owner = f"**{owner}**" if owner else f"*{t('no owner')}*"
        details = [t("raised {date}, {days} days before").format(
            date=long_date(note.meeting_date, language), days=(note.on - note.meeting_date).days)]
        if note.due is not None:
            details.append(t("due {date}").format(date=long_date(note.due, language)))
        text = inline(shown.text, indent="  ") or "—"
        line = f"- {owner}: {text} — *{status_label(note.status, t)}* ({'; '.join(details)})"
        comment = inline(shown.comment, indent="  ")
        if comment:
            line += f"\\\n  *{t('Comment:')}* {comment}"
        lines.append(line)
    return f"{'#' * level} {t('Review of action points')}\n\n" + "\n".join(lines)


# -- the machinery -------------------------------------------------------------------------------


def _all_items(store: Store, community: str | None, *,
               include_private: bool) -> list[ActionItem]:
    """Every action point of the (community's) meetings that can be read. Meetings that cannot
    are skipped; the store reports them in ``store.problems``."""
    items: list[ActionItem] = []
    for record in community_records(store, community):
        meeting = record.meeting
        for entry in record.entries:
            if entry.kind is not Capture.ACTION or (entry.private and not include_private):
                continue
            items.append(ActionItem(
                meeting_id=meeting.id, meeting_date=meeting.date, community=meeting.community,
                case_title=meeting.case.title, entry=entry,
                meeting_created_at=meeting.created_at,
                protected_names=tuple(meeting.protected_names),
                pseudonym_style=meeting.pseudonym_style))
    return items


def _raised(item: ActionItem) -> tuple[date, datetime, datetime]:
    return (item.meeting_date, item.meeting_created_at, item.entry.created_at)


def _shown(item: ActionItem, language: str, real_names: bool) -> Entry:
    return item.entry if real_names else redact_entry(item.entry, item.pseudonymizer(language))


def _case(item: ActionItem, language: str, real_names: bool) -> str:
    return item.case_title if real_names else item.pseudonymizer(language).apply(item.case_title)
