"""`kring doctor`: reports what is wrong without touching anything, and repairs only when
asked, moving aside rather than deleting whatever could matter."""

from __future__ import annotations

import json
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
from kring.sessions.store.facade import Store
from kring.sessions.store.files.locking import file_lock
from kring.sessions.store.files.migrations import CURRENT
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
        made.add_entry(meeting_id, entry(1))
        made.add_entry(meeting_id, entry(2))
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
    report = check(store.layout.root)
    assert report.findings == [] and report.healthy
    assert check(tmp_path / "nothing").findings == []
    assert not (tmp_path / "nothing").exists()


def test_check_changes_nothing_and_repair_fixes_everything_safely(store: Store) -> None:
    root = store.layout.root
    # Everything at once: a broken meeting (whose backup is good), a stale lock, an orphaned
    # draft, a temporary file left by a cut-off save, an index out of date, an open file.
    store.layout.meeting("m2").write_bytes(b'{"_meta": {"sch')
    (store.layout.meetings / "gone.json.lock").write_bytes(b"")
    (store.layout.drafts / "m9.json").write_bytes(draft(store).read_bytes())  # older kind
    store.layout.window_drafts("m8").mkdir()
    (store.layout.window_drafts("m8") / "0a1b2c.json").write_bytes(draft(store).read_bytes())
    (store.layout.meetings / ".m1.json.1a2b3c4d.tmp").write_bytes(b'{"half": ')
    index = json.loads(store.layout.index.read_bytes())
    index["meetings"]["m1"]["summary"]["status"] = "ended"
    store.layout.index.write_text(json.dumps(index))
    draft(store).chmod(0o644)

    before = snapshot(root)
    report = check(root)
    assert snapshot(root) == before
    assert {f.kind for f in report.findings} == {
        Kind.UNREADABLE, Kind.STALE_LOCK, Kind.ORPHAN_DRAFT, Kind.TEMP_FILE,
        Kind.INDEX_OUTDATED, Kind.OPEN_PERMISSIONS}
    assert not report.healthy
    (broken,) = report.of(Kind.UNREADABLE)
    assert broken.detail.startswith("Meeting m2 could not be read: the file ends too early")
    assert all("Anna" not in finding.detail for finding in report.findings)

    fixed = repair(root, FakeClock(START))
    assert fixed.failed == []
    assert fixed.healthy, fixed.findings
    assert {f.kind for f in fixed.findings} == {Kind.SET_ASIDE}  # kept for a human
    assert len(fixed.repaired) >= 6
    assert [e.id for e in Store(root).load("m2").entries] == ["e1"]  # from its backup
    kept = sorted(p.name for p in root.rglob("*") if ".corrupt-" in p.name or ".orphan-" in p.name)
    assert kept == ["0a1b2c.json.orphan-20261125T090000Z", "m2.json.corrupt-20261125T090000Z",
                    "m9.json.orphan-20261125T090000Z"]
    assert json.loads(store.layout.index.read_bytes())["meetings"]["m1"]["summary"][
        "status"] == "in-progress"
    assert oct(draft(store).stat().st_mode & 0o777) == "0o600"


def test_a_lock_held_by_a_running_kring_is_reported_and_left_alone(store: Store) -> None:
    with file_lock(store.layout.meetings / "gone.json", "test"):
        report = check(store.layout.root)
        assert [f.kind for f in report.findings] == [Kind.HELD_LOCK]
        assert report.healthy  # information, not a problem
        repair(store.layout.root)
        assert (store.layout.meetings / "gone.json.lock").exists()
    assert kinds(store.layout.root) == [Kind.STALE_LOCK]


def test_a_meeting_with_only_its_backup_is_restored(store: Store) -> None:
    store.layout.meeting("m1").unlink()
    assert Kind.BACKUP_ONLY in kinds(store.layout.root)
    fixed = repair(store.layout.root, FakeClock(START))
    assert fixed.healthy
    assert [e.id for e in Store(store.layout.root).load("m1").entries] == ["e1"]


def test_a_newer_kring_s_file_is_reported_and_left_untouched(store: Store) -> None:
    path = store.layout.meeting("m1")
    data = json.loads(path.read_bytes())
    data["_meta"]["schema"] = CURRENT + 1
    path.write_text(json.dumps(data))
    before = path.read_bytes()
    report = repair(store.layout.root, FakeClock(START))
    assert Kind.NEWER_FORMAT in {f.kind for f in report.findings}
    assert path.read_bytes() == before


def test_a_broken_backup_and_a_broken_draft_are_set_aside(store: Store) -> None:
    Path(f"{store.layout.meeting('m1')}.bak").write_bytes(b"\x00\x00")
    draft(store).write_bytes(b"")
    report = check(store.layout.root)
    assert len(report.of(Kind.UNREADABLE)) == 2
    fixed = repair(store.layout.root, FakeClock(START))
    assert fixed.healthy, fixed.findings
    names = sorted(os.listdir(store.layout.meetings))
    assert [p.name.split(".", 1)[1] for p in store.layout.window_drafts("m1").iterdir()] == [
        "json.corrupt-20261125T090000Z"]
    assert "m1.json.bak.corrupt-20261125T090000Z" in names


def test_an_open_window_s_draft_is_information_not_a_problem(store: Store) -> None:
    window = store.draft_slot("m1")  # claims the waiting draft and holds its lock
    try:
        report = check(store.layout.root)
        (held,) = report.of(Kind.HELD_LOCK)
        assert held.detail == "A Kring window has meeting m1 open right now."
        assert report.healthy
    finally:
        window.close()
    assert check(store.layout.root).findings == []


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
        store.layout.meeting("m2").write_bytes(b"{")  # something to repair, too
        (mount / "data" / "meetings" / "m2.json").write_bytes(b"{")
        (mount / "data" / "meetings" / "gone.json.lock").write_bytes(b"")
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        yield mount / "data"
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_read_only_data_folder_is_reported_not_a_traceback(read_only: Path) -> None:
    before = snapshot(read_only)
    report = check(read_only)
    (refused,) = report.of(Kind.READ_ONLY)
    assert "read-only disk" in refused.detail
    assert {Kind.UNREADABLE, Kind.STALE_LOCK} <= {f.kind for f in report.findings}

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
