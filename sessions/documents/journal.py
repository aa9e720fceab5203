"""The learning journal of a community: what its members learned, meeting after meeting.

Teachers learn by becoming aware of their own considerations; the evaluation that closes a
meeting asks each of them what they learned and what they will do differently. The journal
gathers those answers over time: every learning (``Capture.LEARNING``, wherever it was noted)
and every reflection noted in an evaluation phase, grouped by meeting, oldest first, each with
who said it. Private entries never appear, and protected names show as each meeting's
pseudonyms.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from kring.sessions.documents.markdown import inline, inline_line, text_lines
from kring.sessions.i18n import translator
from kring.sessions.model.dates import long_date
from kring.sessions.model.kinds import Capture
from kring.sessions.model.meeting import Entry
from kring.sessions.model.privacy import redact_entry, same_name
from kring.sessions.store.facade import Store


@dataclass(frozen=True, slots=True)
class JournalMeeting:
    """One meeting's part of the journal; entries already pseudonymised."""

    meeting_id: str
    date: date
    created_at: datetime
    case_title: str  # pseudonymised
    protocol_name: str
    entries: list[Entry] = field(default_factory=list)


def is_journal_entry(entry: Entry, evaluation_steps: frozenset[str]) -> bool:
    """A learning or an evaluation's line anywhere, or a reflection noted in an evaluation
    phase; never a private entry."""
    if entry.private:
        return False
    return entry.kind in (Capture.LEARNING, Capture.EVALUATION) or (
        entry.kind is Capture.REFLECTION and entry.step in evaluation_steps)


def journal_meetings(store: Store, community: str, *, person: str | None = None,
                     language: str = "en") -> list[JournalMeeting]:
    """The journal's content, oldest meeting first; meetings with nothing for it left out.
    ``person`` keeps only what they said (matched ignoring case and accents, or by first
    name). Meetings that cannot be read are skipped (``store.problems`` says which)."""
    found: list[JournalMeeting] = []
    for digest in store.digests(community, journal=True):
        meeting = digest.summary
        chosen = [e for e in digest.entries if is_journal_entry(e, digest.evaluation_steps)
                  and (person is None or same_name(person, e.author))]
        if not chosen:
            continue
        hide = digest.pseudonymizer(language)
        found.append(JournalMeeting(
            meeting_id=meeting.id, date=meeting.date, created_at=meeting.created_at,
            case_title=hide.apply(meeting.case), protocol_name=digest.protocol_name,
            entries=[redact_entry(e, hide) for e in chosen]))
    return sorted(found, key=lambda part: (part.date, part.created_at))


def journal_markdown(store: Store, community: str, *, person: str | None = None,
                     language: str = "en") -> str:
    """The learning journal as Markdown (a final newline; typed text escaped)."""
    t = translator(language).gettext
    parts = journal_meetings(store, community, person=person, language=language)
    blocks = [f"# {t('Learning journal: {community}').format(community=inline_line(community))}"]
    if person is not None:
        blocks.append(f"*{t('What {person} learned.').format(person=inline_line(person))}*")
    if not parts:
        blocks.append(f"*{t('No learnings noted yet.')}*")
    for part in parts:
        blocks.append(f"## {long_date(part.date, language)} — {_title(part, t)}")
        if part.protocol_name:
            blocks.append(f"*{inline_line(part.protocol_name)}*")
        blocks.append("\n".join(_item(entry, t) for entry in part.entries))
    return "\n\n".join(blocks) + "\n"


def _title(part: JournalMeeting, t: Callable[[str], str]) -> str:
    if text_lines(part.case_title):
        return inline_line(part.case_title)
    return f"*{t('no case title')}*"


def _item(entry: Entry, t: Callable[[str], str]) -> str:
    text = inline(entry.text, indent="  ") or "—"
    who = inline_line(entry.author) if entry.author else ""
    who = f"**{who}**" if who else f"*{t('no name')}*"
    if entry.kind is Capture.REFLECTION:
        who += f" ({t('reflection')})"
    elif entry.kind is Capture.EVALUATION and entry.score is not None:
        who += f" ({t('evaluation {score}/5').format(score=entry.score)})"
    return f"- {who}: {text}"
