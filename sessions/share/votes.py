"""Dot-voting: the room chooses among the current phase's entries (a case to discuss, the
advice to act on). Every participant has N votes, at most one per option, so each option
counts a participant once however often a phone sends the same vote.

A participant is a session of the contribute page, known by the public id the server gave it
(``voter``, never a value the phone chose); the votes themselves stay in this device's share
journal and only the counts go into the meeting, and so the minutes. A vote may be taken back
while the round is open, and the facilitator may hide the running counts until it closes (so
the first votes do not steer the rest).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kring.sessions.i18n import _
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.model.kinds import Capture
from kring.sessions.model.privacy import pseudonymizer_for
from kring.sessions.model.votes import VoteResult

MAX_OPTIONS = 30  # more than a phone screen can weigh up; the first 30 are offered
MAX_EACH = 3
# A phase chooses when it decides something (which case to discuss) or gathers advice (which
# to act on): the protocols say so by what they capture.
CHOOSING = frozenset({Capture.DECISION, Capture.POSITION})


@dataclass(frozen=True, slots=True)
class VoteOption:
    entry_id: str
    text: str  # pseudonymized: it is shown to the room


@dataclass(slots=True)
class VoteRound:
    id: str
    step: str
    each: int
    options: tuple[VoteOption, ...]
    opened_at: datetime
    closed: bool = False
    hidden: bool = False  # the running counts are not shown until the vote closes
    chosen: dict[str, list[str]] = field(default_factory=dict)  # voter -> options, in order

    def offers(self, option: str) -> bool:
        """Whether ``option`` is the id of one of this vote's options."""
        return any(o.entry_id == option for o in self.options)

    def ballot(self, voter: str, option: str) -> bool:
        """Count ``voter``'s vote for ``option``; False when it does not count (closed, not an
        option, already chosen by this voter, or the voter's votes are used up)."""
        if self.closed or not voter or not self.offers(option):
            return False
        mine = self.chosen.setdefault(voter, [])
        if option in mine or len(mine) >= self.each:
            return False
        mine.append(option)
        return True

    def take_back(self, voter: str, option: str) -> bool:
        """Undo ``voter``'s vote for ``option``; False when there is none to undo or the
        vote has closed."""
        mine = self.chosen.get(voter)
        if self.closed or not mine or option not in mine:
            return False
        mine.remove(option)
        return True

    def voters(self) -> int:
        """How many have a vote standing now."""
        return sum(1 for chosen in self.chosen.values() if chosen)

    def left(self, voter: str) -> int:
        return self.each - len(self.chosen.get(voter, ()))

    def counts(self) -> list[tuple[VoteOption, int]]:
        totals = dict.fromkeys((o.entry_id for o in self.options), 0)
        for options in self.chosen.values():
            for option in options:
                totals[option] += 1
        return [(option, totals[option.entry_id]) for option in self.options]

    def result(self, closed_at: datetime) -> VoteResult:
        return VoteResult(step=self.step, opened_at=self.opened_at, closed_at=closed_at,
                          votes_each=self.each,
                          voters=self.voters(),
                          counts=[(o.entry_id, n) for o, n in self.counts()])

    def record(self) -> dict[str, Any]:
        """The journal line that opens this vote."""
        return {"type": "vote", "id": self.id, "step": self.step, "each": self.each,
                "at": self.opened_at.isoformat(), "hidden": self.hidden,
                "options": [[o.entry_id, o.text] for o in self.options]}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> VoteRound | None:
        try:
            options = tuple(VoteOption(str(entry), str(text))
                            for entry, text in record["options"])
            return cls(id=str(record["id"]), step=str(record["step"]),
                       each=int(record["each"]), options=options,
                       opened_at=datetime.fromisoformat(record["at"]),
                       hidden=record.get("hidden") is True)
        except (KeyError, TypeError, ValueError):
            return None


def why_no_vote(live: LiveMeeting) -> str | None:
    """Why the facilitator cannot open a vote in the current phase, or None when they can."""
    if not live.editable:
        return _("This meeting has ended: there is nothing left to vote on.")
    if not CHOOSING & set(live.step.phase.captures):
        return _("This phase does not choose: the room votes in a phase that decides or "
                 "gathers advice.")
    if len(vote_options(live)) < 2:
        return _("There is nothing to choose from yet: a vote needs two or more entries "
                 "in this phase.")
    return None


def vote_options(live: LiveMeeting) -> tuple[VoteOption, ...]:
    """What the room may choose from: this phase's entries that are not private, their
    protected names as pseudonyms (in the meeting's language), action points, learnings and
    evaluations left out."""
    hide = pseudonymizer_for(live.meeting)
    return tuple(VoteOption(entry.id, hide.apply(entry.text)) for entry in live.entries_of()
                 if not entry.private and entry.kind not in _NOT_VOTED)[:MAX_OPTIONS]


_NOT_VOTED = frozenset({Capture.ACTION, Capture.LEARNING, Capture.EVALUATION})


def votes_each(options: int) -> int:
    """Enough to spread, too few to back everything: at most three, fewer than the options."""
    return max(1, min(MAX_EACH, options - 1))
