"""A process killed at any moment loses nothing it reported saved and leaves every file
loadable; two processes writing one meeting at once lose nothing of each other's.

KRING_STRESS=1 runs 2,000 kills instead of 200.
"""

from __future__ import annotations

import itertools
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kring.sessions.care.doctor import Kind, check
from kring.sessions.model.clock import SystemClock
from kring.sessions.store.checks import check_file
from kring.sessions.store.events import parse_lines
from kring.sessions.store.facade import Store
from kring.sessions.store.layout import DRAFT_KIND
from kring.sessions.store.logs import LineProblem
from tests.store_child import meeting as child_meeting
from tests.support.child import CHILD, Lines
from tests.support.store import Mutate

STRESS = os.environ.get("KRING_STRESS", "") not in ("", "0")
KILLS = 2000 if STRESS else 200
KILLS_PER_MEETING = 50  # a fresh meeting now and then keeps files, and the test, small

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and fork are POSIX")


@dataclass
class Expected:
    """What the workers reported: what must be on disk, and what may be."""

    entries: set[str] = field(default_factory=set)  # must be there
    deleted: set[str] = field(default_factory=set)  # must not be there
    step: set[int] = field(default_factory=lambda: {0})  # acceptable current_step values
    draft: set[str | None] = field(default_factory=lambda: {None})

    def note(self, line: str) -> None:
        kind, _, rest = line.partition(" ")
        if kind == "!":
            raise AssertionError(f"the worker failed: {rest}")
        if kind == "E":
            self.entries.add(rest)
        elif kind == "X":
            self.entries.discard(rest)
            self.deleted.add(rest)
        elif kind == "?":  # an attempt: may or may not have landed when the kill came
            what, _, value = rest.partition(" ")
            if what == "X":
                self.entries.discard(value)
            elif what == "H":
                self.step.add(int(value))
            else:
                self.draft.add(value)
        elif kind == "H":
            self.step = {int(rest)}
        elif kind == "D":
            self.draft = {rest}


class Tears:
    """Where kills tore a write. Linux checks for a pending SIGKILL between the pages a write
    copies, so an append that crosses a page of the file can stop part-way: rarely, but a run
    of 200 kills sometimes sees one. The log then ends in a torn line, which the store reads
    past and reports; the next append ends it with a newline (nothing is ever rewritten), and
    it stays a line that is not an event. That, and only that, is allowed."""

    def __init__(self) -> None:
        self.lines: dict[Path, set[int]] = {}  # 1-based numbers of torn lines, per log

    def look(self, data: Path) -> None:
        for path in data.rglob("*.jsonl"):
            content = path.read_bytes()
            if content and not content.endswith(b"\n"):
                self.lines.setdefault(path, set()).add(content.count(b"\n") + 1)

    def problems(self, data: Path) -> dict[Path, str]:
        """The problem each torn log shows now: its torn lines, the last maybe still torn."""
        shown = {}
        for path, numbers in self.lines.items():
            *lines, tail = path.read_bytes().split(b"\n")
            # Ended by a later append: not an event, unless only the newline had been cut.
            whole = tuple(sorted(n for n in numbers
                                 if n <= len(lines) and parse_lines([lines[n - 1]])[1]))
            if whole or tail:
                shown[path] = LineProblem(path, whole, bool(tail)).reason
        return shown


