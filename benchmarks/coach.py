"""The coach's work per clock tick (issue 26). Run: python benchmarks/coach.py [--runs N]

A meeting of the incident method, in its questioning phase past halfway (so the coach works
out the pace and who has not been heard), with 2,000 entries and with 200, taking turns:
``coach_lines``, what the facilitator's screen asks each second, median of N calls. Target:
at most 1 ms at 2,000 entries. Baseline in the same run: ``room_view``, what the projector
works out on each tick of the same meeting. Prints its figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's Python writes bytecode

from kring.sessions.coach.lines import coach_lines
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

TARGET_MS = 1.0
PEOPLE = ["Anouk", "Bram", "Chantal", "Dev", "Eline", "Fatima"]


def meeting(folder: Path, entries: int) -> LiveMeeting:
    found = load_catalog(BUILTIN_DIR).find("incident", "en")
    assert found is not None
    clock = FakeClock(datetime(2026, 12, 7, 15, 0, tzinfo=UTC))
    plan = MeetingPlan(found.protocol, community="CoP", participants=PEOPLE)
    plan.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: "Bram"}
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
    return live


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
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        meetings = {count: meeting(Path(folder) / str(count), count) for count in (200, 2000)}
        lines = coach_lines(meetings[2000], meetings[2000].clock.now(), _)
        print(f"what the coach says at 2,000 entries: {lines}")
        coach = {count: median_ms(lambda live, now: coach_lines(live, now, _), live, runs)
                 for count, live in meetings.items()}
        room = {count: median_ms(room_view, live, runs) for count, live in meetings.items()}
    verdict = "ok" if coach[2000] <= TARGET_MS else "MISSED"
    print(f"the coach's work per tick, median of {runs} calls:")
    print(f"  2,000 entries {coach[2000]:.3f} ms (target <= {TARGET_MS:g} ms)  {verdict};"
          f"   the projector's room_view {room[2000]:.3f} ms, ratio "
          f"{coach[2000] / room[2000]:.2f}")
    print(f"  200 entries   {coach[200]:.3f} ms;   2,000 against 200: "
          f"{coach[2000] / coach[200]:.2f}")
    print(f"(reproduce with: .venv/bin/python benchmarks/coach.py --runs {runs})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
