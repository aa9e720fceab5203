"""Issue 24, item 10, in a real terminal: a phase's time running out rings the terminal bell,
read from the very bytes the installed `kring` writes to its terminal (tmux pipe-pane copies
the program's output as it is, before tmux itself does anything with a bell), and
``bell = false`` in config.toml keeps it silent.

The time runs out by the facilitator's own key: −1 min (ctrl+y) until the phase's last minute
(one ring), once more until none is left (one more ring), and then nothing more."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.terminal import (
    Terminal,
    close,
    needs_tmux,
    open_first_meeting,
    start_kring,
    stored_meeting,
    wait_until,
)

pytestmark = [pytest.mark.e2e, needs_tmux]

# An OSC sequence (a window title, a hyperlink) may end with BEL too: that is no ring.
OSC = re.compile(rb"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def rings(stream: Path) -> int:
    data = stream.read_bytes() if stream.exists() else b""
    return OSC.sub(b"", data).count(b"\x07")


def planned(terminal: Terminal) -> int:
    found = re.search(r"(\d+) min planned", terminal.screen())
    return int(found[1]) if found else -1


@pytest.fixture
def meeting(tmp_path: Path) -> Iterator[tuple[Terminal, Path, Path]]:
    """An incident-method meeting open in `kring`, its output copied to a file; yields the
    terminal, the file, and the config folder's config.toml (written before the start)."""
    home = tmp_path / "home"
    stored_meeting(home / "data")
    started: list[Terminal] = []

    def start(config: str) -> tuple[Terminal, Path]:
        terminal = start_kring(f"kring-bell-{os.getpid()}", home, language="en",
                               config=config)
        started.append(terminal)
        open_first_meeting(terminal)
        stream = tmp_path / "stream"
        terminal.tmux("pipe-pane", "-o", "-t", terminal.name, f"cat >> {stream}")
        return terminal, stream

    yield start  # type: ignore[misc]
    for terminal in started:
        close(terminal)


def run_out(terminal: Terminal) -> None:
    """−1 min until one minute is planned (the phase's last minute, as a few seconds have
    passed), checked on the screen after each press."""
    for _press in range(60):
        now = planned(terminal)
        assert now >= 0, terminal.screen()
        if now == 1:
            return
        terminal.keys("C-y")
        wait_until(lambda before=now: planned(terminal) == before - 1, timeout=5)
    raise AssertionError("the phase's time never came down to a minute")


def test_the_bell_rings_once_when_the_time_is_up(meeting) -> None:  # type: ignore[no-untyped-def]
    terminal, stream = meeting("")
    assert rings(stream) == 0
    run_out(terminal)
    wait_until(lambda: rings(stream) == 1, timeout=5)  # the last minute
    terminal.keys("C-y")  # no time left: it is up
    wait_until(lambda: "OVERTIME" in terminal.screen(), timeout=5)
    wait_until(lambda: rings(stream) == 2, timeout=5)
    time.sleep(2.5)  # ticks go on four times a second: none of them rings again
    assert rings(stream) == 2


def test_bell_false_in_config_keeps_the_terminal_silent(meeting) -> None:  # type: ignore[no-untyped-def]
    terminal, stream = meeting("bell = false\n")
    run_out(terminal)
    terminal.keys("C-y")
    wait_until(lambda: "OVERTIME" in terminal.screen(), timeout=5)  # the time is up
    time.sleep(2.5)
    assert stream.exists() and stream.stat().st_size > 0  # the stream was read
    assert rings(stream) == 0
