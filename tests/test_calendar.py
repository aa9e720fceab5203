"""``kring calendar``: action points as VTODOs a calendar can import, and import again."""

from __future__ import annotations

import stat
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from kring.sessions.care.followup import StatusFilter, actions
from kring.sessions.documents.calendar import action_uid, actions_calendar
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import ActionStatus, Case, Entry, Meeting
from kring.sessions.model.protocol import Capture
from kring.sessions.protocols.templates import load_protocol, protocol_to_data
from kring.sessions.store.changes import AddEntry
from kring.sessions.store.facade import Store
from kring.tui.cli import main

ROOT = Path(__file__).resolve().parents[1]
PROTOCOL = protocol_to_data(load_protocol(ROOT / "templates" / "en" / "incident-short.toml"))
NOW = datetime(2026, 10, 5, 8, 30, tzinfo=UTC)


def held(store: Store, meeting_id: str, day: date, community: str) -> Meeting:
    made = Meeting(id=meeting_id, community=community, date=day, protocol=PROTOCOL,
                   created_at=datetime(day.year, day.month, day.day, 15, 0, tzinfo=UTC),
                   participants=["Anna", "Bram"], case=Case(title="Zoë in class"),
                   protected_names=["Zoë"])
    store.create_meeting(made)
    return made


def action(store: Store, meeting: Meeting, entry_id: str, text: str, owner: str,
           due: date | None = None, status: ActionStatus = ActionStatus.OPEN,
           minute: int = 0) -> None:
    store.apply(meeting.id, AddEntry(Entry(
        id=entry_id, kind=Capture.ACTION, text=text, step="evaluation",
        created_at=meeting.created_at + timedelta(minutes=minute), owner=owner, due=due,
        status=status)))


def fill(data: Path) -> Store:
    store = Store(data, FakeClock(datetime(2026, 9, 1, 9, 0, tzinfo=UTC)))
    west = held(store, "m-west", date(2026, 9, 20), "Team West")
    east = held(store, "m-east", date(2026, 9, 25), "Team East")
    action(store, west, "call", "Call Zoë's parents", "Bram", date(2026, 10, 1))
    action(store, west, "read", "Read the plan", "Anna", None, ActionStatus.DONE, minute=1)
    action(store, east, "visit", "Visit the class", "Anna", date(2026, 12, 24))
    return store


def todos(data: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(data)
    return {str(todo["uid"]): todo for todo in calendar.walk("VTODO")}


def kring(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- the file ------------------------------------------------------------------------------------


def test_the_file_parses_back_with_due_dates_status_and_pseudonyms(tmp_path: Path) -> None:
    store = fill(tmp_path / "data")
    data = actions_calendar(actions(store, today=NOW.date(), status=StatusFilter.ALL), NOW)
    found = todos(data)
    assert set(found) == {"m-west.call@kring", "m-west.read@kring", "m-east.visit@kring"}
    call = found["m-west.call@kring"]
    assert call["due"].dt == date(2026, 10, 1)  # a DATE, not a moment
    assert type(call["due"].dt) is date
    assert call["status"] == "NEEDS-ACTION"
    assert "Zo" not in str(call["summary"]) and "parents" in str(call["summary"])
    assert "Bram" in str(call["description"]) and "Team West" in str(call["description"])
    assert call["dtstamp"].dt == NOW
    assert found["m-west.read@kring"]["status"] == "COMPLETED"
    assert "due" not in found["m-west.read@kring"]
    assert "Zoë".encode() not in data and b"Zo\\" not in data


def test_the_same_data_and_clock_give_the_same_bytes(tmp_path: Path) -> None:
    store = fill(tmp_path / "data")
    items = actions(store, today=NOW.date(), status=StatusFilter.ALL)
    first = actions_calendar(items, NOW)
    assert actions_calendar(list(reversed(items)), NOW) == first
    assert [action_uid(i) for i in items] == [action_uid(i) for i in
                                              actions(store, today=NOW.date(), status="all")]


# -- the command ---------------------------------------------------------------------------------


def test_the_command_writes_a_private_file_and_updates_the_same_items(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    fill(isolated_folders / "data")
    out = tmp_path / "actions.ics"
    code, _out, err = kring(capsys, "calendar", "--out", str(out))
    assert code == 0, err
    if sys.platform != "win32":
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    first = todos(out.read_bytes())
    assert len(first) == 3
    assert "Zoë".encode() not in out.read_bytes()
    code, _out, err = kring(capsys, "calendar", "--out", str(out))
    assert code == 0, err
    assert set(todos(out.read_bytes())) == set(first)


def test_owner_and_community_filters(isolated_folders: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    fill(isolated_folders / "data")
    code, out, _err = kring(capsys, "calendar", "--owner", "anna", "--out", "-")
    assert code == 0
    assert set(todos(out.encode())) == {"m-west.read@kring", "m-east.visit@kring"}
    code, out, _err = kring(capsys, "calendar", "--community", "team west", "--out", "-")
    assert code == 0
    assert set(todos(out.encode())) == {"m-west.call@kring", "m-west.read@kring"}


def test_an_unknown_community_is_a_clear_error(isolated_folders: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path) -> None:
    fill(isolated_folders / "data")
    out = tmp_path / "none.ics"
    code, _out, err = kring(capsys, "calendar", "--community", "Nowhere", "--out", str(out))
    assert code != 0
    assert "Nowhere" in err
    assert not out.exists()
