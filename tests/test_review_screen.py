"""Action points carry over: open in one meeting, carried on in the next, done in the third,
each review driven through the review screen with Pilot."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from textual.widgets import Input

from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import ActionStatus
from kring.sessions.model.protocol import Capture, Role
from kring.sessions.store.facade import Store
from kring.tui.app import create_app
from kring.tui.screens.review import ReviewScreen
from tests.support.catalog import CATALOG
from tests.support.meeting_app import open_meeting


def new_meeting(data: Path, clock: FakeClock, protocol: str) -> str:
    found = CATALOG.find(protocol, "en")
    assert found is not None
    plan = MeetingPlan(found.protocol, community="CoP Inclusion",
                       participants=["Anouk", "Bram", "Chantal"])
    plan.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: "Bram"}
    meeting = plan.create(clock)
    Store(data).create_meeting(meeting)
    return meeting.id


async def test_open_then_carried_on_then_done_across_three_meetings(tmp_path: Path) -> None:
    data = tmp_path / "data"
    clock = FakeClock(datetime(2026, 9, 1, 15, tzinfo=UTC))
    first = new_meeting(data, clock, "gossip")
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_meeting(pilot, first)
        capture = screen.query_one("#capture", Input)
        capture.value = "a: Talk to the mentor @bram 2026-09-15"
        await pilot.press("enter")
        await pilot.pause()

    for month, key, expected in ((10, "c", ActionStatus.CARRIED_ON),
                                 (11, "d", ActionStatus.DONE)):
        clock.current = datetime(2026, month, 1, 15, tzinfo=UTC)
        later = new_meeting(data, clock, "incident-short")  # opens with a review phase
        app = create_app(data, CATALOG, clock)
        async with app.run_test(size=(100, 30)) as pilot:
            app.open_meeting(later)
            await pilot.pause()
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen), "the review phase opens the review"
            assert len(app.screen.items) == 1
            await pilot.press(key)
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
        [action] = [e for e in Store(data).load(first).entries if e.kind is Capture.ACTION]
        assert action.status is expected
        assert action.history[-1].meeting_id == later
        review = Store(data).load(later).meeting.reviews
        assert [note.status for note in review] == [expected]

    clock.current = datetime(2026, 12, 1, 15, tzinfo=UTC)
    last = new_meeting(data, clock, "incident-short")
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_meeting(last)
        await pilot.pause()
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)  # nothing left: no review to open
        await pilot.press("f7")  # the review can still be looked at
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and app.screen.items == []
