"""A community: a group of teachers that meets regularly, and who belongs to it (the roster)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kring.sessions.model.consent import Consent, ConsentHistory, Decision, as_history

# A century: longer is "for ever" in practice, and a date that many days back must still be a
# date (timedelta and date arithmetic overflow somewhere past 2.7 million years).
MAX_RETENTION_DAYS = 36_525


def valid_retention(days: object) -> bool:
    """Whether ``days`` is a retention period Kring can work with: a whole number of days, at
    least one, at most a century. bool is an int to Python, but `true` days is no period."""
    return type(days) is int and 1 <= days <= MAX_RETENTION_DAYS


@dataclass(slots=True)
class Community:
    name: str  # its identity: meetings refer to their community by name
    members: list[str] = field(default_factory=list)
    # Keep meetings this many days; older ones are suggested for purging (sessions/purge.py).
    # None: kept until someone purges them by hand.
    retention_days: int | None = None
    # Research consent: every decision, as a mapping of each member's consent as it stands
    # (a plain mapping of Consent is taken as the history it stands for).
    consents: ConsentHistory = field(default_factory=ConsentHistory)
    # When the community next meets (timezone-aware), if someone planned it; `kring calendar`
    # exports it as an event. None: nothing planned.
    next_meeting: datetime | None = None
    # Words the privacy guard found and a person said are nobody ("Mark" the colleague,
    # "Groot" the word): asked once per community, not in every meeting.
    dismissed: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.consents = as_history(self.consents)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "members": list(self.members),
                "retention_days": self.retention_days,
                "decisions": [decision.to_dict() for decision in self.consents.decisions],
                "next_meeting": (None if self.next_meeting is None
                                 else self.next_meeting.isoformat()),
                "dismissed": list(self.dismissed)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Community:
        name = data["name"]
        members = data.get("members", [])
        if not isinstance(name, str) or not isinstance(members, list) or not all(
            isinstance(member, str) for member in members
        ):
            raise TypeError("a community has a name and a list of member names")
        retention = data.get("retention_days")
        if retention is not None and (type(retention) is not int or retention < 1):
            raise TypeError("a community's retention period is a whole number of days")
        if retention is not None and retention > MAX_RETENTION_DAYS:
            # Written by hand or by another program: longer than a century is kept for ever
            # in practice, so it reads as "no limit" rather than breaking every listing.
            retention = None
        dismissed = data.get("dismissed") or []
        if not isinstance(dismissed, list) or not all(isinstance(w, str) for w in dismissed):
            raise TypeError("a community's dismissed words are a list of words")
        return cls(name=name, members=list(members), retention_days=retention,
                   consents=_consents(data),
                   next_meeting=_meeting_time(data.get("next_meeting")),
                   dismissed=list(dismissed))


def _consents(data: dict[str, Any]) -> ConsentHistory:
    """The decisions, after those an older Kring's table of consents stood for (kept in the
    record as it wrote it: that table is never written again, only added to)."""
    consents = data.get("consents") or {}
    if not isinstance(consents, dict) or not all(
        isinstance(key, str) and isinstance(doc, dict) for key, doc in consents.items()
    ):
        raise TypeError("a community's consents are a table of people")
    decisions = data.get("decisions") or []
    if not isinstance(decisions, list) or not all(isinstance(doc, dict) for doc in decisions):
        raise TypeError("a community's consent decisions are a list")
    legacy = ConsentHistory.from_legacy({key: Consent.from_dict(doc)
                                         for key, doc in consents.items()})
    return ConsentHistory((*legacy.decisions, *(Decision.from_dict(doc) for doc in decisions)))


def _meeting_time(value: object) -> datetime | None:
    """A planned meeting's moment from the file: ISO text with its UTC offset. Without an
    offset the moment is ambiguous (whose clock?), so it is as damaged as a wrong type."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("a community's next meeting is a date and time")
    moment = datetime.fromisoformat(value)  # ValueError when it is not one
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a community's next meeting needs its time zone")
    return moment
