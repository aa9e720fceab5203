"""Snapshots of the projector window (tui/projector/) at 80×24 and 200×60: a phase held in
turns with the clock counting down, and one in overtime.

Update them after an intended change with `make test PYTEST_ARGS=--snapshot-update` and
look at the report before committing."""

from __future__ import annotations

from pathlib import Path

import pytest

from kring.sessions.model.clock import FakeClock
from kring.sessions.model.protocol import Capture
from kring.tui.projector.app import ProjectorApp
from tests.support.projector import facilitator, vote_held

SIZES = [(80, 24), (200, 60)]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_projector_counting_down(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    clock = FakeClock()
    live = facilitator(tmp_path, clock)
    live.go_to(3)  # the information round: the group asks in turns, the case-bringer answers
    live.next_turn()
    live.add_entry("Zoë's mother called me", Capture.NOTE, private=True)
    clock.advance(4 * 60 + 12)
    assert snap_compare(ProjectorApp(tmp_path, live.meeting.id, clock), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_projector_in_overtime(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    clock = FakeClock()
    live = facilitator(tmp_path, clock)
    live.go_to(1)  # the case-bringer sketches the incident: no turns, the clock alone
    clock.advance(7 * 60 + 30)
    assert snap_compare(ProjectorApp(tmp_path, live.meeting.id, clock), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_projector_after_a_vote(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    clock = FakeClock()
    live = facilitator(tmp_path, clock)
    vote_held(tmp_path, live, clock)  # the round of positions: its result, most votes first
    live.next_turn()
    clock.advance(3 * 60)
    assert snap_compare(ProjectorApp(tmp_path, live.meeting.id, clock), terminal_size=size)
