"""How long the minutes of a long meeting take. Run: python benchmarks/minutes.py

Builds, in memory, an ended incident-method meeting with 2,000 entries (every kind, most with
an author, some multi-line or full of Markdown characters, a few private) and times
``render_markdown`` followed by ``render_html`` on its Markdown: the median of ROUNDS runs,
after one warm-up run. Target: at most 50 ms for the two together. For comparison it also
times the HTML with markdown-it's own rules instead of the shortcuts for common shapes in
``sessions/documents/html.py``, and ``render_markdown`` of the same meeting protecting three
pupils' names, one of them named in one entry in twenty (the pseudonymizer's cost). Run it on
a quiet machine: other work on the cores shows.

Then the same meeting with 20,000 entries against 2,000 (both rendered to Markdown and HTML,
median of SCALE_ROUNDS runs, taking turns): the minutes must grow with the meeting and no
faster. Target: at most 10 times the 2,000-entry time.
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kring.sessions.documents.html import build_parser, render_html, strip_front_matter
from kring.sessions.documents.minutes import render_markdown
from kring.sessions.model.meeting import Case, Entry, Meeting, PhaseRun, Status
from kring.sessions.model.protocol import Capture
from kring.sessions.protocols.templates import load_protocol, protocol_to_data
from kring.templates import BUILTIN_DIR

ENTRIES = 2000
ROUNDS = 21
TARGET_MS = 50.0
LARGE = 20_000
SCALE_ROUNDS = 5
SCALE_TARGET = 10.0
COMMAND = "python benchmarks/minutes.py"
PEOPLE = ["Anouk", "Bram", "Chantal", "Dev", "Eline", "Fatima"]
PROTECTED = ("Zoë", "Daan de Vries", "Mila")
START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
# What note-takers type: mostly a short sentence, sometimes two lines or Markdown characters.
TEXTS = [
    "Leerling komt vaak te laat en mist daardoor de instructie.",
    "What happened just before the lesson started?",
    "Ouders zijn gebeld; de mentor weet ervan.",
    "I would have sat down next to him and asked what the first step is.",
    "Hij zegt dat hij 'het toch niet snapt' — al sinds de herfstvakantie.",
    "Toets #3 ging slecht: 4,2 gemiddeld (klas 2B).",
    "Eerst *zelf* proberen, dan pas vragen?\nOf juist andersom?",
    "<b>Niet</b> vergeten: de zorgcoördinator & de IB'er informeren.",
    "- Kort gesprek na de les\n- Afspraak maken met ouders",
    "Silence is not the same as coping 😀",
]
KINDS = [Capture.QUESTION, Capture.FACT, Capture.POSITION, Capture.REFLECTION, Capture.NOTE,
         Capture.QUESTION, Capture.POSITION, Capture.NOTE, Capture.DECISION, Capture.ACTION,
         Capture.LEARNING, Capture.FACT]


def long_meeting(count: int = ENTRIES) -> tuple[Meeting, list[Entry]]:
    protocol = load_protocol(BUILTIN_DIR / "en" / "incident.toml")
    steps = protocol.steps(PEOPLE)
    runs = []
    moment = START
    for step in steps:
        runs.append(PhaseRun(step=step.key, started_at=moment,
                             ended_at=moment + timedelta(seconds=step.phase.seconds + 37)))
        moment = runs[-1].ended_at or moment
    meeting = Meeting(
        id="bench1", community="CoP Passend onderwijs", date=date(2026, 11, 25),
        protocol=protocol_to_data(protocol), created_at=START, goal="Factual questions first",
        participants=list(PEOPLE), roles={"facilitator": "Anouk", "case-bringer": "Bram"},
        case=Case("Een leerling die niet meer om hulp vraagt", "Sinds de herfstvakantie...",
                  "Hoe merk ik eerder wie mij nodig heeft?"),
        status=Status.ENDED, current_step=len(steps) - 1, runs=runs, ended_at=moment)
    entries = []
    for number in range(count):
        kind = KINDS[number % len(KINDS)]
        entries.append(Entry(
            id=f"e{number}", kind=kind, text=TEXTS[number % len(TEXTS)],
            step=steps[number * len(steps) // count].key,
            created_at=START + timedelta(seconds=2 * number),
            author=PEOPLE[number % len(PEOPLE)] if number % 3 else None,
            owner=PEOPLE[number % len(PEOPLE)] if kind is Capture.ACTION else None,
            due=date(2026, 12, 1) if kind is Capture.ACTION and number % 2 else None,
            private=number % 50 == 0,
        ))
    return meeting, entries


def protecting(meeting: Meeting, entries: list[Entry]) -> tuple[Meeting, list[Entry]]:
    """The same meeting protecting three names, one of them typed in one entry in twenty."""
    named = [replace(entry, text=f"{entry.text} (Zoë)") if number % 20 == 0 else entry
             for number, entry in enumerate(entries)]
    return replace(meeting, protected_names=list(PROTECTED)), named


def main() -> int:
    meeting, entries = long_meeting()
    hiding, named = protecting(meeting, entries)
    stock = build_parser(shortcuts=False)  # the same rules without the shortcuts
    markdown = render_markdown(meeting, entries)  # warm-up: imports, caches, the parsers
    render_html(markdown, "bench")
    stock.render(strip_front_matter(markdown))
    render_markdown(hiding, named)
    times: dict[str, list[float]] = {"markdown": [], "html": [], "stock": [], "names": []}
    for _ in range(ROUNDS):  # they take turns, so drift in the machine's speed hits all
        start = time.perf_counter()
        markdown = render_markdown(meeting, entries)
        middle = time.perf_counter()
        render_html(markdown, "bench")
        end = time.perf_counter()
        stock.render(strip_front_matter(markdown))
        stocked = time.perf_counter()
        render_markdown(hiding, named)
        times["names"].append(time.perf_counter() - stocked)
        times["stock"].append(stocked - end)
        times["markdown"].append(middle - start)
        times["html"].append(end - middle)
    totals = [a + b for a, b in zip(times["markdown"], times["html"], strict=True)]
    median = {key: statistics.median(values) * 1000 for key, values in times.items()}
    total, best = statistics.median(totals) * 1000, min(totals) * 1000
    print(f"minutes of a {ENTRIES:,}-entry meeting ({len(markdown.encode()):,} bytes of "
          f"Markdown), median of {ROUNDS} runs:")
    print(f"  render_markdown   {median['markdown']:6.1f} ms")
    print(f"  render_html       {median['html']:6.1f} ms   (markdown-it's own rules: "
          f"{median['stock']:.1f} ms)")
    verdict = "ok" if total <= TARGET_MS else "MISSED"
    print(f"  together          {total:6.1f} ms   best run {best:.1f} ms   "
          f"(target <= {TARGET_MS:.0f} ms)  {verdict}")
    print(f"  render_markdown protecting {len(PROTECTED)} names: {median['names']:.1f} ms")
    scaling()
    print(f"  reproduce with: {COMMAND}")
    return 0


def scaling() -> None:
    """Markdown and HTML of the meeting at ENTRIES and at LARGE entries, taking turns."""
    meetings = {count: long_meeting(count) for count in (ENTRIES, LARGE)}
    times: dict[int, list[float]] = {count: [] for count in meetings}
    for _ in range(SCALE_ROUNDS):
        for count, (meeting, entries) in meetings.items():
            start = time.perf_counter()
            render_html(render_markdown(meeting, entries), "bench")
            times[count].append(time.perf_counter() - start)
    small, large = (statistics.median(times[count]) * 1000 for count in (ENTRIES, LARGE))
    ratio = large / small
    verdict = "ok" if ratio <= SCALE_TARGET else "MISSED"
    print(f"minutes (Markdown and HTML) of {LARGE:,} entries against {ENTRIES:,}, median of "
          f"{SCALE_ROUNDS} runs:")
    print(f"  {ENTRIES:,} entries {small:6.1f} ms, {LARGE:,} entries {large:6.1f} ms, ratio "
          f"{ratio:.2f} (target <= {SCALE_TARGET:g}, linear is {LARGE / ENTRIES:g})  {verdict}")


if __name__ == "__main__":
    raise SystemExit(main())
