"""Meeting summaries are typed, have one order, and the index file keeps its JSON form."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kring.sessions.meeting.changes import ProtectNames
from kring.sessions.model.meeting import Case, Meeting, Status
from kring.sessions.store.facade import Store
from kring.sessions.store.summary import MeetingSummary, in_progress_first, newest_first

MOMENT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def meeting(meeting_id: str, day: date, minute: int = 0,
            status: Status = Status.ENDED) -> Meeting:
    return Meeting(id=meeting_id, community="Team 4B", date=day,
                   protocol={"id": "incident", "name": "Incident"},
                   created_at=MOMENT.replace(minute=minute), case=Case("Late again"),
                   status=status)


def test_a_summary_is_stored_as_the_meeting_s_summary_dict_and_its_public_title() -> None:
    held = meeting("m1", date(2026, 3, 2))
    summary = MeetingSummary.of(held)
    assert summary.to_dict() == {**held.summary_dict(), "public_case": "Late again"}
    assert MeetingSummary.from_dict(summary.to_dict()) == summary
    assert (summary.case, summary.protocol, summary.status) == ("Late again", "incident",
                                                                Status.ENDED)


def test_a_summary_that_is_not_one_reads_as_none() -> None:
    good = MeetingSummary.of(meeting("m1", date(2026, 3, 2))).to_dict()
    # Written before lists hid protected names: read again from the meeting, never shown as is.
    assert MeetingSummary.from_dict(meeting("m1", date(2026, 3, 2)).summary_dict()) is None
    for broken in ({**good, "date": "soon"}, {**good, "status": "paused"},
                   {**good, "created_at": None}, {k: v for k, v in good.items() if k != "case"}):
        assert MeetingSummary.from_dict(broken) is None


def test_one_order_newest_first_and_in_progress_above_ended() -> None:
    summaries = [MeetingSummary.of(m) for m in (
        meeting("old", date(2026, 1, 1)),
        meeting("late", date(2026, 3, 1), minute=30),
        meeting("early", date(2026, 3, 1), minute=10),
        meeting("going", date(2026, 2, 1), status=Status.IN_PROGRESS),
    )]
    assert [s.id for s in newest_first(summaries)] == ["late", "early", "going", "old"]
    assert [s.id for s in in_progress_first(summaries)] == ["going", "late", "early", "old"]


def index_rows(store: Store) -> sqlite3.Connection:
    return sqlite3.connect(store.layout.index, isolation_level=None)


def test_the_list_is_served_from_the_index(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.create_meeting(meeting("m1", date(2026, 3, 2)))
    store.list_meetings()
    expected = MeetingSummary.of(meeting("m1", date(2026, 3, 2))).to_dict()
    with closing(index_rows(store)) as db:
        row = db.execute("SELECT id, name, day, title, protocol, language, status, created, "
                         "public_title FROM meetings WHERE id = 'm1'").fetchone()
        assert list(row) == [expected[key] for key in (
            "id", "community", "date", "case", "protocol", "language", "status",
            "created_at", "public_case")]
        # A summary changed only there shows: the meeting itself was not read again.
        db.execute("UPDATE meetings SET title = 'From the index' WHERE id = 'm1'")
    [listed] = Store(tmp_path).list_meetings()
    assert isinstance(listed, MeetingSummary) and listed.case == "From the index"


@pytest.mark.parametrize("column, damage", [
    ("day", 20261345), ("day", "the second of March"), ("status", "half-way"),
    ("created", "not a time"), ("title", b"bytes"), ("digest", "not json"), ("digest", "[]")])
def test_a_damaged_row_in_the_index_is_read_again_from_the_meeting(
        tmp_path: Path, column: str, damage: object) -> None:
    store = Store(tmp_path)
    store.create_meeting(meeting("m1", date(2026, 3, 2)))
    store.list_meetings()
    with closing(index_rows(store)) as db:
        db.execute(f"UPDATE meetings SET {column} = ? WHERE id = 'm1'", (damage,))
    assert Store(tmp_path).list_meetings() == [MeetingSummary.of(meeting("m1", date(2026, 3, 2)))]
    assert [d.summary.id for d in Store(tmp_path).digests()] == ["m1"]
    with closing(index_rows(Store(tmp_path))) as db:
        (day,) = db.execute("SELECT day FROM meetings WHERE id = 'm1'").fetchone()
    assert day == "2026-03-02"  # folded again from the logs and written back


def test_the_public_title_hides_protected_names_and_follows_a_change_of_them(
        tmp_path: Path) -> None:
    held = meeting("m1", date(2026, 3, 2))
    held.case = Case("Why Zoë-Anne stopped talking")
    held.protected_names = ["Zoe Anne"]
    store = Store(tmp_path)
    store.create_meeting(held)
    [listed] = Store(tmp_path).list_meetings()
    assert "Zo" not in listed.public_case and "Pupil A" in listed.public_case
    assert listed.case == "Why Zoë-Anne stopped talking"  # the facilitator's --real-names

    store.apply("m1", ProtectNames(()))  # none any more
    [listed] = Store(tmp_path).list_meetings()
    assert listed.public_case == "Why Zoë-Anne stopped talking"


def test_a_page_of_the_list_is_in_progress_first_then_newest_with_the_total(
        tmp_path: Path) -> None:
    store = Store(tmp_path)
    for number in range(7):
        store.create_meeting(meeting(
            f"m{number}", date(2026, 3, 1 + number),
            status=Status.IN_PROGRESS if number in (1, 4) else Status.ENDED))
    everything = in_progress_first(store.list_meetings())
    assert [s.id for s in everything[:2]] == ["m4", "m1"]
    pages = [store.meetings_page(3, offset) for offset in (0, 3, 6)]
    assert [total for _page, total in pages] == [7, 7, 7]
    assert [s.id for page, _total in pages for s in page] == [s.id for s in everything]
    assert store.meetings_page(None)[0] == everything
    assert store.count_meetings() == 7
