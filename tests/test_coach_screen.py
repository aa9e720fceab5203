"""The coach on the meeting screen (issue 26): a nudge on a line just captured that fades, the
pace once a phase ran over, who has not been heard from halfway through a questioning phase;
the facilitator's alone (never on the projector view), and off for a meeting when asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from kring.sessions.model.clock import FakeClock
from kring.sessions.store.facade import Store
from kring.tui.app import create_app
from kring.tui.screens.dialogs import ChoiceDialog
from kring.tui.screens.meeting import MeetingScreen, coach_bar
from kring.tui.screens.meeting.coach_bar import CoachBar
from tests.support.catalog import CATALOG
from tests.support.meeting_app import open_meeting_to_type, stored_meeting, type_line, until


def said(bar: CoachBar) -> str:
    return bar.shown if bar.display else ""


async def test_a_nudge_fades_the_pace_and_the_unheard_show_and_never_on_the_wall(
        data: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(coach_bar, "NUDGE_SECONDS", 0.5)
    meeting_id = stored_meeting(data, clock)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting_to_type(pilot, meeting_id)
        assert isinstance(screen, MeetingScreen)
        bar = screen.coach
        await pilot.pause()
        assert said(bar) == ""  # on time, nothing captured: nothing to say
        # The first phase runs a quarter of an hour over; then on to the questions.
        clock.advance(screen.live.step.phase.seconds + 15 * 60)
        while screen.live.step.phase.id != "questions":
            screen.live.next_phase()
        screen.show_phase()
        await until(pilot, lambda: "At this pace" in said(bar), 3)
        await type_line(pilot, "p: We should call the parents")  # advice, while asking
        await until(pilot, lambda: "this phase is for question" in said(bar), 3)
        await until(pilot, lambda: "💬" not in said(bar), 3)  # and it fades

        clock.advance(screen.live.step.phase.seconds // 2 + 1)  # halfway through
        await type_line(pilot, "q: What happened just before? @chantal")
        await until(pilot, lambda: "Not yet heard in this phase" in said(bar), 3)
        unheard = said(bar).split("Not yet heard in this phase: ")[1].splitlines()[0]
        assert "Chantal" not in unheard and "Bram" not in unheard  # asked; brought the case
        assert "Anouk" in unheard and "Dev" in unheard

        await pilot.press("f5")  # the projector view: the coach speaks to the facilitator
        await pilot.pause()
        assert not bar.display
        await pilot.press("f5")
        await pilot.pause()
        assert bar.display

        bar.toggle()  # "Coach on/off" in the palette: off for this meeting
        await pilot.pause()
        assert not bar.display and Store(data).load(meeting_id).meeting.coach_off  # kept
        bar.toggle()
        await pilot.pause()
        assert bar.display


async def test_coach_on_off_is_in_the_command_palette_of_a_meeting(
        data: Path, clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting_to_type(pilot, meeting_id)
        titles = [command.title for command in app.get_system_commands(screen)]
        assert "Coach on/off" in titles
        home = [command.title for command in app.get_system_commands(app.screen_stack[0])]
        assert "Coach on/off" not in home


async def test_the_time_is_taken_back_through_the_palette_after_it_is_shown(
        data: Path, clock: FakeClock) -> None:
    meeting_id = stored_meeting(data, clock)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_meeting_to_type(pilot, meeting_id)
        assert isinstance(screen, MeetingScreen)
        bar = screen.coach
        bar.take_time_back()  # on time: nothing to take
        await until(pilot, lambda: any("nothing to take back" in str(n.message)
                                       for n in app._notifications), 3)
        clock.advance(screen.live.step.phase.seconds + 12 * 60)  # the first phase runs over
        await until(pilot, lambda: "At this pace" in said(bar), 3)
        assert "ctrl+p: take the time back" in said(bar)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"take the time back")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ChoiceDialog), 3)
        shown = app.screen.options  # type: ignore[attr-defined]
        assert shown[0].startswith("Shared over the phases ahead:") and "→" in shown[0]
        assert screen.live.meeting.plan == {}  # shown, not done
        await pilot.press("down", "enter")  # from the close
        await until(pilot, lambda: bool(screen.live.meeting.plan), 3)
        await until(pilot, lambda: "At this pace" not in said(bar), 3)
        assert screen.live.timer().remaining == 0  # the running phase was given its minutes
        stored = Store(data).load(meeting_id).meeting
        assert stored.plan == screen.live.meeting.plan
        assert min(stored.plan.values()) == 0  # the last phase gave all it had
