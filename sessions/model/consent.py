"""Consent for research: whether a participant's words may leave Kring for research, since
when, and from when no longer. Case notes are about pupils; a research export rests on this."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any


def person_key(name: str) -> str:
    """How rosters match a name: ignoring case and surrounding or doubled space."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True, slots=True)
class Consent:
    person: str
    granted_on: date | None = None
    withdrawn_on: date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "granted_on": None if self.granted_on is None else self.granted_on.isoformat(),
            "withdrawn_on": None if self.withdrawn_on is None else self.withdrawn_on.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Consent:
        person = data["person"]
        if not isinstance(person, str):
            raise TypeError("a consent names a person")
        return cls(person=person, granted_on=_day(data.get("granted_on")),
                   withdrawn_on=_day(data.get("withdrawn_on")))


def _day(value: object) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("a consent's date is an ISO date")
    return date.fromisoformat(value)


def find_consent(consents: Mapping[str, Consent], person: str) -> Consent | None:
    """The consent recorded for ``person``, matched as rosters match names."""
    wanted = person_key(person)
    found = consents.get(person)
    if found is not None:
        return found
    return next((c for key, c in consents.items() if person_key(key) == wanted), None)


def consented_on(consents: Mapping[str, Consent], person: str, day: date) -> bool:
    """Whether ``person``'s words of ``day`` may be used for research: consent granted on or
    before that day and not withdrawn on or before it."""
    found = find_consent(consents, person)
    if found is None or found.granted_on is None or found.granted_on > day:
        return False
    return found.withdrawn_on is None or day < found.withdrawn_on
