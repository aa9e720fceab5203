"""A disk that is full, read-only or forbidden: a clear message, the old file intact, the
meeting kept in memory, and nothing lost once the fault clears. Files stay private."""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from kring.sessions.errors import CorruptFileError, ReadError, SaveError, StoreError, TransientError
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.pending import PendingWrites
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.community import Community
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.model.protocol import Capture
from kring.sessions.store.drafts import DraftSlot
from kring.sessions.store.facade import Store
from kring.sessions.store.files.atomic import is_temp
from kring.sessions.store.files.locking import file_lock
from tests.test_live import plan

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
STAGES = ("open", "write", "fsync", "link", "replace", "dirsync")
FAULTS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "quota is used up",
    errno.EROFS: "read-only disk",
    errno.EACCES: "no permission to write",
    errno.EPERM: "no permission to write",
    errno.EIO: "the disk reported an error",
}
# Where a fault is not a failure: without hard links the backup is copied instead, and a
# folder that may not be opened cannot be fsynced (its rename is as durable as it gets).
SURVIVED = {("link", errno.EPERM), ("dirsync", errno.EACCES)}


def meeting() -> Meeting:
    return Meeting(id="m1", community="Team 4B", date=date(2026, 11, 25),
                   protocol={"id": "incident"}, created_at=START, participants=["Anna", "Bram"])


def entry(number: int) -> Entry:
    return Entry(id=f"e{number}", kind=Capture.FACT, text=f"note {number} about Anna",
                 step="facts", created_at=datetime.fromtimestamp(START.timestamp() + number, UTC),
                 author="Bram")


