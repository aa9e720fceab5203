"""A real terminal for the benchmarks: tmux panes for the full-screen apps, a pty for the
commands that print. Whole processes, timed from outside, as a user waits for them."""

from __future__ import annotations

import contextlib
import os
import pty
import re
import shlex
import shutil
import struct
import subprocess
import termios
import time
from fcntl import ioctl
from pathlib import Path

TMUX = shutil.which("tmux")
TIME = Path("/usr/bin/time")  # GNU time: -v reports the peak resident set of the process
SOCKET = f"kring-bench-{os.getpid()}"  # a server of our own: nobody else's sessions are touched
WIDTH, HEIGHT = 100, 30
POLL = 0.005  # seconds between looks at the pane


def tmux(*args: str) -> str:
    assert TMUX is not None, "the benchmark needs tmux"
    return subprocess.run([TMUX, "-L", SOCKET, *args], capture_output=True, text=True,
                          check=True).stdout


class Server:
    """Our tmux server, kept up by an idle session so that starting it is never timed."""

    def __enter__(self) -> Server:
        tmux("new-session", "-d", "-s", "idle", "-x", str(WIDTH), "-y", str(HEIGHT), "sleep 3600")
        return self

    def __exit__(self, *_exc: object) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            tmux("kill-server")


class Pane:
    """One command running in a tmux session of WIDTH x HEIGHT, under GNU time."""

    count = 0

    def __init__(self, command: list[str], env: dict[str, str], memory_file: Path) -> None:
        Pane.count += 1
        self.name = f"run{Pane.count}"
        self.memory_file = memory_file
        memory_file.unlink(missing_ok=True)
        settings = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
        line = (f"env TERM=xterm-256color {settings} {TIME} -v -o {shlex.quote(str(memory_file))}"
                f" {shlex.join(command)}")
        self.started = time.perf_counter()
        tmux("new-session", "-d", "-s", self.name, "-x", str(WIDTH), "-y", str(HEIGHT), line)

    def screen(self) -> str:
        return tmux("capture-pane", "-p", "-t", self.name)

    def wait_for(self, *texts: str, timeout: float = 120) -> float:
        """The moment (perf_counter) every one of ``texts`` is on the screen at once."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            screen = self.screen()
            if all(text in screen for text in texts):
                return time.perf_counter()
            time.sleep(POLL)
        raise TimeoutError(f"{texts!r} never appeared; the screen was:\n{self.screen()}")

    def keys(self, *keys: str, literal: bool = False) -> None:
        tmux("send-keys", "-t", self.name, *(["-l"] if literal else []), *keys)

    def quit(self, *keys: str, timeout: float = 30) -> int:
        """Send the keys that quit, wait for the process to end; its peak memory in KiB."""
        self.keys(*keys)
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.memory_file.exists():
                found = re.search(r"Maximum resident set size \(kbytes\): (\d+)",
                                  self.memory_file.read_text())
                if found:
                    self.close()
                    return int(found.group(1))
            time.sleep(0.02)
        self.close()
        raise TimeoutError(f"{self.name} did not quit")

    def close(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            tmux("kill-session", "-t", self.name)


def run_in_pty(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Run a printing command with its output on a terminal (a pty of WIDTH columns, read
    as fast as it comes): its wall time and the bytes it printed."""
    leader, follower = pty.openpty()
    ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", HEIGHT, WIDTH, 0, 0))
    began = time.perf_counter()
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=follower,
                               stderr=follower, env={**os.environ, **env})
    os.close(follower)
    printed = 0
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the command ended and closed its side
            break
        if not chunk:
            break
        printed += len(chunk)
    process.wait()
    elapsed = time.perf_counter() - began
    os.close(leader)
    if process.returncode != 0:
        raise RuntimeError(f"{shlex.join(command)} exited {process.returncode}")
    return elapsed, printed
