"""How well the privacy guard spots what nobody protected (issue 25), measured on capture lines
written by hand (tests/golden/guard_lines.jsonl: Dutch and English; pupils, parents, places,
schools, numbers; and name-free lines full of words that look like names). Prints the figures.

Recall: of the labelled person names that are not a participant's, how many a finding covers.
False findings: of the name-free lines, how many get a finding anyway."""

from __future__ import annotations

from datetime import date

import pytest

from kring.sessions.guard.kinds import Kind
from kring.sessions.guard.spotting import Known, Span, worth_asking
from tests.support.guard import Labelled, engine, labelled_lines

pytestmark = pytest.mark.slow  # deduce loads in seconds, and builds in minutes the first time

TODAY = date(2026, 12, 6)
RECALL = 0.9  # the floor for unprotected person names
FALSE_LINES = 0.1  # at most one name-free line in ten gets a finding


def findings(line: Labelled) -> list[Span]:
    return worth_asking(engine().spot(line.text), line.text, Known.of(line.participants),
                        TODAY)


def covered(line: Labelled, wanted: str, found: list[Span]) -> bool:
    """Whether a finding overlaps an occurrence of ``wanted`` in the line."""
    start = line.text.find(wanted)
    while start != -1:
        end = start + len(wanted)
        if any(span.start < end and start < span.end for span in found):
            return True
        start = line.text.find(wanted, start + 1)
    return False


def test_it_spots_nine_in_ten_names_and_troubles_few_name_free_lines() -> None:
    lines = labelled_lines()
    names = hits = 0
    missed: list[str] = []
    false_lines: list[str] = []
    name_free = 0
    for line in lines:
        found = findings(line)
        people = [text for text, kind in line.spans if kind == "person"]
        for person in people:
            names += 1
            if covered(line, person, found):
                hits += 1
            else:
                missed.append(f"{line.id}: {person!r} in {line.text!r}")
        if not line.spans:
            name_free += 1
            if found:
                false_lines.append(f"{line.id}: {[s.text for s in found]} in {line.text!r}")
    recall = hits / names
    false_rate = len(false_lines) / name_free
    print(f"\nprivacy guard on {len(lines)} labelled lines: recall of person names "
          f"{recall:.3f} ({hits}/{names}, floor {RECALL}); name-free lines with a finding "
          f"{false_rate:.3f} ({len(false_lines)}/{name_free}, ceiling {FALSE_LINES})")
    print("missed:", *missed[:40], sep="\n  ")
    print("false:", *false_lines[:40], sep="\n  ")
    assert recall >= RECALL
    assert false_rate <= FALSE_LINES


def test_participants_are_never_findings() -> None:
    for line in labelled_lines():
        for span in findings(line):
            if span.kind is Kind.PERSON:
                assert Known.of(line.participants).knows(span) is False, (line.id, span)
