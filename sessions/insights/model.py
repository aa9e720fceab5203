"""What a community's insights are, as plain data: what ``kring insights`` prints, the HTML
report draws and the insights screen shows, all from one ``Insights``.

Figures about a person exist here only for members who consent to research today, and only
when at least ``TOO_FEW`` such members have figures; a group figure (a meeting's average
score, its balance) only when at least ``TOO_FEW`` people make it up. Below that the field is
None (or the people empty, ``people_too_few`` set), and every view says "too few to show".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

TOO_FEW = 3  # fewer people than this make no figure: one of them could be picked out


@dataclass(frozen=True, slots=True)
class FollowThrough:
    """Action points by where they stand; ``overdue`` ones are also counted in ``open``."""

    done: int = 0
    open: int = 0
    overdue: int = 0
    dropped: int = 0

    @property
    def total(self) -> int:
        return self.done + self.open + self.dropped

    def __add__(self, other: FollowThrough) -> FollowThrough:
        return FollowThrough(self.done + other.done, self.open + other.open,
                             self.overdue + other.overdue, self.dropped + other.dropped)

    def to_dict(self) -> dict[str, int]:
        return {"done": self.done, "open": self.open, "overdue": self.overdue,
                "dropped": self.dropped}


@dataclass(frozen=True, slots=True)
class MeetingInsight:
    meeting_id: str
    date: date
    title: str  # the case's title as the room may read it (protected names hidden)
    protocol: str  # the protocol's id
    ended: bool
    actions: FollowThrough  # the action points raised in this meeting, as they stand today
    planned: int  # seconds, the phases held or skipped (0 while in progress)
    actual: int  # seconds
    score: float | None  # average evaluation score; None: fewer than TOO_FEW gave one
    scores: int  # how many scores were counted
    balance: float | None  # 0 (one voice) .. 1 (all heard alike); None: fewer than TOO_FEW

    def to_dict(self) -> dict[str, Any]:
        return {"meeting_id": self.meeting_id, "date": self.date.isoformat(),
                "title": self.title, "protocol": self.protocol, "ended": self.ended,
                "actions": self.actions.to_dict(), "planned_seconds": self.planned,
                "actual_seconds": self.actual, "score": self.score, "scores": self.scores,
                "balance": self.balance}


@dataclass(frozen=True, slots=True)
class PhaseInsight:
    """A phase (by its title) over the meetings that held it."""

    title: str
    held: int  # meetings that held it
    skipped: int
    planned: int  # seconds, on average over ``held``
    actual: int  # seconds, on average over ``held``

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "held": self.held, "skipped": self.skipped,
                "planned_seconds": self.planned, "actual_seconds": self.actual}


@dataclass(frozen=True, slots=True)
class PersonInsight:
    """A consenting member over the range."""

    name: str
    meetings: int  # took part in
    spoken: int  # entries attributed to them
    questions: int
    cases: int  # brought as case-bringer
    last_case: date | None
    actions: FollowThrough  # as owner

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "meetings": self.meetings, "spoken": self.spoken,
                "questions": self.questions, "cases": self.cases,
                "last_case": self.last_case.isoformat() if self.last_case else None,
                "actions": self.actions.to_dict()}


@dataclass(frozen=True, slots=True)
class Theme:
    phrase: str
    meetings: int  # in how many meetings of the range it occurs

    def to_dict(self) -> dict[str, Any]:
        return {"phrase": self.phrase, "meetings": self.meetings}


@dataclass(frozen=True, slots=True)
class Insights:
    community: str
    start: date | None
    end: date | None
    today: date
    language: str  # of the community's meetings, for the themes' language
    meetings: tuple[MeetingInsight, ...]  # oldest first
    phases: tuple[PhaseInsight, ...]  # in the order they were first held
    people: tuple[PersonInsight, ...]  # empty when people_too_few
    people_too_few: bool
    not_shown: int  # members (and other participants) left out: no consent today
    themes: tuple[Theme, ...]

    @property
    def follow_through(self) -> FollowThrough:
        total = FollowThrough()
        for meeting in self.meetings:
            total += meeting.actions
        return total

    @property
    def without_case(self) -> tuple[str, ...]:
        """Consenting members who have not brought a case in the range."""
        return tuple(person.name for person in self.people if not person.cases)

    def to_dict(self) -> dict[str, Any]:
        return {"community": self.community,
                "from": self.start.isoformat() if self.start else None,
                "to": self.end.isoformat() if self.end else None,
                "today": self.today.isoformat(),
                "follow_through": self.follow_through.to_dict(),
                "meetings": [m.to_dict() for m in self.meetings],
                "phases": [p.to_dict() for p in self.phases],
                "people": None if self.people_too_few else [p.to_dict() for p in self.people],
                "not_shown": self.not_shown,
                "without_case": None if self.people_too_few else list(self.without_case),
                "themes": [t.to_dict() for t in self.themes]}
