"""A disk that is full, read-only or forbidden: a clear message, nothing committed lost, the
change kept in memory, and saved exactly once when the fault clears. Files stay private.

A change is one line appended to this device's log (``files/logfile.py``): open, one write,
fsync, and for a new log an fsync of its folder. Each step is made to fail here with each
errno a disk gives.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from kring.sessions.errors import ReadError, SaveError, StoreError, TransientError
from kring.sessions.meeting.changes import SetDetails
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.pending import PendingWrites
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.community import Community
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.model.protocol import Capture
from kring.sessions.store.changes import AddEntry, DeleteEntry
from kring.sessions.store.drafts import DraftSlot
from kring.sessions.store.facade import Store
from kring.sessions.store.files import logfile
from tests.support.faults import Faults, fill
from tests.support.live import plan

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
# open: the log cannot be opened; write: nothing written; short: half the line written, then
# the error (a disk filling up mid-write); fsync: written but not made durable; dirsync: a new
# log whose name could not be made durable.
STAGES = ("open", "write", "short", "fsync", "dirsync")
FAULTS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "quota is used up",
    errno.EROFS: "read-only disk",
    errno.EACCES: "no permission to write",
    errno.EPERM: "no permission to write",
    errno.EIO: "the disk reported an error",
}
# A folder that may not be opened cannot be fsynced: its new name is as durable as it gets.
SURVIVED = {("dirsync", errno.EACCES)}


def meeting(meeting_id: str = "m1") -> Meeting:
    return Meeting(id=meeting_id, community="Team 4B", date=date(2026, 11, 25),
                   protocol={"id": "incident"}, created_at=START, participants=["Anna", "Bram"])


def entry(number: int) -> Entry:
    return Entry(id=f"e{number}", kind=Capture.FACT, text=f"note {number} about Anna",
                 step="facts", created_at=datetime.fromtimestamp(START.timestamp() + number, UTC),
                 author="Bram")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    saved = Store(tmp_path / "data", FakeClock(START))
    saved.create_meeting(meeting())
    saved.apply("m1", AddEntry(entry(0)))
    return saved


@pytest.fixture
def faults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Faults]:
    yield Faults(monkeypatch, tmp_path / "data")


def run(save: Callable[[], object]) -> object:
    """How the queue sends a save these tests make of a function: by calling it."""
    return save()


def ids(store: Store, meeting_id: str = "m1") -> list[str]:
    return [e.id for e in store.load(meeting_id).entries]


@pytest.mark.parametrize("code", list(FAULTS), ids=[errno.errorcode[c] for c in FAULTS])
@pytest.mark.parametrize("stage", STAGES)
def test_a_failing_append_says_why_loses_nothing_and_saves_once_when_it_clears(
        store: Store, faults: Faults, stage: str, code: int) -> None:
    # A new meeting for the folder's fsync (only a new log needs one), else more entries.
    meeting_id = "m2" if stage == "dirsync" else "m1"
    path = store.layout.meeting_log(store.device, meeting_id)
    before = path.read_bytes() if path.exists() else b""
    committed = ids(store) if meeting_id == "m1" else []
    pending = PendingWrites(run)
    faults.set(stage, code)

    first = [pending.submit(lambda: store.create_meeting(meeting("m2")))] \
        if meeting_id == "m2" else []
    saved = first + [pending.submit(lambda n=n: store.apply(meeting_id, AddEntry(entry(n))))
                     for n in (1, 2, 3)]

    if (stage, code) in SURVIVED:
        assert all(saved) and faults.hit == 1
    else:
        assert not any(saved) and len(pending) == len(saved)
        error = pending.last_error
        assert isinstance(error, SaveError) and error.errno == code
        assert FAULTS[code] in error.message and f"meeting {meeting_id}" in error.message
        assert "Traceback" not in error.message
        assert not any(name in error.message for name in ("Anna", "Bram"))
        after = path.read_bytes() if path.exists() else b""
        assert after.startswith(before)  # appended to at most, never rewritten
        fresh = Store(store.layout.root)
        if meeting_id == "m1":
            assert ids(fresh)[: len(committed)] == committed  # nothing committed is lost
        if stage in ("open", "write"):  # nothing reached the disk: nothing shows
            assert after == before
            assert ids(store) == committed
        if stage == "short":  # half a line: ignored and reported, never a load failure
            assert ids(store) == committed
            assert any(p.partial and "cut off" in p.reason for p in store.problems)

        faults.clear()
        assert pending.retry() is True
    assert len(pending) == 0
    expected = [*committed, "e1", "e2", "e3"]
    assert ids(store, meeting_id) == expected  # each exactly once, however often tried
    assert ids(Store(store.layout.root), meeting_id) == expected
    assert path.read_bytes().startswith(before)


def test_every_kind_of_file_reports_a_full_disk(store: Store, monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    faults = Faults(monkeypatch, tmp_path)  # the data folder and the state folder (drafts)
    slot = store.draft_slot("m1")
    faults.set("write", errno.ENOSPC)
    attempts: list[tuple[str, Callable[[], object]]] = [
        ("meeting m1", lambda: store.apply("m1", SetDetails((("goal", "x"),)))),
        ("meeting m1", lambda: store.apply("m1", AddEntry(entry(1)))),
        ("meeting m1", lambda: store.apply("m1", DeleteEntry("e0"))),
        ("the draft of meeting m1", lambda: slot.save("x")),
        ("the communities", lambda: store.save_community(Community("Team 4B", []))),
        ("meeting m2", lambda: store.create_meeting(meeting("m2"))),
    ]
    for what, attempt in attempts:
        with pytest.raises(SaveError) as caught:
            attempt()
        assert str(caught.value).startswith(f"Could not save {what}: the disk is full.")
    faults.clear()
    assert ids(store) == ["e0"] and store.load("m1").meeting.goal == ""
    assert store.communities() == []
    slot.close()


def test_saves_wait_in_order_behind_one_that_failed(store: Store, faults: Faults) -> None:
    pending = PendingWrites(run)
    faults.set("open", errno.EROFS)
    assert not pending.submit(lambda: store.apply("m1", AddEntry(entry(1))))
    faults.clear()
    # The disk is back, but the edit must not overtake the entry it edits.
    edited = entry(1)
    edited.text = "edited"
    assert pending.submit(lambda: store.apply("m1", AddEntry(edited)))
    assert [(e.id, e.text) for e in store.load("m1").entries][1] == ("e1", "edited")


def test_a_draft_that_fails_to_save_is_kept_and_saved_later(store: Store,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           tmp_path: Path) -> None:
    faults = Faults(monkeypatch, store.layout.drafts)
    slot: DraftSlot = store.draft_slot("m1")
    slot.save("before")
    pending = PendingWrites(run)
    faults.set("write", errno.ENOSPC)
    assert not pending.submit(lambda: slot.save("typed during the fault"))
    faults.clear()
    assert pending.retry()
    slot.close()
    assert store.draft_slot("m1").recovered == "typed during the fault"


def test_a_log_that_is_not_a_file_stops_pending_writes_and_keeps_the_save(store: Store) -> None:
    pending = PendingWrites(run)
    path = store.layout.meeting_log(store.device, "m1")
    whole = path.read_bytes()
    path.unlink()
    path.symlink_to(path.with_name("elsewhere"))  # never written through
    with pytest.raises(StoreError):
        pending.submit(lambda: store.apply("m1", AddEntry(entry(1))))
    assert len(pending) == 1
    path.unlink()
    path.write_bytes(whole)
    assert pending.retry()
    assert ids(store) == ["e0", "e1"]
    assert pending.drop_all() == 0


def test_a_log_that_may_not_be_read_is_not_mistaken_for_a_broken_one(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open
    target = os.fspath(store.layout.meeting_log(store.device, "m1"))
    whole = Path(target).read_bytes()

    def no_reading(path: Any, flags: int, mode: int = 0o777, **kw: Any) -> int:
        if os.fspath(path) == target and not flags & (os.O_WRONLY | os.O_RDWR):
            raise PermissionError(errno.EACCES, "Permission denied", target)
        return real_open(path, flags, mode, **kw)

    monkeypatch.setattr(logfile.os, "open", no_reading)
    fresh = Store(store.layout.root)
    with pytest.raises(ReadError) as caught:
        fresh.load("m1")
    assert isinstance(caught.value, TransientError)
    assert "no permission to read" in caught.value.message
    assert fresh.problems == [] and Path(target).read_bytes() == whole
    monkeypatch.undo()
    assert ids(fresh) == ["e0"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_really_read_only_log(store: Store) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes to read-only files anyway; the patched faults above "
                    "cover EROFS/EACCES deterministically")
    path = store.layout.meeting_log(store.device, "m1")
    path.chmod(0o400)
    try:
        with pytest.raises(SaveError) as caught:
            store.apply("m1", AddEntry(entry(1)))
        assert "no permission" in caught.value.message
        assert ids(store) == ["e0"]
    finally:
        path.chmod(0o600)
    store.apply("m1", AddEntry(entry(1)))
    assert ids(store) == ["e0", "e1"]


def tree(folder: Path) -> tuple[list[Path], list[Path]]:
    everything = list(folder.rglob("*"))
    return ([folder, *[p for p in everything if p.is_dir()]],
            [p for p in everything if p.is_file()])


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077], ids=["000", "022", "077"])
def test_files_are_private_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        store = Store(tmp_path / "data" / "nested", FakeClock(START))
        store.create_meeting(meeting())
        store.apply("m1", AddEntry(entry(1)))
        with store.draft_slot("m1") as slot:
            slot.save("draft")
        store.save_community(Community("Team 4B", ["Anna"]))
        store.list_meetings()
    finally:
        os.umask(old)
    folders, files = [], []
    for root in (tmp_path / "data", tmp_path / "state"):
        more_folders, more_files = tree(root)
        folders += more_folders
        files += more_files
    names = {p.name for p in files}
    assert {"m1.jsonl", "communities.jsonl", "device", "index.sqlite"} <= names
    assert any(p.suffix == ".json" and p.parent.name == "m1" for p in files)  # the draft
    assert {str(p): oct(stat.S_IMODE(p.stat().st_mode)) for p in folders} == {
        str(p): "0o700" for p in folders}
    assert {str(p): oct(stat.S_IMODE(p.stat().st_mode)) for p in files} == {
        str(p): "0o600" for p in files}


# -- a whole meeting through a full disk: kept, rescued, and saved once when space returns ------


def live_meeting(store: Store) -> LiveMeeting:
    clock = FakeClock(START)
    made = plan().create(clock)
    made.id = "m1"
    store.create_meeting(made)
    return LiveMeeting(made, [], store, clock)


def through_a_full_disk(store: Store, full: Callable[[], None], space_returns: Callable[[], None],
                        home: Path, *, every_save_fails: bool = True) -> None:
    session = live_meeting(store)
    session.add_entry("typed before the disk filled up")
    full()
    typed = [session.add_entry(f"note {number} about Anna") for number in range(10)]
    session.edit_entry(typed[0].id, text="note 0, edited while the disk was full")
    session.next_phase()
    # A real disk still takes a few appends into the last block of the log before it refuses.
    assert session.unsaved == 12 if every_save_fails else 0 < session.unsaved <= 12
    assert "the disk is full" in (session.last_error or "")
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
    ids_ = [e.id for e in on_disk.entries]
    assert ids_ == [e.id for e in session.entries] and len(set(ids_)) == 11  # each once
    assert on_disk.entries[1].text == "note 0, edited while the disk was full"
    assert on_disk.meeting.current_step == 1
    assert [e.id for e in Store(store.layout.root).load("m1").entries] == ids_
    # Taking the rescue back in as well changes nothing: it holds nothing newer.
    log = store.layout.meeting_log(store.device, "m1")
    before = log.read_bytes()
    assert store.import_rescued(rescued) == "m1"
    assert [e.id for e in store.load("m1").entries] == ids_
    assert log.read_bytes() == before


def test_a_full_disk_patched(faults: Faults, tmp_path: Path) -> None:
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


def test_a_really_full_disk(small_disk: Path, tmp_path: Path) -> None:
    filler: list[Path] = []
    through_a_full_disk(Store(small_disk / "data", FakeClock(START)),
                        lambda: filler.append(fill(small_disk)), lambda: filler[0].unlink(),
                        tmp_path / "home", every_save_fails=False)


def test_a_rescue_that_fails_too_says_why(tmp_path: Path) -> None:
    session = live_meeting(Store(tmp_path / "data2", FakeClock(START)))
    with pytest.raises(StoreError) as caught:
        session.rescue(tmp_path / "no such folder")
    assert "rescue copy of meeting m1" in caught.value.message
