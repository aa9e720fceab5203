"""What views across meetings read of each: its summary and the entries that carry over.

``kring actions``, the journal and the follow-up review look at every meeting of a community,
but only at its action points, learnings, evaluations and evaluation reflections, and at what
hides its names. The index keeps that much per meeting, so those views never open the meetings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from kring.sessions.model.action_points import STILL_TO_DO
from kring.sessions.model.kinds import Capture
from kring.sessions.model.meeting import Entry, Meeting, PseudonymStyle
from kring.sessions.model.privacy import Pseudonymizer
from kring.sessions.model.protocol import PhaseKind, Step
from kring.sessions.protocols.snapshot import meeting_steps
from kring.sessions.store.figures import MeetingFigures
from kring.sessions.store.summary import MeetingSummary

CARRIED = frozenset({Capture.ACTION, Capture.LEARNING, Capture.REFLECTION, Capture.EVALUATION})
CARRIED_KINDS = frozenset(kind.value for kind in CARRIED)  # as stored


def evaluation_steps(meeting: Meeting) -> frozenset[str]:
    """The keys of the meeting's evaluation steps, from its own protocol snapshot (none when
    the snapshot cannot be read: then only its learnings count for the journal)."""
    return evaluation_keys(meeting_steps(meeting))


def evaluation_keys(steps: Iterable[Step]) -> frozenset[str]:
    return frozenset(step.key for step in steps if step.phase.kind is PhaseKind.EVALUATION)


def carries_over(entry: Entry, evaluation: frozenset[str]) -> bool:
    """Action points, learnings, evaluations, and reflections noted in an evaluation step."""
    return entry.kind is not Capture.REFLECTION or entry.step in evaluation


@dataclass(frozen=True, slots=True)
class MeetingDigest:
    summary: MeetingSummary
    protected_names: tuple[str, ...]
    pseudonym_style: PseudonymStyle
    protocol_name: str
    evaluation_steps: frozenset[str]
    entries: tuple[Entry, ...]  # what carries over, private ones included, oldest first
    # What the insights read (``figures.py``): kept in a column of its own, read only by them,
    # so the lists of action points and the journal parse none of it.
    figures: MeetingFigures = field(default_factory=MeetingFigures)

    @classmethod
    def of(cls, meeting: Meeting, entries: list[Entry],
           evaluation: frozenset[str] | None = None,
           figures: MeetingFigures | None = None) -> MeetingDigest:
        """``entries``: the carried ones at least; ``figures``, when the caller took them
        from all of the meeting's entries."""
        if evaluation is None:
            evaluation = evaluation_steps(meeting)
        name = meeting.protocol.get("name") if isinstance(meeting.protocol, dict) else None
        return cls(
            summary=MeetingSummary.of(meeting),
            protected_names=tuple(meeting.protected_names),
            pseudonym_style=meeting.pseudonym_style,
            protocol_name=name if isinstance(name, str) else "",
            evaluation_steps=evaluation,
            entries=tuple(entry for entry in entries
                          if entry.kind in CARRIED and carries_over(entry, evaluation)),
            figures=figures or MeetingFigures())

    @property
    def open_actions(self) -> int:
        """Action points still to do (open or carried on), private ones included."""
        return sum(1 for entry in self.entries
                   if entry.kind is Capture.ACTION and entry.status in STILL_TO_DO)

    @property
    def journal_entries(self) -> int:
        """What the journal would show of this meeting: learnings and evaluation reflections
        that are not private."""
        return sum(1 for entry in self.entries
                   if entry.kind is not Capture.ACTION and not entry.private)

    def pseudonymizer(self, language: str | None = None) -> Pseudonymizer:
        return Pseudonymizer(list(self.protected_names), self.pseudonym_style,
                             language or self.summary.language)

    def to_dict(self) -> dict[str, Any]:
        return {"protected_names": list(self.protected_names),
                "pseudonym_style": self.pseudonym_style.value,
                "protocol_name": self.protocol_name,
                "evaluation_steps": sorted(self.evaluation_steps),
                "entries": [entry.to_dict() for entry in self.entries]}

    @classmethod
    def from_dict(cls, summary: MeetingSummary, data: dict[str, Any]) -> MeetingDigest:
        return cls(
            summary=summary,
            protected_names=tuple(data["protected_names"]),
            pseudonym_style=PseudonymStyle(data["pseudonym_style"]),
            protocol_name=str(data["protocol_name"]),
            evaluation_steps=frozenset(data["evaluation_steps"]),
            entries=tuple(Entry.from_dict(entry) for entry in data["entries"]))
