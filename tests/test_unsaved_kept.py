"""While the data folder refuses to save (full, read-only), what is not saved yet is kept in the
state folder's drafts too, so that a kill then loses nothing: the next window of the meeting
takes it back in, at once or, if the disk still refuses, as soon as it has room.

The data folder's disk is made to refuse with the fault injection of tests/support/faults.py;
the state folder is elsewhere (as it is when the data folder is a synced folder on a full disk or
a read-only share). A kill is what the kernel does for a killed process: its descriptors close,
which lets go of its locks, and nothing else runs. The last tests kill a real `kring` (-9).
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import Entry
from kring.sessions.model.protocol import Capture
from kring.sessions.store.changes import AddEntry
from kring.sessions.store.drafts import DraftSlot
from kring.sessions.store.facade import Store
from kring.sessions.store.rescue import UNSAVED, read_rescued
from kring.tui.app import create_app
from kring.tui.screens.meeting import MeetingScreen
from tests.support.catalog import CATALOG
from tests.support.faults import Faults
from tests.support.live import plan
from tests.support.meeting_app import burst, open_meeting_to_type, stored_meeting
from tests.support.terminal import (
    KRING,
    TMUX,
    TMUX_ENV,
    Terminal,
    open_first_meeting,
    wait_until,
)
from tests.support.terminal import stored_meeting as terminal_meeting

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
pytestmark = pytest.mark.skipif(os.name != "posix", reason="flock and SIGKILL are POSIX")


@dataclass
class Window:
    """A window of the meeting as the app makes one: the meeting, its draft slot, its store."""

    store: Store
    live: LiveMeeting
    slot: DraftSlot
    taken_in: int

    def kill(self) -> None:
        """What kill -9 leaves: the lock's descriptor closed by the kernel, nothing tidied."""
        fd = self.slot._fd
        if fd is not None:
            os.close(fd)
            self.slot._fd = None


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    data, state = tmp_path / "data", tmp_path / "state"
    made = plan().create(FakeClock(START))
    made.id = "m1"
    store = Store(data, FakeClock(START), state=state)
    store.create_meeting(made)
    store.apply("m1", AddEntry(Entry(id="saved", kind=Capture.FACT, text="saved before",
                                     step="facts", created_at=START)))
    return data, state


def open_window(folders: tuple[Path, Path], clock: FakeClock) -> Window:
    data, state = folders
    store = Store(data, clock, state=state, lock_timeout=0.5)
    record = store.load("m1")
    live = LiveMeeting(record.meeting, record.entries, store, clock)
    slot = store.draft_slot("m1")
    return Window(store, live, slot, live.keep_unsaved_in(slot.unsaved, store.import_rescued))


def kept_copies(state: Path) -> list[Path]:
    return sorted(state.rglob(f"*{UNSAVED}*.json"))


def contents(live: LiveMeeting) -> tuple[list[tuple[str, str]], dict[str, object]]:
    header = live.meeting.to_dict()
    return [(e.id, e.text) for e in live.entries], {
        key: header.get(key) for key in ("current_step", "goal", "protected_names", "runs")}


def stored(store: Store) -> tuple[list[tuple[str, str]], dict[str, object]]:
    record = store.load("m1")
    header = record.meeting.to_dict()
    return [(e.id, e.text) for e in record.entries], {
        key: header.get(key) for key in ("current_step", "goal", "protected_names", "runs")}


@pytest.fixture
def data_disk(monkeypatch: pytest.MonkeyPatch, folders: tuple[Path, Path]) -> Faults:
    return Faults(monkeypatch, folders[0])


def make_changes(window: Window, clock: FakeClock) -> None:
    live = window.live
    live.start()
    for number in range(3):
        clock.advance(1)
        live.add_line(f"note {number} about Anouk")
    first = live.entries[1]
    clock.advance(1)
    live.edit_entry(first.id, text="note 0, edited while the disk was full")
    live.delete_entry("saved")  # saved before the disk filled: the copy must say it is gone
    clock.advance(1)
    gone = live.add_line("typed and deleted again").entry
    assert gone is not None
    live.delete_entry(gone.id)
    live.next_phase()
    live.add_minutes(2)
    live.update_details(goal="kept through a kill")
    live.protect_names(["Anouk"])


