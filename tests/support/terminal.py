"""The installed `kring` in a real terminal: tmux sessions read and typed into, a meeting
stored for them to open, and waiting for what the screen or the disk shows.

.ci/run installs tmux where it is missing; without it the tests that need it skip."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import SystemClock
from kring.sessions.model.protocol import Role
from kring.sessions.store.facade import Store
from tests.support.catalog import CATALOG
from tests.support.guard import GUARD_CACHE

TMUX = shutil.which("tmux")
KRING = Path(sys.executable).parent / "kring"

# For ``env`` before kring in a tmux pane. COLUMNS and LINES in the environment override the
# window's size, and a pane started from pytest gets COLUMNS=80 LINES=24: a test asking tmux
# for 110×30 then ran kring at 80×24. And no privacy guard unless a test is about it
# (start_kring's ``guard``): its gigabyte process loading on a busy two-core machine slowed
# other tests' typing past their waits.
TMUX_ENV = "-u COLUMNS -u LINES KRING_GUARD=off"

needs_tmux = pytest.mark.skipif(TMUX is None,
                                reason="tmux is not installed (.ci/run installs it)")


class Terminal:
    """A tmux session: what it shows, and keys sent to it."""

    def __init__(self, name: str) -> None:
        self.name = name

    def tmux(self, *args: str) -> str:
        assert TMUX is not None
        return subprocess.run([TMUX, *args], capture_output=True, text=True, check=True).stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.tmux("send-keys", "-t", self.name, *(["-l"] if literal else []), *keys)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")


def stored_meeting(data: Path) -> str:
    """An incident-method meeting of three in ``data``, on the real clock; its id."""
    entry = CATALOG.find("incident", "en")
    assert entry is not None
    plan = MeetingPlan(entry.protocol, community="CoP", participants=["Anouk", "Bram", "Chantal"])
    plan.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: "Bram"}
    meeting = plan.create(SystemClock())
    Store(data).create_meeting(meeting)
    return meeting.id


def open_first_meeting(terminal: Terminal) -> None:
    """Enter on the home screen's first row, a meeting in progress, and its first phase shown."""
    terminal.wait_for("in progress")
    terminal.keys("Enter")
    terminal.wait_for("Phase 1 of")


def wait_until(check: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def start_kring(name: str, home: Path, *, language: str | None = None, width: int = 120,
                height: int = 40, config: str | None = None, args: str = "",
                guard: bool = False) -> Terminal:
    """The installed `kring` in a new tmux session ``name``, as a newcomer starts it: a home
    folder of its own (``home``) holding its data, config and state folders, and the system
    language ``language`` (LANG, as a Dutch or English laptop has it; None: the caller's).
    ``config``: the text of config.toml. ``guard``: with the privacy guard, as a newcomer has
    it (its lists shared with the tests: KRING_GUARD_CACHE). Kill it with ``Terminal.close``."""
    assert KRING.exists(), f"the kring command is not installed at {KRING}"
    (home / "config").mkdir(parents=True, exist_ok=True)
    if config is not None:
        (home / "config" / "config.toml").write_text(config, encoding="utf-8")
    unset = "-u COLUMNS -u LINES " + ("-u LANGUAGE -u LC_ALL -u LC_MESSAGES " if language else "")
    locale = f"LANG={language}_{'GB' if language == 'en' else language.upper()}.UTF-8 " \
        if language else ""
    guarded = f"KRING_GUARD={'on' if guard else 'off'} KRING_GUARD_CACHE={GUARD_CACHE} "
    env = (f"env {unset}HOME={home} {locale}{guarded}KRING_DATA={home / 'data'} "
           f"KRING_CONFIG={home / 'config'} KRING_STATE={home / 'state'} TERM=xterm-256color")
    subprocess.run([TMUX or "tmux", "new-session", "-d", "-s", name, "-x", str(width), "-y",
                    str(height), f"{env} {KRING} {args}".rstrip()], check=True)
    return Terminal(name)


def close(terminal: Terminal) -> None:
    """Kill ``terminal``'s tmux session, if it is still there."""
    subprocess.run([TMUX or "tmux", "kill-session", "-t", terminal.name], capture_output=True)


def running(terminal: Terminal) -> bool:
    """Whether ``terminal``'s tmux session (and so the program in it) is still there."""
    return subprocess.run([TMUX or "tmux", "has-session", "-t", terminal.name],
                          capture_output=True).returncode == 0
