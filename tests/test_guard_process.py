"""The guard's own process (issue 25): it loads away from the app, answers in milliseconds,
says its state as it goes, ends with the app, and when it cannot run the guard is off with a
reason instead of anything hanging."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from kring.sessions.guard.kinds import Kind
from kring.sessions.guard.process import GuardOff, GuardProcess, GuardState

pytestmark = pytest.mark.slow


def started(state: Path) -> tuple[GuardProcess, list[GuardState]]:
    states: list[GuardState] = []
    guard = GuardProcess(state, lambda new, _why: states.append(new))
    guard.start()
    return guard, states


def test_it_loads_apart_and_answers_each_text(tmp_path: Path) -> None:
    guard, states = started(tmp_path / "state")
    try:
        spans = guard.spot(["Sanne's vader belde", "", "Mark the question"]).result(300)
        assert [[(s.text, s.kind) for s in one] for one in spans] == [
            [("Sanne", Kind.PERSON)], [], [("Mark", Kind.PERSON)]]
        assert states[-2:] == [GuardState.LOADING, GuardState.READY]  # built by the suite
        took = time.monotonic()
        guard.spot(["Jayden ging naar Utrecht"]).result(5)
        assert time.monotonic() - took < 0.5
    finally:
        process = guard._process
        guard.stop()
    assert process is not None and process.poll() == 0  # it ended with its input


def test_a_process_that_dies_turns_the_guard_off_and_fails_what_waits(tmp_path: Path) -> None:
    guard, states = started(tmp_path / "state")
    guard.spot(["warming up"]).result(300)
    assert guard._process is not None
    os.kill(guard._process.pid, signal.SIGKILL)
    gone = threading.Event()
    for _ in range(100):
        if guard.state is GuardState.OFF:
            gone.set()
            break
        time.sleep(0.05)
    assert gone.is_set() and states[-1] is GuardState.OFF and guard.problem
    with pytest.raises(GuardOff):
        guard.spot(["Sanne"]).result(1)
    guard.stop()


def test_where_it_cannot_build_it_is_off_with_a_reason(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where its lists would go")
    monkeypatch.setenv("KRING_GUARD_CACHE", str(blocked))
    guard, states = started(tmp_path / "state")
    with pytest.raises(GuardOff):
        guard.spot(["Sanne"]).result(60)
    assert states[-1] is GuardState.OFF and guard.problem
    assert "not-a-folder" in guard.problem or "Errno" in guard.problem
    guard.stop()
