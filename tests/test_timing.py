"""Step timing is computed once (sessions/meeting/timing.py): the live meeting's timer and the
minutes' timing table read the same functions, and the minutes never reach into the live
meeting's state machine for it."""

from __future__ import annotations

import ast
from pathlib import Path

from kring.sessions.meeting.timing import StepState, meeting_time, step_timings
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import Case
from kring.sessions.protocols.snapshot import meeting_steps
from tests.support.minutes import live

ROOT = Path(__file__).resolve().parents[1]


def test_the_timer_and_the_minutes_count_the_same_time() -> None:
    clock = FakeClock()
    meeting = live("troika", ["Anouk", "Bram", "Chantal"], Case("Case"), clock=clock)
    meeting.start()
    clock.advance(95)
    meeting.pause()
    clock.advance(30)
    meeting.resume()
    meeting.add_minutes(2)
    clock.advance(20)
    meeting.next_phase()
    clock.advance(7)
    now = clock.now()

    timings = step_timings(meeting.meeting, meeting.steps, now)
    assert [t.state for t in timings[:3]] == [StepState.HELD, StepState.CURRENT,
                                              StepState.NOT_REACHED]
    for timing in timings:
        timer = meeting.timer(timing.step)
        assert (timer.elapsed, timer.planned) == (timing.actual, timing.planned + timing.extra)
    assert timings[0].actual == 115 and timings[0].extra == 120
    assert meeting.meeting_time() == meeting_time(meeting.meeting, meeting.steps, now)
    assert meeting.meeting_time()[0] == sum(t.actual for t in timings)


def test_the_snapshot_unfolds_into_the_live_meeting_s_steps() -> None:
    meeting = live("troika", ["Anouk", "Bram", "Chantal"], Case("Case"))
    assert meeting_steps(meeting.meeting) == meeting.steps
    people = ["Anouk", "Bram", "Chantal"]
    clients = [step.client for step in meeting.steps if step.block is not None]
    assert set(clients) == set(people)  # each participant the client of one round, in order
    assert clients == sorted(clients, key=people.index)


def test_an_unreadable_snapshot_has_no_steps() -> None:
    meeting = live("incident", ["Anouk", "Bram", "Chantal"], Case("Case")).meeting
    meeting.protocol = {"phases": "not a list"}
    assert meeting_steps(meeting) == ()


def test_no_document_imports_the_live_meeting() -> None:
    for path in sorted((ROOT / "sessions" / "documents").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert "kring.sessions.meeting.live" not in modules, path.name
