"""`kring doctor`: reports what is wrong without touching anything, and repairs only when
asked, moving aside rather than deleting whatever could matter."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kring.sessions.care.doctor import Kind, check, repair
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.model.protocol import Capture
from kring.sessions.protocols.templates import load_protocol
from kring.sessions.store.changes import AddEntry
from kring.sessions.store.facade import Store
from kring.templates import BUILTIN_DIR

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def meeting(meeting_id: str) -> Meeting:
    return Meeting(id=meeting_id, community="Team 4B", date=date(2026, 11, 25),
                   protocol={"id": "incident"}, created_at=START, participants=["Anna"])


def entry(number: int) -> Entry:
    return Entry(id=f"e{number}", kind=Capture.FACT, text=f"note {number}", step="facts",
                 created_at=START)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    made = Store(tmp_path / "data", FakeClock(START))
    for meeting_id in ("m1", "m2"):
        made.create_meeting(meeting(meeting_id))
        made.apply(meeting_id, AddEntry(entry(1)))
        made.apply(meeting_id, AddEntry(entry(2)))
    with made.draft_slot("m1") as window:  # a window closed mid-sentence: its draft waits
        window.save("typing")
    made.list_meetings()
    return made


def draft(store: Store) -> Path:
    (path,) = store.layout.window_drafts("m1").glob("*.json")
    return path


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mode)
            for p in sorted(root.rglob("*")) if p.is_file()}


def kinds(root: Path) -> list[Kind]:
    return sorted({finding.kind for finding in check(root).findings})


def test_a_healthy_folder_and_a_missing_one(store: Store, tmp_path: Path) -> None:
    assert check(store.layout.root).findings == []
    assert check(tmp_path / "nothing-here").findings == []


def own_log(store: Store, meeting_id: str = "m1") -> Path:
    return store.layout.meeting_log(store.device, meeting_id)


def test_check_changes_nothing_and_repair_takes_in_this_device_s_conflict_copy(
        store: Store, tmp_path: Path) -> None:
    log = own_log(store)
    copy = log.with_name("m1.sync-conflict-20261125-090000-ABCDEFG.jsonl")
    laptop = Store(store.layout.root, FakeClock(START), state=tmp_path / "laptop")
    laptop.apply("m1", AddEntry(entry(3)))  # lands in the laptop's log; moved into a copy below
    laptop_log = laptop.layout.meeting_log(laptop.device, "m1")
    copy.write_bytes(log.read_bytes() + laptop_log.read_bytes())
    laptop_log.unlink()
    log.chmod(0o644)
    before = snapshot(store.layout.root)
    report = check(store.layout.root)
    assert {f.kind for f in report.findings} == {Kind.CONFLICT_COPY, Kind.OPEN_PERMISSIONS}
    assert not report.healthy
    assert snapshot(store.layout.root) == before
    assert [e.id for e in Store(store.layout.root).load("m1").entries] == ["e1", "e2", "e3"]

    fixed = repair(store.layout.root, FakeClock(START))
    assert fixed.healthy and fixed.failed == [] and fixed.findings == []
    assert not copy.exists() and log.stat().st_mode & 0o777 == 0o600
    assert [e.id for e in Store(store.layout.root).load("m1").entries] == ["e1", "e2", "e3"]


def test_another_device_s_copies_and_a_sync_engine_s_files_are_left_alone(
        store: Store, tmp_path: Path) -> None:
    laptop = Store(store.layout.root, FakeClock(START), state=tmp_path / "laptop")
    laptop.apply("m2", AddEntry(entry(3)))
    theirs = laptop.layout.meeting_log(laptop.device, "m2")
    copy = theirs.with_name("m2 (conflicted copy 2026-11-25 090000).jsonl")
    copy.write_bytes(theirs.read_bytes())
    (theirs.parent / ".syncthing.m2.jsonl.tmp").write_bytes(b"half")
    (theirs.parent / "notes.txt").write_text("mine")
    report = check(store.layout.root)
    assert {f.kind for f in report.findings} == {Kind.CONFLICT_ELSEWHERE, Kind.SYNC_TEMP,
                                                 Kind.STRAY}
    assert report.healthy  # nothing here is this device's to repair
    before = snapshot(store.layout.root)
    repair(store.layout.root, FakeClock(START))
    assert snapshot(store.layout.root) == before


def test_damaged_lines_are_reported_and_the_rest_is_used(store: Store) -> None:
    log = own_log(store)
    with log.open("ab") as file:
        file.write(b"not an event\n{\"torn")
    (found,) = check(store.layout.root).of(Kind.SKIPPED_LINES)
    assert "line 4" in found.detail and "cut off" in found.detail
    assert len(Store(store.layout.root).load("m1").entries) == 2


def test_an_older_data_folder_converts_after_a_backup_and_doctor_verifies_it(
        tmp_path: Path) -> None:
    from kring.sessions.model.community import Community
    from kring.sessions.store.files.envelope import DocEncoder
    from kring.sessions.store.layout import COMMUNITIES_KIND
    from kring.sessions.store.rescue import write_rescue

    data = tmp_path / "old"
    data.mkdir(mode=0o700)
    (data / "meetings").mkdir()
    made = write_rescue(data, meeting("m1"), [entry(1), entry(2)], START)
    made.rename(data / "meetings" / "m1.json")
    (data / "meetings" / "broken.json").write_bytes(b"{ not a meeting")
    (data / "communities.json").write_bytes(DocEncoder().encode(
        COMMUNITIES_KIND, {"communities": {"1": Community("Team 4B", ["Anna"]).to_dict()}}))
    old = (data / "meetings" / "m1.json").read_bytes()

    store = Store(data, FakeClock(START))
    record = store.load("m1")
    assert record.meeting == meeting("m1")
    assert [e.to_dict() for e in record.entries] == [entry(1).to_dict(), entry(2).to_dict()]
    assert store.communities() == [Community("Team 4B", ["Anna"])]
    assert (store.layout.local / "backup-v1" / "m1.json").read_bytes() == old
    assert (data / "migrated-v1" / "meetings" / "m1.json").read_bytes() == old
    assert not (data / "meetings" / "m1.json").exists()
    report = check(data)
    (left,) = report.of(Kind.NOT_CONVERTED)
    assert left.path.name == "broken.json" and report.healthy

    own_log(store).unlink()  # lost, as a sync engine might lose it
    (missing,) = check(data).of(Kind.NOT_CONVERTED_FULLY)
    assert "m1" in missing.detail
    fixed = repair(data, FakeClock(START))
    assert fixed.of(Kind.NOT_CONVERTED_FULLY) == [] and fixed.failed == []
    assert len(Store(data).load("m1").entries) == 2


@pytest.fixture
def read_only(store: Store, tmp_path: Path) -> Iterator[Path]:
    """The store's data folder, copied onto a real read-only disk (a tmpfs mounted ro)."""
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("mounting a filesystem needs root")
    mount = tmp_path / "ro"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("mounting a tmpfs is not permitted here")
    try:
        shutil.copytree(store.layout.root, mount / "data")
        own = mount / "data" / "devices" / store.device / "meetings"
        (own / "m2.sync-conflict-20261125-090000-ABCDEFG.jsonl").write_bytes(
            (own / "m2.jsonl").read_bytes())  # something to repair, too
        (own / "m2.jsonl").chmod(0o644)
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        yield mount / "data"
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_read_only_data_folder_is_reported_not_a_traceback(read_only: Path) -> None:
    before = snapshot(read_only)
    report = check(read_only)
    (refused,) = report.of(Kind.READ_ONLY)
    assert "read-only disk" in refused.detail
    assert {Kind.CONFLICT_COPY, Kind.OPEN_PERMISSIONS} <= {f.kind for f in report.findings}

    fixed = repair(read_only, FakeClock(START))
    assert fixed.repaired == []
    assert len(fixed.failed) >= 2
    assert all("Could not repair" in line and "read-only disk" in line for line in fixed.failed)
    assert snapshot(read_only) == before

    for args in (["doctor"], ["doctor", "--repair"]):
        run = subprocess.run(
            [sys.executable, "-c", "import sys; from kring.tui.cli import main; sys.exit(main())",
             "--data", str(read_only), *args],
            capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1],
            env={**os.environ, "COLUMNS": "200"})
        assert "Traceback" not in run.stderr + run.stdout
        assert "read-only disk" in run.stdout
        assert run.returncode == 1


