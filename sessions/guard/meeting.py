"""The findings of a whole meeting: every text the room, the minutes or another school may
read (the case, the focus question, the goal, the entries that are not private), each looked
at by the spotter and what is known left out (``spotting.py``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import Enum

from kring.sessions.guard.kinds import KINDS, Kind
from kring.sessions.guard.spotting import Known, Span, worth_asking
from kring.sessions.model.meeting import MeetingWithEntries
from kring.sessions.model.privacy import public_entries

# Where a finding is, when it is not in an entry (entries are named by their id).
CASE_TITLE = "case-title"
CASE_SUMMARY = "case-summary"
FOCUS_QUESTION = "focus-question"
GOAL = "goal"

Spot = Callable[[str], list[Span]]


class Verdict(Enum):
    """What the minutes say of the privacy guard (``privacy_guard`` in their front matter),
    so a reader knows whether anyone looked for names nobody protected."""

    OFF = "off"  # turned off, or it could not run here: nobody looked
    CHECKED = "checked"  # it looked at everything, and nothing was left open
    UNRESOLVED = "unresolved"  # it looked; what it found was left as typed

    @classmethod
    def of(cls, findings: Iterable[object]) -> Verdict:
        return cls.UNRESOLVED if any(True for _finding in findings) else cls.CHECKED


@dataclass(frozen=True)
class Finding:
    where: str  # an entry's id, or one of the names above
    span: Span

    @property
    def kind(self) -> Kind:
        return self.span.kind

    @property
    def protectable(self) -> bool:
        return KINDS[self.span.kind].protectable


def texts_of(record: MeetingWithEntries) -> list[tuple[str, str]]:
    """(where, text) of everything in the meeting that others may read."""
    meeting = record.meeting
    texts = [(CASE_TITLE, meeting.case.title), (CASE_SUMMARY, meeting.case.summary),
             (FOCUS_QUESTION, meeting.case.focus_question), (GOAL, meeting.goal)]
    texts += [(entry.id, entry.text) for entry in public_entries(record.entries)]
    return [(where, text) for where, text in texts if text.strip()]


def known_in(record: MeetingWithEntries, dismissed: Iterable[str] = ()) -> Known:
    meeting = record.meeting
    return Known.of(meeting.participants, meeting.protected_names, dismissed)


def meeting_findings(record: MeetingWithEntries, spot: Spot, *, today: date,
                     dismissed: Iterable[str] = ()) -> list[Finding]:
    """What a person should look at before the meeting leaves this laptop, in the order of
    its texts (the case first, then the entries as they were captured)."""
    known = known_in(record, dismissed)
    return [Finding(where, span) for where, text in texts_of(record)
            for span in worth_asking(spot(text), text, known, today)]
