"""A second process for the store's crash and concurrency tests (run with sys.executable).

    store_child.py add DATA MEETING PREFIX COUNT
        Prints "ready", waits for a line on stdin (so two of them start at once), then adds
        COUNT entries with ids PREFIX-0 ... to MEETING, printing "E <id>" once each AddEntry
        has been applied. Exits 0.

    store_child.py draft DATA MEETING
        Opens a draft slot (a window) and prints "ready <recovered as JSON>"; then for each
        line "save <text>" saves it and prints "saved <text>"; "close" closes it and exits.

    store_child.py serve DATA
        A fork server, so that hundreds of SIGKILLs do not each pay for starting Python.
        On "go MEETING SEED" it forks a worker and prints "pid <pid>"; on "reap" (after the
        test killed it) it waits for the worker and prints "reaped", which therefore comes
        after everything the worker wrote. The worker commits in a loop until killed, printing
        "E <id>" (entry added), "X <id>" (entry deleted), "H <n>" (current_step set),
        "D <text>" (saved in its window's draft slot) after each call returned, and
        "? H <n>" / "? D <text>" / "? X <id>" just before trying. Any exception prints
        "! <type>: <message>" and stops it.

Every line goes out in a single os.write, shorter than PIPE_BUF, so lines from a worker that
is killed are whole or absent, and the worker never shares a buffer with its parent.
This script imports no textual: it must start fast and stay in the domain layer.
"""

from __future__ import annotations

import json
import os
import random
import sys
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kring.sessions.model.clock import SystemClock
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.model.protocol import Capture
from kring.sessions.store.changes import AddEntry, DeleteEntry
from kring.sessions.store.facade import Store
from tests.support.store import Mutate


def say(line: str) -> None:
    os.write(1, (line + "\n").encode("utf-8"))


def meeting(meeting_id: str) -> Meeting:
    return Meeting(id=meeting_id, community="Crash test", date=date(2026, 11, 25),
                   protocol={"id": "incident"}, created_at=datetime(2026, 11, 25, tzinfo=UTC))


def entry(entry_id: str, text: str) -> Entry:
    return Entry(id=entry_id, kind=Capture.FACT, text=text, step="facts",
                 created_at=datetime.now(UTC))


def add(data: Path, meeting_id: str, prefix: str, count: int) -> int:
    store = Store(data, SystemClock())
    say("ready")
    sys.stdin.readline()  # start together with the other process
    for number in range(count):
        entry_id = f"{prefix}-{number}"
        store.apply(meeting_id, AddEntry(entry(entry_id, f"note {number} from {prefix} ✓")))
        say(f"E {entry_id}")
    return 0


def draft(data: Path, meeting_id: str) -> int:
    slot = Store(data, SystemClock()).draft_slot(meeting_id)
    say(f"ready {json.dumps(slot.recovered)}")
    for line in sys.stdin:
        command, _, text = line.rstrip("\n").partition(" ")
        if command == "close":
            slot.close()
            say("closed")
            return 0
        slot.save(text)
        say(f"saved {text}")
    return 0


def work(data: Path, meeting_id: str, seed: int) -> None:
    store = Store(data, SystemClock())
    slot = store.draft_slot(meeting_id)
    rng = random.Random(seed)
    mine: list[str] = []
    number = 0
    while True:
        number += 1
        roll = rng.random()
        if roll < 0.07:
            step = rng.randrange(1000)
            say(f"? H {step}")

            def set_step(m: Meeting, step: int = step) -> None:
                m.current_step = step

            store.apply(meeting_id, Mutate(set_step))
            say(f"H {step}")
        elif roll < 0.14:
            text = f"draft-{seed}-{number}"
            say(f"? D {text}")
            slot.save(text)
            say(f"D {text}")
        elif roll < 0.20 and mine:
            entry_id = mine.pop(rng.randrange(len(mine)))
            say(f"? X {entry_id}")
            store.apply(meeting_id, DeleteEntry(entry_id))
            say(f"X {entry_id}")
        elif roll < 0.26 and mine:
            entry_id = rng.choice(mine)
            store.apply(meeting_id, AddEntry(entry(entry_id, f"edited {number} ✎")))
            say(f"U {entry_id}")
        else:
            entry_id = f"{seed}-{number}"
            store.apply(meeting_id, AddEntry(entry(entry_id, f"entry {number} · ünïcödé 😀")))
            mine.append(entry_id)
            say(f"E {entry_id}")


def serve(data: Path) -> int:
    worker = 0
    for line in sys.stdin:
        command, *arguments = line.split()
        if command == "reap":  # the test killed the worker: once reaped, its output is all out
            os.waitpid(worker, 0)
            worker = 0
            say("reaped")
            continue
        assert command == "go" and not worker
        meeting_id, seed = arguments
        store = Store(data, SystemClock())
        if not store.stamp(meeting_id):
            store.create_meeting(meeting(meeting_id))
        go_read, go_write = os.pipe()
        worker = os.fork()
        if worker == 0:
            os.close(go_write)
            os.read(go_read, 1)  # let the server say "pid" first: no line may come before it
            try:
                work(data, meeting_id, int(seed))
            except BaseException as error:  # report, never hang the test
                say(f"! {type(error).__name__}: {error}")
            finally:
                os._exit(1)
        os.close(go_read)
        say(f"pid {worker}")
        os.write(go_write, b"!")
        os.close(go_write)
    return 0


def main(argv: list[str]) -> int:
    if argv[0] == "add":
        return add(Path(argv[1]), argv[2], argv[3], int(argv[4]))
    if argv[0] == "draft":
        return draft(Path(argv[1]), argv[2])
    if argv[0] == "serve":
        return serve(Path(argv[1]))
    raise SystemExit(f"unknown command {argv[0]!r}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
