"""Taking the time back: when phases ran over, plan the phases ahead anew so the meeting still
ends when it was planned to, and say so before doing it.

The minutes a phase ran over are moved, not lost: the phases that ran over are planned that
much longer (so their timers and the minutes say "+12 min during the meeting"), and the
phases ahead that much shorter, in one of two ways: shared over all of them in proportion to
their plan (what the pace line projects), or taken from the close, the last phases first.
Either way the meeting's planned total stays as it was. Phases ahead are planned in whole
minutes, never below nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from kring.sessions.coach.pacing import NOTICEABLE, projections, time_left
from kring.sessions.meeting.timing import StepState, StepTiming
from kring.sessions.model.meeting import Meeting
from kring.sessions.model.protocol import Step


class Way(StrEnum):
    SHARED = "shared"  # every phase ahead gives in proportion to its plan
    CLOSE = "close"  # the last phases give first


@dataclass(frozen=True, slots=True)
class Replanned:
    step: Step
    before: int  # seconds planned, with what was added during the meeting
    after: int


def shortfall(timings: Sequence[StepTiming]) -> int:
    """Seconds the phases ahead lack at this pace (0 when on time or ahead)."""
    ahead = sum(t.planned + t.extra for t in timings if t.state is StepState.NOT_REACHED)
    return max(0, ahead - time_left(timings))


def take_back(timings: Sequence[StepTiming], way: Way) -> list[Replanned]:
    """What planning anew would change, step by step (empty: nothing worth it)."""
    if shortfall(timings) < NOTICEABLE:
        return []
    ahead = [(p.timing, p.planned) for p in projections(timings)]
    owed = _minutes(shortfall(timings), up=True)
    cut = _shared(ahead, owed) if way is Way.SHARED else _from_the_close(ahead, owed)
    taken = sum(cut.values())
    if taken <= 0:
        return []
    changes = [Replanned(t.step, planned, planned - cut[t.step.key])
               for t, planned in ahead if cut.get(t.step.key)]
    return [*_given(timings, taken), *changes]


def new_plan(meeting: Meeting, changes: Sequence[Replanned]) -> dict[str, int]:
    """The meeting's plan (step key -> planned seconds, without the minutes added to a run)
    that makes ``changes``."""
    return {change.step.key: meeting.planned(change.step.key, change.step.phase.seconds)
            + change.after - change.before for change in changes}


def _shared(ahead: list[tuple[StepTiming, int]], owed: int) -> dict[str, int]:
    """``owed`` seconds (whole minutes) from the phases ahead in proportion to their plan:
    whole minutes each, the odd ones to the largest remainders."""
    total = sum(planned for _t, planned in ahead)
    if total <= 0:
        return {}
    share = {t.step.key: owed / 60 * planned / total for t, planned in ahead}
    room = {t.step.key: planned // 60 for t, planned in ahead}
    cut = {key: min(room[key], int(exact)) for key, exact in share.items()}
    odd = owed // 60 - sum(cut.values())
    for key in sorted(share, key=lambda key: share[key] - int(share[key]), reverse=True):
        if odd <= 0:
            break
        if cut[key] < room[key]:
            cut[key] += 1
            odd -= 1
    return {key: minutes * 60 for key, minutes in cut.items()}


def _from_the_close(ahead: list[tuple[StepTiming, int]], owed: int) -> dict[str, int]:
    """``owed`` seconds from the last phases first, each giving at most all it has."""
    cut: dict[str, int] = {}
    for timing, planned in reversed(ahead):
        if owed <= 0:
            break
        take = min(planned, owed)
        cut[timing.step.key] = take
        owed -= take
    return cut


def _given(timings: Sequence[StepTiming], taken: int) -> list[Replanned]:
    """``taken`` seconds given to the phases held or running that ran over, in proportion to
    how far; to the running phase when none did (a phase skipped gave time back)."""
    over = [(t, t.actual - t.planned - t.extra) for t in timings
            if t.state in (StepState.HELD, StepState.CURRENT)
            and t.actual > t.planned + t.extra]
    if not over:
        over = [(t, 1) for t in timings if t.state is StepState.CURRENT]
    total = sum(amount for _t, amount in over)
    if not total:
        return []
    gifts, left = [], taken
    for index, (timing, amount) in enumerate(over):
        gift = left if index == len(over) - 1 else round(taken * amount / total)
        left -= gift
        planned = timing.planned + timing.extra
        gifts.append(Replanned(timing.step, planned, planned + gift))
    return gifts


def _minutes(seconds: int, *, up: bool = False) -> int:
    """Whole minutes: rounded (or up), so a phase ahead is planned as people say it."""
    whole = -(-seconds // 60) if up else round(seconds / 60)
    return max(0, whole * 60)
