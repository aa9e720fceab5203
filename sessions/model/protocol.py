"""Meeting protocols: the phases a peer consultation goes through, as plain data.

A protocol is loaded from a TOML template (see ``sessions/protocols/templates.py``); nothing here
knows about files. ``Protocol.steps()`` unfolds blocks that repeat per participant (Troika) into the
flat sequence of steps a live meeting walks through.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

# The kinds of entry live with everything else known per kind; a phase lists which it captures.
from kring.sessions.model.kinds import Capture


class Role(StrEnum):
    FACILITATOR = "facilitator"
    CASE_BRINGER = "case-bringer"
    NOTE_TAKER = "note-taker"
    TIMEKEEPER = "timekeeper"


class Need(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"


class Speakers(StrEnum):
    """Who has the floor during a phase."""

    EVERYONE = "everyone"
    CASE_BRINGER = "case-bringer"
    GROUP = "group"  # everyone but the case-bringer
    FACILITATOR = "facilitator"
    NOBODY = "nobody"  # silent individual work


class CaseBringer(StrEnum):
    """What the case-bringer does while others have the floor."""

    SPEAKS = "speaks"
    ANSWERS = "answers"  # answers questions briefly, nothing more
    LISTENS = "listens"  # silent, takes notes
    AWAY = "away"  # turned away or outside the circle, silent
    WRITES = "writes"  # silent individual writing, like everyone


class InputMode(StrEnum):
    PRESENTATION = "presentation"  # one person tells, the others listen
    WRITING = "writing"  # silent individual writing
    ROUND = "round"  # in turns, one contribution per person
    DISCUSSION = "discussion"  # open conversation


class CaseField(StrEnum):
    """Fields of the meeting's case that a phase asks to be filled in."""

    TITLE = "title"
    SUMMARY = "summary"
    FOCUS_QUESTION = "focus-question"


class PhaseKind(StrEnum):
    REGULAR = "regular"
    ACTION_REVIEW = "action-review"  # opens with last meeting's open action points
    EVALUATION = "evaluation"  # closes with how it went and what people learned


class Repeat(StrEnum):
    PER_PARTICIPANT = "per-participant"


@dataclass(frozen=True, slots=True)
class Phase:
    id: str
    title: str
    minutes: float
    instructions: str
    speakers: Speakers
    case_bringer: CaseBringer
    input: InputMode
    captures: tuple[Capture, ...]
    prompts: tuple[str, ...] = ()
    case_fields: tuple[CaseField, ...] = ()
    kind: PhaseKind = PhaseKind.REGULAR
    optional: bool = False
    # For the facilitator's coach (sessions/coach/): the kinds the phase is for, the kinds
    # out of place in it, how many of the first each participant should bring, and whether
    # the method asks for open questions.
    expects: tuple[Capture, ...] = ()
    out_of_place: tuple[Capture, ...] = ()
    min_each: int = 0
    open_questions: bool = False

    @property
    def default_capture(self) -> Capture:
        """The kind a plain line typed in this phase becomes."""
        return self.captures[0] if self.captures else Capture.NOTE

    @property
    def seconds(self) -> int:
        return round(self.minutes * 60)


@dataclass(frozen=True, slots=True)
class Block:
    """Phases that are run once for every participant, each taking the case-bringer's seat."""

    id: str
    title: str
    repeat: Repeat
    phases: tuple[Phase, ...]
    optional: bool = False

    @property
    def minutes_per_round(self) -> float:
        return sum(phase.minutes for phase in self.phases)


@dataclass(frozen=True, slots=True)
class Step:
    """One phase as it occurs in a meeting: blocks unfold into one step per phase per round."""

    key: str  # unique within the meeting, e.g. "round.share#2"
    phase: Phase
    block: Block | None = None
    round: int = 0  # 1-based within a block, 0 outside blocks
    rounds: int = 0
    client: str | None = None  # who brings the case in this round


@dataclass(frozen=True, slots=True)
class Protocol:
    id: str
    language: str
    name: str
    summary: str
    roles: dict[Role, Need]
    items: tuple[Phase | Block, ...]
    min_participants: int = 2
    max_participants: int | None = None
    source: str = ""
    origin: str = field(default="", compare=False)  # file it was loaded from

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.language)

    def phases(self) -> tuple[Phase, ...]:
        """Every distinct phase, blocks' phases counted once."""
        out: list[Phase] = []
        for item in self.items:
            out.extend(item.phases if isinstance(item, Block) else (item,))
        return tuple(out)

    def planned_minutes(self, participants: int | None = None) -> float:
        """Total planned time; blocks count once per participant when that number is known."""
        total = 0.0
        for item in self.items:
            if isinstance(item, Block):
                total += item.minutes_per_round * max(1, participants or 1)
            else:
                total += item.minutes
        return total

    def steps(self, participants: Sequence[str] = ()) -> tuple[Step, ...]:
        """The phases in meeting order, blocks repeated once per participant (at least once)."""
        out: list[Step] = []
        for item in self.items:
            if isinstance(item, Phase):
                out.append(Step(key=item.id, phase=item))
                continue
            clients: Sequence[str | None] = list(participants) or [None]
            for number, client in enumerate(clients, start=1):
                for phase in item.phases:
                    out.append(
                        Step(
                            key=f"{item.id}.{phase.id}#{number}",
                            phase=phase,
                            block=item,
                            round=number,
                            rounds=len(clients),
                            client=client,
                        )
                    )
        return tuple(out)