def test_a_rescue_copy_in_the_home_folder_is_taken_back_in(
        store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    elsewhere = Store(tmp_path / "elsewhere", FakeClock(START))
    elsewhere.create_meeting(meeting("m1"), [entry(1), entry(2), entry(3)])
    record = elsewhere.load("m1")
    session = LiveMeeting(record.meeting, record.entries, elsewhere, FakeClock(START),
                          protocol=load_protocol(BUILTIN_DIR / "en" / "incident.toml"))
    rescued = session.rescue(home)
    (found,) = check(store.layout.root).of(Kind.RESCUED)
    assert found.path == rescued
    fixed = repair(store.layout.root, FakeClock(START))
    assert fixed.healthy and fixed.failed == []
    assert [e.id for e in Store(store.layout.root).load("m1").entries] == ["e1", "e2", "e3"]
    assert [p.name.endswith(".imported-20261125T090000Z") for p in home.iterdir()] == [True]


def test_a_state_folder_inside_the_data_folder_is_named(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = Store(data, FakeClock(START), state=data / ".kring-state")
    store.create_meeting(meeting("m1"))
    (found,) = check(data, data / ".kring-state").of(Kind.STATE_INSIDE)
    assert "KRING_STATE" in found.detail and str(data / ".kring-state") in found.detail
    assert check(data, tmp_path / "state").of(Kind.STATE_INSIDE) == []
