"""The runs of a step: when it was started and ended, and how far its turns went.

Each visit to a step is a ``PhaseRun`` of its own (timing adds them up), but a phase held in
rounds is one conversation however often the facilitator steps back and forth: a new run takes
over the turn and the passes of the step's previous run, so going back to a phase and forward
again finds the round where it was.
"""

from __future__ import annotations

from datetime import datetime

from kring.sessions.model.meeting import Meeting, PhaseRun


def open_run(meeting: Meeting, key: str) -> PhaseRun | None:
    """The run of step ``key`` that is still going, if it is the meeting's latest."""
    if meeting.runs and meeting.runs[-1].step == key and meeting.runs[-1].ended_at is None:
        return meeting.runs[-1]
    return None


def last_run(meeting: Meeting, key: str) -> PhaseRun | None:
    """The most recent run of step ``key``, open or ended."""
    return next((run for run in reversed(meeting.runs) if run.step == key), None)


def start_run(meeting: Meeting, key: str, now: datetime) -> None:
    if open_run(meeting, key) is not None:
        return
    earlier = last_run(meeting, key)
    run = PhaseRun(step=key, started_at=now)
    if earlier is not None:  # back in a phase: its round goes on where it was
        run.turn, run.passed = earlier.turn, list(earlier.passed)
    meeting.runs.append(run)


def end_run(meeting: Meeting, key: str, now: datetime, skipped: bool = False) -> None:
    run = open_run(meeting, key)
    if run is None:
        if skipped:
            meeting.runs.append(PhaseRun(step=key, started_at=now, ended_at=now, skipped=True))
        return
    if run.pauses and run.pauses[-1].ended_at is None:
        run.pauses[-1].ended_at = now
    run.ended_at = now
    run.skipped = skipped


def advance_turn(run: PhaseRun, order: tuple[str, ...], passes: bool) -> None:
    """Give the floor to the next in ``order``; ``passes``: the current speaker passed.
    A pass counts for the round it was said in: whoever gets the floor again is no longer
    marked as having passed (and can pass again)."""
    if not order:
        return
    speaker = order[run.turn % len(order)]
    if passes and speaker not in run.passed:
        run.passed.append(speaker)
    run.turn += 1
    upcoming = order[run.turn % len(order)]
    if upcoming in run.passed:
        run.passed.remove(upcoming)
