"""At this pace: how the time left shares out over the phases still to come.

The meeting's planned end is what the protocol planned plus what was added during it. What is
left of it after the phases held and the current one's own time is shared out over the phases
not reached yet, in proportion to what each was planned: a phase that ran over takes from
them all alike. A phase that gets a minute less than planned, or more, is worth saying.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kring.sessions.meeting.timing import StepState, StepTiming

NOTICEABLE = 60  # seconds: less or more than this is not worth the facilitator's eye


@dataclass(frozen=True, slots=True)
class Projection:
    timing: StepTiming
    planned: int  # seconds: as planned, with what was added to it
    projected: int  # seconds: what it gets at this pace

    @property
    def short(self) -> int:
        return self.planned - self.projected


def projections(timings: Sequence[StepTiming]) -> list[Projection]:
    """The phases not reached yet, each with what it gets at this pace."""
    ahead = [t for t in timings if t.state is StepState.NOT_REACHED]
    planned = sum(t.planned + t.extra for t in ahead)
    if not ahead or planned <= 0:
        return []
    left = time_left(timings)
    return [Projection(t, t.planned + t.extra, round((t.planned + t.extra) * left / planned))
            for t in ahead]


def time_left(timings: Sequence[StepTiming]) -> int:
    """Seconds left for the phases not reached yet: the planned end, less the time used and
    what the running phase still has."""
    budget = sum(t.planned + t.extra for t in timings)
    used = sum(t.actual for t in timings if t.state is not StepState.NOT_REACHED)
    current = sum(max(0, t.planned + t.extra - t.actual) for t in timings
                  if t.state is StepState.CURRENT)
    return max(0, budget - used - current)


def pacing_line(timings: Sequence[StepTiming], t: Callable[[str], str]) -> str:
    """One sentence for the facilitator, or "" when the pace is as planned: the phase ahead
    that loses (or gains) the most, in whole minutes."""
    found = projections(timings)
    if not found:
        return ""
    worst = max(found, key=lambda p: abs(p.short))
    if abs(worst.short) < NOTICEABLE:
        return ""
    return t("At this pace “{phase}” gets {got} min (planned {planned}).").format(
        phase=worst.timing.step.phase.title, got=worst.projected // 60,
        planned=round(worst.planned / 60))
