"""Dot-voting results, as the meeting keeps them: which entries the room voted on and how
many votes each received. The votes themselves (who chose what) never reach the meeting file:
only the counts, which the minutes and the projector show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


def _moment(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(slots=True)
class VoteResult:
    """One closed vote. ``counts`` pairs an entry id with its votes, in the order the options
    were offered; the entry's text is looked up where it is shown, so an entry made private
    or deleted later is never shown with its votes."""

    step: str  # the Step.key of the phase the vote was held in
    opened_at: datetime
    closed_at: datetime
    votes_each: int  # how many votes every participant had
    voters: int  # how many participants voted
    counts: list[tuple[str, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.step, "opened_at": self.opened_at.isoformat(),
                "closed_at": self.closed_at.isoformat(), "votes_each": self.votes_each,
                "voters": self.voters, "counts": [[entry, count] for entry, count in self.counts]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VoteResult:
        return cls(step=str(data["step"]), opened_at=_moment(data["opened_at"]),
                   closed_at=_moment(data["closed_at"]), votes_each=int(data["votes_each"]),
                   voters=int(data.get("voters", 0)),
                   counts=[(str(entry), int(count)) for entry, count in data.get("counts", [])])
