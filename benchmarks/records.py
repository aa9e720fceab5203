"""What reading a community's records costs once every change is a part of its own.
Run: python benchmarks/records.py

A community that three laptops changed 1,000 times (members added and removed, research
consent granted and withdrawn, each change a line in its laptop's log) is read by a new
process, as every `kring` command reads it: the logs parsed, the events folded, each
community put together from its parts, and every member's consent decided for one day.
Target: 1,000 changes <= 50 ms. Beside it, in the same run, the same community made by one
`save` (1 line) and the bare parse of the same log lines (json.loads, no folding): what the
parts add over reading the bytes at all.

Only a crash exits non-zero; a missed target says MISSED.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kring.sessions.model.clock import FakeClock
from kring.sessions.model.community import Community
from kring.sessions.model.consent import consented_on
from kring.sessions.store.facade import Store
from kring.sessions.store.rosters import add_member, remove_member, set_consent

CHANGES = 1_000
LAPTOPS = 3
ROUNDS = 25
TEAM = "CoP Inclusion"
TARGET_MS = 50.0
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
DAY = date(2026, 6, 1)


def changed_community(root: Path) -> tuple[Path, Path]:
    """A data folder whose community three laptops changed CHANGES times; returns (data,
    state of a laptop that reads it fresh)."""
    data = root / "many"
    clock = FakeClock(START)
    laptops = [Store(data, clock, state=root / f"state{n}") for n in range(LAPTOPS)]
    laptops[0].save_community(Community(TEAM, [f"Member {n}" for n in range(20)]))
    chance = random.Random(21)
    for change in range(CHANGES):
        store = laptops[change % LAPTOPS]
        clock.advance(seconds=chance.randint(1, 600))
        roster = next(c for c in store.communities() if c.name == TEAM).members
        absent = [f"Member {n}" for n in range(40) if f"Member {n}" not in roster]
        roll = chance.random()
        on = START.date() + timedelta(days=chance.randrange(365))
        if absent and (roll < 0.3 or len(roster) < 5):
            add_member(store, TEAM, chance.choice(absent))
        elif roll < 0.45:
            remove_member(store, TEAM, chance.choice(roster))
        else:
            set_consent(store, TEAM, chance.choice(roster), grant=roll < 0.75, day=on)
    return data, root / "reader"


def one_line_community(root: Path) -> tuple[Path, Path]:
    data = root / "one"
    store = Store(data, FakeClock(START), state=root / "one-state")
    store.save_community(Community(TEAM, [f"Member {n}" for n in range(40)]))
    return data, root / "one-reader"


def read_and_decide(data: Path, state: Path) -> int:
    """What a command does: a new Store, the communities, each member's consent on DAY."""
    community = next(c for c in Store(data, FakeClock(START), state=state).communities())
    return sum(consented_on(community.consents, member, DAY) for member in community.members)


def bare_parse(data: Path) -> int:
    lines = 0
    for log in (data / "devices").glob("*/communities.jsonl"):
        for line in log.read_bytes().splitlines():
            json.loads(line)
            lines += 1
    return lines


def median_ms(work: Callable[[], object]) -> float:
    work()  # warm: imports, the page cache
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory(dir="/dev/shm" if os.access("/dev/shm", os.W_OK)
                                     else None) as folder:
        root = Path(folder)
        many, reader = changed_community(root)
        one, one_reader = one_line_community(root)
        lines = bare_parse(many)
        # Taking turns: drift in the machine's speed hits all three alike.
        folded = median_ms(lambda: read_and_decide(many, reader))
        single = median_ms(lambda: read_and_decide(one, one_reader))
        parsed = median_ms(lambda: bare_parse(many))
    print(f"community of {CHANGES:,} changes ({lines:,} lines on {LAPTOPS} laptops), "
          f"read and every consent decided: {folded:.1f} ms "
          f"(target <= {TARGET_MS:.0f} ms: {'met' if folded <= TARGET_MS else 'MISSED'})")
    print(f"  the same community made in one line: {single:.1f} ms "
          f"(ratio {folded / single:.2f})")
    print(f"  bare json.loads of the {lines:,} lines: {parsed:.1f} ms "
          f"(ratio {folded / parsed:.2f})")


if __name__ == "__main__":
    main()
