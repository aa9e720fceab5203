"""Drafts belong to a window: two windows typing in one meeting never receive each other's
text, and what a window that died (kill -9 included) was typing is offered to the next one."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kring.sessions.errors import SaveError, TransientError
from kring.sessions.model.clock import FakeClock
from kring.sessions.store.drafts import DraftSlot
from kring.sessions.store.facade import Store
from kring.sessions.store.files.envelope import encode_document
from kring.sessions.store.layout import DRAFT_KIND
from tests.support.child import CHILD, Lines

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.skipif(os.name != "posix", reason="flock and SIGKILL are POSIX")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "data", FakeClock(START), lock_timeout=0.5)


class Window:
    """A Kring window in another process, holding a draft slot."""

    def __init__(self, data: Path, meeting_id: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(CHILD), "draft", str(data), meeting_id],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.process.stdout is not None
        self.lines = Lines(self.process.stdout.fileno())
        word, _, recovered = self.lines.next().partition(" ")
        assert word == "ready"
        self.recovered: str | None = json.loads(recovered)

    def tell(self, line: str) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{line}\n".encode())
        self.process.stdin.flush()
        return self.lines.next()

    def save(self, text: str) -> None:
        assert self.tell(f"save {text}") == f"saved {text}"

    def close(self) -> None:
        assert self.tell("close") == "closed"
        self.process.wait(timeout=10)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


def test_a_window_keeps_and_clears_its_own_draft(store: Store) -> None:
    slot = store.draft_slot("m1")
    assert slot.recovered is None
    slot.save("typing ✍️")
    slot.save("typing ✍️ more")
    assert json.loads(slot.path.read_bytes())["text"] == "typing ✍️ more"
    assert slot.window_id not in slot.path.parent.name  # a random id, not the meeting's
    slot.save("")
    assert not slot.path.exists()
    slot.close()
    slot.close()  # harmless twice
    assert not store.layout.drafts.joinpath("m1").exists()  # nothing left behind
    with pytest.raises(RuntimeError):
        slot.save("after closing")


def test_a_closed_window_s_text_goes_to_the_next_window_once(store: Store) -> None:
    with store.draft_slot("m1") as first:
        first.save("half a sentence")
    second = store.draft_slot("m1")
    assert second.recovered == "half a sentence"
    third = store.draft_slot("m1")
    assert third.recovered is None  # the second window has it now, and is still open
    second.close()  # unchanged and not cleared: still there for the window after
    assert store.draft_slot("m1").recovered == "half a sentence"


def test_two_windows_typing_at_once_keep_apart(store: Store) -> None:
    left, right = store.draft_slot("m1"), store.draft_slot("m1")
    for number in range(20):
        left.save(f"left {number}")
        right.save(f"right {number}")
    assert json.loads(left.path.read_bytes())["text"] == "left 19"
    assert json.loads(right.path.read_bytes())["text"] == "right 19"
    assert store.draft_slot("m1").recovered is None  # both are alive: nothing to claim
    left.close()
    right.close()
    both = store.draft_slot("m1")
    assert both.recovered is not None
    assert sorted(both.recovered.split("\n")) == ["left 19", "right 19"]


def test_two_processes_typing_each_keep_their_own_and_a_kill_hands_over(
        store: Store) -> None:
    data = store.layout.root
    left, right = Window(data, "m1"), Window(data, "m1")
    try:
        assert left.recovered is None and right.recovered is None
        for number in range(15):
            left.save(f"left {number}")
            right.save(f"right {number}")
        left.kill()  # right after its last key: the draft was saved before "saved" came back
        # A new window gets the dead window's typing, and not that of the window still open.
        with store.draft_slot("m1") as third:
            assert third.recovered == "left 14"
            right.save("right goes on")
            third.save("")
        right.close()
        # The closed window's draft stays for whoever opens the meeting next.
        again = Window(data, "m1")
        assert again.recovered == "right goes on"
        again.close()
    finally:
        for window in (left, right):
            if window.process.poll() is None:
                window.kill()


def test_windows_opening_at_the_same_moment_claim_a_dead_draft_once(store: Store) -> None:
    dead = [store.draft_slot("m1") for _ in range(5)]
    for number, slot in enumerate(dead):
        slot.save(f"left by window {number}")
    for slot in dead:
        slot.close()
    opened: list[DraftSlot] = []
    start = threading.Barrier(8)

    def open_one() -> None:
        start.wait()
        opened.append(Store(store.layout.root, FakeClock(START)).draft_slot("m1"))

    threads = [threading.Thread(target=open_one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    got = [line for slot in opened if slot.recovered for line in slot.recovered.split("\n")]
    assert sorted(got) == [f"left by window {n}" for n in range(5)]  # each once, none lost


def test_a_draft_from_before_windows_is_recovered(store: Store) -> None:
    with store.draft_slot("m1") as dead:
        dead.save("typed later")
    legacy = store.layout.draft("m1")
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(encode_document(DRAFT_KIND, {
        "meeting": "m1", "text": "typed in an older Kring", "saved_at": "2026-11-24T10:00:00"}))
    slot = store.draft_slot("m1")
    assert slot.recovered == "typed in an older Kring\ntyped later"  # oldest first
    assert not legacy.exists()
    assert json.loads(slot.path.read_bytes())["text"] == slot.recovered  # kept before deleting


def test_a_broken_draft_is_set_aside_and_reported(store: Store) -> None:
    with store.draft_slot("m1") as dead:
        dead.save("x")
        path = dead.path
    path.write_bytes(b"{not json")
    slot = store.draft_slot("m1")
    assert slot.recovered is None
    (problem,) = store.problems
    assert problem.meeting_id == "m1" and problem.moved_to is not None
    assert problem.moved_to.read_bytes() == b"{not json"


def test_a_disk_that_refuses_keeps_the_dead_draft_for_later(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    with store.draft_slot("m1") as dead:
        dead.save("do not lose me")
    real_open = os.open

    def full(path: object, flags: int, *args: object, **kw: object) -> int:
        if str(path).endswith(".tmp"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(path, flags, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", full)
    slot = store.draft_slot("m1")
    assert slot.recovered == "do not lose me"  # shown, though it could not be claimed
    with pytest.raises(SaveError) as caught:
        slot.save("more")
    assert isinstance(caught.value, TransientError) and "disk is full" in caught.value.message
    slot.close()
    monkeypatch.setattr(os, "open", real_open)
    assert store.draft_slot("m1").recovered == "do not lose me"


def test_a_read_only_disk_gives_a_slot_that_says_why_on_save(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def read_only(path: object, flags: int, *args: object, **kw: object) -> int:
        if flags & os.O_CREAT:
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, flags, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", read_only)
    slot = store.draft_slot("m1")
    assert slot.recovered is None
    with pytest.raises(SaveError, match="read-only"):
        slot.save("typed")
    monkeypatch.setattr(os, "open", real_open)
    slot.save("typed")  # the disk is back: the slot takes its lock now
    slot.close()
    assert store.draft_slot("m1").recovered == "typed"


def test_bad_meeting_ids_are_refused(store: Store) -> None:
    with pytest.raises(ValueError):
        store.draft_slot("../m1")
