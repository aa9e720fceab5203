"""The home screen is on the wall whenever the facilitator's window is projected: its list of
meetings shows case titles with protected names as pseudonyms."""

from __future__ import annotations

from pathlib import Path

from kring.sessions.model.clock import FakeClock
from kring.sessions.store.facade import Store
from kring.tui.app import create_app
from kring.tui.widgets.meeting_list import MeetingList
from tests.support.catalog import CATALOG
from tests.support.projector import facilitator


def listed(app: object) -> list[str]:
    options = app.screen.query_one("#meetings", MeetingList)  # type: ignore[attr-defined]
    return [str(options.row(i).content) for i in range(options.row_count)]


async def test_the_list_of_meetings_shows_pseudonyms(data: Path, clock: FakeClock) -> None:
    live = facilitator(data, clock)  # "Why Zoë stopped asking", Zoë protected
    unprotected = facilitator(data, clock, meeting_id="proj0002", protected=())
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.2)
        lines = listed(app)
        assert any("Why Pupil A stopped asking" in line for line in lines)
        assert any("Why Zoë stopped asking" in line for line in lines)  # nobody protected
        # Protected later (in the meeting's F8, or another window): the list follows.
        unprotected.protect_names(["zoe"])
        live.update_details(title="ZOE'S mother")
        app.screen.reload()  # type: ignore[attr-defined]
        await pilot.pause(0.1)
        lines = listed(app)
        assert not [line for line in lines if "zo" in line.lower()], lines
        assert any("Pupil A" in line and "mother" in line for line in lines)


async def test_a_meeting_not_changed_is_not_read_again(data: Path, clock: FakeClock,
                                                       monkeypatch) -> None:
    facilitator(data, clock)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.2)
        reads: list[str] = []
        original = Store.load
        monkeypatch.setattr(Store, "load", lambda self, i: reads.append(i) or original(self, i))
        app.screen.reload()  # type: ignore[attr-defined]
        await pilot.pause(0.1)
        assert reads == []
