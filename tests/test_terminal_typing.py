"""Typing in a real terminal, at the speed tmux delivers keys: bursts of lines, two windows in
one meeting, and a data folder that fills up. The installed `kring`, driven by tmux."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kring.sessions.store.facade import Store
from tests.support.terminal import (
    KRING,
    TMUX,
    TMUX_ENV,
    Terminal,
    needs_tmux,
    open_first_meeting,
    stored_meeting,
    wait_until,
)

pytestmark = [pytest.mark.e2e, needs_tmux]


@pytest.fixture
def windows(tmp_path: Path) -> Iterator[Callable[[Path], Terminal]]:
    """Start `kring` in new tmux sessions on a data folder; all are killed afterwards."""
    assert KRING.exists(), f"the kring command is not installed at {KRING}"
    started: list[str] = []

    def start(data: Path) -> Terminal:
        name = f"kring-typing-{os.getpid()}-{len(started)}"
        env = (f"KRING_DATA={data} KRING_CONFIG={tmp_path / 'config'} "
               f"KRING_STATE={tmp_path / 'state'} TERM=xterm-256color")
        subprocess.run([TMUX or "tmux", "new-session", "-d", "-s", name, "-x", "110", "-y",
                        "30", f"env {TMUX_ENV} {env} {KRING}"], check=True)
        started.append(name)
        return Terminal(name)

    yield start
    for name in started:
        subprocess.run([TMUX or "tmux", "kill-session", "-t", name], capture_output=True)


def stored(data: Path, meeting_id: str) -> list[str]:
    return [entry.text for entry in Store(data).load(meeting_id).entries]


def test_bursts_of_lines_are_stored_once_each_as_typed(
        windows: Callable[[Path], Terminal], tmp_path: Path) -> None:
    data = tmp_path / "data"
    meeting_id = stored_meeting(data)
    terminal = windows(data)
    open_first_meeting(terminal)
    sent: list[str] = []
    for burst in range(5):
        lines = [f"burst {burst} line {n} with some words" for n in range(6)]
        terminal.keys("".join(f"{line}\r" for line in lines), literal=True)  # one send-keys
        sent += lines
    wait_until(lambda: len(stored(data, meeting_id)) >= len(sent))
    time.sleep(0.5)  # anything doubled would show up by now
    assert stored(data, meeting_id) == sent


def test_two_windows_typing_at_once_keep_their_own_lines(
        windows: Callable[[Path], Terminal], tmp_path: Path) -> None:
    data = tmp_path / "data"
    meeting_id = stored_meeting(data)
    left, right = windows(data), windows(data)
    open_first_meeting(left)
    open_first_meeting(right)
    sent = {"left": [], "right": []}
    for n in range(20):
        for name, terminal in (("left", left), ("right", right)):
            line = f"{name} line {n} " + "abcdefghij" * (n % 3 + 1)
            terminal.keys(line[:10], literal=True)
            sent[name].append(line)
        for name, terminal in (("left", left), ("right", right)):
            terminal.keys(sent[name][-1][10:] + "\r", literal=True)
    everything = sent["left"] + sent["right"]
    wait_until(lambda: len(stored(data, meeting_id)) >= len(everything))
    time.sleep(1.5)
    got = stored(data, meeting_id)
    assert sorted(got) == sorted(everything)
    for name in sent:  # each window's lines in the order it typed them
        assert [line for line in got if line.startswith(name)] == sent[name]
    # Half a line typed in one window never shows up in the other's draft.
    left.keys("only left types this", literal=True)
    time.sleep(1.5)
    drafts = [p.read_text(encoding="utf-8")
              for p in Store(data).layout.drafts.rglob("*.json")]  # this device's state folder
    assert sum("only left types this" in text for text in drafts) == 1


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root (CI is root)")
def test_a_full_disk_keeps_entries_in_memory_and_writes_them_when_space_returns(
        windows: Callable[[Path], Terminal], tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(data)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"this machine does not allow a tmpfs mount: {mounted.stderr.strip()}")
    try:
        meeting_id = stored_meeting(data)
        terminal = windows(data)
        open_first_meeting(terminal)
        terminal.keys("before the disk filled\r", literal=True)
        wait_until(lambda: stored(data, meeting_id) == ["before the disk filled"])
        filler = data / "filler"
        subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], capture_output=True)
        # A log's last block may still have room for a few lines after the disk filled: type
        # on until a save is refused.
        kept = [f"kept in memory {n} " + "x" * 200 for n in range(40)]
        for line in kept:
            terminal.keys(line + "\r", literal=True)
        terminal.wait_for("Not saved yet")
        terminal.keys("and a draft being typed", literal=True)
        # Waited for, not slept on: a busy machine (the full suite on two cores) once took
        # longer than the second and a half this was given to say it.
        screen = terminal.wait_for("changes kept in memory")
        assert "Traceback" not in screen, screen
        filler.unlink()
        wait_until(lambda: stored(data, meeting_id) == ["before the disk filled", *kept])
        # The warning goes once everything is written (the "Saved again" note with it, which
        # may come and go between two looks at the screen).
        wait_until(lambda: "Not saved yet" not in terminal.screen())
    finally:
        subprocess.run(["umount", "-l", str(data)], capture_output=True)
