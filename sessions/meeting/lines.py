"""Capturing one typed line into a live meeting: the whole rule, in one place.

The meeting screen's capture line and ``kring add`` both go through
``LiveMeeting.add_line``, which reads the line with ``parse_capture`` (the phase's kind for a
line without a prefix, the meeting's roster, today's date from the meeting's clock), then
attributes it (``attribute``), then adds the entry. What this module decides:

- **Who said it.** An ``@name`` names the author (for an action point, the owner). A line
  without an author is attributed to whoever has the floor: the speaker whose turn it is in a
  phase held in rounds, or the case-bringer in a phase where only they speak. Elsewhere
  (a discussion, a silent writing phase) nobody can be assumed, and the entry has no author.
- **When nothing is added.** A line with no text after its prefixes, and any line once the
  meeting has ended (unless an amendment re-opened it): the result then has no entry, and its
  problems say why, in words for the person who typed it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kring.sessions.meeting.capture import Parsed
from kring.sessions.meeting.turns import Turn
from kring.sessions.model.meeting import Entry
from kring.sessions.model.protocol import Speakers, Step


@dataclass(frozen=True, slots=True)
class CaptureResult:
    """What became of a captured line: the entry added (None if none was), and warnings or,
    without an entry, the reasons, in the language asked for."""

    entry: Entry | None
    problems: list[str] = field(default_factory=list)


def floor_holder(step: Step, turn: Turn | None, case_bringer: str | None) -> str | None:
    """Who has the floor in ``step`` right now, if one person does."""
    if turn is not None:
        return turn.current
    if step.phase.speakers is Speakers.CASE_BRINGER:
        return case_bringer
    return None


def attribute(parsed: Parsed, speaker: str | None) -> str | None:
    """The author of a parsed line: the one its ``@name`` names, else whoever has the floor.
    For an action point the ``@name`` is its owner, and the author is still the speaker."""
    return parsed.author or speaker
