"""Action points as people read them: the table and Markdown list of ``kring actions``, and the
review of earlier action points in a meeting's minutes.

Typed text is escaped (``sessions/documents/markdown.py``) and protected names show as each
meeting's pseudonyms unless ``real_names`` (the facilitator's own view). Fixed words are in the
language asked for, through its own translator, never the interface's ``_``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from kring.sessions.documents.markdown import inline, inline_line
from kring.sessions.i18n import translator
from kring.sessions.model.action_points import ActionItem
from kring.sessions.model.dates import long_date
from kring.sessions.model.labels import status_label
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.model.privacy import pseudonymizer_for, redact_entry, redact_review


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


def _shown(item: ActionItem, language: str, real_names: bool) -> Entry:
    return item.entry if real_names else redact_entry(item.entry, item.pseudonymizer(language))


def _case(item: ActionItem, language: str, real_names: bool) -> str:
    return item.case_title if real_names else item.pseudonymizer(language).apply(item.case_title)
