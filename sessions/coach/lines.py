"""What the coach says at a moment, as lines for the facilitator's screen: the pace, and from
halfway through a phase how often each was heard and who has not yet brought what it
expects. Looked at once a second, so it must stay cheap at thousands of entries
(benchmarks/coach.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from kring.sessions.coach.balance import balance, heard, said_by
from kring.sessions.coach.pacing import pacing_line
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.timing import step_timings, timer_state
from kring.sessions.model.protocol import Speakers

BALANCE_AFTER = 0.5  # of the phase's time: who has not been heard is said from halfway on


@dataclass(slots=True)
class Seen:
    """What the coach worked out from the entries, kept until they change: it looks once a
    second, and a meeting's entries change far less often."""

    key: tuple[int, int, int, int] | None = None
    said: Counter[tuple[str, str]] = field(default_factory=Counter)
    missing: dict[str, tuple[str, ...]] = field(default_factory=dict)  # per step key

    def of(self, live: LiveMeeting) -> Seen:
        # A header saved anew (participants, roles) is a new meeting object: looked at again.
        key = (id(live.entries), len(live.entries), live.entries_changes, id(live.meeting))
        if key != self.key:
            self.key, self.said, self.missing = key, said_by(live.entries), {}
        return self


def coach_lines(live: LiveMeeting, now: datetime, t: Callable[[str], str],
                seen: Seen | None = None) -> list[str]:
    """``seen``: what an earlier look worked out from the entries (a new one works it out)."""
    seen = (seen or Seen()).of(live)
    lines = []
    pace = pacing_line(step_timings(live.meeting, live.steps, now), t)
    if pace:
        lines.append(f"⏱ {pace}")
    step = live.step
    timer = timer_state(live.meeting, step, now)
    halfway = timer.elapsed >= timer.planned * BALANCE_AFTER
    if halfway and step.phase.speakers in (Speakers.EVERYONE, Speakers.GROUP):
        bringer = live.case_bringer()
        said = seen.said
        here = heard(live.meeting, said, (step,), bringer)
        if any(here.values()):
            whole = heard(live.meeting, said, live.steps[:live.step_index + 1], bringer)
            lines.append("👥 " + t("Heard (this phase/meeting): {counts}").format(
                counts=" · ".join(f"{name} {here[name]}/{whole[name]}" for name in here)))
    if step.phase.min_each and halfway:
        missing = seen.missing.get(step.key)
        if missing is None:
            missing = seen.missing[step.key] = balance(live.meeting, live.entries, step.key,
                                                       step.phase).missing
        if missing:
            lines.append("👥 " + t("Not yet heard in this phase: {names}").format(
                names=", ".join(missing)))
    return lines
