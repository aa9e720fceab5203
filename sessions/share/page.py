"""What the view and contribute pages show, as JSON-ready data built from ``room_view`` alone
(pseudonyms only, no entries) plus what the room itself may act on: whether the phase takes
contributions and of which kind, and the vote open now with its options (pseudonymized
entries that are not private). No private entry, real protected name, journal or other
meeting can reach a page, because nothing here reads them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kring.sessions.i18n import _
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.room import RoomView, room_view
from kring.sessions.model.kinds import Capture
from kring.sessions.model.labels import capture_hint, capture_label
from kring.sessions.model.privacy import pseudonymizer_for
from kring.sessions.model.protocol import InputMode, Phase, PhaseKind, Speakers
from kring.sessions.share.instructions import instructions_html
from kring.sessions.share.naming import Naming
from kring.sessions.share.queue import ShareLog

# The kinds a room writes from its phones; a fact or an action point is the facilitator's.
COLLECTED = (Capture.QUESTION, Capture.REFLECTION, Capture.POSITION, Capture.LEARNING)


def evaluates(phase: Phase) -> bool:
    """Whether the room's phones give their evaluation (a score and a line) in ``phase``:
    a closing phase that takes evaluations. Nowhere else, not even from a silent phase
    before it: a score is given when the meeting is looked back on."""
    return phase.kind is PhaseKind.EVALUATION and Capture.EVALUATION in phase.captures


def collects(live: LiveMeeting) -> Capture | None:
    """The kind a contribution takes in the current phase, or None when it takes none. A
    closing phase that takes evaluations collects those, before its reflections and
    learnings. A phase of silent writing collects what the phase after it discusses (the
    incident method's "write your questions" gathers questions)."""
    if not live.editable:
        return None
    phase = live.step.phase
    if evaluates(phase):
        return Capture.EVALUATION
    own = next((kind for kind in phase.captures if kind in COLLECTED), None)
    if own is not None:
        return own
    silent = phase.input is InputMode.WRITING or phase.speakers is Speakers.NOBODY
    if silent and not live.is_last_step:
        following = live.steps[live.step_index + 1].phase
        return next((kind for kind in following.captures if kind in COLLECTED), None)
    return None


def collect_hint(kind: Capture) -> str:
    """The label of the phone's text field: the capture line's invitation, but for an
    evaluation, whose score has buttons of its own and whose line may stay empty."""
    if kind is Capture.EVALUATION:
        return _("What I take with me (one line, optional)")
    return capture_hint(kind)


def roster(live: LiveMeeting) -> list[str]:
    """The names a contribution may be signed with, as the room may read them."""
    hide = pseudonymizer_for(live.meeting)
    return [hide.apply(name) for name in live.meeting.participants]


def view_state(view: RoomView) -> dict[str, Any]:
    """The view page's data: the phase, its rule and instructions, the timer, the turns."""
    return {
        "meeting": view.meeting_id,
        "phase": _("Phase {n} of {total}").format(n=view.number, total=view.total),
        "title": view.title,
        "rule": view.speaking_rule,
        "instructions": instructions_html(view.instructions),  # safe HTML, not Markdown
        "now": view.now_speaking or "",
        "next": view.next_speaking or "",
        "round": (_("Round {r} of {rounds}: {client}'s case").format(
            r=view.round, rounds=view.rounds, client=view.client)
            if view.client else ""),
        "case": view.case_title,
        "focus": view.focus_question,
        "ended": view.ended,
        "timer": timer_state(view),
    }


def timer_state(view: RoomView) -> dict[str, Any]:
    timer = view.timer
    return {"remaining": timer.remaining, "planned": timer.planned, "paused": timer.paused,
            "running": timer.running, "warning": timer.warning}


def page_state(live: LiveMeeting, log: ShareLog, now: datetime,
               naming: Naming = Naming.ANY, *, offer_minutes: bool = False) -> dict[str, Any]:
    """Everything the pages show at ``now``, shared by every device; ``naming``: whether a
    contribution is signed (the roster is left out where it cannot be); ``offer_minutes``:
    whether the facilitator offers the room the minutes once the meeting has ended."""
    state = view_state(room_view(live, now))
    state["minutes"] = offer_minutes and live.ended
    kind = collects(live)
    state["collect"] = ({"kind": kind.value, "label": capture_label(kind),
                         "hint": collect_hint(kind)} if kind is not None else None)
    state["naming"] = naming.value
    state["names"] = [] if naming is Naming.ANONYMOUS else roster(live)
    vote = log.open_vote
    # Hidden counts are left out here, not only on the page: a phone reading the stream
    # itself learns nothing the room may not see yet.
    # The options were made plain when the vote opened; a name protected since (one key in
    # the note-taker's list) is hidden from then on, here too.
    hide = pseudonymizer_for(live.meeting)
    state["vote"] = None if vote is None else {
        "id": vote.id, "each": vote.each, "hidden": vote.hidden, "voters": vote.voters(),
        "options": [{"id": option.entry_id, "text": hide.apply(option.text),
                     "votes": None if vote.hidden else count}
                    for option, count in vote.counts()]}
    return state


def voter_state(log: ShareLog, voter: str) -> dict[str, Any] | None:
    """One participant's side of the open vote: what they chose and how many votes remain."""
    vote = log.open_vote
    if vote is None:
        return None
    return {"id": vote.id, "chosen": list(vote.chosen.get(voter, ())),
            "left": vote.left(voter)}
