"""The kinds of entry a note-taker captures, in one table: everything Kring knows per kind.

Each row says what a kind is called in files (the ``Capture`` value), the prefixes that choose
it on the capture line in each language, its label on screen, its heading in the minutes and
where in the minutes it goes. The capture parser (``sessions/meeting/capture.py``), the labels
(``sessions/model/labels.py``) and the minutes (``sessions/documents/minutes.py``) all read this
table, so adding a kind is one ``Capture`` member and one row here, plus the translations of its
label, heading and capture hint; tests/test_kinds.py fails when a row misses a part.

Labels and headings are marked with ``N_`` and translated where they are shown: the screen in
the interface's language, the minutes in the meeting's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from kring.sessions.i18n import N_


class Capture(StrEnum):
    """The kinds of entry a note-taker captures; the values are the words in the files."""

    QUESTION = "question"
    FACT = "fact"
    POSITION = "position"  # a position or piece of advice
    DECISION = "decision"
    ACTION = "action"
    REFLECTION = "reflection"
    LEARNING = "learning"
    NOTE = "note"
    EVALUATION = "evaluation"  # a score of the meeting (1-5) and what one takes from it


@dataclass(frozen=True, slots=True, eq=False)
class Kind:
    """One kind of entry. ``prefixes`` per language code, lower case and without the colon;
    a single letter must be unique across all kinds and languages, so a quick ``a:`` is always
    an action and ``v:`` always a (Dutch) question, whatever the meeting's language."""

    capture: Capture
    prefixes: Mapping[str, tuple[str, ...]]
    label: str  # N_-marked: the kind of one entry, on screen
    heading: str  # N_-marked: the heading over entries of this kind in the minutes
    order: int  # place in the minutes: within a step's section, or among the own sections
    # Gathered from every step into a section of its own at the end of the minutes, where
    # people look for them, rather than shown inside each step's section.
    own_section: bool = False
    empty: str = ""  # N_-marked: what an own section says when there are none
    # N_-marked: the capture line's invitation in a phase of this kind, a whole phrase per
    # kind, since "Type a {kind}" cannot be right in every language ("a advice", "a action").
    hint: str = ""


KINDS: tuple[Kind, ...] = (
    Kind(Capture.QUESTION, {"en": ("q", "question"), "nl": ("v", "vraag")},
         N_("question"), N_("Questions"), 1, hint=N_("Type a question")),
    Kind(Capture.FACT, {"en": ("f", "fact"), "nl": ("feit",)},
         N_("fact"), N_("Facts"), 2, hint=N_("Type a fact")),
    # A position is called advice: that is what the group gives.
    Kind(Capture.POSITION,
         {"en": ("p", "pos", "position", "advice", "adv"), "nl": ("advies", "standpunt")},
         N_("advice"), N_("Positions and advice"), 3, hint=N_("Type advice")),
    Kind(Capture.DECISION, {"en": ("d", "decision"), "nl": ("b", "besluit", "beslissing")},
         N_("decision"), N_("Decisions"), 5, hint=N_("Type a decision")),
    Kind(Capture.ACTION, {"en": ("a", "act", "action"), "nl": ("actie", "actiepunt")},
         N_("action"), N_("Action points"), 7, own_section=True, empty=N_("No action points."),
         hint=N_("Type an action point")),
    Kind(Capture.REFLECTION, {"en": ("r", "reflection"), "nl": ("reflectie",)},
         N_("reflection"), N_("Reflections"), 4, hint=N_("Type a reflection")),
    Kind(Capture.LEARNING, {"en": ("l", "learning"), "nl": ("leerpunt", "geleerd")},
         N_("learning"), N_("Learnings"), 8, own_section=True,
         empty=N_("No learnings noted."), hint=N_("Type a learning")),
    Kind(Capture.NOTE, {"en": ("n", "note"), "nl": ("notitie",)},
         N_("note"), N_("Notes"), 6, hint=N_("Type a note")),
    # The closing evaluation: one per participant, a score first ("e: 4 the questions
    # helped @Anouk"); gathered at the end, with the average.
    Kind(Capture.EVALUATION, {"en": ("e", "eval", "evaluation"), "nl": ("evaluatie",)},
         N_("evaluation"), N_("Evaluation"), 9, own_section=True,
         empty=N_("No evaluation given."),
         hint=N_("Type a score from 1 to 5, then what you take with you")),
)

KIND: Mapping[Capture, Kind] = MappingProxyType({row.capture: row for row in KINDS})
"""The row of each kind."""

STEP_KINDS: tuple[Capture, ...] = tuple(
    row.capture for row in sorted(KINDS, key=lambda row: row.order) if not row.own_section)
"""The kinds shown inside a step's section of the minutes, in their order there."""

SECTION_KINDS: tuple[Capture, ...] = tuple(
    row.capture for row in sorted(KINDS, key=lambda row: row.order) if row.own_section)
"""The kinds gathered in sections of their own at the end of the minutes, in that order."""
