"""How much a commit costs, against what the disk alone costs. Run: python benchmarks/store.py

Prints medians over repeated commits of one entry into a meeting of 200 entries:
  (a) with no other meetings stored,
  (b) with 1,000 other meetings stored,
  (c) a bare atomic write+fsync of the same number of bytes, in the same folder (temp file,
      write, fsync, rename, fsync of the folder), with no TinyDB, no JSON, no lock, no backup;
and the time to list 1,000 meetings. Targets: b/a <= 1.1, a/c <= 1.5, list <= 150 ms.
The three kinds take turns in blocks of 20 commits, so drift in the disk's speed hits all alike,
and two data folders swap roles halfway (see main) so that where their files lie cancels out.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kring.sessions.model.clock import SystemClock
from kring.sessions.model.meeting import Entry, Meeting, new_id
from kring.sessions.model.protocol import Capture
from kring.sessions.store.facade import Store

ENTRIES = 200
OTHERS = 1000
OTHER_ENTRIES = 20
ROUNDS = 320
BLOCK = 20  # commits in a row of one kind; the kinds take turns so drift hits all alike
LIST_ROUNDS = 30
TEXT = "Leerling komt vaak te laat en mist de instructie; ouders zijn gebeld 😀 — wat nu?"


def meeting(number: int) -> Meeting:
    return Meeting(
        id=new_id(), community="Team 4B", date=date(2026, 1, 1) + timedelta(days=number % 300),
        protocol={"id": "incident", "name": "Incident method", "steps": ["a", "b", "c"]},
        created_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=number),
        participants=["Anna", "Bram", "Chris", "Dewi"], goal="Practise asking open questions",
    )


def entry(number: int) -> Entry:
    return Entry(
        id=new_id(), kind=Capture.QUESTION, text=f"{TEXT} #{number}", step="questions",
        created_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=number), author="Bram",
    )


def filled_store(root: Path, others: int) -> tuple[Store, str]:
    store = Store(root, SystemClock())
    for number in range(others):
        store.create_meeting(meeting(number), [entry(i) for i in range(OTHER_ENTRIES)])
    target = meeting(others + 1)
    store.create_meeting(target, [entry(i) for i in range(ENTRIES)])
    return store, target.id


def bare_write(folder: Path, data: bytes) -> None:
    temp = folder / ".bare.dat.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, folder / "bare.dat")
    folder_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(folder_fd)
    finally:
        os.close(folder_fd)


def move_others(source: Path, target: Path, keep: str) -> None:
    """Move every meeting's files but those of ``keep`` (renames: nothing is rewritten)."""
    for name in os.listdir(source):
        if not name.startswith(keep) and not name.startswith(("bare", ".bare")):
            os.rename(source / name, target / name)


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> int:
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kring-bench-") as tmp:
        base = Path(tmp)
        one, one_id = filled_store(base / "one", 0)
        two, two_id = filled_store(base / "two", OTHERS)
        file_size = one.layout.meeting(one_id).stat().st_size
        probe = entry(0)
        one.add_entry(one_id, probe)
        payload = b"x" * one.layout.meeting(one_id).stat().st_size  # as (a) writes it
        one.delete_entry(one_id, probe.id)
        times: dict[str, list[float]] = {"a": [], "b": [], "c": []}
        # Where a file happens to lie on this disk swung the cost of an fsync by up to 2x
        # between runs, which would drown what is compared. So the bare write goes beside the
        # meeting file of (a), and halfway the 1,000 other meetings move to the other data
        # folder, so that each folder plays (a) once and (b) once.
        phases = [((one, one_id), (two, two_id)), ((two, two_id), (one, one_id))]
        for phase, (alone, crowded) in enumerate(phases):
            if phase:
                move_others(two.layout.meetings, one.layout.meetings, keep=two_id)
            commits = {"a": alone, "b": crowded}
            bare = alone[0].layout.meetings
            for block in range(ROUNDS // BLOCK // len(phases)):
                for key in "abc":
                    for number in range(BLOCK):
                        if key == "c":
                            times["c"].append(timed(partial(bare_write, bare, payload)))
                            continue
                        store, meeting_id = commits[key]
                        new = entry(10_000 + block * BLOCK + number)
                        times[key].append(timed(partial(store.add_entry, meeting_id, new)))
                        store.delete_entry(meeting_id, new.id)  # back to 200 entries, untimed
        move_others(one.layout.meetings, two.layout.meetings, keep=one_id)
        crowded = two
        crowded.list_meetings()  # brings the index up to date with the deletions' stamps
        listing = []
        for _ in range(LIST_ROUNDS):
            fresh = Store(base / "two", SystemClock())  # as a new `kring list` would
            listing.append(timed(fresh.list_meetings))
        listed = len(fresh.list_meetings())

    a, b, c = (statistics.median(times[key]) * 1000 for key in "abc")
    list_ms = statistics.median(listing) * 1000

    def verdict(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    print(f"commit of one entry into a meeting of {ENTRIES} entries "
          f"(file of {file_size / 1024:.0f} KiB), median of {ROUNDS}:")
    print(f"  (a) no other meetings        {a:7.3f} ms")
    print(f"  (b) {OTHERS} other meetings     {b:7.3f} ms")
    print(f"  (c) bare atomic write+fsync  {c:7.3f} ms")
    print(f"  b/a = {b / a:.2f}  (target <= 1.1)  {verdict(b / a <= 1.1)}")
    print(f"  a/c = {a / c:.2f}  (target <= 1.5)  {verdict(a / c <= 1.5)}")
    print(f"list {listed} meetings, median of {LIST_ROUNDS}: {list_ms:.1f} ms "
          f"(target <= 150 ms)  {verdict(list_ms <= 150)}")
    print(f"(benchmark took {time.perf_counter() - began:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
