"""Turns in a phase held in rounds: who speaks, in which order, and whose turn it is.

Pure functions on the meeting's data; the live meeting records how far the turns went (in the
step's run) and asks here what that means.
"""

from __future__ import annotations

from dataclasses import dataclass

from kring.sessions.i18n import _
from kring.sessions.model.meeting import Meeting
from kring.sessions.model.protocol import CaseBringer, InputMode, Role, Speakers, Step


@dataclass(frozen=True, slots=True)
class Turn:
    order: tuple[str, ...]
    index: int  # turns taken so far
    passed: tuple[str, ...]

    @property
    def current(self) -> str | None:
        return self.order[self.index % len(self.order)] if self.order else None

    @property
    def next(self) -> str | None:
        return self.order[(self.index + 1) % len(self.order)] if self.order else None

    @property
    def round(self) -> int:
        return self.index // len(self.order) + 1 if self.order else 0


def speaking_order(meeting: Meeting, step: Step, bringer: str | None) -> tuple[str, ...]:
    """Who takes turns in ``step``: the rule's speakers, without those it keeps silent.
    ``bringer`` is whoever brings the case in this step (a round's client in a block)."""
    people = list(meeting.participants)
    rule = step.phase.speakers
    if rule is Speakers.NOBODY:
        return ()
    if rule is Speakers.CASE_BRINGER:
        return (bringer,) if bringer else ()
    if rule is Speakers.FACILITATOR:
        facilitator = meeting.roles.get(Role.FACILITATOR.value) or None
        return (facilitator,) if facilitator else ()
    if rule is Speakers.GROUP or step.phase.case_bringer in {CaseBringer.LISTENS,
                                                              CaseBringer.AWAY}:
        people = [p for p in people if p != bringer]
    return tuple(people)


def has_turns(turn: Turn | None) -> bool:
    """Whether there is a floor to pass on: a round with more than one speaker."""
    return turn is not None and len(turn.order) > 1


def why_no_turns(step: Step, bringer: str | None) -> str:
    """Why the keys for the next speaker and passing do nothing in ``step`` (``has_turns``
    is false), in a sentence for the facilitator."""
    phase = step.phase
    if phase.speakers is Speakers.CASE_BRINGER:
        return _("Only {name} speaks in this phase: there is no next speaker.").format(
            name=bringer or _("the case-bringer"))
    if phase.speakers is Speakers.FACILITATOR:
        return _("The facilitator leads this phase: there is no next speaker.")
    if phase.speakers is Speakers.NOBODY:
        return _("Everyone writes in silence in this phase: there is no next speaker.")
    if phase.input is InputMode.ROUND:
        return _("Too few people take turns in this phase for a next speaker.")
    return _("This phase is an open conversation, not held in turns.")
