"""Snapshots of the meeting screen: normal, projector, overtime, at 80×24 and 120×40.

Update them after an intended change with `make test PYTEST_ARGS=--snapshot-update` and
look at the report before committing."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from kring.sessions.model.clock import FakeClock
from tests.support.meeting_app import app_with_meeting, open_meeting


def prepare(clock: FakeClock, meeting_id: str, *, phase: int = 3, minutes: float = 2,
            entries: tuple[str, ...] = ("q: Who else was in the room? @chantal",
                                        "q: What did the pupil say, exactly? @dev"),
            keys: tuple[str, ...] = ()):
    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        await open_meeting(pilot, meeting_id)
        for _ in range(phase):
            await pilot.press("ctrl+n")
        capture = app.screen.query_one("#capture", Input)
        capture.cursor_blink = False
        for line in entries:
            capture.value = line
            await pilot.press("enter")
        clock.advance(minutes * 60)
        await pilot.press(*keys)
        await pilot.pause(0.4)
        for _ in range(30):  # the timer as it stays: the flash of a phase's time running out
            if not app.screen.query(".-flash"):  # passes by itself (tests/test_time_up.py)
                break
            await pilot.pause(0.1)

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_meeting_screen(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    clock = FakeClock()
    app, meeting_id = app_with_meeting(tmp_path, clock)
    assert snap_compare(app, terminal_size=size, run_before=prepare(clock, meeting_id))


def test_projector_view(snap_compare, tmp_path: Path) -> None:
    clock = FakeClock()
    app, meeting_id = app_with_meeting(tmp_path, clock)
    assert snap_compare(app, terminal_size=(120, 40),
                        run_before=prepare(clock, meeting_id, keys=("f5",)))


def test_overtime(snap_compare, tmp_path: Path) -> None:
    clock = FakeClock()
    app, meeting_id = app_with_meeting(tmp_path, clock)
    assert snap_compare(app, terminal_size=(80, 24),
                        run_before=prepare(clock, meeting_id, minutes=17.5))


def test_projector_in_the_light_theme(snap_compare, tmp_path: Path) -> None:
    clock = FakeClock()
    app, meeting_id = app_with_meeting(tmp_path, clock)
    assert snap_compare(app, terminal_size=(80, 24),
                        run_before=prepare(clock, meeting_id, minutes=14.5,
                                           keys=("f5", "ctrl+l")))


def test_meeting_screen_in_dutch(snap_compare, tmp_path: Path) -> None:
    from kring.sessions.i18n import use_language

    use_language("nl")  # as `kring --lang nl` does before the app starts
    clock = FakeClock()
    app, meeting_id = app_with_meeting(tmp_path, clock, "nl", "Leergemeenschap Passend onderwijs",
                                  "snapshot0002")
    entries = ("v: Wie was er nog meer in de klas? @chantal", "a: Mentor bellen @bram vrijdag")
    assert snap_compare(app, terminal_size=(80, 24),
                        run_before=prepare(clock, meeting_id, entries=entries))
