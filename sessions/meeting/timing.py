"""How long a meeting and its steps took and were planned to take: pure arithmetic on the
runs recorded in a ``Meeting``, computed here once for everything that shows time.

The live meeting's timer and the minutes' timing table both read these functions, so the
screen and the document can never disagree about a step's time. Nothing here reads the
clock: ``now`` is passed in (a running step counts up to it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kring.sessions.model.meeting import Meeting, PhaseRun
from kring.sessions.model.protocol import Step
from kring.sessions.model.status import Status

WARNING_SECONDS = 60  # the last minute of a phase is shown as a warning


@dataclass(frozen=True, slots=True)
class TimerState:
    planned: int  # seconds, including minutes added
    elapsed: int
    paused: bool

    @property
    def remaining(self) -> int:
        return self.planned - self.elapsed

    @property
    def overtime(self) -> bool:
        return self.remaining < 0

    @property
    def warning(self) -> bool:
        return 0 <= self.remaining <= WARNING_SECONDS


class StepState(StrEnum):
    HELD = "held"
    SKIPPED = "skipped"
    CURRENT = "current"  # the meeting is in progress and this step's timer runs
    NOT_HELD = "not-held"  # no run at all, in an ended meeting or behind the current step
    NOT_REACHED = "not-reached"  # in a meeting in progress, the current step or later


@dataclass(frozen=True, slots=True)
class StepTiming:
    number: int  # 1-based, as the minutes number the steps
    step: Step
    state: StepState
    planned: int  # seconds, as the protocol planned
    extra: int  # seconds added (or, negative, taken away) during the meeting
    actual: int  # seconds, pauses left out


def run_elapsed(run: PhaseRun, now: datetime) -> int:
    """Seconds a run has been going, pauses left out."""
    return run.elapsed(now)


def runs_of(meeting: Meeting, step: Step) -> list[PhaseRun]:
    """Every run of ``step``: a step left and returned to has more than one."""
    return [run for run in meeting.runs if run.step == step.key]


def step_elapsed(meeting: Meeting, step: Step, now: datetime) -> int:
    """Seconds spent in ``step`` over all its runs, pauses left out."""
    return sum(run_elapsed(run, now) for run in runs_of(meeting, step))


def timer_state(meeting: Meeting, step: Step, now: datetime) -> TimerState:
    """The timer of ``step``: its planned time with what was added, and the time spent."""
    runs = runs_of(meeting, step)
    elapsed = sum(run_elapsed(run, now) for run in runs)
    extra = sum(run.extra_seconds for run in runs)
    paused = bool(runs and runs[-1].ended_at is None and runs[-1].pauses
                  and runs[-1].pauses[-1].ended_at is None)
    return TimerState(planned=max(0, meeting.planned(step.key, step.phase.seconds) + extra),
                      elapsed=elapsed,
                      paused=paused)


def meeting_time(meeting: Meeting, steps: Sequence[Step], now: datetime) -> tuple[int, int]:
    """(elapsed, planned) seconds for the whole meeting; planned includes what was added."""
    elapsed = sum(run_elapsed(run, now) for run in meeting.runs)
    extra = sum(run.extra_seconds for run in meeting.runs)
    return elapsed, sum(meeting.planned(step.key, step.phase.seconds) for step in steps) + extra


def step_timings(meeting: Meeting, steps: Sequence[Step], now: datetime) -> list[StepTiming]:
    """Every step's state and times, numbered as the minutes number them."""
    runs_by_step: dict[str, list[PhaseRun]] = {}
    for run in meeting.runs:
        runs_by_step.setdefault(run.step, []).append(run)
    in_progress = meeting.status is Status.IN_PROGRESS
    current = min(meeting.current_step, len(steps) - 1)
    out: list[StepTiming] = []
    for index, step in enumerate(steps):
        runs = runs_by_step.get(step.key, [])
        if in_progress and any(run.ended_at is None for run in runs):
            state = StepState.CURRENT
        elif any(run.skipped for run in runs):
            state = StepState.SKIPPED
        elif runs:
            state = StepState.HELD
        elif in_progress and index >= current:
            state = StepState.NOT_REACHED
        else:
            state = StepState.NOT_HELD
        out.append(StepTiming(
            number=index + 1, step=step, state=state, planned=step.phase.seconds,
            # Planned anew during the meeting counts as time added (or taken away).
            extra=sum(run.extra_seconds for run in runs)
            + meeting.planned(step.key, step.phase.seconds) - step.phase.seconds,
            actual=sum(run_elapsed(run, now) for run in runs),
        ))
    return out
