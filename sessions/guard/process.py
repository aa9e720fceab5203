"""The spotter in a process of its own, for the app: loading it takes seconds (minutes the first
time on a laptop) and a gigabyte, and neither may touch the window the note-taker types in.

``GuardProcess`` starts this module in a Python process of its own, which loads the engine
and then answers requests: a list of texts in, their spans out, as lines of JSON on its
standard input and output. Its state is told as it goes ("building", "loading", "ready", or
"off" with the reason, on the caller's ``on_state``, from a thread of its own). A caller's
request is a ``Future``: awaited in a loop (``asyncio.wrap_future``) or waited for in a
thread. If the process cannot start, load
or answer, the guard is off and says why; Kring goes on without it. The process ends with its
input: when the app quits, or is killed, it is not left behind holding its gigabyte.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from enum import Enum
from pathlib import Path
from typing import IO

from kring.sessions.guard.kinds import Kind
from kring.sessions.guard.spotting import Span


class GuardState(Enum):
    STARTING = "starting"
    BUILDING = "building"  # the first time on this laptop: minutes
    LOADING = "loading"  # seconds
    READY = "ready"
    OFF = "off"  # it cannot run here; ``problem`` says why


Spans = list[list[Span]]
StateListener = Callable[["GuardState", "str | None"], None]


class GuardProcess:
    def __init__(self, state: Path, on_state: StateListener = lambda _state, _why: None
                 ) -> None:
        self.state_folder = state
        self.on_state = on_state
        self.state = GuardState.STARTING
        self.problem: str | None = None
        self._conn: subprocess.Popen[str] | None = None
        self._process: subprocess.Popen[str] | None = None
        self._waiting: dict[int, Future[Spans]] = {}
        self._ids = itertools.count()
        self._lock = threading.Lock()

    def start(self) -> None:
        # A module run by this Python, not multiprocessing: its "spawn" runs the parent's main
        # script again in the child, which is no script at all under some launchers.
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "kring.sessions.guard.process", str(self.state_folder)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                text=True, encoding="utf-8", bufsize=1)
        except OSError as error:
            self._off(str(error))
            return
        self._conn = self._process
        threading.Thread(target=self._read, name="kring-guard-reader", daemon=True).start()

    def spot(self, texts: list[str]) -> Future[Spans]:
        """The spans of each of ``texts``. Fails (``GuardOff``) when the guard is off."""
        future: Future[Spans] = Future()
        with self._lock:
            if self.state is GuardState.OFF or self._conn is None:
                future.set_exception(GuardOff(self.problem or "not started"))
                return future
            number = next(self._ids)
            self._waiting[number] = future
            try:
                assert self._conn.stdin is not None
                self._conn.stdin.write(json.dumps([number, texts]) + "\n")
                self._conn.stdin.flush()
            except (OSError, ValueError) as error:
                del self._waiting[number]
                future.set_exception(GuardOff(str(error)))
        return future

    def stop(self) -> None:
        with self._lock:
            process, self._conn = self._conn, None
        if process is None:
            return
        with contextlib.suppress(OSError, ValueError):
            assert process.stdin is not None
            process.stdin.close()  # the process sees its input end, and ends
        try:
            process.wait(2)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def _read(self) -> None:
        process = self._conn
        assert process is not None and process.stdout is not None
        for line in process.stdout:
            try:
                kind, *rest = json.loads(line)
            except ValueError:
                continue  # not ours (a library printing): the protocol's lines are JSON
            if kind == "state":
                self._set(GuardState(rest[0]), rest[1])
            elif kind == "spans":
                number, raw = rest
                with self._lock:
                    future = self._waiting.pop(number, None)
                if future is not None:
                    future.set_result([[Span(start, end, text, Kind(kind_value))
                                        for start, end, text, kind_value in spans]
                                       for spans in raw])
        if self._conn is not None:  # not stopped on purpose: it died
            self._off(self.problem or "the guard's process ended")

    def _set(self, state: GuardState, problem: str | None) -> None:
        if state is GuardState.OFF:
            self._off(problem or "")
            return
        self.state = state
        self.on_state(state, None)

    def _off(self, problem: str) -> None:
        with self._lock:
            self.state, self.problem = GuardState.OFF, problem
            waiting, self._waiting = self._waiting, {}
        for future in waiting.values():
            future.set_exception(GuardOff(problem))
        self.on_state(GuardState.OFF, problem)


class GuardOff(Exception):
    """The guard cannot answer: not installed, no room for its lists, its process gone."""


def serve(state: Path, requests: IO[str], answers: IO[str]) -> None:
    """The guard's process: load, then answer each line of ``requests`` until it ends."""

    def say(*message: object) -> None:
        answers.write(json.dumps(message) + "\n")
        answers.flush()

    try:
        from kring.sessions.guard.engine import Engine

        engine = Engine.load(state, lambda stage: say("state", stage, None))
    except BaseException as error:  # whatever stops it (no memory, no disk), the app hears why
        say("state", GuardState.OFF.value, f"{type(error).__name__}: {error}")
        return
    say("state", GuardState.READY.value, None)
    for line in requests:
        number, texts = json.loads(line)
        say("spans", number, [[(s.start, s.end, s.text, s.kind.value)
                               for s in engine.spot(text)] for text in texts])


if __name__ == "__main__":
    # Only the protocol's lines on the real stdout: anything a library prints goes to stderr.
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    serve(Path(sys.argv[1]), sys.stdin, protocol)
