"""Snapshots of the home screen: a list longer than the window (one meeting in progress, two
communities, the row for more) and the welcome of an empty data folder.

Update them after an intended change with `make test PYTEST_ARGS=--snapshot-update` and
look at the report before committing."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import Case, Status
from kring.sessions.model.protocol import Role
from kring.sessions.store.facade import Store
from kring.tui.app import create_app
from tests.support.catalog import CATALOG

COMMUNITIES = ("CoP Inclusion", "Intervisie Noord")


def seeded(data: Path, clock: FakeClock, count: int) -> None:
    entry = CATALOG.find("incident", "en")
    assert entry is not None
    store = Store(data)
    for number in range(count):
        plan = MeetingPlan(entry.protocol, community=COMMUNITIES[number % 2],
                           participants=["Anouk", "Bram", "Chantal"])
        plan.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: "Bram"}
        meeting = plan.create(clock)
        meeting.id = f"home{number:08d}"
        meeting.case = Case(title=f"Case {number}: a pupil who leaves the lesson")
        if number:
            meeting.status = Status.ENDED
        store.create_meeting(meeting)
        clock.advance(timedelta(days=1).total_seconds())


def test_home_with_more_meetings_than_the_window_shows(snap_compare, tmp_path: Path) -> None:
    clock = FakeClock()
    seeded(tmp_path, clock, 40)
    app = create_app(tmp_path, CATALOG, clock)
    assert snap_compare(app, terminal_size=(80, 24))


def test_home_of_an_empty_data_folder_welcomes(snap_compare, tmp_path: Path) -> None:
    app = create_app(tmp_path, CATALOG, FakeClock())
    assert snap_compare(app, terminal_size=(80, 24))
