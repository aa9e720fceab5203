"""A phase's time running out is not silent: the terminal bell rings and the timer flashes,
once per phase, each unless config.toml turns it off; a phase already over its time when the
meeting is opened is not announced again."""

from __future__ import annotations

from pathlib import Path

import pytest

from kring.sessions.model.clock import FakeClock
from kring.tui.app import create_app
from kring.tui.cli import main
from kring.tui.widgets.timer import PhaseTimer
from tests.support.catalog import CATALOG
from tests.support.meeting_app import open_meeting, stored_meeting


async def run_past_the_end(data: Path, clock: FakeClock, *, bell: bool = True,
                           flash: bool = True) -> tuple[list[str], list[bool]]:
    """Rings and whether the timer was flashed, from a minute before the phase's end to
    after it, then a minute more."""
    meeting_id = stored_meeting(data, clock)
    app = create_app(data, CATALOG, clock, bell=bell, flash=flash)
    rings: list[str] = []
    app.bell = lambda: rings.append("bell")  # type: ignore[method-assign]
    flashed: list[bool] = []
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_meeting(pilot, meeting_id)
        timer = screen.query_one(PhaseTimer)
        # Each step ticks the screen itself as its interval does (a busy machine may be late
        # with the interval; ticks are idempotent, so the interval's own add nothing).
        clock.advance(screen.live.step.phase.seconds - 30)  # the last minute: one ring
        screen.tick()
        await pilot.pause(0.1)
        rings.append("|")
        clock.advance(40)  # over its time
        screen.tick()
        await pilot.pause(0.1)
        flashed.append(timer.has_class("-flash"))
        clock.advance(60)  # and on: nothing more
        screen.tick()
        await pilot.pause(2.0)
        flashed.append(timer.has_class("-flash"))
    return rings, flashed


async def test_the_end_of_a_phase_rings_and_flashes_once(data: Path, clock: FakeClock) -> None:
    rings, flashed = await run_past_the_end(data, clock)
    assert rings == ["bell", "|", "bell"]  # the last minute, then the end, once each
    assert flashed == [True, False]  # the flash goes again by itself


@pytest.mark.parametrize(("bell", "flash"), [(False, True), (True, False)])
async def test_each_signal_can_be_turned_off(
        data: Path, clock: FakeClock, bell: bool, flash: bool) -> None:
    rings, flashed = await run_past_the_end(data, clock, bell=bell, flash=flash)
    assert ("bell" in rings) is bell
    assert flashed[0] is flash


async def test_a_phase_over_its_time_when_opened_is_not_announced(
        data: Path, clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock)
    app = create_app(data, CATALOG, clock)
    rings: list[str] = []
    app.bell = lambda: rings.append("bell")  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await open_meeting(pilot, meeting_id)
        await pilot.press("escape", "enter")  # leave: it stays in progress
        await pilot.pause()
        clock.advance(3600)  # nobody is watching meanwhile: the phase is long over
        rings.clear()
        screen = await open_meeting(pilot, meeting_id)
        await pilot.pause(0.5)
        assert screen.live.timer().overtime and rings == []
        assert not screen.query_one(PhaseTimer).has_class("-flash")


def test_config_toml_turns_them_off(data: Path, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text("bell = false\nflash = false\n", encoding="utf-8")
    import kring.tui.cli.app as app_command

    seen: list[tuple[bool, bool]] = []
    monkeypatch.setattr(app_command, "run_app",
                        lambda context: seen.append((context.bell, context.flash)) or 0)
    assert main(["--data", str(data)]) == 0
    (config / "config.toml").write_text("", encoding="utf-8")
    assert main(["--data", str(data)]) == 0
    assert seen == [(False, False), (True, True)]
