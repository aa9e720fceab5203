"""What a one-page handout of a meeting holds: the case as the room may see it, the focus
question, the decisions, the action points (who, by when, a box to tick), the learnings and
the next meeting. Chosen here, laid out by ``pdf/handout.py``.

Privacy as the minutes have it: private entries never, protected names as their pseudonyms
(``shown_meeting`` and ``redact_entry``, as ``minutes.py`` uses them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from kring.sessions.documents.minutes import minutes_moment, shown_meeting
from kring.sessions.documents.minutes_front import title
from kring.sessions.i18n import translator
from kring.sessions.model.kinds import Capture
from kring.sessions.model.meeting import ActionStatus, Entry, Meeting
from kring.sessions.model.privacy import pseudonymizer_for, redact_entry


@dataclass(frozen=True)
class HandoutAction:
    text: str
    owner: str | None
    due: date | None
    done: bool


@dataclass(frozen=True)
class Handout:
    title: str
    community: str
    date: date
    protocol: str
    language: str
    summary: str
    focus_question: str
    decisions: tuple[str, ...]
    actions: tuple[HandoutAction, ...]
    learnings: tuple[str, ...]
    next_meeting: datetime | None
    moment: datetime  # the meeting's own last moment: the PDF's date, never now


def handout_of(meeting: Meeting, entries: Sequence[Entry], *,
               next_meeting: datetime | None = None, now: datetime | None = None) -> Handout:
    """The handout of ``meeting``; ``next_meeting``: the community's, when one is planned;
    ``now``: the moment of the minutes so far (else the meeting's own last moment)."""
    t = translator(meeting.language).gettext
    hide = pseudonymizer_for(meeting)
    shown = shown_meeting(meeting, hide)
    visible = sorted((redact_entry(e, hide) for e in entries if not e.private),
                     key=lambda e: e.created_at)

    def of(kind: Capture) -> list[Entry]:
        return [e for e in visible if e.kind is kind]

    protocol = shown.protocol.get("name") if isinstance(shown.protocol, dict) else None
    return Handout(
        title=title(shown, t, lambda text: text),
        community=shown.community,
        date=shown.date,
        protocol=protocol if isinstance(protocol, str) else "",
        language=meeting.language,
        summary=shown.case.summary,
        focus_question=shown.case.focus_question,
        decisions=tuple(e.text for e in of(Capture.DECISION)),
        # Dropped ones are not for ticking off; the full minutes keep them.
        actions=tuple(HandoutAction(e.text, e.owner, e.due, e.status is ActionStatus.DONE)
                      for e in of(Capture.ACTION) if e.status is not ActionStatus.DROPPED),
        learnings=tuple(e.text for e in of(Capture.LEARNING)),
        next_meeting=next_meeting,
        moment=now or minutes_moment(meeting, entries),
    )
