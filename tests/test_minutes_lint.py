"""The minutes are tidy Markdown for every built-in protocol: each heading is different (a
viewer links to a heading by its text; markdownlint's MD024), there is one title, and
markdownlint's default rules pass, line length aside (a note is one long line on purpose: an
editor wraps it, a hard break would end up inside the note).

The meetings below hold every kind of entry in every step, in both languages, plus typed text
that could spoil it: headings named like the minutes' own sections, bare web and mail
addresses. markdownlint itself runs when it is installed (``npm install -g
markdownlint-cli``, or ``KRING_MARKDOWNLINT`` naming its command); otherwise that test is
skipped, saying why, and the heading checks made here with markdown-it-py still run.
"""

from __future__ import annotations

import itertools
import os
import shlex
import shutil
import subprocess
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from kring.sessions.documents.html import strip_front_matter
from kring.sessions.documents.minutes import render_markdown, unique_headings
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.kinds import STEP_KINDS, Capture
from kring.sessions.model.meeting import Case, Entry, Meeting
from kring.sessions.model.protocol import Need, Role
from kring.sessions.protocols.templates import load_protocol
from kring.templates import BUILTIN_DIR
from tests.support.minutes import HOSTILE, Recorder

PROTOCOLS = sorted(f"{path.parent.name}/{path.stem}" for path in BUILTIN_DIR.glob("*/*.toml"))
PEOPLE = ["Anouk", "Bram", "Chantal", "Dev", "Eva", "Fatima", "Gijs", "Hana"]
# Typed text that looks like the minutes' own words, or like a link.
TRICKY = ["Goal", "Questions", "mail a.b@school.nl or see https://kring.example and www.x.org"]


@cache
def built(name: str) -> tuple[Meeting, list[Entry]]:
    """A meeting of the protocol ``lang/id`` held to its end, with every kind of entry, some
    hostile, in every step; an entry of a step the protocol no longer has goes to "Other
    notes"."""
    language, ident = name.split("/")
    protocol = load_protocol(BUILTIN_DIR / language / f"{ident}.toml")
    count = max(protocol.min_participants, 3)
    if protocol.max_participants is not None:
        count = min(count, protocol.max_participants)
    people = PEOPLE[:count]
    plan = MeetingPlan(protocol, community="CoP Inclusion", date=date(2026, 11, 25),
                       participants=people, goal=TRICKY[0],
                       case=Case(TRICKY[0], "An intake.", TRICKY[2]))
    free = iter(people)
    for role, need in protocol.roles.items():
        if need is Need.REQUIRED or role is Role.CASE_BRINGER:
            plan.roles[role] = next(free)
    assert plan.problems() == []
    clock = FakeClock()
    meeting = plan.create(clock)
    meeting.id = "m0001"
    live = LiveMeeting(meeting, [], Recorder(meeting), clock, protocol)
    live.start()
    while True:
        for number, kind in enumerate(STEP_KINDS):
            text = (HOSTILE + TRICKY)[number % (len(HOSTILE) + len(TRICKY))]
            live.add_entry(text, kind, author=people[number % count])
        live.add_entry("Do it", Capture.ACTION, owner=people[0])
        live.add_entry("Learned it", Capture.LEARNING, author=people[1])
        clock.advance(minutes=3)
        if live.is_last_step:
            break
        live.next_phase()
    orphan = live.add_entry("From an older protocol", Capture.NOTE)
    assert orphan is not None
    live.edit_entry(orphan.id, step="gone")
    live.end()
    return live.meeting, list(live.entries)


@cache
def bare(name: str) -> tuple[Meeting, list[Entry]]:
    """A meeting of the protocol ``lang/id`` just begun: no goal, no case, one note, in
    progress; what the minutes say of what is missing must be tidy too."""
    language, ident = name.split("/")
    protocol = load_protocol(BUILTIN_DIR / language / f"{ident}.toml")
    count = max(protocol.min_participants, 3)
    people = PEOPLE[:count]
    plan = MeetingPlan(protocol, community="CoP", date=date(2026, 11, 25), participants=people)
    free = iter(people)
    for role, need in protocol.roles.items():
        if need is Need.REQUIRED or role is Role.CASE_BRINGER:
            plan.roles[role] = next(free)
    clock = FakeClock()
    meeting = plan.create(clock)
    live = LiveMeeting(meeting, [], Recorder(meeting), clock, protocol)
    live.start()
    live.add_entry("A first note")
    clock.advance(minutes=1)
    return live.meeting, list(live.entries)


def documents() -> list[tuple[str, str]]:
    """Every minutes this test checks, by a name for the file."""
    return [(f"{name.replace('/', '-')}{suffix}.md", render_markdown(*build(name)))
            for name in PROTOCOLS for suffix, build in (("", built), ("-bare", bare))]


def headings(markdown: str) -> list[tuple[str, str]]:
    tokens = MarkdownIt("commonmark").enable("table").parse(strip_front_matter(markdown))
    return [(token.tag, tokens[index + 1].content) for index, token in enumerate(tokens)
            if token.type == "heading_open"]


@pytest.mark.parametrize("name", PROTOCOLS)
@pytest.mark.parametrize("build", [built, bare], ids=["held", "bare"])
def test_every_heading_of_the_minutes_is_different(name: str, build: Any) -> None:
    found = headings(render_markdown(*build(name)))
    repeated = [text for text, count in Counter(text for _tag, text in found).items()
                if count > 1]
    assert repeated == []
    assert [tag for tag, _text in found].count("h1") == 1
    levels = [int(tag[1]) for tag, _text in found]
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))  # MD001


def test_a_kind_s_heading_names_its_step() -> None:
    found = [text for _tag, text in headings(render_markdown(*built("en/incident")))]
    assert "Questions — 4. Information round" in found
    assert "Notes — Other notes" in found


def test_a_typed_heading_like_a_section_is_numbered() -> None:
    found = [text for _tag, text in headings(render_markdown(*built("en/incident")))]
    assert found[:3] == ["Goal", "Goal (2)", "Participants and roles"]


def test_unique_headings_numbers_repeats_only() -> None:
    blocks = ["# A", "text", "## A", "### A (2)\n\n- x", "## B", "## A"]
    assert unique_headings(blocks) == ["# A", "text", "## A (2)", "### A (2) (2)\n\n- x",
                                       "## B", "## A (3)"]


def test_the_front_matter_has_no_title_beside_the_heading() -> None:
    markdown = render_markdown(*built("en/incident"))
    front = markdown.split("\n---\n", 1)[0]
    assert "\ntitle:" not in front and '\ncase: "Goal"' in front


# -- markdownlint itself ---------------------------------------------------------------------


def markdownlint() -> list[str] | None:
    """The markdownlint-cli command: $KRING_MARKDOWNLINT, else one on the PATH."""
    named = os.environ.get("KRING_MARKDOWNLINT")
    if named:
        return shlex.split(named)
    found = shutil.which("markdownlint")
    return [found] if found else None


@pytest.mark.skipif(markdownlint() is None,
                    reason="markdownlint-cli is not installed (npm install -g markdownlint-cli, "
                           "or set KRING_MARKDOWNLINT to its command)")
def test_markdownlint_passes_on_the_minutes_of_every_protocol(tmp_path: Path) -> None:
    command = markdownlint()
    assert command is not None
    files = []
    for name, text in documents():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
    golden = Path(__file__).resolve().parent / "golden"
    files += sorted(str(path) for path in golden.glob("*.md"))
    # Default rules, line length aside.
    result = subprocess.run([*command, "--disable", "MD013", "--", *files],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
