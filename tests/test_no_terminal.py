"""``kring`` and ``kring project`` are full-screen apps: with their input or output a pipe or a
file they say so and stop, rather than draw escape codes into it and wait for keys until
killed. The real command, as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kring.sessions.store.facade import Store
from tests.support.store import meeting

KRING = [sys.executable, "-m", "kring.tui"]


def run(*args: str, stdin: int | None = subprocess.DEVNULL) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KRING, *args], stdin=stdin, capture_output=True, text=True,
                          timeout=60)


@pytest.mark.parametrize("args", [(), ("project",)], ids=["kring", "kring project"])
def test_without_a_terminal_the_app_says_so_and_stops(data: Path, args: tuple[str, ...]) -> None:
    Store(data).create_meeting(meeting("m1"))
    done = run(*args)  # stdout a pipe, stdin /dev/null: as `kring | less` or a cron job
    assert done.returncode == 2
    assert "need a terminal" in done.stderr and "kring --help" in done.stderr
    assert done.stdout == ""  # not one escape code went into the pipe
    assert "\x1b" not in done.stderr


def test_the_commands_that_print_still_print_into_a_pipe(data: Path) -> None:
    done = run("templates")
    assert done.returncode == 0 and "incident" in done.stdout


def test_it_says_so_in_the_interface_s_language(data: Path) -> None:
    done = run("--lang", "nl")
    assert done.returncode == 2 and "hebben een terminal nodig" in done.stderr
