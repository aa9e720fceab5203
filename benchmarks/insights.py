"""``kring insights`` where the user waits (issue 26). Run: python benchmarks/insights.py [--runs N]

command   The installed ``kring insights COMMUNITY`` (the terminal report, piped) on a community
          of 1,000 meetings against one of 100 (the baseline, same run, taking turns), each in
          its own data folder whose index a ``kring list`` brought up to date first, as every
          list of meetings does: the whole path, process start to the last line printed.
          Targets: 1,000 meetings <= 2 s, and <= 1.5 x the time at 100.
cold      The same once right after the meetings were written, before any list: the first
          run folds every meeting's logs into the index (once per device).
html      ``--out report.html`` on the 1,000, against the terminal report.

The meetings are copies (new ids, a week apart) of a seeded year of a consultancy CoP
(tests/support/community.py: 30 meetings held through the live meeting, with evaluations,
questions, learnings and action points). Prints its figures; asserts nothing. Bytecode is
written, as a user's Python does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's Python writes bytecode

from benchmarks.support.commands import timed  # noqa: E402
from kring.sessions.model.meeting import new_id  # noqa: E402
from kring.sessions.store.facade import Store  # noqa: E402
from tests.support.community import COMMUNITY, FIRST_DAY, seed_community  # noqa: E402

KRING = Path(sys.executable).with_name("kring")
TARGET, SCALE_TARGET = 2.0, 1.5


def community_of(seed: Store, folder: Path, count: int) -> dict[str, str]:
    """A data folder with ``count`` meetings copied from ``seed``'s; the environment to run
    kring on it."""
    store = Store(folder / "data")
    for community in seed.communities():
        store.save_community(community)
    records = [seed.load(summary.id) for summary in seed.list_meetings()]
    for number in range(count):
        record = records[number % len(records)]
        meeting = replace(record.meeting, id=new_id(),
                          date=FIRST_DAY + timedelta(weeks=number))
        store.create_meeting(meeting, record.entries)
    return {**os.environ, "KRING_DATA": str(folder / "data"),
            "KRING_STATE": str(folder / "state"), "KRING_CONFIG": str(folder / "config"),
            "KRING_GUARD": "off", "COLUMNS": "100"}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        seeded = seed_community(base / "seed", 30)
        envs = {count: community_of(seeded.store, base / str(count), count)
                for count in (100, 1000)}
        report = [str(KRING), "insights", COMMUNITY]
        cold = timed(report, envs[1000])
        for env in envs.values():
            subprocess.run([str(KRING), "list"], env=env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times: dict[str, list[float]] = {"100": [], "1000": [], "html": []}
        html = [*report, "--out", str(base / "report.html")]
        for _run in range(runs):
            times["100"].append(timed(report, envs[100]))
            times["1000"].append(timed(report, envs[1000]))
            times["html"].append(timed(html, envs[1000]))
        median = {key: statistics.median(values) for key, values in times.items()}
    print(f"kring insights, median of {runs} runs (bytecode written, index up to date):")
    print(f"  100 meetings (baseline)  {median['100']:6.2f} s")
    print(f"  1,000 meetings           {median['1000']:6.2f} s   target <= {TARGET:.1f} s   "
          f"{'OK' if median['1000'] <= TARGET else 'OVER'}")
    ratio = median["1000"] / median["100"]
    print(f"  ratio 1,000 / 100        {ratio:6.2f} x   target <= {SCALE_TARGET:.1f} x   "
          f"{'OK' if ratio <= SCALE_TARGET else 'OVER'}")
    print(f"  --out report.html, 1,000 {median['html']:6.2f} s   "
          f"({median['html'] / median['1000']:.2f} x the terminal report)")
    print(f"  first run after writing 1,000 meetings (index built): {cold:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
