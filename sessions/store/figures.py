"""What a community's insights read of each meeting (``sessions/insights/``): who took part and
brought the case, how long each phase took against its plan, who was heard how often, and the
text its themes are read from.

The index keeps these beside the digest (``digest.py``), taken once when a meeting's logs
change, so a year's insights read rows rather than a year of logs. Names are kept as typed:
the insights decide who may be shown (consent, groups of at least three) and hide protected
names when they show anything.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kring.sessions.model.kinds import Capture
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.model.protocol import Role, Step
from kring.sessions.model.status import Status

# The text themes are read from, per meeting: a case, its focus question, the questions and
# learnings of an ordinary meeting fit; a meeting of thousands of entries does not make its
# row (and every year's insights) that much larger.
MAX_THEME_TEXT = 6_000
THEME_KINDS = (Capture.QUESTION, Capture.LEARNING)


@dataclass(frozen=True, slots=True)
class PhaseTime:
    """One phase of an ended meeting as held: planned (with minutes added) against actual."""

    title: str
    planned: int  # seconds
    actual: int  # seconds, pauses left out
    skipped: bool = False


@dataclass(frozen=True, slots=True)
class MeetingFigures:
    participants: tuple[str, ...] = ()
    case_bringer: str | None = None
    phases: tuple[PhaseTime, ...] = ()  # empty for a meeting in progress
    spoken: tuple[tuple[str, int], ...] = ()  # (author, entries): attributed, not private
    asked: tuple[tuple[str, int], ...] = ()  # (author, questions)
    theme_text: str = ""  # case title, focus question, questions, learnings; not private

    @classmethod
    def of(cls, meeting: Meeting, entries: Sequence[Entry], steps: Sequence[Step]
           ) -> MeetingFigures:
        shown = [entry for entry in entries if not entry.private]
        spoken = Counter(entry.author for entry in shown if entry.author)
        asked = Counter(entry.author for entry in shown
                        if entry.author and entry.kind is Capture.QUESTION)
        texts = [meeting.case.title, meeting.case.focus_question,
                 *(entry.text for entry in shown if entry.kind in THEME_KINDS)]
        return cls(
            participants=tuple(meeting.participants),
            case_bringer=meeting.roles.get(Role.CASE_BRINGER.value) or None,
            phases=_phase_times(meeting, steps),
            spoken=tuple(sorted(spoken.items())), asked=tuple(sorted(asked.items())),
            theme_text="\n".join(text for text in texts if text)[:MAX_THEME_TEXT])

    def to_dict(self) -> dict[str, Any]:
        return {"participants": list(self.participants), "case_bringer": self.case_bringer,
                "phases": [[p.title, p.planned, p.actual, p.skipped] for p in self.phases],
                "spoken": [list(pair) for pair in self.spoken],
                "asked": [list(pair) for pair in self.asked], "theme_text": self.theme_text}

    @classmethod
    def from_dict(cls, data: Any) -> MeetingFigures:
        """The figures stored as ``data``; none (empty) for what does not read as them: the
        index is derived, and a damaged row costs a figure, never the view."""
        try:
            return cls(
                participants=tuple(str(name) for name in data["participants"]),
                case_bringer=str(data["case_bringer"]) if data["case_bringer"] else None,
                phases=tuple(PhaseTime(str(title), int(planned), int(actual), bool(skipped))
                             for title, planned, actual, skipped in data["phases"]),
                spoken=tuple((str(name), int(count)) for name, count in data["spoken"]),
                asked=tuple((str(name), int(count)) for name, count in data["asked"]),
                theme_text=str(data["theme_text"]))
        except (KeyError, TypeError, ValueError):
            return cls()


def _phase_times(meeting: Meeting, steps: Sequence[Step]) -> tuple[PhaseTime, ...]:
    """The phases an ended meeting held or skipped, in order; a meeting in progress has no
    times yet (its running phase would count as short)."""
    if meeting.status is Status.IN_PROGRESS or meeting.ended_at is None:
        return ()
    end: datetime = meeting.ended_at
    times = []
    for step in steps:
        runs = [run for run in meeting.runs if run.step == step.key]
        if not runs:
            continue
        times.append(PhaseTime(
            title=step.phase.title,
            planned=max(0, meeting.planned(step.key, step.phase.seconds)
                        + sum(run.extra_seconds for run in runs)),
            actual=sum(run.elapsed(end) for run in runs),
            skipped=any(run.skipped for run in runs)))
    return tuple(times)
