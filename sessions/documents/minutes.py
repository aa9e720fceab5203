"""The minutes of a meeting as Markdown: complete, faithful, and safe whatever was typed.

``render_markdown`` writes YAML front matter, the meeting's details and case, one section per
step of the protocol with its entries grouped by kind, the action points as a task list, the
learnings and a timing table. Every entry that is not private appears exactly once: entries of
a step the protocol no longer has go to "Other notes".

Whatever a person typed passes through ``inline`` (or ``inline_line``), which escapes it so it
can never change the document's structure (``sessions/documents/markdown.py``). The opening is
written by ``minutes_front.py``; each step, with its entries and dot-votes, and the sections
after the steps by ``minutes_steps.py``; which kinds go where comes from the table of kinds
(``sessions/model/kinds.py``).

Fixed words go through the meeting's own translator, never the interface's ``_``: the minutes
are written in the language of the meeting, whatever language the screen is in. Dates and
durations are written as that language writes them (``sessions/model/dates.py``); only the front
matter, which is data for tools, keeps ISO dates.

The minutes are read by others: the names the meeting protects (pupils, parents) are replaced
by their pseudonyms (``sessions/model/privacy.py``) in everything typed, before it is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from kring.sessions.documents.actions import review_markdown
from kring.sessions.documents.markdown import inline_line, plain_line
from kring.sessions.documents.minutes_front import case_section, front_matter, header, title
from kring.sessions.documents.minutes_steps import (
    end_sections,
    kind_sections,
    round_title,
    step_line,
    timing_table,
    vote_sections,
)
from kring.sessions.guard.meeting import Verdict
from kring.sessions.i18n import translator
from kring.sessions.meeting.timing import step_timings
from kring.sessions.model.kinds import SECTION_KINDS
from kring.sessions.model.meeting import Case, Entry, Meeting
from kring.sessions.model.privacy import Pseudonymizer, pseudonymizer_for, redact_entry
from kring.sessions.model.protocol import PhaseKind
from kring.sessions.protocols.snapshot import meeting_steps

MARKDOWN = "md"  # the formats of the minutes, which are also their files' extensions
HTML = "html"
PDF = "pdf"  # the whole minutes, A4
HANDOUT = "handout.pdf"  # one A4 page: case, decisions, action points, learnings


def render_minutes_texts(meeting: Meeting, entries: Sequence[Entry], *, html: bool = False,
                         now: datetime | None = None, guard: Verdict | None = None
                         ) -> dict[str, str]:
    """The minutes in every format asked for, by format: Markdown under ``MARKDOWN``, and
    with ``html`` the standalone page under ``HTML``, made from that same Markdown. What
    writing the minutes to their folder and exporting them both render, so the two can never
    differ."""
    markdown = render_markdown(meeting, entries, now=now, guard=guard)
    texts = {MARKDOWN: markdown}
    if html:
        # Imported here: markdown-it is needed only for the page, and `kring list` and the
        # others that import this module for its names never pay for it.
        from kring.sessions.documents.html import render_html

        texts[HTML] = render_html(markdown, minutes_title(meeting), language=meeting.language)
    return texts


def minutes_title(meeting: Meeting) -> str:
    """The title of the minutes as plain text: the case, or else the community; protected
    names hidden, since it names the page and the file others open."""
    t = translator(meeting.language).gettext
    hide = pseudonymizer_for(meeting)
    return title(meeting, t, lambda text: plain_line(hide.apply(text)))


def shown_meeting(meeting: Meeting, hide: Pseudonymizer) -> Meeting:
    """A copy of ``meeting`` with protected names replaced in everything typed into it that
    the minutes show: so no part of the document can forget to hide one. The meeting itself
    when no name is protected, which is the usual case and costs nothing."""
    if not hide.active:
        return meeting
    apply = hide.apply
    case = meeting.case
    protocol = meeting.protocol
    if isinstance(protocol, dict) and isinstance(protocol.get("name"), str):
        protocol = {**protocol, "name": apply(protocol["name"])}
    return replace(
        meeting,
        community=apply(meeting.community),
        goal=apply(meeting.goal),
        participants=[apply(name) for name in meeting.participants],
        # Role keys too: a role this Kring does not know is shown by its (typed) name.
        roles={apply(role): apply(who) for role, who in meeting.roles.items()},
        case=Case(apply(case.title), apply(case.summary), apply(case.focus_question)),
        protocol=protocol,
    )


def render_markdown(meeting: Meeting, entries: Sequence[Entry], *,
                    now: datetime | None = None, guard: Verdict | None = None) -> str:
    """The minutes of ``meeting`` as Markdown (UTF-8 text, ``\\n`` line endings, a final
    newline). For a meeting in progress these are the minutes so far: pass ``now`` to count the
    running step's time up to that moment. Private entries are never included, and protected
    names show as their pseudonyms wherever they were typed. ``guard``: what the privacy
    guard made of it, said in the front matter."""
    t = translator(meeting.language).gettext
    hide = pseudonymizer_for(meeting)
    now = now or minutes_moment(meeting, entries)
    original = meeting
    meeting = shown_meeting(meeting, hide)
    # The steps unfold from the hidden participants, so a Troika round's client is hidden too;
    # their keys hold no names, so the runs and entries still find their step.
    steps = meeting_steps(meeting)
    timings = step_timings(meeting, steps, now)
    # Stable on the order given, so entries made in the same clock tick keep theirs.
    visible = sorted((redact_entry(e, hide) for e in entries if not e.private),
                     key=lambda e: e.created_at)
    known = {step.key for step in steps}
    in_steps = [e for e in visible if e.kind not in SECTION_KINDS]
    by_step: dict[str, list[Entry]] = {}
    for entry in in_steps:
        by_step.setdefault(entry.step, []).append(entry)
    others = [e for e in in_steps if e.step not in known]
    # The review of earlier action points belongs in the step held for it; a protocol without
    # one (or a snapshot that cannot be read) still shows it, in a section after the case.
    review_step = next((step.key for step in steps
                        if step.phase.kind is PhaseKind.ACTION_REVIEW), None)

    blocks = [front_matter(meeting, t, guard), *header(meeting, t), *case_section(meeting, t)]
    if review_step is None:
        # review_markdown hides the names itself, from the meeting as stored.
        blocks.extend(_nonempty(review_markdown(original, level=2)))
    round_of: tuple[str, int] | None = None
    for timing in timings:
        step = timing.step
        level = 2
        if step.block is not None:
            level = 3
            if round_of != (step.block.id, step.round):
                round_of = (step.block.id, step.round)
                blocks.append(f"## {round_title(step, hide, t)}")
        else:
            round_of = None
        where = f"{timing.number}. {inline_line(hide.apply(step.phase.title))}"
        blocks.append(f"{'#' * level} {where}")
        blocks.append(f"*{step_line(timing, meeting.language, t)}*")
        if step.key == review_step:
            blocks.extend(_nonempty(review_markdown(original, level=level + 1)))
        blocks.extend(kind_sections(by_step.get(step.key, []), level + 1, meeting, t, where))
        blocks.extend(vote_sections(original, visible, step.key, level + 1, t, where))
    if others:
        other_notes = t("Other notes")
        blocks.append(f"## {other_notes}")
        blocks.append(t("Noted in a phase this meeting's protocol does not have (any more)."))
        blocks.extend(kind_sections(others, 3, meeting, t, other_notes))
    blocks.extend(end_sections(visible, meeting.language, t))
    blocks.extend(timing_table(timings, meeting, hide, t))
    return "\n\n".join(unique_headings(blocks)) + "\n"


def unique_headings(blocks: list[str]) -> list[str]:
    """``blocks`` with a heading that repeats an earlier one (at any level) numbered: "Goal
    (2)". The minutes' own headings differ already; typed titles may not (a case called
    "Goal", a protocol with two phases of one name in a round's heading). Markdown viewers
    link to headings by their text, and markdownlint (MD024) wants them different. A heading
    is always the first line of its block; a typed line never starts with "#" (it is
    escaped)."""
    seen: set[str] = set()
    for index, block in enumerate(blocks):
        if not block.startswith("#"):
            continue
        line, newline, rest = block.partition("\n")
        hashes, _space, text = line.partition(" ")
        if text in seen:
            number = 2
            while f"{text} ({number})" in seen:
                number += 1
            text = f"{text} ({number})"
            blocks[index] = f"{hashes} {text}{newline}{rest}"
        seen.add(text)
    return blocks


def _nonempty(block: str) -> list[str]:
    return [block] if block else []


def minutes_moment(meeting: Meeting, entries: Sequence[Entry]) -> datetime:
    """Without a clock reading: when the meeting ended, or else the last moment anything was
    recorded, so that the same data always gives the same minutes."""
    if meeting.ended_at is not None:
        return meeting.ended_at
    moments = [meeting.created_at]
    for run in meeting.runs:
        moments.append(run.started_at)
        moments.extend(m for m in (run.ended_at, *(p.ended_at for p in run.pauses)) if m)
        moments.extend(p.started_at for p in run.pauses)
    for entry in entries:
        moments.append(entry.updated_at or entry.created_at)
    return max(moments)
