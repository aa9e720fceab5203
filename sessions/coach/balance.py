"""Who has spoken, and who has not yet brought what the phase expects.

Counted from the entries the note-taker attributed (the author of each) and, in phases held
in turns, from the turns each person had (a turn passed is no word): in this phase and in the
whole meeting. Private entries count too (a person spoke); the coach is the facilitator's
alone. A phase that expects a kind (``Phase.expects``) with a minimum for each
(``Phase.min_each``) names the participants below it, the case-bringer left out where the
phase's questions are put to them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from kring.sessions.meeting.turns import speaking_order
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.model.name_variants import fold
from kring.sessions.model.protocol import Phase, Role, Step


@dataclass(frozen=True)
class Balance:
    in_phase: dict[str, int]  # entries per participant in the current phase
    missing: tuple[str, ...]  # below the phase's minimum, in the participants' order


def balance(meeting: Meeting, entries: Sequence[Entry], step_key: str,
            phase: Phase) -> Balance:
    here = [e for e in entries if e.step == step_key]
    missing: tuple[str, ...] = ()
    if phase.expects and phase.min_each:
        brought = spoken(meeting, [e for e in here if e.kind in phase.expects])
        case_bringer = meeting.roles.get(Role.CASE_BRINGER.value)
        missing = tuple(name for name, count in brought.items()
                        if count < phase.min_each and name != case_bringer)
    return Balance(spoken(meeting, here), missing)


def spoken(meeting: Meeting, entries: Sequence[Entry]) -> dict[str, int]:
    """Entries per participant, in the participants' order (an author not on the roster is
    not counted: a name typed for someone outside the room)."""
    own = {fold(name): name for name in meeting.participants}
    # Each way a name was typed folded once, not each entry: the coach asks every second.
    counts: Counter[str] = Counter()
    for author, times in Counter(e.author for e in entries if e.author).items():
        name = own.get(fold(author))
        if name is not None:
            counts[name] += times
    return {name: counts.get(name, 0) for name in meeting.participants}


def turns_had(meeting: Meeting, steps: Sequence[Step], bringer: str | None) -> Counter[str]:
    """Turns each participant had in ``steps`` (the one whose turn it is now included), less
    one for each who passed."""
    had: Counter[str] = Counter()
    for step in steps:
        runs = [run for run in meeting.runs if run.step == step.key]
        taken = sum(run.turn for run in runs)
        if not runs or not taken:
            continue  # nobody passed the floor on: no rounds were held, only a conversation
        order = speaking_order(meeting, step, step.client or bringer)
        if not order:
            continue
        for index in range(taken + 1):
            had[order[index % len(order)]] += 1
        for run in runs:
            for name in run.passed:
                had[name] -= 1
    return +had  # no one below nothing


def said_by(entries: Sequence[Entry]) -> Counter[tuple[str, str]]:
    """Attributed entries per (step key, author as typed): one pass over the entries, which
    every count of who was heard then reads (the coach looks once a second)."""
    return Counter((e.step, e.author) for e in entries if e.author)


def heard(meeting: Meeting, said: Counter[tuple[str, str]], steps: Sequence[Step],
          bringer: str | None) -> dict[str, int]:
    """How often each participant was heard in ``steps``: their entries there (``said``, from
    ``said_by``), or their turns when those were more (a turn may hold several entries, or
    none the note-taker kept)."""
    keys = {step.key for step in steps}
    own = {fold(name): name for name in meeting.participants}
    counts: Counter[str] = Counter()
    for (step, author), times in said.items():
        name = own.get(fold(author)) if step in keys else None
        if name is not None:
            counts[name] += times
    turns = turns_had(meeting, steps, bringer)
    return {name: max(counts.get(name, 0), turns.get(name, 0))
            for name in meeting.participants}
