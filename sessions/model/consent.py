"""Consent for research: whether a participant's words may leave Kring for research, since
when, and from when no longer. Case notes are about pupils; a research export rests on this.

Consent is kept as a history of decisions, never as one value that a later write replaces:
two laptops that record decisions offline (a withdrawal on one, someone else's grant on the
other) must both keep theirs after a sync. Each decision names the decisions about the same
member its device knew of when it was made (``seen``), so "a grant that saw the withdrawal"
can be told from "a grant made without knowing of it".

The rule (the README says it for researchers): a member consents on day D when some grant
effective on or before D exists, and every withdrawal effective on or before D was seen by a
grant that is itself effective on or before D. A withdrawal that no later grant saw, made
on another laptop at the same time as a grant or synced late, therefore always wins: the
cautious decision.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any


def person_key(name: str) -> str:
    """How rosters match a name: ignoring case and surrounding or doubled space."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True, slots=True)
class Consent:
    """A member's consent as it stands, in a few dates (what ``kring community show`` says)."""

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


@dataclass(frozen=True, slots=True)
class Decision:
    """One decision about one member: consent given from ``on``, or withdrawn on ``on``."""

    id: str
    person: str
    grant: bool
    on: date
    seen: tuple[str, ...] = ()  # the latest decisions about this member its device knew of

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "person": self.person, "grant": self.grant,
                "on": self.on.isoformat(), "seen": list(self.seen)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Decision:
        ident, person, grant, seen = data["id"], data["person"], data["grant"], data.get("seen")
        if not (isinstance(ident, str) and isinstance(person, str) and type(grant) is bool):
            raise TypeError("a consent decision has an id, a person and grant true or false")
        if not isinstance(seen, list) or not all(isinstance(item, str) for item in seen):
            raise TypeError("a consent decision's seen is a list of decision ids")
        on = _day(data["on"])
        if on is None:
            raise TypeError("a consent decision has a day")
        return cls(ident, person, grant, on, tuple(seen))


class ConsentHistory(Mapping[str, Consent]):
    """Every consent decision of a community; as a mapping, each member's consent as it
    stands (by the member's name as last decided about)."""

    __slots__ = ("_by_person", "decisions")

    def __init__(self, decisions: Iterable[Decision] = ()) -> None:
        self.decisions: tuple[Decision, ...] = tuple(decisions)
        self._by_person: dict[str, list[Decision]] = {}
        for decision in self.decisions:
            self._by_person.setdefault(person_key(decision.person), []).append(decision)

    @classmethod
    def from_legacy(cls, consents: Mapping[str, Consent]) -> ConsentHistory:
        """The history an older Kring's one consent per member stood for: a grant, and a
        withdrawal after it (granting again used to clear the withdrawal)."""
        made: list[Decision] = []
        for consent in consents.values():
            key = person_key(consent.person)
            grant = None
            if consent.granted_on is not None:
                grant = Decision(f"~{key}/grant", consent.person, True, consent.granted_on)
                made.append(grant)
            if consent.withdrawn_on is not None:
                made.append(Decision(f"~{key}/withdraw", consent.person, False,
                                     consent.withdrawn_on, (grant.id,) if grant else ()))
        return cls(made)

    def of(self, person: str) -> list[Decision]:
        return self._by_person.get(person_key(person), [])

    def decide(self, ident: str, person: str, *, grant: bool, on: date) -> ConsentHistory:
        """This history with one more decision, which has seen every one before it."""
        decision = Decision(ident, person, grant, on, tuple(d.id for d in _latest(self.of(person))))
        return ConsentHistory((*self.decisions, decision))

    def consents_on(self, person: str, day: date) -> bool:
        """Whether ``person``'s words of ``day`` may be used for research (the rule above)."""
        mine = self.of(person)
        grants = [d for d in mine if d.grant and d.on <= day]
        if not grants:
            return False
        seen_by_grants = _ancestors(grants, {d.id: d for d in mine})
        return all(d.id in seen_by_grants for d in mine if not d.grant and d.on <= day)

    def standing(self, person: str) -> Consent | None:
        """The member's consent in a few dates: withdrawn while any latest decision is a
        withdrawal, else granted since the latest grants' earliest day."""
        mine = self.of(person)
        if not mine:
            return None
        latest = _latest(mine)
        withdrawals = [d for d in latest if not d.grant]
        name = mine[-1].person
        if withdrawals:
            grants = [d.on for d in mine if d.grant]
            return Consent(name, max(grants) if grants else None,
                           min(d.on for d in withdrawals))
        return Consent(name, min(d.on for d in latest))

    # -- as a mapping of who consents how ---------------------------------------------------

    def __getitem__(self, person: str) -> Consent:
        found = self.standing(person) if person_key(person) in self._by_person else None
        if found is None:
            raise KeyError(person)
        return found

    def __iter__(self) -> Iterator[str]:
        return (decisions[-1].person for decisions in self._by_person.values())

    def __len__(self) -> int:
        return len(self._by_person)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ConsentHistory):
            return set(self.decisions) == set(other.decisions)
        if isinstance(other, Mapping):
            return dict(self.items()) == dict(other.items())
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset(self.decisions))

    def __repr__(self) -> str:
        return f"ConsentHistory({list(self.decisions)!r})"


def as_history(consents: Mapping[str, Consent]) -> ConsentHistory:
    if isinstance(consents, ConsentHistory):
        return consents
    return ConsentHistory.from_legacy(consents)


def _latest(decisions: list[Decision]) -> list[Decision]:
    """The decisions no other decision about the member has seen."""
    seen = {ident for decision in decisions for ident in decision.seen}
    return [decision for decision in decisions if decision.id not in seen]


def _ancestors(start: list[Decision], by_id: Mapping[str, Decision]) -> set[str]:
    """The ids of every decision that some decision in ``start`` saw, directly or not."""
    found: set[str] = set()
    waiting = [ident for decision in start for ident in decision.seen]
    while waiting:
        ident = waiting.pop()
        if ident in found:
            continue
        found.add(ident)
        earlier = by_id.get(ident)
        if earlier is not None:
            waiting.extend(earlier.seen)
    return found


def _day(value: object) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("a consent's date is an ISO date")
    return date.fromisoformat(value)


def find_consent(consents: Mapping[str, Consent], person: str) -> Consent | None:
    """The consent recorded for ``person`` as it stands, matched as rosters match names."""
    if isinstance(consents, ConsentHistory):
        return consents.standing(person)
    wanted = person_key(person)
    found = consents.get(person)
    if found is not None:
        return found
    return next((c for key, c in consents.items() if person_key(key) == wanted), None)


def consented_on(consents: Mapping[str, Consent], person: str, day: date) -> bool:
    """Whether ``person``'s words of ``day`` may be used for research (the rule above). Given
    consents as they stand rather than a history (an older Kring's, a test's), it reads them
    as the history they stand for."""
    return as_history(consents).consents_on(person, day)
