"""Data folders for the benchmarks, made with the Store API as the app would make them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import Case, Entry, Meeting, Status, new_id
from kring.sessions.model.protocol import Capture, Protocol, Role
from kring.sessions.protocols.catalog import load_catalog
from kring.sessions.store.facade import Store
from kring.templates import BUILTIN_DIR

# The newest meeting's case title: the home screen shows it at the top once its list is in.
NEWEST_CASE = "Newest case of the benchmark"
# The last entry of a seeded meeting: the meeting screen shows it once its entries are in.
NEWEST_ENTRY = "The newest entry of the benchmark"
COMMUNITIES = ["CoP Inclusion", "Team Onderbouw", "Mentoren 4H", "Intervisie Sectie NL",
               "CoP Passend onderwijs", "Zorgteam", "Starters", "Bovenbouw havo"]
START = datetime(2020, 1, 6, 9, 0, tzinfo=UTC)


@cache
def _protocol() -> Protocol:
    found = load_catalog(BUILTIN_DIR).find("incident", "en")
    assert found is not None
    return found.protocol


def _meeting(clock: FakeClock, title: str, community: str) -> Meeting:
    plan = MeetingPlan(_protocol(), community=community, participants=["A", "B", "C", "D"],
                       case=Case(title))
    plan.roles = {Role.FACILITATOR: "A", Role.CASE_BRINGER: "B"}
    return plan.create(clock)


def meetings(data: Path, count: int) -> None:
    """``count`` ended meetings, one a day apart, the newest titled NEWEST_CASE."""
    store = Store(data)
    clock = FakeClock(START)
    for number in range(count):
        title = NEWEST_CASE if number == count - 1 else f"Case {number}: a pupil who stays away"
        meeting = _meeting(clock, title, COMMUNITIES[number % len(COMMUNITIES)])
        store.create_meeting(replace(meeting, status=Status.ENDED, ended_at=clock.now()))
        clock.advance(days=1)


def long_meeting(data: Path, entries: int) -> str:
    """One meeting in progress with ``entries`` entries in its first phase, the last of them
    NEWEST_ENTRY; its id."""
    clock = FakeClock()
    meeting = _meeting(clock, NEWEST_CASE, COMMUNITIES[0])
    step = _protocol().steps()[0].key
    kinds = [Capture.NOTE, Capture.QUESTION, Capture.FACT]
    rows = [Entry(new_id(), kinds[i % len(kinds)],
                  NEWEST_ENTRY if i == entries - 1 else f"Entry number {i} with some text to show",
                  step, clock.now() + timedelta(seconds=i), author="C" if i % 2 else None)
            for i in range(entries)]
    Store(data).create_meeting(meeting, rows)
    return meeting.id