def test_a_kill_while_the_data_disk_is_full_loses_nothing(
        folders: tuple[Path, Path], data_disk: Faults) -> None:
    clock = FakeClock(START)
    first = open_window(folders, clock)
    assert first.taken_in == 0 and kept_copies(folders[1]) == []
    data_disk.set("write", errno.ENOSPC)
    make_changes(first, clock)
    assert first.live.unsaved > 5 and "the disk is full" in (first.live.last_error or "")
    assert first.live.kept and first.live.kept_error is None
    (copy,) = kept_copies(folders[1])
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert "Anouk" not in copy.name and "m1" in str(copy)
    # What was deleted meanwhile: a whole copy alone could not say "saved" is gone.
    assert "saved" in read_rescued(copy).deleted and len(read_rescued(copy).deleted) == 2
    wanted = contents(first.live)
    assert stored(Store(folders[0], state=folders[1]))[0] == [("saved", "saved before")]

    first.kill()
    # Opened again while the disk is still full: shown as it was, and kept again.
    second = open_window(folders, clock)
    assert second.taken_in == 1 and contents(second.live) == wanted
    assert second.live.unsaved == 1 and second.live.kept
    clock.advance(1)
    late = second.live.add_line("typed after the first kill").entry
    assert late is not None
    wanted = contents(second.live)
    second.kill()

    data_disk.clear()
    third = open_window(folders, clock)
    assert third.taken_in == 2  # the first window's copy, then the second's
    assert third.live.unsaved == 0 and not third.live.kept
    assert contents(third.live) == wanted
    assert stored(Store(folders[0], state=folders[1])) == wanted  # on disk, for every reader
    assert kept_copies(folders[1]) == []  # taken in: gone


def test_space_returning_during_a_change_shows_each_entry_once(
        folders: tuple[Path, Path], data_disk: Faults) -> None:
    clock = FakeClock(START)
    first = open_window(folders, clock)
    data_disk.set("write", errno.ENOSPC)
    first.live.add_line("before the kill")
    first.kill()
    second = open_window(folders, clock)
    assert second.live.unsaved == 1  # shown, and waiting for room
    data_disk.clear()
    clock.advance(1)
    second.live.add_line("as space returns")  # the copy goes in first, then this line
    wanted = ["saved before", "before the kill", "as space returns"]
    assert [e.text for e in second.live.entries] == wanted
    second.live.sync()
    assert [e.text for e in second.live.entries] == wanted
    assert [text for _, text in stored(second.store)[0]] == wanted
    assert kept_copies(folders[1]) == []


def test_once_space_returns_the_copy_goes(folders: tuple[Path, Path], data_disk: Faults) -> None:
    clock = FakeClock(START)
    window = open_window(folders, clock)
    data_disk.set("write", errno.ENOSPC)
    window.live.add_line("kept until the disk has room")
    assert len(kept_copies(folders[1])) == 1
    data_disk.clear()
    assert window.live.sync() is False and window.live.unsaved == 0
    assert kept_copies(folders[1]) == []
    assert "kept until the disk has room" in dict(stored(window.store)[0]).values()


def test_a_state_folder_that_refuses_too_is_said(folders: tuple[Path, Path],
                                                 data_disk: Faults,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    state_disk = Faults(monkeypatch, folders[1])
    clock = FakeClock(START)
    window = open_window(folders, clock)
    data_disk.set("write", errno.ENOSPC)
    state_disk.set("write", errno.ENOSPC)
    window.live.add_line("in memory only")
    assert window.live.unsaved == 1 and not window.live.kept
    assert window.live.kept_error == "the disk is full"
    assert kept_copies(folders[1]) == []
    state_disk.clear()  # room in the state folder again, still none in the data folder
    window.live.sync()
    assert window.live.kept and window.live.kept_error is None
    assert len(kept_copies(folders[1])) == 1


def test_an_undone_delete_is_not_deleted_by_the_copy(folders: tuple[Path, Path],
                                                     data_disk: Faults) -> None:
    clock = FakeClock(START)
    window = open_window(folders, clock)
    data_disk.set("write", errno.ENOSPC)
    entry = window.live.delete_entry("saved")
    assert entry is not None
    window.live.restore_entry(entry)
    window.kill()
    data_disk.clear()
    again = open_window(folders, clock)
    assert [e.id for e in again.live.entries] == ["saved"]
    assert [e.id for e in again.store.load("m1").entries] == ["saved"]


def test_a_living_window_keeps_its_own_copy(folders: tuple[Path, Path],
                                            data_disk: Faults) -> None:
    clock = FakeClock(START)
    first = open_window(folders, clock)
    data_disk.set("write", errno.ENOSPC)
    first.live.add_line("the first window's")
    other = open_window(folders, clock)  # the same meeting in a second window, still full
    assert other.taken_in == 0 and other.live.unsaved == 0
    assert len(kept_copies(folders[1])) == 1
    data_disk.clear()
    first.live.sync()
    assert kept_copies(folders[1]) == []


def test_a_copy_that_does_not_read_is_set_aside_not_lost(folders: tuple[Path, Path],
                                                         data_disk: Faults) -> None:
    clock = FakeClock(START)
    first = open_window(folders, clock)
    data_disk.set("write", errno.ENOSPC)
    first.live.add_line("soon damaged")
    (copy,) = kept_copies(folders[1])
    first.kill()
    copy.write_bytes(b"{ cut off")
    data_disk.clear()
    second = open_window(folders, clock)
    assert second.taken_in == 1 and second.live.unsaved == 0
    assert kept_copies(folders[1]) == []
    assert [p.name for p in copy.parent.iterdir() if "corrupt" in p.name]  # kept for a person


# -- through the app ---------------------------------------------------------------------------


async def test_the_app_keeps_refused_lines_and_the_next_start_takes_them_in(
        data: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    meeting_id = stored_meeting(data, clock)
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(110, 30)) as pilot:
        screen = await open_meeting_to_type(pilot, meeting_id)
        full = Faults(monkeypatch, data)
        full.set("write", errno.ENOSPC)
        burst(app, "kept in the state folder\r")
        await pilot.pause(0.3)
        assert screen.live.unsaved == 1
        hint = str(screen.query_one("#capture-hint").render())
        assert "kept in memory and in the state folder" in hint, hint
        assert len(kept_copies(app.store.layout.state)) == 1
        # The process ends here without the data folder taking the line (as a kill would).
    full.clear()
    app = create_app(data, CATALOG, clock)
    async with app.run_test(size=(110, 30)) as pilot:
        screen = await open_meeting_to_type(pilot, meeting_id)
        assert isinstance(screen, MeetingScreen)
        assert [e.text for e in screen.live.entries] == ["kept in the state folder"]
        assert screen.live.unsaved == 0
        assert kept_copies(app.store.layout.state) == []
    assert [e.text for e in Store(data).load(meeting_id).entries] == ["kept in the state folder"]


# -- a real kring, killed -9 -------------------------------------------------------------------


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    if TMUX is None or os.geteuid() != 0:
        pytest.skip("needs tmux and root (a small tmpfs for the data folder)")
    data = tmp_path / "data"
    data.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(data)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"this machine does not allow a tmpfs mount: {mounted.stderr.strip()}")
    try:
        yield data
    finally:
        subprocess.run(["umount", "-l", str(data)], capture_output=True)


