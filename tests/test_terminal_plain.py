"""Text from outside never steers the terminal (issue 22, invariant 1): what another laptop
wrote into the data folder (a community's name, a member's, an entry with escape codes) is
shown in the real `kring`, in tmux, and the bytes the app wrote to the terminal carry none of
its escape sequences; the screen shows U+FFFD where they were. The Pilot tests below check each
kind of widget that shows such text."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import SystemClock
from kring.sessions.model.community import Community
from kring.sessions.model.meeting import Case, Entry, new_id
from kring.sessions.model.protocol import Capture, Role
from kring.sessions.protocols.catalog import load_catalog
from kring.sessions.store.facade import Store
from kring.templates import BUILTIN_DIR
from tests.test_terminal import KRING, TMUX, Terminal

HOSTILE = "Look\x1b]0;owned\x07 here\x1b]52;c;aGk=\x07 \x1b[2J\x1b[8mhidden \u202etxt.exe"
NAME = "Zoë\x1b]0;x\x07"  # a member's name, and the community's
COMMUNITY = "CoP\x1b]0;x\x07"
FORBIDDEN = [b"\x1b]0;owned", b"\x1b]52;", b"\x1b]0;x", b"\x1b[8m", "\u202e".encode()]


def hostile_meeting(data: Path) -> str:
    """A meeting as another laptop might have synced it: every name and text steers."""
    found = load_catalog(BUILTIN_DIR).find("incident", "en")
    assert found is not None
    participants = ["Anouk", NAME, "Chantal"]
    plan = MeetingPlan(found.protocol, community=COMMUNITY, participants=participants)
    plan.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: NAME}
    plan.case = Case(title="Case\x1b]0;x\x07 title", summary=HOSTILE, focus_question=HOSTILE)
    meeting = plan.create(SystemClock())
    step = found.protocol.steps(participants)[0].key
    now = datetime.now(UTC)
    entries = [
        Entry(id=new_id(), kind=Capture.NOTE, text=HOSTILE, step=step, created_at=now,
              author=NAME),
        Entry(id=new_id(), kind=Capture.ACTION, text="Act\x1b]52;c;aGk=\x07", step=step,
              created_at=now, owner=NAME, due=date(2030, 1, 1)),
    ]
    store = Store(data)
    store.create_meeting(meeting, entries)
    store.save_community(Community(meeting.community, ["Anouk", NAME]))
    return meeting.id


@pytest.fixture
def recorded(tmp_path: Path) -> Iterator[tuple[Terminal, Path]]:
    """`kring` in tmux on a data folder with a hostile meeting; every byte it writes to the
    terminal is recorded (tmux pipe-pane) from before its first frame."""
    if TMUX is None:
        pytest.skip("tmux is not installed (.ci/run installs it)")
    assert KRING.exists(), f"the kring command is not installed at {KRING}"
    hostile_meeting(tmp_path / "data")
    stream = tmp_path / "stream.bin"
    name = f"kring-plain-{os.getpid()}"
    env = (f"KRING_DATA={tmp_path / 'data'} KRING_CONFIG={tmp_path / 'config'} "
           f"KRING_STATE={tmp_path / 'state'} TERM=xterm-256color")
    # The app waits for the recording to start: its first frame is recorded too.
    subprocess.run([TMUX, "new-session", "-d", "-s", name, "-x", "120", "-y", "40",
                    f"sleep 1; env {env} {KRING}"], check=True)
    try:
        subprocess.run([TMUX, "pipe-pane", "-o", "-t", name, f"cat >> {stream}"], check=True)
        yield Terminal(name), stream
    finally:
        subprocess.run([TMUX, "kill-session", "-t", name], capture_output=True)


def test_names_and_entries_from_outside_reach_the_terminal_as_plain_text(
        recorded: tuple[Terminal, Path]) -> None:
    terminal, stream = recorded
    home = terminal.wait_for("in progress")
    assert "CoP\ufffd]0;x\ufffd" in home  # the community's name, its escape shown
    terminal.keys("Enter")
    meeting = terminal.wait_for("Phase 1 of")
    terminal.wait_for("Look\ufffd]0;owned\ufffd here")
    meeting = terminal.screen()
    assert "\ufffd]52;c;aGk=\ufffd" in meeting
    assert "Zoë\ufffd]0;x\ufffd" in meeting  # the entry's author
    # The communities screen: the name in the list and the member in the roster.
    terminal.keys("Escape")
    terminal.wait_for("Leave the meeting?")
    terminal.keys("Enter")
    terminal.wait_for("in progress")
    communities = ""
    for _attempt in range(20):  # the home screen takes keys once it has the focus again
        terminal.keys("c")
        time.sleep(0.5)
        communities = terminal.screen()
        if "Members of" in communities:
            break
    assert "Zoë\ufffd]0;x\ufffd" in communities
    time.sleep(0.5)  # the last frame written
    written = stream.read_bytes()
    assert len(written) > 1000, "nothing was recorded"
    for sequence in FORBIDDEN:
        assert sequence not in written, f"{sequence!r} reached the terminal"
