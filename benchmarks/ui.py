"""How fast the interface is, against a bare Textual app measured the same way in the same run.

    .venv/bin/python benchmarks/ui.py [--runs N] [--keys N]

1. Start-up to the first frame of the home screen: the median wall time of a process from its
   start until Textual hands its first frame to the terminal (the process stops right there),
   against a bare app (Header, Static, Footer) measured the same way.
   Target: ratio <= 1.15.
2. Peak memory (max RSS) of the same processes. Target: ratio <= 1.3.
3. Keystroke-to-screen latency typing into the capture line, p50 and p95, in a meeting with no
   entries and one with 1,000 entries in the current phase. Target: ratio <= 1.1.

Prints its figures; it asserts nothing, so a slow shared machine never fails a build.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHILD = r"""
import resource, sys, time
sys.path.insert(0, {root!r})
which = sys.argv[1]
if which == "bare":
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Bare(App):
        def compose(self):
            yield Header()
            yield Static("Hello")
            yield Footer()

    app = Bare()
else:
    from pathlib import Path
    from kring.tui.app import create_app

    app = create_app(Path(sys.argv[2]))  # as `kring` does: protocols are read on first use

import os
display = app._display

def first_frame(screen, renderable):
    # The moment Textual hands its first frame to the terminal: report and stop right there,
    # so the parent's wall time for the whole process is start-up to first frame.
    if renderable is not None:
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
        os._exit(0)
    display(screen, renderable)

app._display = first_frame
app.run(headless=True)
"""


def start_up(which: str, data: Path) -> tuple[float, int]:
    code = CHILD.format(root=str(ROOT))
    began = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code, which, str(data)],
                            capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - began
    return elapsed, int(result.stdout.strip().splitlines()[-1])


def seed_meeting(data: Path, entries: int) -> str:
    from kring.sessions.meeting.setup import MeetingPlan
    from kring.sessions.model.clock import FakeClock
    from kring.sessions.model.meeting import Entry, new_id
    from kring.sessions.model.protocol import Capture, Role
    from kring.sessions.protocols.catalog import load_catalog
    from kring.sessions.store.facade import Store
    from kring.templates import BUILTIN_DIR

    clock = FakeClock()
    found = load_catalog(BUILTIN_DIR).find("incident", "en")
    assert found is not None
    plan = MeetingPlan(found.protocol, community="Bench", participants=["A", "B", "C", "D"])
    plan.roles = {Role.FACILITATOR: "A", Role.CASE_BRINGER: "B"}
    meeting = plan.create(clock)
    first_step = found.protocol.steps()[0].key
    rows = [Entry(new_id(), Capture.NOTE, f"Entry number {i} with some text to show", first_step,
                  clock.now() + timedelta(seconds=i)) for i in range(entries)]
    Store(data).create_meeting(meeting, rows)
    return meeting.id


async def keystrokes(data: Path, meeting_id: str, count: int) -> list[float]:
    """Seconds from a key event entering the app until the first frame that shows it.

    Frames are caught where Textual hands them to the terminal (``App._display``), so this is
    what a person would see, without Pilot's idle-waiting in the figure."""
    from textual import events

    from kring.sessions.protocols.catalog import load_catalog
    from kring.templates import BUILTIN_DIR
    from kring.tui.app import create_app

    app = create_app(data, load_catalog(BUILTIN_DIR))
    frames: list[float] = []
    display = app._display

    def spy(screen: object, renderable: object) -> None:
        if renderable is not None:
            frames.append(time.perf_counter())
        display(screen, renderable)  # type: ignore[arg-type]

    app._display = spy  # type: ignore[method-assign]
    timings: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_meeting(meeting_id)
        await pilot.pause()
        await pilot.pause()
        capture = app.screen.query_one("#capture")
        changed: list[float] = []
        app.screen.watch(capture, "value", lambda _: changed.append(time.perf_counter()),
                         init=False)
        text = "what did the pupil say, exactly? "
        for i in range(count):
            char = text[i % len(text)]
            seen = len(changed)
            began = time.perf_counter()
            app.post_message(events.Key(char if char != " " else "space", char))
            deadline = began + 5
            while time.perf_counter() < deadline:
                await asyncio.sleep(0)
                if len(changed) > seen and frames and frames[-1] >= changed[seen]:
                    timings.append(frames[-1] - began)
                    break
            await asyncio.sleep(0.02)  # let the frame settle before the next key
    return timings


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="processes per app (start-up)")
    parser.add_argument("--keys", type=int, default=300, help="keystrokes per meeting")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        home = root / "home"
        start_up("kring", home)  # warm the file cache and bytecode for both
        start_up("bare", home)
        times: dict[str, list[float]] = {"bare": [], "kring": []}
        memory: dict[str, list[int]] = {"bare": [], "kring": []}
        for _ in range(args.runs):
            for which in ("bare", "kring"):  # interleaved, so drift hits both alike
                elapsed, rss = start_up(which, home)
                times[which].append(elapsed)
                memory[which].append(rss)

        empty = root / "empty"
        full = root / "full"
        empty_id, full_id = seed_meeting(empty, 0), seed_meeting(full, 1000)
        latency: dict[str, list[float]] = {"0 entries": [], "1000 entries": []}
        for _ in range(2):  # alternated, so drift in the machine's load hits both alike
            latency["0 entries"] += asyncio.run(keystrokes(empty, empty_id, args.keys // 2))
            latency["1000 entries"] += asyncio.run(keystrokes(full, full_id, args.keys // 2))

    bare_t, kring_t = statistics.median(times["bare"]), statistics.median(times["kring"])
    bare_m, kring_m = max(memory["bare"]), max(memory["kring"])
    p50 = {k: percentile(v, 0.5) for k, v in latency.items()}
    p95 = {k: percentile(v, 0.95) for k, v in latency.items()}
    figures = {
        "startup_bare_ms": round(bare_t * 1000, 1),
        "startup_kring_ms": round(kring_t * 1000, 1),
        "startup_ratio": round(kring_t / bare_t, 3),
        "peak_rss_bare_mb": round(bare_m / 1024, 1),
        "peak_rss_kring_mb": round(kring_m / 1024, 1),
        "memory_ratio": round(kring_m / bare_m, 3),
        "key_p50_ms": {k: round(v * 1000, 2) for k, v in p50.items()},
        "key_p95_ms": {k: round(v * 1000, 2) for k, v in p95.items()},
        "key_p50_ratio": round(p50["1000 entries"] / p50["0 entries"], 3),
        "key_p95_ratio": round(p95["1000 entries"] / p95["0 entries"], 3),
    }
    print(f"start-up to first frame: kring {figures['startup_kring_ms']} ms, bare Textual "
          f"{figures['startup_bare_ms']} ms, ratio {figures['startup_ratio']} (target <= 1.15)")
    print(f"peak memory: kring {figures['peak_rss_kring_mb']} MB, bare Textual "
          f"{figures['peak_rss_bare_mb']} MB, ratio {figures['memory_ratio']} (target <= 1.3)")
    for label in latency:
        print(f"keystroke latency, {label}: p50 {figures['key_p50_ms'][label]} ms, "
              f"p95 {figures['key_p95_ms'][label]} ms")
    print(f"keystroke ratio 1000/0 entries: p50 {figures['key_p50_ratio']}, "
          f"p95 {figures['key_p95_ratio']} (target <= 1.1)")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
