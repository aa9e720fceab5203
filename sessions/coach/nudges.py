"""Quiet nudges on a line just captured, from what the protocol says of the phase: a kind out
of place in it (advice during the questions), a closed question where the method asks for
open ones, the case-bringer speaking in a phase where they listen.

Closed questions are recognised by how they open ("Heb je…", "Did you…"), in Dutch and in
English whatever the meeting's language (a line may be in either); a question opening with a
question word is open. A nudge says what it saw, never who is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from kring.sessions.model.kinds import Capture
from kring.sessions.model.labels import capture_label
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.model.name_variants import fold
from kring.sessions.model.protocol import CaseBringer, Phase, Role

# The verbs a yes/no question opens with, followed by a pronoun or an article.
_CLOSED = {
    "nl": r"(heb|hebben|heeft|had|hadden|ben|bent|is|zijn|was|waren|kun|kan|kunnen|kon|wil|"
          r"wilt|willen|zou|zouden|zal|zul|moet|moest|mag|mocht|doe|doet|deed|deden|weet|"
          r"wist|gaat|ga|gaan|vind|vindt|vond|klopt|speelt|denk|denkt)\s+"
          r"(je|jij|u|hij|zij|ze|het|er|dat|die|de|jullie|we|wij)\b",
    "en": r"(did|do|does|have|has|had|is|are|was|were|can|could|will|would|should|shall|"
          r"may|might|must)\s+(you|he|she|it|they|we|i|there|that|this|the|your)\b",
}
_CLOSED_OPENING = re.compile("|".join(f"(?:{p})" for p in _CLOSED.values()), re.IGNORECASE)
_LISTENING = {CaseBringer.LISTENS, CaseBringer.AWAY}  # silent while others have the floor


class NudgeKind(StrEnum):
    OUT_OF_PLACE = "out-of-place"
    CLOSED_QUESTION = "closed-question"
    CASE_BRINGER_SPEAKS = "case-bringer-speaks"


@dataclass(frozen=True, slots=True)
class Nudge:
    kind: NudgeKind
    text: str


def is_closed_question(text: str) -> bool:
    """Whether ``text`` opens as a yes/no question does."""
    return _CLOSED_OPENING.match(text.strip().lstrip("-–—•*\"'“‘ ")) is not None


def nudges_for(entry: Entry, phase: Phase, meeting: Meeting,
               t: Callable[[str], str]) -> list[Nudge]:
    """What the coach quietly says about ``entry``, just captured in ``phase``."""
    found: list[Nudge] = []
    if entry.kind in phase.out_of_place:
        found.append(Nudge(NudgeKind.OUT_OF_PLACE, t(
            "{kind} in “{phase}”: this phase is for {expected}.").format(
                kind=capture_label(entry.kind), phase=phase.title,
                expected=", ".join(capture_label(kind).lower()
                                   for kind in phase.expects or phase.captures))))
    if (phase.open_questions and entry.kind is Capture.QUESTION
            and is_closed_question(entry.text)):
        found.append(Nudge(NudgeKind.CLOSED_QUESTION, t(
            "A closed question: this method asks open ones (what, how, when…).")))
    case_bringer = meeting.roles.get(Role.CASE_BRINGER.value)
    if (phase.case_bringer in _LISTENING and case_bringer and entry.author
            and fold(entry.author) == fold(case_bringer)):
        found.append(Nudge(NudgeKind.CASE_BRINGER_SPEAKS, t(
            "{name} brought the case and listens in this phase.").format(name=case_bringer)))
    return found
