"""A community's next planned meeting: kept with the community, set with ``kring community
plan``, and exported by ``kring calendar`` as one event that re-exporting updates."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from icalendar import Calendar

from kring.sessions.documents.calendar import actions_calendar, meeting_uid
from kring.sessions.errors import NotFoundError
from kring.sessions.model.community import Community
from kring.sessions.store.facade import Store
from kring.sessions.store.rosters import add_member, find_community, plan_meeting
from kring.tui.cli import main

NOW = datetime(2026, 10, 5, 8, 30, tzinfo=UTC)
AMSTERDAM_WINTER = timezone(timedelta(hours=1))
PLANNED = datetime(2026, 12, 10, 15, 30, tzinfo=AMSTERDAM_WINTER)


def kring(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def events(data: bytes) -> dict[str, object]:
    return {str(e["uid"]): e for e in Calendar.from_ical(data).walk("VEVENT")}


# -- the model and the store ---------------------------------------------------------------------


def test_the_next_meeting_round_trips_as_iso_text() -> None:
    community = Community("Team West", ["Anna"], next_meeting=PLANNED)
    doc = json.loads(json.dumps(community.to_dict()))
    assert doc["next_meeting"] == "2026-12-10T15:30:00+01:00"
    back = Community.from_dict(doc)
    assert back.next_meeting == PLANNED and back.next_meeting.utcoffset() == timedelta(hours=1)


def test_an_old_file_without_it_reads_as_nothing_planned() -> None:
    assert Community.from_dict({"name": "Team West", "members": []}).next_meeting is None
    assert Community.from_dict({"name": "T", "next_meeting": None}).next_meeting is None


@pytest.mark.parametrize("bad", [12, "next week", "2026-12-10T15:30", ["2026-12-10"]])
def test_a_damaged_next_meeting_is_a_damaged_community(bad: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        Community.from_dict({"name": "Team West", "next_meeting": bad})


def test_a_damaged_next_meeting_makes_the_file_count_as_damaged(tmp_path: Path) -> None:
    from kring.sessions.errors import CorruptFileError
    from kring.sessions.store.checks import check_communities

    tables = {"communities": {"1": {"name": "Team West", "next_meeting": "soon"}}}
    with pytest.raises(CorruptFileError):
        check_communities(tables, tmp_path / "communities.json")


def test_plan_sets_and_clears_and_knows_no_strangers(tmp_path: Path) -> None:
    store = Store(tmp_path)
    add_member(store, "Team West", "Anna")
    assert plan_meeting(store, "team west", PLANNED).next_meeting == PLANNED
    found = find_community(Store(tmp_path), "Team West")
    assert found is not None and found.next_meeting == PLANNED and found.members == ["Anna"]
    plan_meeting(store, "Team West", None)
    found = find_community(store, "Team West")
    assert found is not None and found.next_meeting is None
    with pytest.raises(NotFoundError):
        plan_meeting(store, "Nowhere", PLANNED)
    with pytest.raises(ValueError):
        plan_meeting(store, "Team West", datetime(2026, 12, 10, 15, 30))  # whose clock?


# -- the calendar --------------------------------------------------------------------------------


def test_a_future_meeting_is_one_event_with_a_stable_uid() -> None:
    west = Community("Team West", next_meeting=PLANNED)
    data = actions_calendar([], NOW, "en", [west])
    found = events(data)
    uid = meeting_uid("Team West")
    assert uid.startswith("next-meeting.team-west-") and uid.endswith("@kring")
    assert meeting_uid("TEAM  WEST".replace("  ", " ")) == uid
    event = found[uid]
    assert event["dtstart"].dt == PLANNED
    assert event["dtend"].dt - event["dtstart"].dt == timedelta(minutes=90)
    assert str(event["summary"]) == "Meeting of Team West"
    moved = Community("Team West", next_meeting=PLANNED + timedelta(days=7))
    assert set(events(actions_calendar([], NOW, "en", [moved]))) == {uid}
    assert actions_calendar([], NOW, "en", [west]) == data


def test_the_summary_is_in_the_interface_language() -> None:
    west = Community("Team West", next_meeting=PLANNED)
    [event] = events(actions_calendar([], NOW, "nl", [west])).values()
    assert str(event["summary"]) == "Bijeenkomst van Team West"


def test_no_event_when_unset_or_past() -> None:
    unset = Community("Team West")
    past = Community("Team East", next_meeting=NOW - timedelta(minutes=1))
    assert events(actions_calendar([], NOW, "en", [unset, past])) == {}


def test_names_that_slug_alike_or_not_at_all_keep_apart() -> None:
    assert meeting_uid("Team West") != meeting_uid("Team-West")
    greek = meeting_uid("Ωμάδα")
    assert greek.startswith("next-meeting.") and greek.endswith("@kring")
    assert greek != meeting_uid("Ομάδα")


# -- the commands --------------------------------------------------------------------------------


def test_plan_show_and_clear(isolated_folders: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert kring(capsys, "community", "add-member", "Team West", "Anna")[0] == 0
    code, out, err = kring(capsys, "community", "plan", "team west", "2099-12-10 15:30")
    assert code == 0, err
    assert "Team West" in out and "15:30" in out and "2099" in out
    found = find_community(Store(isolated_folders / "data"), "Team West")
    assert found is not None and found.next_meeting is not None
    assert found.next_meeting.tzinfo is not None
    assert found.next_meeting.astimezone().replace(tzinfo=None) == datetime(2099, 12, 10, 15, 30)
    code, out, _err = kring(capsys, "community", "show", "Team West")
    assert code == 0 and "Next meeting:" in out and "15:30" in out
    code, out, _err = kring(capsys, "community", "plan", "Team West", "--clear")
    assert code == 0 and "no planned meeting" in out
    code, out, _err = kring(capsys, "community", "show", "Team West")
    assert code == 0 and "Next meeting" not in out


@pytest.mark.parametrize("argv", [
    ("Team West",), ("Team West", "2099-12-10 15:30", "--clear"), ("Team West", "2099-12-10"),
    ("Team West", "tomorrow at three"),
])
def test_plan_needs_one_clear_moment(isolated_folders: Path, capsys: pytest.CaptureFixture[str],
                                     argv: tuple[str, ...]) -> None:
    kring(capsys, "community", "add-member", "Team West", "Anna")
    code, _out, err = kring(capsys, "community", "plan", *argv)
    assert code != 0 and err


def test_plan_for_an_unknown_community_is_a_clear_error(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = kring(capsys, "community", "plan", "Nowhere", "2099-12-10 15:30")
    assert code != 0 and "There is no community called 'Nowhere'." in err


def test_the_calendar_command_includes_planned_meetings(
        isolated_folders: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store(isolated_folders / "data")
    add_member(store, "Team West", "Anna")
    add_member(store, "Team East", "Bram")
    add_member(store, "Team North", "Anna")
    plan_meeting(store, "Team West", datetime(2099, 1, 5, 15, 0, tzinfo=UTC))
    plan_meeting(store, "Team East", datetime(2099, 1, 6, 15, 0, tzinfo=UTC))
    plan_meeting(store, "Team North", datetime(2000, 1, 6, 15, 0, tzinfo=UTC))  # past
    code, out, err = kring(capsys, "calendar", "--out", "-")
    assert code == 0, err
    assert set(events(out.encode())) == {meeting_uid("Team West"), meeting_uid("Team East")}
    code, out, _err = kring(capsys, "calendar", "--community", "team east", "--out", "-")
    assert set(events(out.encode())) == {meeting_uid("Team East")}
    # --owner: the meetings of the communities the person is on the roster of.
    code, out, _err = kring(capsys, "calendar", "--owner", "anna", "--out", "-")
    assert set(events(out.encode())) == {meeting_uid("Team West")}
    assert date(2099, 1, 5) == events(out.encode())[meeting_uid("Team West")]["dtstart"].dt.date()