def verify(data: Path, meeting_id: str, expected: Expected, tears: Tears) -> None:
    store = Store(data, SystemClock())
    record = store.load(meeting_id)
    stored = {entry.id for entry in record.entries}
    missing = expected.entries - stored
    assert not missing, f"{len(missing)} saved entries are gone: {sorted(missing)[:5]}"
    resurrected = expected.deleted & stored
    assert not resurrected, f"deleted entries came back: {sorted(resurrected)[:5]}"
    assert record.meeting.current_step in expected.step
    # The killed window's typing is offered to the next window, and only once.
    with store.draft_slot(meeting_id) as slot:
        assert slot.recovered in expected.draft
        slot.save("")
    expected.draft = {None}
    allowed = tears.problems(data)
    assert {p.path: p.reason for p in store.problems} == {
        path: reason for path, reason in allowed.items() if meeting_id in path.name}


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    rng = random.Random(os.environ.get("KRING_CRASH_SEED", "kring"))
    server = subprocess.Popen(
        [sys.executable, str(CHILD), "serve", str(data)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=False,
    )
    assert server.stdin is not None and server.stdout is not None
    lines = Lines(server.stdout.fileno())
    meetings: dict[str, Expected] = {}
    tears = Tears()
    try:
        for kill in range(KILLS):
            meeting_id = f"crash{kill // KILLS_PER_MEETING:03d}"
            expected = meetings.setdefault(meeting_id, Expected())
            tell(server, f"go {meeting_id} {kill}")
            command, pid = lines.next().split()
            assert command == "pid"
            for _ in range(rng.randrange(0, 21)):
                expected.note(lines.next())
            time.sleep(rng.uniform(0, 0.002))
            os.kill(int(pid), signal.SIGKILL)
            tell(server, "reap")
            while (line := lines.next()) != "reaped":
                expected.note(line)
            tears.look(data)
            verify(data, meeting_id, expected, tears)
            every_file_loads(data, tears)
    finally:
        server.stdin.close()
        server.wait(timeout=30)
    # The index is derived: listing notices (by the logs' stamps) what a killed process
    # appended and brings it up to date.
    listed = {summary.id for summary in Store(data, SystemClock()).list_meetings()}
    assert listed == set(meetings)
    report = check(data)
    assert report.of(Kind.UNREADABLE) == []
    assert {finding.path for finding in report.of(Kind.SKIPPED_LINES)} <= set(tears.lines)


def tell(server: subprocess.Popen[bytes], line: str) -> None:
    assert server.stdin is not None
    server.stdin.write(f"{line}\n".encode())
    server.stdin.flush()


def every_file_loads(data: Path, tears: Tears) -> None:
    """Every line of every log is a whole event but for the lines kills tore (``Tears``), and
    every draft this device holds reads."""
    for path in data.rglob("*.jsonl"):
        lines = path.read_bytes().split(b"\n")
        torn = tears.lines.get(path, set())
        assert lines[-1] == b"" or len(lines) in torn, f"{path.name} ends in the middle of a line"
        bad = {number + 1 for number in parse_lines(lines[:-1])[1]}
        assert bad <= torn, f"{path.name} has lines that are not events: {sorted(bad - torn)}"
    for path in Store(data).layout.drafts.rglob("*.json"):
        check_file(path.read_bytes(), path, DRAFT_KIND)


def test_two_processes_adding_500_entries_each_lose_none(tmp_path: Path) -> None:
    data = tmp_path / "data"
    store = Store(data, SystemClock())
    store.create_meeting(child_meeting("together"))
    children = [
        subprocess.Popen([sys.executable, str(CHILD), "add", str(data), "together", name, "500"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for name in ("left", "right")
    ]
    for child in children:
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    outputs = [child.communicate(timeout=120)[0] for child in children]
    assert [child.returncode for child in children] == [0, 0]
    printed = {line.split()[1] for output in outputs for line in output.splitlines()}
    assert len(printed) == 1000
    entries = store.load("together").entries
    assert {entry.id for entry in entries} == printed
    # They really ran at the same time: their entries are interleaved, not one block each.
    sides = [entry.id.split("-")[0] for entry in entries]
    switches = sum(1 for before, after in itertools.pairwise(sides) if before != after)
    assert switches > 10


@pytest.mark.parametrize("cut", [1, 30, None])  # a few bytes, part of a line, all but "\n"
def test_what_a_torn_write_may_leave_is_exactly_what_the_store_reports(
        tmp_path: Path, cut: int | None) -> None:
    data = tmp_path / "data"
    store = Store(data, SystemClock())
    store.create_meeting(child_meeting("torn"))
    (log,) = data.rglob("torn.jsonl")
    line = log.read_bytes().splitlines()[0]
    with log.open("ab") as file:  # a kill part-way through an append
        file.write(line[:cut])
    tears = Tears()
    tears.look(data)
    every_file_loads(data, tears)
    fresh = Store(data, SystemClock())
    fresh.load("torn")
    assert {p.path: p.reason for p in fresh.problems} == tears.problems(data) != {}
    fresh.apply("torn", Mutate(lambda meeting: setattr(meeting, "current_step", 1)))
    every_file_loads(data, tears)
    again = Store(data, SystemClock())
    again.load("torn")
    assert {p.path: p.reason for p in again.problems} == tears.problems(data)
