"""What the room may see of a live meeting: the one place that decides it.

A projector, a mirrored screen or the facilitator's F5 view shows a ``RoomView``, never the
``LiveMeeting`` itself. Everything in it has passed through the meeting's pseudonymizer
(protected names become "Pupil A"), and it holds no entries: only the texts of the options
of the phase's dot-vote, and of those only the ones not private, so nothing typed as
private (``!``) can reach the wall. What is shown is decided here, in the domain, where it
can be tested without a screen.

The timer is a snapshot at ``as_of``; ``RoomView.at(now)`` moves it on without reading the
meeting again, so a projector can tick four times a second and reread the store only when it
changed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from kring.sessions.i18n import _
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.timing import WARNING_SECONDS, timer_state
from kring.sessions.model.privacy import Pseudonymizer, pseudonymizer_for
from kring.sessions.model.protocol import CaseBringer, Role, Speakers

VOTE_ROWS = 5  # what the back row can read at once; the minutes keep every option


@dataclass(frozen=True, slots=True)
class RoomTimer:
    planned: int  # seconds, with the minutes added during the meeting
    remaining: int  # seconds; negative in overtime
    paused: bool
    running: bool  # counting down now: not paused, and the meeting has not ended

    @property
    def overtime(self) -> bool:
        return self.remaining < 0

    @property
    def warning(self) -> bool:
        return 0 <= self.remaining <= WARNING_SECONDS


@dataclass(frozen=True, slots=True)
class RoomTally:
    """The result of the current phase's last closed dot-vote, as the room may read it."""

    voters: int
    each: int  # votes every participant had
    rows: tuple[tuple[str, int], ...]  # (option text, votes), most votes first
    options: int  # how many options were shown to the room, beyond the rows too


@dataclass(frozen=True, slots=True)
class RoomView:
    meeting_id: str
    as_of: datetime  # the moment the timer was read
    number: int  # 1-based
    total: int
    title: str
    speaking_rule: str
    silent_bringer: bool  # the case-bringer listens in silence (or turns away) in this phase
    instructions: str  # Markdown, as the protocol wrote it
    timer: RoomTimer
    now_speaking: str | None  # in a phase held in rounds; None otherwise
    next_speaking: str | None
    turn_round: int  # which round of turns; 0 outside a phase held in turns
    round: int  # the round of a repeated block (1-based); 0 outside blocks
    rounds: int
    client: str | None  # whose case it is in this round of a block
    community: str
    case_title: str
    case_summary: str
    focus_question: str
    ended: bool
    tally: RoomTally | None = None  # only once this phase held a vote with a result to show

    @property
    def texts(self) -> tuple[str, ...]:
        """Every text in the view: what a test searches for a name that should not be there."""
        return tuple(text for text in (
            self.meeting_id, self.title, self.speaking_rule, self.instructions,
            self.now_speaking, self.next_speaking, self.client, self.community,
            self.case_title, self.case_summary, self.focus_question,
            *(text for text, _votes in (self.tally.rows if self.tally else ()))) if text)

    def at(self, now: datetime) -> RoomView:
        """The same view with its timer moved on to ``now`` (a paused timer stays put)."""
        if not self.timer.running or now <= self.as_of:
            return self
        # Whole seconds, and as_of moves by exactly those: a view moved on four times a
        # second keeps time with one moved on once.
        passed = int((now - self.as_of).total_seconds())
        if passed <= 0:
            return self
        return replace(self, as_of=self.as_of + timedelta(seconds=passed), timer=replace(
            self.timer, remaining=self.timer.remaining - passed))


def room_view(live: LiveMeeting, now: datetime) -> RoomView:
    """What the room may see of ``live`` at ``now``, with protected names as pseudonyms
    labelled in the meeting's language: the word the list, the phones and the minutes of the
    same meeting use ("Leerling A" on the wall and "Pupil A" in the minutes once confused a
    Dutch room about an English meeting)."""
    hide = pseudonymizer_for(live.meeting)
    step, phase, meeting = live.step, live.step.phase, live.meeting
    state = timer_state(meeting, step, now)
    turn = live.turn()
    speaking = turn is not None and bool(turn.order)
    case = meeting.case
    return RoomView(
        meeting_id=meeting.id,
        as_of=now,
        number=live.step_index + 1,
        total=len(live.steps),
        title=hide.apply(phase.title),
        speaking_rule=hide.apply(speaking_rule(live)),
        silent_bringer=phase.case_bringer in {CaseBringer.LISTENS, CaseBringer.AWAY},
        instructions=hide.apply(phase.instructions),
        timer=RoomTimer(planned=state.planned, remaining=state.remaining, paused=state.paused,
                        running=not state.paused and not live.ended and live.run is not None),
        now_speaking=_optional(hide, turn.current) if speaking and turn else None,
        next_speaking=_optional(hide, turn.next) if speaking and turn else None,
        turn_round=turn.round if speaking and turn else 0,
        round=step.round,
        rounds=step.rounds,
        client=_optional(hide, step.client),
        community=hide.apply(meeting.community),
        case_title=hide.apply(case.title),
        case_summary=hide.apply(case.summary),
        focus_question=hide.apply(case.focus_question),
        ended=live.ended,
        tally=tally(live, hide),
    )


def tally(live: LiveMeeting, hide: Pseudonymizer) -> RoomTally | None:
    """The current phase's last closed vote, or None. An option whose entry is private or
    gone is left out, as the minutes leave it out (documents/minutes_steps.py); an open vote
    is not here: its ballots live in the share journal on one device, not in the meeting."""
    step = live.step.key
    vote = next((v for v in reversed(live.meeting.votes) if v.step == step), None)
    if vote is None:
        return None
    shown = {entry.id: entry.text for entry in live.entries if not entry.private}
    rows = sorted(((hide.apply(shown[entry_id]), count) for entry_id, count in vote.counts
                   if entry_id in shown), key=lambda row: -row[1])  # stable: offered order
    if not rows:
        return None
    return RoomTally(voters=vote.voters, each=vote.votes_each, rows=tuple(rows[:VOTE_ROWS]),
                     options=len(rows))


def _optional(hide: Pseudonymizer, text: str | None) -> str | None:
    return hide.apply_optional(text) or None


def speaking_rule(live: LiveMeeting) -> str:
    """Who speaks in this phase and what the case-bringer does, in a sentence for the room."""
    phase = live.step.phase
    bringer = live.case_bringer() or _("the case-bringer")
    facilitator = live.person(Role.FACILITATOR) or _("the facilitator")
    speakers = {
        Speakers.EVERYONE: _("Everyone speaks."),
        Speakers.CASE_BRINGER: _("{name} speaks.").format(name=bringer),
        Speakers.GROUP: _("The group speaks."),
        Speakers.FACILITATOR: _("{name} leads.").format(name=facilitator),
        Speakers.NOBODY: _("Silence: everyone writes on their own."),
    }[phase.speakers]
    if phase.speakers in {Speakers.CASE_BRINGER, Speakers.NOBODY}:
        return speakers
    state = {
        CaseBringer.SPEAKS: "",
        CaseBringer.ANSWERS: _("{name} answers briefly.").format(name=bringer),
        CaseBringer.LISTENS: _("{name} listens and takes notes, silently.").format(name=bringer),
        CaseBringer.AWAY: _("{name} turns away and listens, silently.").format(name=bringer),
        CaseBringer.WRITES: _("{name} writes too.").format(name=bringer),
    }[phase.case_bringer]
    return f"{speakers} {state}".strip()
