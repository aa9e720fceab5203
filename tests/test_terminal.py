"""End to end: the installed `kring`, in a real terminal (tmux), driven by keystrokes.

.ci/run installs tmux where it is missing, so in CI this always runs."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from kring.sessions.model.meeting import Status
from kring.sessions.model.protocol import Capture
from kring.sessions.store.facade import Store
from tests.support.terminal import KRING, TMUX, TMUX_ENV, Terminal, needs_tmux

pytestmark = [pytest.mark.e2e, needs_tmux]


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    assert KRING.exists(), f"the kring command is not installed at {KRING}"
    name = f"kring-e2e-{os.getpid()}"
    env = (f"KRING_DATA={tmp_path / 'data'} KRING_CONFIG={tmp_path / 'config'} "
           "TERM=xterm-256color")
    subprocess.run([TMUX or "tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "30",
                    f"env {TMUX_ENV} {env} {KRING}"], check=True)
    try:
        yield Terminal(name)
    finally:
        subprocess.run([TMUX or "tmux", "kill-session", "-t", name], capture_output=True)


def test_a_short_meeting_by_keystrokes(terminal: Terminal, tmp_path: Path) -> None:
    terminal.wait_for("Welcome to Kring")
    terminal.keys("d")
    terminal.wait_for("Phase 1 of 7")
    terminal.keys("a: Send the minutes @chantal +7d", literal=True)
    terminal.keys("Enter")
    terminal.wait_for("Send the minutes")
    terminal.keys("C-n")
    terminal.wait_for("Phase 2 of 7")
    terminal.keys("q: How long has this been going on?", literal=True)
    terminal.keys("Enter")
    terminal.wait_for("How long has this been going")  # the entry wraps after its author
    terminal.keys("F10")
    terminal.wait_for("Action points")
    terminal.wait_for("phases still to come")  # ending at phase 2 of 7 says so, same dialog
    terminal.keys("Enter")  # the end dialog starts on its ending button
    terminal.wait_for("Meetings")
    terminal.keys("C-q")

    store = Store(tmp_path / "data")
    [summary] = store.list_meetings()
    record = store.load(summary.id)
    assert record.meeting.status is Status.ENDED
    kinds = {entry.kind: entry for entry in record.entries}
    assert kinds[Capture.ACTION].owner == "Chantal" and kinds[Capture.ACTION].due is not None
    assert kinds[Capture.QUESTION].text == "How long has this been going on?"
