"""The projector window (tui/projector/): it follows a meeting another window holds, within a
second, shows the room nothing private, makes overtime unmistakable, and its clock fills a
third of the screen and more at any size."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.color import Color
from textual.pilot import Pilot

from kring.sessions.model.clock import FakeClock
from kring.sessions.model.protocol import Capture
from kring.sessions.store.facade import Store
from kring.tui.projector import run_projector
from kring.tui.projector.app import ProjectorApp
from kring.tui.themes import KRING_DARK
from kring.tui.widgets.projector import BigText, ProjectorView, big_lines, scales
from tests.support.projector import facilitator, vote_held


def screen_text(pilot: Pilot[None]) -> str:
    """The screen as the terminal shows it, line by line."""
    strips = pilot.app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def shown(pilot: Pilot[None]) -> str:
    """The screen's text and what is drawn there in block letters (a name in big type is
    no text a search of the screen would find)."""
    drawn = [big.text for big in pilot.app.screen.query(BigText)]
    return "\n".join([screen_text(pilot), *drawn])


async def wait_for(pilot: Pilot[None], text: str, within: float = 1.0) -> float:
    """Seconds until ``text`` is on the screen; fails after ``within``."""
    start = time.monotonic()
    while time.monotonic() - start < within:
        if text in shown(pilot):
            return time.monotonic() - start
        await pilot.pause(0.05)
    raise AssertionError(f"{text!r} not on screen within {within}s:\n{screen_text(pilot)}")


async def test_it_follows_another_window_within_a_second(data: Path, clock: FakeClock) -> None:
    live = facilitator(data, clock)
    app = ProjectorApp(data, live.meeting.id, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, "Phase 1 of")
        live.next_phase()
        await wait_for(pilot, "The case-bringer sketches the incident")
        live.go_to(3)
        await wait_for(pilot, "Information round")
        live.pause()
        await wait_for(pilot, "paused")
        live.resume()
        live.add_minutes(5)
        await wait_for(pilot, "20 min planned")
        live.end()
        await wait_for(pilot, "The meeting has ended.")


async def test_the_clock_ticks_on_without_a_change_on_disk(data: Path,
                                                           clock: FakeClock) -> None:
    live = facilitator(data, clock)
    app = ProjectorApp(data, live.meeting.id, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.1)
        digits = app.screen.query_one("#room-digits", BigText)
        assert digits.text == "10:00"
        clock.advance(75)
        await pilot.pause(0.4)
        assert digits.text == "08:45"


async def test_it_shows_no_protected_name_and_no_private_entry(data: Path,
                                                              clock: FakeClock) -> None:
    live = facilitator(data, clock)
    app = ProjectorApp(data, live.meeting.id, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        # What is checked here is what shows, not how soon (that is the test above): time
        # enough for a machine busy with other tests.
        await wait_for(pilot, "Why Pupil A stopped asking", within=5)
        live.add_entry("SECRET her father drinks", Capture.NOTE, private=True)
        live.add_entry("Who else saw it?", Capture.QUESTION)
        # A participant who is also a protected name, speaking now: a pseudonym too.
        live.protect_names(["Zoë", "Anouk"])
        await wait_for(pilot, "Pupil B", within=5)  # Anouk speaks first in the first round
        live.go_to(3)
        await wait_for(pilot, "Information round", within=5)
        screen = shown(pilot).lower()
        for hidden in ("zoë", "zoe", "anouk", "secret", "drinks"):
            assert hidden not in screen
        view = app.screen.query_one(ProjectorView).view
        assert view is not None
        assert not [t for t in view.texts if "Zo" in t or "Anouk" in t or "SECRET" in t]


async def test_overtime_is_unmistakable(data: Path, clock: FakeClock) -> None:
    live = facilitator(data, clock)
    clock.advance(11 * 60 + 5)
    app = ProjectorApp(data, live.meeting.id, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.1)
        view = app.screen.query_one(ProjectorView)
        digits = view.query_one("#room-digits", BigText)
        assert digits.text == "+01:05"  # the sign
        assert view.has_class("-overtime")  # the colour
        assert "OVERTIME" in screen_text(pilot)  # the word
        error = Color.parse(KRING_DARK.error)
        # The theme's red (CSS variables round a channel by one).
        assert abs(digits.styles.color.r - error.r) < 4 and digits.styles.color.g < 128


async def test_its_keys_close_it_and_switch_the_theme_and_nothing_else(
        data: Path, clock: FakeClock) -> None:
    live = facilitator(data, clock)
    app = ProjectorApp(data, live.meeting.id, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", "enter", "ctrl+p", "escape", "f5", "ctrl+n")
        assert Store(data).load(live.meeting.id).meeting == live.meeting  # nothing written
        await pilot.press("ctrl+l")
        assert app.theme == "kring-light"
        await pilot.press("q")
    assert app.return_code == 0


DIGITS_AT = [(80, 24), (200, 60), (300, 100)]


@pytest.mark.parametrize("size", DIGITS_AT, ids=[f"{w}x{h}" for w, h in DIGITS_AT])
@pytest.mark.parametrize("seconds", [2 * 60, 11 * 60 + 5, 75 * 60],
                         ids=["counting", "overtime", "an-hour-over"])
async def test_the_digits_take_a_third_of_the_height(data: Path, clock: FakeClock,
                                                     size: tuple[int, int],
                                                     seconds: int) -> None:
    live = facilitator(data, clock)
    clock.advance(seconds)
    app = ProjectorApp(data, live.meeting.id, clock)
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.1)
        digits = app.screen.query_one("#room-digits", BigText)
        region = digits.content_region
        lines = screen_text(pilot).splitlines()
        # Measured on the screen: rows of the clock's region with a block drawn in them.
        drawn = [y for y in range(region.y, region.bottom)
                 if "█" in lines[y][region.x:region.right]]
        assert drawn and drawn[-1] - drawn[0] + 1 >= size[1] / 3, (len(drawn), size)


def test_the_font_scales_by_whole_numbers_and_keeps_its_shape() -> None:
    assert scales("12:05", 51, 15) == (3, 3)
    assert scales("12:05", 17, 40) == (1, 2)  # narrow: no thin sliver of a digit
    assert scales("12:05", 16, 40) == (0, 0)  # does not fit: plain text instead
    lines = big_lines("1", 2, 3)
    assert len(lines) == 15 and {len(line) for line in lines} == {6}


def test_a_bad_meeting_reference_is_one_sentence_and_exit_status_1(
        data: Path, clock: FakeClock, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_projector(data, "latest", None) == 1
    assert "No meeting is in progress" in capsys.readouterr().err
    facilitator(data, clock, meeting_id="abc0001")
    facilitator(data, clock, meeting_id="abc0002")
    assert run_projector(data, "zzz", None) == 1
    assert "No meeting has an id starting with 'zzz'" in capsys.readouterr().err
    assert run_projector(data, "abc", None) == 1
    assert "could be abc0001, abc0002" in capsys.readouterr().err
    (log,) = data.glob("devices/*/meetings/abc0002.jsonl")
    log.write_text("{ broken\n", encoding="utf-8")  # no meeting left in it
    assert run_projector(data, "abc0002", None) == 1
    err = capsys.readouterr().err
    assert err.strip() and "Traceback" not in err


def test_latest_is_the_newest_meeting_in_progress(data: Path, clock: FakeClock) -> None:
    from kring.tui.projector import resolve_live_meeting

    older = facilitator(data, clock, meeting_id="old0001")
    clock.advance(60)
    newer = facilitator(data, clock, meeting_id="new0001")
    assert resolve_live_meeting(data, "latest") == newer.meeting.id
    newer.end()
    assert resolve_live_meeting(data, "latest") == older.meeting.id
    assert resolve_live_meeting(data, "new") == newer.meeting.id  # an ended one, by its id


async def test_a_closed_vote_shows_large_most_votes_first_and_nothing_private(
        data: Path, clock: FakeClock) -> None:
    live = facilitator(data, clock)
    app = ProjectorApp(data, live.meeting.id, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, "Phase 1 of")
        projector = app.screen.query_one(ProjectorView)
        assert not projector.query_one("#room-votes").display
        vote_held(data, live, clock)
        await wait_for(pilot, "4 voted, 2 votes each.")
        screen = screen_text(pilot)
        rows = [line for line in screen.splitlines() if "█" in line and "  " in line
                and any(word in line for word in ("parents", "Pupil", "mentor"))]
        assert [row.split("█")[-1].split()[0] for row in rows] == ["4", "2", "1"]
        assert "Talk to Pupil A after class" in rows[0] and "mentor" in rows[2]
        assert rows[0].count("█") > 30  # the winner's bar: half the screen, readable afar
        assert "SECRET" not in screen and "mother" not in screen
        assert not projector.query_one("#room-instructions").display  # the result instead
        live.go_to(live.step_index + 1)
        await wait_for(pilot, live.step.phase.title)
        assert not projector.query_one("#room-votes").display  # the next phase: its own
