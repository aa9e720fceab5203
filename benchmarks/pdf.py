"""The PDF minutes where the user waits (issue 27). Run: python benchmarks/pdf.py [--runs N]

command   The installed ``kring export ID --format pdf --out FILE`` on an ended meeting of
          2,000 entries, and ``--format pdf --handout`` on a typical one (a consultancy round:
          40 entries, 6 action points), each against ``--format md`` of the same meeting in
          the same run (taking turns): the whole path, process start to file written.
render    The same inside one process, once fpdf2 is imported (what the export adds to the
          Markdown): the full PDF of 2,000 entries (target <= 2 s) and the handout (target
          <= 300 ms), against rendering their Markdown.
start-up  Whether starting kring (the app's and the CLI's modules) imports fpdf2: it must not,
          so that start-up is unchanged (it takes about 0.4 s to import).

Prints its figures; asserts nothing. Bytecode is written, as a user's Python does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's Python writes bytecode

from benchmarks.minutes import long_meeting  # noqa: E402
from benchmarks.support.commands import timed  # noqa: E402
from kring.sessions.model.meeting import Entry, Meeting, MeetingWithEntries  # noqa: E402
from kring.sessions.model.protocol import Capture  # noqa: E402
from kring.sessions.store.facade import Store  # noqa: E402

KRING = Path(sys.executable).with_name("kring")


@dataclass
class Record:
    """A meeting with its entries, as the store gives one (``MeetingWithEntries``)."""

    meeting: Meeting
    entries: list[Entry]
FULL_TARGET, HANDOUT_TARGET = 2.0, 0.3  # seconds


def typical(entries: int = 40, actions: int = 6) -> MeetingWithEntries:
    """A consultancy-sized round: 40 entries, 6 of them action points with owner and date."""
    meeting, rows = long_meeting(entries)
    kinds = [row.kind for row in rows]
    rows = [replace(row, kind=Capture.ACTION if i < actions else (
        Capture.NOTE if kinds[i] is Capture.ACTION else kinds[i]),
        owner="Chantal" if i < actions else None,
        due=date(2026, 12, 1 + i) if i < actions else None)
        for i, row in enumerate(rows)]
    return Record(replace(meeting, id="typical1"), rows)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        env = {**os.environ, "KRING_DATA": str(base / "data"), "KRING_STATE": str(base / "st"),
               "KRING_CONFIG": str(base / "cfg"), "KRING_GUARD": "off"}
        store = Store(base / "data")
        long, entries = long_meeting()
        store.create_meeting(long, entries)
        small = typical()
        store.create_meeting(small.meeting, small.entries)
        commands = {
            "md, 2,000": [str(KRING), "export", long.id, "--out", str(base / "a.md")],
            "pdf, 2,000": [str(KRING), "export", long.id, "--format", "pdf",
                           "--out", str(base / "a.pdf")],
            "md, typical": [str(KRING), "export", "typical1", "--out", str(base / "b.md")],
            "handout, typical": [str(KRING), "export", "typical1", "--format", "pdf",
                                 "--handout", "--out", str(base / "b.pdf")],
        }
        for argv in commands.values():  # warm-up: bytecode written, caches filled
            timed(argv, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, argv in commands.items():
                times[name].append(timed(argv, env))
        median = {name: statistics.median(values) for name, values in times.items()}
        print(f"the installed kring export, median of {runs} runs, taking turns:")
        for pdf, md in (("pdf, 2,000", "md, 2,000"), ("handout, typical", "md, typical")):
            print(f"  {pdf:17} {median[pdf]:6.2f} s   --format md {median[md]:6.2f} s   "
                  f"ratio {median[pdf] / median[md]:.2f}")
        render(runs, Record(long, entries), small)
    startup()
    print(f"(reproduce with: .venv/bin/python benchmarks/pdf.py --runs {runs})")
    return 0


def render(runs: int, long: MeetingWithEntries, small: MeetingWithEntries) -> None:
    from kring.sessions.documents.minutes import render_markdown
    from kring.sessions.documents.pdf.render import render_pdf

    def once(record: MeetingWithEntries, handout: bool) -> tuple[float, float]:
        start = time.perf_counter()
        markdown = render_markdown(record.meeting, record.entries)
        middle = time.perf_counter()
        render_pdf(record, markdown, handout=handout)
        return middle - start, time.perf_counter() - middle

    once(long, False)  # warm-up: fpdf2 and HarfBuzz imported, the fonts read once
    print(f"inside one process, median of {runs} runs:")
    for name, record, handout, target in (("full PDF, 2,000 entries", long, False, FULL_TARGET),
                                          ("handout, typical meeting", small, True,
                                           HANDOUT_TARGET)):
        pairs = [once(record, handout) for _ in range(runs)]
        markdown = statistics.median(p[0] for p in pairs)
        pdf = statistics.median(p[1] for p in pairs)
        verdict = "ok" if pdf <= target else "MISSED"
        print(f"  {name:25} {pdf * 1000:7.0f} ms (target <= {target * 1000:.0f} ms)  "
              f"{verdict};   its Markdown {markdown * 1000:5.1f} ms, ratio "
              f"{pdf / markdown:.0f}")


def startup() -> None:
    probe = ("import sys, kring.tui.startup, kring.tui.app, kring.tui.cli;"
             "print('fpdf' in sys.modules, 'uharfbuzz' in sys.modules)")
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           check=True).stdout.split()
    verdict = "ok" if found == ["False", "False"] else "MISSED"
    print(f"start-up imports fpdf2: {found[0]}, uharfbuzz: {found[1]}  {verdict}")


if __name__ == "__main__":
    raise SystemExit(main())