def start_kring(tmp_path: Path, data: Path, started: list[str]) -> Terminal:
    name = f"kring-kept-{os.getpid()}-{len(started)}"
    env = (f"KRING_DATA={data} KRING_CONFIG={tmp_path / 'config'} "
           f"KRING_STATE={tmp_path / 'state'} TERM=xterm-256color")
    subprocess.run([TMUX or "tmux", "new-session", "-d", "-s", name, "-x", "110", "-y", "30",
                    f"env {TMUX_ENV} {env} {KRING}"], check=True)
    started.append(name)
    return Terminal(name)


def pane_pid(terminal: Terminal) -> int:
    # `env` execs kring: the pane's process is kring itself.
    return int(terminal.tmux("list-panes", "-t", terminal.name, "-F", "#{pane_pid}").split()[0])


def texts(data: Path, meeting_id: str) -> list[str]:
    return [entry.text for entry in Store(data).load(meeting_id).entries]


@pytest.fixture
def sessions() -> Iterator[list[str]]:
    started: list[str] = []
    yield started
    for name in started:
        subprocess.run([TMUX or "tmux", "kill-session", "-t", name], capture_output=True)


@pytest.mark.e2e
def test_kill_9_on_a_full_disk_and_the_next_kring_has_every_line(
        full_disk: Path, tmp_path: Path, sessions: list[str]) -> None:
    data = full_disk
    meeting_id = terminal_meeting(data)
    terminal = start_kring(tmp_path, data, sessions)
    open_first_meeting(terminal)
    terminal.keys("before the disk filled\r", literal=True)
    wait_until(lambda: texts(data, meeting_id) == ["before the disk filled"])
    filler = data / "filler"
    subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], capture_output=True)
    typed = [f"kept through a kill {n} " + "x" * 200 for n in range(40)]
    for line in typed:
        terminal.keys(line + "\r", literal=True)
    terminal.wait_for("kept in memory and in the state folder")
    wait_until(lambda: len(texts(data, meeting_id)) < 41 and typed[-1] in "".join(
        path.read_text(encoding="utf-8") for path in kept_copies(tmp_path / "state")))
    kring = pane_pid(terminal)
    os.kill(kring, signal.SIGKILL)
    wait_until(lambda: not alive(kring))
    on_disk = texts(data, meeting_id)
    assert on_disk != ["before the disk filled", *typed]  # the kill did find lines unsaved

    filler.unlink()
    again = start_kring(tmp_path, data, sessions)
    open_first_meeting(again)
    wait_until(lambda: texts(data, meeting_id) == ["before the disk filled", *typed])
    time.sleep(0.5)
    assert "Traceback" not in again.screen()
    assert kept_copies(tmp_path / "state") == []


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
