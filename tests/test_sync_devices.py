"""Two laptops, one meeting, the command line: what members do with Kring and a sync engine.

Each device is a state folder (its device id) with a copy of one data folder, as on two
laptops. The meeting is made once and copied to both; both then capture lines with real `kring
add` processes at the same time (two at once on each laptop); the folders are then exchanged
as a sync engine does it: per file, the version that changed wins and is copied over whole,
nothing is merged, and a file changed on both sides would be a conflict. After that `kring
export` prints the same minutes, byte for byte, on both, with every line, and no conflict
copy exists. A `kring add` killed (SIGKILL) at a random moment loses nothing any other command
reported added, and the log still loads.

The meeting is prepared but not started: the minutes of a running phase say how long it has
run "so far", which differs between two moments, so two exports would differ for that alone.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from kring.sessions.store.facade import Store
from kring.sessions.store.layout import Name, classify

KRING = Path(sys.executable).with_name("kring")
TIMEOUT = 60
PEOPLE = ["Anouk", "Bram", "Chantal", "Dev"]
KILLS = 6  # kill -9s that hit a running `kring add`...
KILL_BURSTS = 30  # ...within this many bursts of three at once

pytestmark = [
    pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX"),
    pytest.mark.skipif(not KRING.exists(), reason=f"no kring command next to {sys.executable}"),
]


@dataclass(frozen=True)
class Laptop:
    name: str
    data: Path
    state: Path
    config: Path

    @property
    def env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items()
               if key not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
        return env | {"KRING_DATA": str(self.data), "KRING_STATE": str(self.state),
                      "KRING_CONFIG": str(self.config), "LANG": "C.UTF-8"}

    def start(self, *argv: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen([str(KRING), *argv], env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)

    def run(self, *argv: str) -> bytes:
        done = subprocess.run([str(KRING), *argv], env=self.env, capture_output=True,
                              timeout=TIMEOUT, check=False)
        assert done.returncode == 0, done.stderr.decode()
        assert b"Traceback" not in done.stderr
        return done.stdout

    def add(self, meeting_id: str, line: str) -> dict[str, object]:
        return json.loads(self.run("add", "--json", meeting_id, line))

    def store(self) -> Store:
        return Store(self.data, state=self.state)


def laptop(base: Path, name: str) -> Laptop:
    return Laptop(name, base / name / "data", base / name / "state", base / name / "config")


def new_meeting(on: Laptop) -> str:
    roles = ["--role", "Anouk=facilitator", "--role", "Bram=case-bringer"]
    return on.run("new", "--community", "Team West", "--protocol", "incident",
                  "--participant", *PEOPLE, *roles, "--title", "Why Zoë stopped asking",
                  "--protect", "Zoë").decode().strip()


# -- the sync engine -----------------------------------------------------------------------------


def files(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


class Exchange:
    """Whole files, the changed side wins; a file changed on both sides is a conflict (which
    Syncthing would keep as a copy beside it, and which must never happen here)."""

    def __init__(self, one: Path, two: Path) -> None:
        self.folders = (one, two)
        self.synced = files(one)
        assert files(two) == self.synced, "the folders start as copies"
        self.conflicts: list[str] = []

    def run(self) -> None:
        now = [files(folder) for folder in self.folders]
        for name in sorted(set(now[0]) | set(now[1])):
            changed = [name in side and side[name] != self.synced.get(name) for side in now]
            if all(changed):
                self.conflicts.append(name)
                continue
            if not any(changed):
                continue
            winner = changed.index(True)
            target = self.folders[1 - winner] / name
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.with_name(f".syncthing.{target.name}.tmp")
            temp.write_bytes(now[winner][name])
            os.replace(temp, target)
            self.synced[name] = now[winner][name]
        assert files(self.folders[0]) == files(self.folders[1])


def conflict_files(folder: Path) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if classify(path.name)[0] is Name.CONFLICT or "conflict" in path.name:
            found.append(path.relative_to(folder).as_posix())
    return found


def add_lines(on: Laptop, meeting_id: str, lines: Sequence[str],
              added: list[dict[str, object]]) -> None:
    for line in lines:
        added.append(on.add(meeting_id, line))


# -- the tests -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_lines_added_on_two_laptops_at_once_give_the_same_minutes_on_both(
        tmp_path: Path) -> None:
    one, two = laptop(tmp_path, "one"), laptop(tmp_path, "two")
    meeting_id = new_meeting(one)
    shutil.copytree(one.data, two.data)  # the meeting arrives on the second laptop
    exchange = Exchange(one.data, two.data)

    lines = {
        one: [f"f: first laptop's fact {n} @{PEOPLE[n % 4]}" for n in range(4)]
             + ["q: What happened just before? @Chantal", "a: Call the mentor @Bram 2026-12-01",
                "The class had a test back @Dev", "f: Zoë was late again @Anouk"],
        two: [f"f: second laptop's fact {n} @{PEOPLE[n % 4]}" for n in range(4)]
             + ["q: Who else noticed? @Anouk", "a: Talk to the parents @Chantal 2026-12-08",
                "f: Same minute, other laptop @Bram", "Tests are on Fridays @Dev"],
    }
    added: dict[str, list[dict[str, object]]] = {one.name: [], two.name: []}
    # Two processes at once on each laptop, both laptops at once.
    workers = [threading.Thread(target=add_lines, args=(on, meeting_id, lines[on][half::2],
                                                         added[on.name]))
               for on in (one, two) for half in (0, 1)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(TIMEOUT)
    assert sum(len(found) for found in added.values()) == 16

    exchange.run()
    assert exchange.conflicts == []
    minutes = [on.run("export", meeting_id, "--out", "-") for on in (one, two)]
    assert minutes[0] == minutes[1]
    text = minutes[0].decode()
    for found in (*added[one.name], *added[two.name]):
        assert str(found["text"]).replace("Zoë", "") in text
    assert "Zoë" not in text  # protected on one laptop, hidden in both laptops' minutes
    assert conflict_files(one.data) == conflict_files(two.data) == []
    for on in (one, two):
        assert b"Everything is in order." in on.run("doctor")  # and exits 0
    # Each laptop wrote only its own files: the other's arrived whole.
    devices = {path.name for path in (one.data / "devices").iterdir()}
    assert devices == {(on.state / "device").read_text().strip() for on in (one, two)}

    # Lines added after the exchange travel the same way.
    late = two.add(meeting_id, "f: after the exchange @Bram")
    exchange.run()
    assert exchange.conflicts == []
    again = [on.run("export", meeting_id, "--out", "-") for on in (one, two)]
    assert again[0] == again[1] and str(late["text"]).encode() in again[0]


@pytest.mark.slow
def test_a_kring_add_killed_at_any_moment_loses_nothing_reported_added(tmp_path: Path) -> None:
    one, two = laptop(tmp_path, "one"), laptop(tmp_path, "two")
    meeting_id = new_meeting(one)
    shutil.copytree(one.data, two.data)
    exchange = Exchange(one.data, two.data)
    chance = random.Random(14)
    reported: dict[str, str] = {}  # entry id -> text, of every add that printed its entry
    kills = 0  # of a process still running: a victim that had already ended does not count
    took: list[float] = []  # how long each add that was left alone ran
    for burst in range(KILL_BURSTS):
        if kills == KILLS:
            break
        started = time.monotonic()
        running = [one.start("add", "--json", meeting_id, f"f: burst {burst} line {n} @Bram")
                   for n in range(3)]
        # Killed at a moment in the last part of a typical run: while it loads, folds,
        # appends or prints.
        victim = chance.choice(running)
        typical = sorted(took)[len(took) // 2] if took else 0.3
        time.sleep(chance.uniform(0.4, 1.0) * typical)
        kills += victim.poll() is None
        victim.send_signal(signal.SIGKILL)
        ended = {}
        while len(ended) < len(running):
            for process in running:
                if process not in ended and process.poll() is not None:
                    ended[process] = time.monotonic() - started
            time.sleep(0.005)
            assert time.monotonic() - started < TIMEOUT
        for process in running:
            out, err = process.communicate(timeout=TIMEOUT)
            assert b"Traceback" not in err
            if process is not victim:
                assert process.returncode == 0, err.decode()
                took.append(ended[process])
            for line in out.decode().splitlines():
                found = json.loads(line)  # a printed entry is a whole line: it was committed
                reported[str(found["id"])] = str(found["text"])
    assert kills == KILLS, f"only {kills} kills hit a running kring add"

    record = one.store().load(meeting_id)  # the log loads, whatever the kills left
    texts = {entry.id: entry.text for entry in record.entries}
    for entry_id, text in reported.items():
        assert texts.get(entry_id) == text
    after = one.add(meeting_id, "f: after the kills @Anouk")
    exchange.run()
    assert exchange.conflicts == []
    minutes = [on.run("export", meeting_id, "--out", "-") for on in (one, two)]
    assert minutes[0] == minutes[1]
    for text in (*reported.values(), str(after["text"])):
        assert text.encode() in minutes[0]
