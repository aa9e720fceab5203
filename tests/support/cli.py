"""The command line for the tests: ``kring`` called in-process, and a meeting in a data folder
with lines already typed, as the app leaves one."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from kring.sessions.meeting.capture import parse_capture
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.protocol import Role
from kring.sessions.store.facade import Store
from kring.sessions.store.rosters import remember_roster
from kring.tui.cli import main
from tests.support.catalog import CATALOG


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``kring *argv``: its exit status and what it printed to stdout and to stderr."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def meeting_with_entries(data: Path, when: str, community: str, lines: list[str]) -> str:
    """A short incident-method meeting of ``community`` on the day ``when`` (ISO), started,
    each of ``lines`` typed into its first phase as into the capture line; its id."""
    clock = FakeClock(datetime.fromisoformat(f"{when}T09:00:00").replace(tzinfo=UTC))
    found = CATALOG.find("incident-short", "en")
    assert found is not None
    plan = MeetingPlan(found.protocol, community=community,
                       participants=["Anouk", "Bram", "Chantal"])
    plan.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: "Bram"}
    meeting = plan.create(clock)
    store = Store(data)
    store.create_meeting(meeting)
    remember_roster(store, community, meeting.participants)  # as the app does at setup
    live = LiveMeeting(meeting, [], store, clock)
    live.start()
    for line in lines:
        parsed = parse_capture(line, default=live.step.phase.default_capture,
                               roster=meeting.participants, today=clock.now().date())
        live.add_entry(parsed.text, parsed.kind, author=parsed.author, owner=parsed.owner,
                       due=parsed.due, private=parsed.private)
    return meeting.id
