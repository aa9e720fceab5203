"""The privacy guard where the note-taker waits: the real ``kring`` in a real terminal (tmux,
100 x 30) on a meeting of 100 entries, with the guard off (config.toml ``guard = false``) and
on, taking turns in the same run.

    .venv/bin/python benchmarks/guard.py [--runs N]

keys      One key at a time, key to screen, p50 and p95: twenty from the moment the meeting
          shows (the guard is loading in its process then) and twenty once it is ready.
          Target: p95 with the guard / without <= 1.1, both while it loads and when ready.
findings  Enter on a line naming a pupil until the entry is marked on screen (median).
          Target: <= 1 s.
memory    Peak resident set of the app's process, and of the guard's process, with the guard
          on; the app's without it.

The guard's lists are built first if this virtual environment has none (minutes, once: the
tests share them, KRING_GUARD_CACHE). Prints its figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's Python writes bytecode

from benchmarks.support import seed  # noqa: E402
from benchmarks.support.terminal import Pane, Server, tmux  # noqa: E402

KRING = Path(sys.executable).with_name("kring")
CACHE = Path(sys.prefix) / "kring-guard-cache"
KEYS = "abcdefghijklmnopqrst"  # letters only: digits in a row read as an id number
PUPILS = ["Sanne", "Jayden", "Fatima", "Milan", "Lotte", "Daan", "Noah", "Emma"]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def processes_under(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            children = (task / "children").read_text().split()
            todo += [int(child) for child in children]
    return found


def peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def command_of(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


class Run:
    def __init__(self, root: Path, data: Path, guard: bool) -> None:
        self.root, self.data, self.guard = root, data, guard
        config = root / ("config-on" if guard else "config-off")
        config.mkdir(exist_ok=True)
        if not guard:
            (config / "config.toml").write_text("guard = false\n")
        self.env = {"KRING_DATA": str(data), "KRING_STATE": str(root / "state"),
                    "KRING_CONFIG": str(config), "KRING_GUARD_CACHE": str(CACHE),
                    "LANG": "C.UTF-8", "LANGUAGE": "en"}

    def __call__(self) -> dict[str, object]:
        pane = Pane([str(KRING)], self.env, self.root / "time.txt")
        try:
            pane.wait_for(seed.NEWEST_CASE)
            pane.keys("Enter")
            pane.wait_for("Phase 1 of", seed.NEWEST_ENTRY)
            loading = self._keys(pane, "first")
            time.sleep(8)  # the guard is ready by now (about 3 s here)
            ready = self._keys(pane, "second")
            found: float | None = None
            if self.guard:
                pupil = PUPILS[int(time.time()) % len(PUPILS)]
                pane.keys("C-u")  # the capture line emptied: the line is the pupil's only
                pane.keys(f"{pupil} was upset after the break", literal=True)
                sent = time.perf_counter()
                pane.keys("Enter")
                found = pane.wait_for(f"⚑ {pupil}", timeout=30) - sent
            pids = processes_under(int(tmux("display", "-p", "-t", pane.name,
                                            "#{pane_pid}").strip()))
            app = [pid for pid in pids if command_of(pid).rstrip().endswith("bin/kring")
                   and "python" in command_of(pid).split()[0]]  # not GNU time around it
            guard = [pid for pid in pids if "kring.sessions.guard.process" in command_of(pid)]
            memory = {"app_kib": peak_kib(app[0]) if app else 0,
                      "guard_kib": peak_kib(guard[0]) if guard else 0}
        finally:
            pane.close()
        return {"loading": loading, "ready": ready, "found": found, **memory}

    @staticmethod
    def _keys(pane: Pane, mark: str) -> list[float]:
        pane.keys(f" {mark} ", literal=True)  # no colon: "a:" is a capture prefix
        pane.wait_for(f" {mark} ")
        typed, times = f" {mark} ", []
        for key in KEYS:
            typed += key
            sent = time.perf_counter()
            pane.keys(key, literal=True)
            times.append(pane.wait_for(typed[-12:]) - sent)
        return times


def ensure_lists() -> None:
    os.environ["KRING_GUARD_CACHE"] = str(CACHE)
    import deduce

    from kring.sessions.guard.cache import cache_folder, is_built
    from kring.sessions.guard.engine import Engine

    if not is_built(cache_folder(Path("/unused"), deduce.__version__)):
        print("building the guard's lists once (minutes) ...", flush=True)
        Engine.load(Path("/unused"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="measured runs of each kind")
    args = parser.parse_args()
    ensure_lists()
    root = Path(tempfile.mkdtemp(prefix="kring-bench-guard-"))
    (root / "state").mkdir()
    pristine = root / "entries100"
    seed.long_meeting(pristine, 100)
    results: dict[bool, list[dict[str, object]]] = {False: [], True: []}
    began = time.perf_counter()
    try:
        with Server():
            for number in range(args.runs + 1):
                for guard in (False, True):
                    data = root / "run-data"
                    shutil.rmtree(data, ignore_errors=True)
                    shutil.copytree(pristine, data)
                    outcome = Run(root, data, guard)()
                    if number:  # the first of each is the warm-up
                        results[guard].append(outcome)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    figures: dict[str, float] = {}
    for guard, runs in results.items():
        name = "on" if guard else "off"
        for phase in ("loading", "ready"):
            keys = [k for run in runs for k in run[phase]]  # type: ignore[union-attr]
            figures[f"key_p50_{phase}_{name}_ms"] = round(percentile(keys, 0.5) * 1000, 1)
            figures[f"key_p95_{phase}_{name}_ms"] = round(percentile(keys, 0.95) * 1000, 1)
        figures[f"app_{name}_mb"] = round(statistics.median(
            int(run["app_kib"]) for run in runs) / 1024, 1)  # type: ignore[call-overload]
    on = results[True]
    figures["guard_mb"] = round(statistics.median(
        int(run["guard_kib"]) for run in on) / 1024, 1)  # type: ignore[call-overload]
    figures["findings_ms"] = round(statistics.median(
        float(run["found"]) for run in on) * 1000, 1)  # type: ignore[arg-type]
    lines = [f"the guard where the note-taker waits, {args.runs} runs of each, in turns:"]
    for phase in ("loading", "ready"):
        off, with_guard = (figures[f"key_p95_{phase}_off_ms"],
                           figures[f"key_p95_{phase}_on_ms"])
        ratio = with_guard / off
        figures[f"key_p95_{phase}_ratio"] = round(ratio, 3)
        when = "while the guard loads" if phase == "loading" else "guard ready"
        lines.append(
            f"  one key at a time, {when}: p50 {figures[f'key_p50_{phase}_on_ms']} ms with, "
            f"{figures[f'key_p50_{phase}_off_ms']} ms without; p95 {with_guard} ms with, "
            f"{off} ms without: {ratio:.2f} (target <= 1.1)  {'ok' if ratio <= 1.1 else 'MISSED'}")
    verdict = "ok" if figures["findings_ms"] <= 1000 else "MISSED"
    lines.append(f"  Enter to the entry marked: {figures['findings_ms']} ms median "
                 f"(target <= 1000)  {verdict}")
    lines.append(f"  peak memory: the app {figures['app_on_mb']} MB with the guard, "
                 f"{figures['app_off_mb']} MB without; the guard's process "
                 f"{figures['guard_mb']} MB")
    lines.append(f"({time.perf_counter() - began:.0f} s in all; reproduce with: "
                 ".venv/bin/python benchmarks/guard.py)")
    print("\n".join(lines))
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
