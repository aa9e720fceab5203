"""One reader of whole-meeting files (rescue copies, and meetings of a data folder from before
the per-device logs) for the store's conversion, rescue and doctor: they agree on what a usable
meeting file is, a broken one is refused with a sentence, and reading one never changes it."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kring.sessions.care import doctor
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.model.protocol import Capture
from kring.sessions.store.facade import Store
from kring.sessions.store.files.atomic import current_stamp
from kring.sessions.store.files.envelope import DocEncoder
from kring.sessions.store.files.migrations import CURRENT, MigrationError, migrate
from kring.sessions.store.layout import MEETING_KIND
from kring.sessions.store.meeting_file import (
    FileProblem,
    MeetingFile,
    ProblemKind,
    read_meeting_file,
)
from kring.sessions.store.records import ENTRIES_TABLE, MEETING_TABLE

MOMENT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def old_file(path: Path, meeting_id: str = "m1", entries: int = 2) -> bytes:
    """A meeting file as Kring wrote it before the per-device logs (and as rescue copies are
    still written); returns its bytes."""
    meeting = Meeting(id=meeting_id, community="Team", date=date(2026, 3, 2),
                      protocol={"id": "incident"}, created_at=MOMENT,
                      participants=["Anna", "Bram"])
    tables = {
        MEETING_TABLE: {"1": meeting.to_dict()},
        ENTRIES_TABLE: {str(n): Entry(id=f"e{n}", kind=Capture.NOTE, text="hello", step="s",
                                      created_at=MOMENT).to_dict() for n in range(1, entries + 1)},
    }
    data = DocEncoder().encode(MEETING_KIND, tables)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


def test_a_good_file_reads_into_header_and_entries(tmp_path: Path) -> None:
    path = tmp_path / "m1.json"
    old_file(path)
    got = read_meeting_file(path, "m1")
    assert isinstance(got, MeetingFile)
    assert got.meeting.id == "m1" and [entry.id for entry in got.entries] == ["e1", "e2"]
    assert got.summary.id == "m1" and got.stamp == current_stamp(path)


def test_a_missing_file_is_none(tmp_path: Path) -> None:
    assert read_meeting_file(tmp_path / "nothing.json", "nothing") is None


@pytest.mark.parametrize("broken", [
    b"",
    b"   \n",
    b"\x00" * 700,
    b"garbage that is not json",
    b"\xff\xfe\xfa not text",
    b'{"_meta": {"schema": 1, "kind": "meeting"}, "meeting": {"1": {"id": "m1"}}}',
    b'{"_meta": {"schema": 1, "kind": "index"}, "meetings": {}}',
    b'{"_meta": {"schema": "1", "kind": "meeting"}}',
    b'{"_meta": {"schema": 0, "kind": "meeting"}}',
    b'{"meeting": {}}',
    b"[1, 2, 3]",
    b"[" * 100_000,
    b"1" * 5000,
], ids=["empty", "blank", "zeros", "text", "binary", "partial-meeting", "index-file",
        "version-text", "version-0", "no-meta", "a-list", "deep", "huge-number"])
def test_broken_content_is_a_typed_problem_and_stays_as_it_is(tmp_path: Path,
                                                              broken: bytes) -> None:
    path = tmp_path / "m1.json"
    path.write_bytes(broken)
    got = read_meeting_file(path, "m1")
    assert isinstance(got, FileProblem) and got.kind is ProblemKind.UNREADABLE
    assert "Traceback" not in got.error.message and got.error.message.endswith(".")
    assert path.read_bytes() == broken and sorted(os.listdir(tmp_path)) == ["m1.json"]


def test_a_cut_off_file_is_refused_and_a_zero_padded_one_says_so(tmp_path: Path) -> None:
    path = tmp_path / "m1.json"
    whole = old_file(path)
    for cut in range(0, len(whole) - 1, 7):  # all but the final newline
        path.write_bytes(whole[:cut])
        got = read_meeting_file(path, "m1")
        assert isinstance(got, FileProblem) and got.kind is ProblemKind.UNREADABLE, cut
    path.write_bytes(whole + b"\x00" * 4096)  # what some filesystems leave after a power cut
    got = read_meeting_file(path, "m1")
    assert isinstance(got, FileProblem) and "zero bytes" in got.error.reason


@pytest.mark.parametrize("damage", [
    lambda d: d["meeting"]["1"].pop("created_at"),
    lambda d: d["meeting"]["1"].update(date="not a date"),
    lambda d: d["meeting"]["1"].update(id="other"),
    lambda d: d["meeting"]["1"].update(protocol="not a mapping"),
    lambda d: d["entries"]["1"].update(kind="no-such-kind"),
    lambda d: d["entries"]["1"].update(text=None),
    lambda d: d["entries"].update({"x": {}}),
    lambda d: d.update(entries=[1, 2]),
    lambda d: d.update(meeting={}),
], ids=["missing-field", "bad-date", "other-meeting", "bad-protocol", "bad-kind",
        "no-text", "bad-doc-id", "table-not-object", "no-header"])
def test_json_that_is_not_a_whole_meeting_is_refused(tmp_path: Path, damage: object) -> None:
    path = tmp_path / "m1.json"
    data = json.loads(old_file(path))
    damage(data)  # type: ignore[operator]
    path.write_text(json.dumps(data), encoding="utf-8")
    got = read_meeting_file(path, "m1")
    assert isinstance(got, FileProblem) and got.kind is ProblemKind.UNREADABLE
    assert "not a date" not in got.error.message  # a value could be anyone's words


def test_a_newer_format_is_left_for_a_newer_kring(tmp_path: Path) -> None:
    path = tmp_path / "m1.json"
    data = json.loads(old_file(path))
    data["_meta"]["schema"] = CURRENT + 1
    path.write_text(json.dumps(data), encoding="utf-8")
    got = read_meeting_file(path, "m1")
    assert isinstance(got, FileProblem) and got.kind is ProblemKind.NEWER_FORMAT
    assert "newer version of Kring" in got.error.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX special files")
def test_a_fifo_is_unavailable_not_broken_and_is_never_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "m1.json")
    got = read_meeting_file(tmp_path / "m1.json", "m1")
    assert isinstance(got, FileProblem) and got.kind is ProblemKind.UNAVAILABLE
    assert "not a regular file" in got.error.message


def test_migrations_run_in_one_place() -> None:
    assert migrate({"a": 1}, "meeting", CURRENT) == {"a": 1}
    with pytest.raises(MigrationError):
        migrate({}, "meeting", 0)


def test_the_migration_hook_is_used_when_reading(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import kring.sessions.store.files.envelope as envelope
    import kring.sessions.store.files.migrations as migrations

    path = tmp_path / "m1.json"
    old_file(path)
    monkeypatch.setattr(migrations, "CURRENT", CURRENT + 1)
    monkeypatch.setattr(envelope, "CURRENT", CURRENT + 1)

    def upgrade(data: dict[str, object], kind: str) -> dict[str, object]:
        data["meeting"]["1"]["goal"] = "upgraded"  # type: ignore[index]
        return data

    monkeypatch.setitem(migrations._STEPS, CURRENT, upgrade)
    got = read_meeting_file(path, "m1")
    assert isinstance(got, MeetingFile) and got.meeting.goal == "upgraded"


def test_conversion_doctor_and_lists_agree_on_a_file_holding_another_meeting(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    good = old_file(data / "meetings" / "m1.json")
    # The file of m2 holds meeting m1: by name it is m2's, by content it is not.
    (data / "meetings" / "m2.json").write_bytes(good)
    assert isinstance(read_meeting_file(data / "meetings" / "m2.json", "m2"), FileProblem)
    store = Store(data)
    assert [summary.id for summary in store.list_meetings()] == ["m1"]  # converted
    assert [entry.id for entry in store.load("m1").entries] == ["e1", "e2"]
    assert (data / "meetings" / "m2.json").read_bytes() == good  # left where it was
    assert (data / "migrated-v1" / "meetings" / "m1.json").read_bytes() == good
    found = doctor.check(data).of(doctor.Kind.NOT_CONVERTED)
    assert [finding.path.name for finding in found] == ["m2.json"]
    assert "m2" in found[0].detail
