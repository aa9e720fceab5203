"""The coach's work per clock tick (issue 26). Run: python benchmarks/coach.py [--runs N]
[--keys K]

tick   A meeting of the incident method, in its questioning phase past halfway (so the coach
       works out the pace, who was heard and who has not been), with 2,000 entries and with
       200, taking turns: ``coach_lines``, what the facilitator's screen asks each second
       (keeping what it worked out from the entries while they do not change), median of N
       calls; and the look right after an entry changed. Target: at most 1 ms at 2,000
       entries. Baseline in the same run: ``room_view``, what the projector works out on
       each tick of the same meeting.
keys   The real ``kring`` in tmux (100 x 30) on that meeting of 2,000 entries, the coach
       speaking, against the same meeting with the coach off (its record says so), taking
       turns: single keys typed into the capture line, key to screen, p50 and p95 over K
       runs of 20 keys. Target: p95 with the coach at most 1.1 x without ("unchanged").

Prints its figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's Python writes bytecode

from support.terminal import Pane, Server

from kring.sessions.coach.lines import Seen, coach_lines
from kring.sessions.i18n import _
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.room import room_view
from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.kinds import Capture
from kring.sessions.model.protocol import Role
from kring.sessions.protocols.catalog import load_catalog
from kring.sessions.store.facade import Store
from kring.templates import BUILTIN_DIR

KRING = Path(sys.executable).with_name("kring")
KEYS = "0123456789abcdefghij"
TITLE = "The coach's benchmark"

TARGET_MS = 1.0
PEOPLE = ["Anouk", "Bram", "Chantal", "Dev", "Eline", "Fatima"]


def meeting(folder: Path, entries: int,
            start: datetime = datetime(2026, 12, 7, 15, 0, tzinfo=UTC),
            coach_off: bool = False) -> LiveMeeting:
    found = load_catalog(BUILTIN_DIR).find("incident", "en")
    assert found is not None
    clock = FakeClock(start)
    plan = MeetingPlan(found.protocol, community="CoP", participants=PEOPLE)
    plan.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: "Bram"}
    plan.case.title = TITLE
    store = Store(folder)
    created = plan.create(clock)
    store.create_meeting(created)
    live = LiveMeeting(created, [], store, clock)
    live.start()
    while live.step.phase.id != "questions":
        clock.advance(live.step.phase.seconds + 60)
        live.next_phase()
    kinds = [Capture.QUESTION, Capture.FACT, Capture.NOTE]
    for number in range(entries):
        live.add_entry(f"Entry {number}: what happened just before the lesson?",
                       kinds[number % 3], author=PEOPLE[2 + number % 3])
    clock.advance(live.step.phase.seconds * 2 // 3)  # past halfway: balance is said
    if coach_off:
        live.set_coach(on=False)
    return live


def started_then(entries: int) -> datetime:
    """When a meeting must have started for its questioning phase to be past halfway now,
    on the real clock the real kring reads."""
    with tempfile.TemporaryDirectory() as folder:
        probe = meeting(Path(folder), 0)
    return datetime.now(UTC) - (probe.clock.now() - datetime(2026, 12, 7, 15, 0, tzinfo=UTC))


def typing(data: Path, root: Path) -> list[float]:
    """Open the meeting from the home screen, then 20 keys one at a time: key to screen."""
    env = {"KRING_DATA": str(data), "KRING_STATE": str(root / "state"),
           "KRING_CONFIG": str(root / "config"), "KRING_GUARD": "off", "LANG": "C.UTF-8",
           "LANGUAGE": "en"}
    pane = Pane([str(KRING)], env, root / "time.txt")
    try:
        pane.wait_for(TITLE)
        pane.keys("Enter")
        pane.wait_for("Phase 4 of", "Entry 1999:")
        time.sleep(1.0)  # settled: the screen's work after it first shows is not typing's
        times = []
        for number in range(len(KEYS)):
            sent = time.perf_counter()
            pane.keys(KEYS[number], literal=True)
            times.append(pane.wait_for(KEYS[:number + 1]) - sent)
        return times
    finally:
        pane.close()


def keys(root: Path, runs: int) -> dict[str, list[float]]:
    start = started_then(2000)
    seeded = {}
    for name, off in (("on", False), ("off", True)):
        seeded[name] = root / f"seed-{name}"
        meeting(seeded[name], 2000, start, coach_off=off)
    found: dict[str, list[float]] = {"on": [], "off": []}
    with Server():
        for number in range(runs + 1):
            for name, folder in seeded.items():
                data = root / f"run-{name}"
                shutil.rmtree(data, ignore_errors=True)
                shutil.copytree(folder, data)
                times = typing(data, root)
                if number:  # the first of each warms the file cache and bytecode
                    found[name] += times
    return found


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def median_ms(work: object, live: LiveMeeting, calls: int) -> float:
    now = live.clock.now()
    times = []
    for _call in range(calls):
        start = time.perf_counter()
        work(live, now)  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=201)
    parser.add_argument("--keys", type=int, default=5, help="runs of 20 keys (0: none)")
    args = parser.parse_args()
    runs = args.runs
    with tempfile.TemporaryDirectory() as folder:
        meetings = {count: meeting(Path(folder) / str(count), count) for count in (200, 2000)}
        lines = coach_lines(meetings[2000], meetings[2000].clock.now(), _)
        print(f"what the coach says at 2,000 entries: {lines}")
        # As the meeting screen looks each second: what it worked out from the entries kept
        # (``Seen``) while they do not change; and the look right after one changed.
        kept = {count: Seen() for count in meetings}
        coach = {count: median_ms(lambda live, now, seen=kept[count]: coach_lines(
            live, now, _, seen), live, runs) for count, live in meetings.items()}
        changed = {count: median_ms(lambda live, now: coach_lines(live, now, _, Seen()),
                                    live, runs) for count, live in meetings.items()}
        room = {count: median_ms(room_view, live, runs) for count, live in meetings.items()}
    verdict = "ok" if coach[2000] <= TARGET_MS else "MISSED"
    print(f"the coach's work per tick, median of {runs} calls:")
    print(f"  2,000 entries {coach[2000]:.3f} ms (target <= {TARGET_MS:g} ms)  {verdict};"
          f"   the projector's room_view {room[2000]:.3f} ms, ratio "
          f"{coach[2000] / room[2000]:.2f}")
    print(f"  200 entries   {coach[200]:.3f} ms;   2,000 against 200: "
          f"{coach[2000] / coach[200]:.2f}")
    print(f"  the look right after an entry changed: 2,000 entries {changed[2000]:.3f} ms, "
          f"200 entries {changed[200]:.3f} ms")
    if args.keys:
        with tempfile.TemporaryDirectory() as folder:
            (Path(folder) / "config").mkdir()
            typed = keys(Path(folder), args.keys)
        p95 = {name: percentile(times, 0.95) * 1000 for name, times in typed.items()}
        p50 = {name: percentile(times, 0.5) * 1000 for name, times in typed.items()}
        ratio = p95["on"] / p95["off"]
        print(f"one key at a time in the real kring, 2,000 entries, {len(typed['on'])} keys "
              "each:")
        print(f"  coach on  p50 {p50['on']:.1f} ms, p95 {p95['on']:.1f} ms")
        print(f"  coach off p50 {p50['off']:.1f} ms, p95 {p95['off']:.1f} ms")
        print(f"  p95 on / off {ratio:.2f} (target <= 1.1)  "
              f"{'ok' if ratio <= 1.1 else 'MISSED'}")
    print(f"(reproduce with: .venv/bin/python benchmarks/coach.py --runs {runs} "
          f"--keys {args.keys})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
