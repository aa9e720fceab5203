"""One reader of meeting files for the store, doctor and purge: they agree on what a usable
meeting file is, and reading one never changes anything."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from kring.sessions.care import doctor
from kring.sessions.care.purge import plan_purge
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.model.protocol import Capture
from kring.sessions.store.facade import Store
from kring.sessions.store.meeting_file import (
    FileProblem,
    MeetingFile,
    ProblemKind,
    read_meeting_file,
)

MOMENT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def stored(root: Path, meeting_id: str = "m1") -> Store:
    store = Store(root)
    meeting = Meeting(id=meeting_id, community="Team", date=date(2026, 3, 2),
                      protocol={"id": "incident"}, created_at=MOMENT)
    store.create_meeting(meeting, [Entry(id="e1", kind=Capture.NOTE, text="hello",
                                         step="s", created_at=MOMENT)])
    return store


def test_a_good_file_reads_into_header_and_entries(tmp_path: Path) -> None:
    store = stored(tmp_path)
    got = read_meeting_file(store.layout.meeting("m1"), "m1")
    assert isinstance(got, MeetingFile)
    assert got.meeting.id == "m1" and [entry.text for entry in got.entries] == ["hello"]
    assert got.summary.id == "m1" and got.stamp == store.stamp("m1")


def test_a_missing_file_is_none(tmp_path: Path) -> None:
    assert read_meeting_file(tmp_path / "nothing.json", "nothing") is None


def test_a_broken_file_is_a_typed_problem_and_stays_where_it_is(tmp_path: Path) -> None:
    store = stored(tmp_path)
    path = store.layout.meeting("m1")
    path.write_bytes(path.read_bytes()[:40])
    got = read_meeting_file(path, "m1")
    assert isinstance(got, FileProblem) and got.kind is ProblemKind.UNREADABLE
    assert path.exists() and not list(path.parent.glob("*.corrupt-*"))


def test_store_doctor_and_purge_agree_on_a_file_holding_another_meeting(
        tmp_path: Path) -> None:
    store = stored(tmp_path)
    # The file of m2 holds meeting m1: by name it is m2's, by content it is not.
    store.layout.meeting("m2").write_bytes(store.layout.meeting("m1").read_bytes())
    assert isinstance(read_meeting_file(store.layout.meeting("m2"), "m2"), FileProblem)
    found = doctor.check(tmp_path).of(doctor.Kind.UNREADABLE)
    assert [finding.path.name for finding in found] == ["m2.json"]
    plan = plan_purge(tmp_path, before=date(2027, 1, 1))
    assert [meeting.meeting_id for meeting in plan.meetings] == ["m1"]
    assert plan.undated == ["m2"]
    assert [summary.id for summary in Store(tmp_path).list_meetings()] == ["m1"]
