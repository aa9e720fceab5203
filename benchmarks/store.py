"""What the store's work costs as an archive grows, in one run. Run: python benchmarks/store.py

1. Commit latency: one entry added (an event appended and fsynced) to a meeting of 100 entries
   and to one of 20,000, in one process that has the meetings open (as the app does); blocks of
   20 commits take turns, so drift in the disk's speed hits both alike. Beside them, a bare
   append+fsync of a line of the same size in the same folder: what the disk alone costs.
   Target: 20,000 / 100 <= 1.2. Also `kring add` (a new process: loads the meeting first) at
   both sizes, reported.
2. `kring actions` and `kring journal <community>`, real processes, wall time, median of
   several runs taking turns, over an archive of 100 and one of 5,000 past meetings (spread
   over 50 communities; action points of older meetings mostly done). Each archive's index is
   built by a first, untimed run. Target: 5,000 / 100 <= 1.5.
3. Building the index from scratch for the 5,000 meetings (a fresh state folder over the same
   data folder: a new device, or a lost index): the first `kring actions` of part 2, which
   builds it, and once more in-process.
4. With Syncthing installed: two instances on loopback share a data folder; the time from a
   commit on one device to the entry showing in a store on the other, each way in turn.

Figures and ratios are printed with their targets; a missed target says MISSED. Only a crash
exits non-zero.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kring.sessions.model.clock import SystemClock
from kring.sessions.model.community import Community
from kring.sessions.model.meeting import ActionStatus, Entry, Meeting, StatusChange, new_id
from kring.sessions.model.protocol import Capture
from kring.sessions.protocols.templates import load_protocol, protocol_to_data
from kring.sessions.store.changes import AddEntry, DeleteEntry
from kring.sessions.store.facade import Store
from kring.templates import BUILTIN_DIR

KRING = Path(sys.executable).with_name("kring")
SMALL, LARGE = 100, 20_000  # entries in a meeting
COMMITS = 400
BLOCK = 20
FEW, MANY = 100, 5_000  # past meetings in an archive
COMMUNITIES = 50
CLI_ROUNDS = 7
ADD_ROUNDS = 5
SYNC_COMMITS = 20
PROTOCOL = protocol_to_data(load_protocol(BUILTIN_DIR / "en" / "incident.toml"))
PEOPLE = ["Anna", "Bram", "Chris", "Dewi", "Eva", "Femke"]
TEXT = "Leerling komt vaak te laat en mist de instructie; ouders zijn gebeld 😀 — wat nu?"
FIRST_DAY = date(2022, 9, 1)
TODAY = date(2026, 11, 27)


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


# -- meetings as a school makes them -------------------------------------------------------------


def meeting(number: int, community: str, day: date) -> Meeting:
    return Meeting(
        id=new_id(), community=community, date=day, protocol=PROTOCOL,
        created_at=datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=15),
        participants=PEOPLE[:4 + number % 3], goal="Practise asking open questions",
        roles={"facilitator": "Anna", "case-bringer": "Bram"})


def entry(number: int, at: datetime, kind: Capture = Capture.QUESTION, **more: object) -> Entry:
    made = Entry(id=new_id(), kind=kind, text=f"{TEXT} #{number}", step="choose",
                 created_at=at + timedelta(seconds=number), author=PEOPLE[number % 4])
    for key, value in more.items():
        setattr(made, key, value)
    return made


def past_entries(held: Meeting, recent: bool) -> list[Entry]:
    """Twelve entries: facts, questions, positions, two learnings, two action points (done or
    dropped by now unless the meeting is one of the community's last)."""
    at = held.created_at
    kinds = [Capture.FACT] * 3 + [Capture.QUESTION] * 3 + [Capture.POSITION] * 2 \
        + [Capture.LEARNING] * 2
    made = [entry(number, at, kind) for number, kind in enumerate(kinds)]
    for number in (10, 11):
        due = held.date + timedelta(days=14)
        action = entry(number, at, Capture.ACTION, owner=PEOPLE[number % 4], due=due)
        if not recent:
            status = ActionStatus.DONE if number == 10 else ActionStatus.DROPPED
            action.status = status
            action.history = [StatusChange(status, due, new_id())]
        made.append(action)
    return made


def archive(root: Path, state: Path, count: int) -> str:
    """``count`` past meetings over the communities, written through the store (one append
    per meeting); returns a community to take the journal of."""
    store = Store(root, SystemClock(), state=state)
    names = [f"Intervisie {school:02d}" for school in range(COMMUNITIES)]
    for name in names:
        store.save_community(Community(name, PEOPLE[:5]))
    span = (TODAY - FIRST_DAY).days
    for number in range(count):
        community = names[number % COMMUNITIES]
        day = FIRST_DAY + timedelta(days=span * number // count)
        held = meeting(number, community, day)
        store.create_meeting(held, past_entries(held, recent=number >= count - 2 * COMMUNITIES))
    return names[7]


# -- 1. commit latency ---------------------------------------------------------------------------


def bare_append(path: Path, line: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def commit_latency(base: Path) -> float:
    store = Store(base / "data", SystemClock(), state=base / "state")
    at = datetime(2026, 11, 27, 9, tzinfo=UTC)
    sizes = {}
    for size in (SMALL, LARGE):
        held = meeting(size, "Team 4B", TODAY)
        store.create_meeting(held, [entry(number, at) for number in range(size)])
        sizes[size] = held.id
    for meeting_id in sizes.values():
        store.load(meeting_id)  # open, as the app has it
    log = store.layout.meeting_log(store.device, sizes[SMALL])
    before = log.stat().st_size
    probe = entry(0, at)
    store.apply(sizes[SMALL], AddEntry(probe))
    line = b"x" * (log.stat().st_size - before - 1) + b"\n"
    store.apply(sizes[SMALL], DeleteEntry(probe.id))
    bare = log.with_name("bare.dat")

    times: dict[str, list[float]] = {"small": [], "large": [], "bare": []}
    for block in range(COMMITS // BLOCK):
        for kind in ("small", "large", "bare"):
            for number in range(BLOCK):
                if kind == "bare":
                    times[kind].append(timed(lambda: bare_append(bare, line)))
                    continue
                meeting_id = sizes[SMALL if kind == "small" else LARGE]
                new = entry(100_000 + block * BLOCK + number, at)
                times[kind].append(timed(lambda m=meeting_id, e=new: store.apply(m, AddEntry(e))))
                store.apply(meeting_id, DeleteEntry(new.id))  # back to the same size, untimed
    bare.unlink()
    small, large, disk = (statistics.median(times[kind]) for kind in ("small", "large", "bare"))
    print(f"1. commit of one entry (appended and fsynced), median of {COMMITS}:")
    print(f"   into {SMALL:>6,} entries   {ms(small)}")
    print(f"   into {LARGE:>6,} entries   {ms(large)}")
    print(f"   bare append+fsync     {ms(disk)}  (the disk alone)")
    ratio = large / small
    print(f"   {LARGE:,} / {SMALL} = {ratio:.2f}  (target <= 1.2)  {verdict(ratio <= 1.2)}")
    print(f"   commit / bare = {small / disk:.2f}  (report)")

    env = kring_env(base / "data", base / "state", base / "config")
    adds: dict[int, list[float]] = {SMALL: [], LARGE: []}
    for number in range(ADD_ROUNDS):
        for size, meeting_id in sizes.items():
            adds[size].append(run_kring(env, "add", meeting_id, f"f: line {number} @Anna"))
    print(f"   kring add (a new process, loads the meeting), median of {ADD_ROUNDS}: "
          f"{SMALL} entries {ms(statistics.median(adds[SMALL])).strip()}, {LARGE:,} entries "
          f"{ms(statistics.median(adds[LARGE])).strip()}  (report)")
    return ratio


# -- 2. cross-meeting commands -------------------------------------------------------------------


def kring_env(data: Path, state: Path, config: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    return env | {"KRING_DATA": str(data), "KRING_STATE": str(state),
                  "KRING_CONFIG": str(config), "LANG": "C.UTF-8"}


def run_kring(env: dict[str, str], *argv: str) -> float:
    start = time.perf_counter()
    done = subprocess.run([str(KRING), *argv], env=env, capture_output=True, timeout=600,
                          check=False)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"kring {' '.join(argv)} failed: {done.stderr.decode()}")
    return took


@dataclass
class Archive:
    count: int
    data: Path
    state: Path
    community: str
    env: dict[str, str]
    first: float = 0.0  # the first kring actions, which built the index


def cross_meeting(base: Path) -> list[Archive]:
    print(f"2. cross-meeting commands over {FEW:,} and {MANY:,} past meetings "
          f"({COMMUNITIES} communities):")
    archives = []
    for count in (FEW, MANY):
        folder = base / f"archive-{count}"
        took = time.perf_counter()
        community = archive(folder / "data", folder / "state", count)
        took = time.perf_counter() - took
        env = kring_env(folder / "data", folder / "state", folder / "config")
        made = Archive(count, folder / "data", folder / "state", community, env)
        archives.append(made)
        made.first = run_kring(env, "actions")  # builds this device's index
        print(f"   ({count:,} meetings written through the store in {took:.1f} s)")

    commands = {"kring actions": lambda a: ("actions",),
                "kring journal": lambda a: ("journal", a.community)}
    times: dict[tuple[str, int], list[float]] = {}
    for _ in range(CLI_ROUNDS):
        for name, argv in commands.items():
            for made in archives:
                times.setdefault((name, made.count), []).append(
                    run_kring(made.env, *argv(made)))
    print(f"   wall time, median of {CLI_ROUNDS} runs each:")
    for name in commands:
        few, many = (statistics.median(times[(name, count)]) for count in (FEW, MANY))
        ratio = many / few
        print(f"   {name:<14} {FEW:>5,} meetings {ms(few)}   {MANY:,} meetings {ms(many)}   "
              f"ratio {ratio:.2f}  (target <= 1.5)  {verdict(ratio <= 1.5)}")
    return archives


# -- 3. the index from scratch -------------------------------------------------------------------


def index_from_scratch(large: Archive, base: Path) -> None:
    store = Store(large.data, SystemClock(), state=base / "new-device")
    built = timed(store.list_meetings)
    listed = len(store.list_meetings())
    print(f"3. the index built from scratch over {large.count:,} meetings (a new state "
          f"folder), once each:")
    print(f"   first kring actions (part 2)       {ms(large.first)}  (report)")
    print(f"   in-process, Store.list_meetings    {ms(built)}  (report; {listed:,} listed)")


# -- 4. Syncthing --------------------------------------------------------------------------------


def over_syncthing(base: Path) -> None:
    from tests.support.syncthing import SYNCTHING, SyncthingPair, arrival

    if SYNCTHING is None:
        print("4. Syncthing: not installed, not measured")
        return
    with SyncthingPair.running(base / "syncthing") as pair:
        one = Store(pair.one.folder, SystemClock(), state=base / "sync-state-one")
        two = Store(pair.two.folder, SystemClock(), state=base / "sync-state-two")
        held = meeting(0, "CoP", TODAY)
        one.create_meeting(held)
        at = datetime(2026, 11, 27, 9, tzinfo=UTC)
        first = entry(0, at)
        one.apply(held.id, AddEntry(first))
        arrival(two, held.id, first.id)
        times = []
        for number in range(SYNC_COMMITS):
            writer, reader = (one, two) if number % 2 == 0 else (two, one)
            made = entry(number + 1, at)
            writer.apply(held.id, AddEntry(made))
            times.append(arrival(reader, held.id, made.id))
    times.sort()
    print(f"4. Syncthing (two instances on loopback, file watcher delay 1 s): from a commit on "
          f"one device to its arrival on the other, {SYNC_COMMITS} commits each way in turn:")
    print(f"   median {times[len(times) // 2]:.2f} s, max {times[-1]:.2f} s  (report)")


def main() -> int:
    began = time.perf_counter()
    # A user's Python keeps the bytecode it compiles (benchmarks/ui.py says more): inherited
    # from a sandbox, PYTHONDONTWRITEBYTECODE would have every `kring` run compile the Kring
    # modules changed since bytecode was last written, at both sizes alike.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    print(f"benchmarks/store.py, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cpus")
    with tempfile.TemporaryDirectory(prefix="kring-bench-") as tmp:
        base = Path(tmp)
        commit_latency(base / "commits")
        archives = cross_meeting(base)
        index_from_scratch(archives[-1], base)
        over_syncthing(base)
    print(f"(benchmark took {time.perf_counter() - began:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