class Faults:
    """Makes the operating system refuse one step of saving, for files in one folder only."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
        self.folder = os.fspath(folder)
        self.code: int | None = None
        self.stage = ""
        self.fds: dict[int, str] = {}
        real = {name: getattr(os, name) for name in
                ("open", "write", "fsync", "replace", "link", "close")}

        def refuse(path: str) -> None:
            assert self.code is not None
            raise OSError(self.code, os.strerror(self.code), path)

        def inside(path: Any) -> bool:
            return os.fspath(path).startswith(self.folder)

        def fake_open(path: Any, flags: int, mode: int = 0o777, **kw: Any) -> int:
            if inside(path) and self.hits("open") and flags & os.O_CREAT:
                refuse(os.fspath(path))
            fd = real["open"](path, flags, mode, **kw)
            if inside(path):
                self.fds[fd] = os.fspath(path)
            return fd

        def fake_write(fd: int, data: Any) -> int:
            if fd in self.fds and self.hits("write"):
                refuse(self.fds[fd])
            return int(real["write"](fd, data))

        def fake_fsync(fd: int) -> None:
            if fd in self.fds:
                stage = "dirsync" if os.path.isdir(self.fds[fd]) else "fsync"
                if self.hits(stage):
                    refuse(self.fds[fd])
            real["fsync"](fd)

        def fake_replace(source: Any, target: Any, **kw: Any) -> None:
            if inside(target) and self.hits("replace"):
                refuse(os.fspath(target))
            real["replace"](source, target, **kw)

        def fake_link(source: Any, target: Any, **kw: Any) -> None:
            if inside(target) and self.hits("link"):
                refuse(os.fspath(target))
            real["link"](source, target, **kw)

        def fake_close(fd: int) -> None:
            self.fds.pop(fd, None)
            real["close"](fd)

        for name, fake in (("open", fake_open), ("write", fake_write), ("fsync", fake_fsync),
                           ("replace", fake_replace), ("link", fake_link), ("close", fake_close)):
            monkeypatch.setattr(os, name, fake)

    def hits(self, stage: str) -> bool:
        return self.code is not None and self.stage == stage

    def set(self, stage: str, code: int) -> None:
        self.stage, self.code = stage, code

    def clear(self) -> None:
        self.code = None


@pytest.fixture
def store(tmp_path: Path) -> Store:
    saved = Store(tmp_path / "data", FakeClock(START))
    saved.create_meeting(meeting())
    saved.add_entry("m1", entry(0))
    return saved


@pytest.fixture
def slot(store: Store) -> Iterator[DraftSlot]:
    window = store.draft_slot("m1")
    window.save("before")
    yield window
    window.close()


@pytest.fixture
def faults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Faults]:
    yield Faults(monkeypatch, tmp_path / "data")


def leftovers(root: Path) -> list[str]:
    return [p.name for p in root.rglob("*") if is_temp(p.name)]


@pytest.mark.parametrize("code", list(FAULTS), ids=[errno.errorcode[c] for c in FAULTS])
@pytest.mark.parametrize("stage", STAGES)
def test_a_failing_save_says_why_keeps_the_file_and_catches_up(
        store: Store, slot: DraftSlot, faults: Faults, stage: str, code: int) -> None:
    path = store.layout.meeting("m1")
    before = path.read_bytes()
    pending = PendingWrites()
    faults.set(stage, code)

    saved = [pending.submit(lambda n=n: store.add_entry("m1", entry(n))) for n in (1, 2, 3)]
    drafted = pending.submit(lambda: slot.save("typed during the fault"))

    if (stage, code) in SURVIVED:
        assert saved == [True, True, True] and drafted
    else:
        assert saved == [False, False, False] and not drafted
        assert len(pending) == 4
        error = pending.last_error
        assert isinstance(error, SaveError) and error.errno == code
        assert FAULTS[code] in error.message and "meeting m1" in error.message
        assert "Traceback" not in error.message
        assert not any(name in error.message for name in ("Anna", "Bram"))
        if stage != "dirsync":  # past the rename, the new file is in place, just not synced
            assert path.read_bytes() == before
        assert leftovers(store.layout.root) == []
        assert Store(store.layout.root).load("m1").entries[0].id == "e0"

        faults.clear()
        assert pending.retry() is True
    assert len(pending) == 0
    assert [e.id for e in store.load("m1").entries] == ["e0", "e1", "e2", "e3"]
    assert json.loads(slot.path.read_bytes())["text"] == "typed during the fault"
    assert Path(f"{path}.bak").exists()


def test_every_kind_of_file_reports_a_full_disk(store: Store, slot: DraftSlot,
                                               faults: Faults) -> None:
    faults.set("write", errno.ENOSPC)
    attempts: list[tuple[str, Callable[[], object]]] = [
        ("meeting m1", lambda: store.update_meeting("m1", lambda m: None)),
        ("the draft of meeting m1", lambda: slot.save("x")),
        ("the communities", lambda: store.save_community(Community("Team 4B", []))),
        ("meeting m2", lambda: store.create_meeting(Meeting(
            id="m2", community="c", date=date(2026, 1, 1), protocol={}, created_at=START))),
    ]
    for what, attempt in attempts:
        with pytest.raises(SaveError) as caught:
            attempt()
        assert str(caught.value).startswith(f"Could not save {what}: the disk is full.")


def test_saves_wait_in_order_behind_one_that_failed(store: Store, faults: Faults) -> None:
    pending = PendingWrites()
    faults.set("open", errno.EROFS)
    assert not pending.submit(lambda: store.add_entry("m1", entry(1)))
    faults.clear()
    # The disk is back, but the edit must not overtake the entry it edits.
    edited = entry(1)
    edited.text = "edited"
    assert pending.submit(lambda: store.update_entry("m1", edited))
    assert [(e.id, e.text) for e in store.load("m1").entries][1] == ("e1", "edited")


def test_pending_writes_stop_on_a_broken_file_and_keep_the_save(store: Store) -> None:
    pending = PendingWrites()
    store.layout.meeting("m1").write_bytes(b"{")
    with pytest.raises(CorruptFileError):
        pending.submit(lambda: store.add_entry("m1", entry(1)))
    assert len(pending) == 1
    store.restore_backup("m1")
    assert pending.retry()
    assert [e.id for e in store.load("m1").entries][-1] == "e1"
    assert pending.drop_all() == 0


def test_a_file_that_may_not_be_read_is_not_mistaken_for_a_broken_one(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open
    target = os.fspath(store.layout.meeting("m1"))

    def no_reading(path: Any, flags: int, mode: int = 0o777, **kw: Any) -> int:
        if os.fspath(path) == target and not flags & (os.O_WRONLY | os.O_RDWR):
            raise PermissionError(errno.EACCES, "Permission denied", target)
        return real_open(path, flags, mode, **kw)

    monkeypatch.setattr(os, "open", no_reading)
    fresh = Store(store.layout.root)
    with pytest.raises(ReadError) as caught:
        fresh.load("m1")
    assert isinstance(caught.value, TransientError)
    assert "no permission to read" in caught.value.message
    assert fresh.problems == [] and store.layout.meeting("m1").exists()


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_really_read_only_folder(store: Store) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes to read-only folders anyway; the patched faults above "
                    "cover EROFS/EACCES deterministically")
    folder = store.layout.meetings
    folder.chmod(0o500)
    try:
        with pytest.raises(SaveError) as caught:
            store.add_entry("m1", entry(1))
        assert "no permission" in caught.value.message
        assert [e.id for e in store.load("m1").entries] == ["e0"]
    finally:
        folder.chmod(0o700)
    store.add_entry("m1", entry(1))
    assert len(store.load("m1").entries) == 2


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077], ids=["000", "022", "077"])
def test_files_are_private_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        store = Store(tmp_path / "data" / "nested", FakeClock(START))
        store.create_meeting(meeting())
        store.add_entry("m1", entry(1))
        store.draft_slot("m1").save("draft")
        store.save_community(Community("Team 4B", ["Anna"]))
        store.list_meetings()
        broken = store.layout.meetings / "m2.json"
        broken.write_bytes(b"{")
        broken.chmod(0o644)
        store.list_meetings()  # sets it aside
        with file_lock(store.layout.meeting("m1"), "test"):
            pass
    finally:
        os.umask(old)
    folders = [tmp_path / "data", *[p for p in (tmp_path / "data").rglob("*") if p.is_dir()]]
    files = [p for p in (tmp_path / "data").rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"m1.json", "m1.json.bak", "m1.json.lock", "index.json",
                                       "communities.json", "communities.json.lock"}
    assert any(".corrupt-" in p.name for p in files)
    assert {str(p): oct(stat.S_IMODE(p.stat().st_mode)) for p in folders} == {
        str(p): "0o700" for p in folders}
    assert {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in files} == {
        p.name: "0o600" for p in files}


# -- a whole meeting through a full disk: kept, rescued, and saved once when space returns ------


def live_meeting(store: Store) -> LiveMeeting:
    clock = FakeClock(START)
    made = plan().create(clock)
    made.id = "m1"
    store.create_meeting(made)
    return LiveMeeting(made, [], store, clock)


def through_a_full_disk(store: Store, full: Callable[[], None], space_returns: Callable[[], None],
                        home: Path) -> None:
    session = live_meeting(store)
    session.add_entry("typed before the disk filled up")
    full()
    typed = [session.add_entry(f"note {number} about Anna") for number in range(10)]
    session.edit_entry(typed[0].id, text="note 0, edited while the disk was full")
    session.next_phase()
    assert session.unsaved == 12 and "the disk is full" in (session.last_error or "")
    assert not session.retry_saves()

    home.mkdir()
    rescued = session.rescue(home)
    assert stat.S_IMODE(rescued.stat().st_mode) == 0o600
    assert "m1" in rescued.name and "Anna" not in rescued.name
    elsewhere = Store(home / "other-data", FakeClock(START))
    assert elsewhere.import_rescued(rescued) == "m1"
    copy = elsewhere.load("m1")
    assert [(e.id, e.text) for e in copy.entries] == [(e.id, e.text) for e in session.entries]
    assert copy.meeting.current_step == 1

    space_returns()
    assert session.retry_saves() and session.unsaved == 0
    on_disk = store.load("m1")
    ids = [e.id for e in on_disk.entries]
    assert ids == [e.id for e in session.entries] and len(set(ids)) == 11  # each exactly once
    assert on_disk.entries[1].text == "note 0, edited while the disk was full"
    assert on_disk.meeting.current_step == 1
    # Taking the rescue back in as well changes nothing: it holds nothing newer.
    before = store.layout.meeting("m1").read_bytes()
    assert store.import_rescued(rescued) == "m1"
    assert [e.id for e in store.load("m1").entries] == ids
    assert json.loads(store.layout.meeting("m1").read_bytes())["entries"] == json.loads(
        before)["entries"]


def test_a_full_disk_patched(store: Store, faults: Faults, tmp_path: Path) -> None:
    through_a_full_disk(Store(tmp_path / "data" / "fresh", FakeClock(START)),
                        lambda: faults.set("write", errno.ENOSPC), faults.clear,
                        tmp_path / "home")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("mounting a filesystem needs root; test_a_full_disk_patched covers it")
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)],
                      capture_output=True).returncode != 0:
        pytest.skip("mounting a tmpfs is not permitted here; test_a_full_disk_patched covers it")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path) -> Path:
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as file:
        for size in (65536, 4096, 1):
            try:
                while True:
                    file.write(b"\0" * size)
            except OSError as error:
                assert error.errno == errno.ENOSPC
    return filler


def test_a_really_full_disk(small_disk: Path, tmp_path: Path) -> None:
    filler: list[Path] = []
    through_a_full_disk(Store(small_disk / "data", FakeClock(START)),
                        lambda: filler.append(fill(small_disk)), lambda: filler[0].unlink(),
                        tmp_path / "home")


def test_a_rescue_that_fails_too_says_why(store: Store, tmp_path: Path) -> None:
    session = live_meeting(Store(tmp_path / "data2", FakeClock(START)))
    with pytest.raises(StoreError) as caught:
        session.rescue(tmp_path / "no such folder")
    assert "rescue copy of meeting m1" in caught.value.message
