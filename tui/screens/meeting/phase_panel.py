"""The facilitator's part of the meeting screen: the phase as the room reads it (which one of
how many, its title, who speaks, the timer, the case, the instructions and the entries
captured in it) and the course of the meeting, which the facilitator's keys change: phases,
turns and the timer. A key that cannot act in this phase, or in an ended meeting, says why
instead of doing nothing.

The keys are the screen's (they work wherever the focus is, the capture line above all);
they come here. What else on the screen depends on a change (the capture line's hint, the
phones, a review phase that opens by itself) hears of it by a message."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Label, Markdown, Static

from kring.sessions.i18n import _
from kring.sessions.meeting.turns import has_turns, why_no_turns
from kring.sessions.plain import plain
from kring.tui.plain_text import PlainNotify, plain_text
from kring.tui.screens.meeting.entries import MeetingEntries
from kring.tui.widgets.banner import SpeakingBanner
from kring.tui.widgets.case import CasePanel
from kring.tui.widgets.stepper import PhaseStepper
from kring.tui.widgets.timer import PhaseTimer
from kring.tui.widgets.turns import TurnBar

if TYPE_CHECKING:
    from kring.sessions.meeting.live import LiveMeeting
    from kring.tui.app import KringApp


class PhasePanel(PlainNotify, Horizontal):
    class PhaseChanged(Message):
        """Another phase is current; ``onward``: by the facilitator moving on (a review
        phase reached that way opens its review)."""

        def __init__(self, *, onward: bool = False) -> None:
            super().__init__()
            self.onward = onward

    class TurnChanged(Message):
        """Someone else has the turn."""

    class TimeChanged(Message):
        """The timer was paused, resumed or given time."""

    app: KringApp

    def __init__(self, live: LiveMeeting, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.live = live
        self._warned_step: str | None = None  # the phase whose last minute rang the bell
        self._ended_step: str | None = None  # the phase whose time running out was signalled
        self._shown_before = False  # a phase over its time at the first look is not signalled

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="stepper-pane"):
            yield PhaseStepper(id="stepper")
        with Vertical(id="main"):
            with Horizontal(id="phase-head"):
                with Vertical(id="phase-titles"):
                    yield Label("", id="phase-number")
                    yield Static("", id="phase-title", markup=False)
                    yield SpeakingBanner("", id="banner")
                yield PhaseTimer(id="timer")
            yield TurnBar("", id="turns")
            yield CasePanel(id="case")
            yield Markdown("", id="instructions")
            yield MeetingEntries(self.live, language=self.app.language, id="entries")

    @property
    def entries(self) -> MeetingEntries:
        return self.query_one(MeetingEntries)

    # -- showing -----------------------------------------------------------------------------

    def show_phase(self) -> None:
        """Everything that changes when the phase does; entries are replaced, not appended."""
        live = self.live
        step, phase = live.step, live.step.phase
        self.query_one("#phase-number", Label).update(plain_text(
            _("Phase {n} of {total}").format(n=live.step_index + 1, total=len(live.steps))
            + (_(" · round {r} of {rounds}, client: {client}").format(
                r=step.round, rounds=step.rounds, client=step.client)
               if step.client else "")
            + self._state_suffix(), one_line=True))
        self.query_one("#phase-title", Static).update(plain(phase.title))
        self.query_one(SpeakingBanner).show(live)
        self.query_one(PhaseStepper).show(live)
        self.query_one("#instructions", Markdown).update(plain(phase.instructions))
        self.entries.show_entries(live.entries_of())
        self.show_turn()
        self.show_case()
        self.show_time()

    def _state_suffix(self) -> str:
        if self.live.amending:
            return _(" · ended, being amended (F10 when done)")
        if self.live.ended:
            return _(" · ended (read-only; F9 amends)")
        return ""

    def show_turn(self) -> None:
        self.query_one(TurnBar).show(self.live.turn())

    def show_case(self) -> None:
        self.query_one(CasePanel).show(self.live.meeting.case)

    def show_time(self) -> None:
        """The timer as of now: on every tick. The last minute of a phase rings the bell once,
        and its time running out rings it and flashes the timer (each unless turned off, or
        the phase is paused); a phase already over its time when shown is not signalled."""
        live = self.live
        state = live.timer()
        elapsed, planned = live.meeting_time()
        timer = self.query_one(PhaseTimer)
        timer.show(state, elapsed, planned)
        step = live.step.key
        if state.overtime:
            if self._ended_step != step and not state.paused and self._shown_before:
                if self.app.bell_enabled:
                    self.app.bell()
                if self.app.flash_enabled:
                    timer.flash()
            self._ended_step = self._warned_step = step
        elif state.warning and self._warned_step != step and not state.paused:
            self._warned_step = step
            if self.app.bell_enabled:
                self.app.bell()
        self._shown_before = True

    # -- the course --------------------------------------------------------------------------

    def course_fixed(self) -> bool:
        """True (and said) when the meeting has ended: its phases and times are history,
        also while it is amended (an amendment changes what was recorded, not the course)."""
        if not self.live.ended:
            return False
        if self.live.amending:
            self.notify(_("The phases and times of an ended meeting stay as they were; "
                          "its entries and details can be amended."))
        else:
            self.notify(_("This meeting has ended: F9 amends it."))
        return True

    def next_phase(self) -> None:
        if self.course_fixed():
            return
        if self.live.is_last_step:
            self.notify(_("This is the last phase. F10 ends the meeting."))
            return
        self.live.next_phase()
        self.show_phase()
        self.post_message(self.PhaseChanged(onward=True))

    def previous_phase(self) -> None:
        if self.course_fixed():
            return
        if self.live.step_index == 0:
            self.notify(_("This is the first phase."))
            return
        self.live.previous_phase()
        self.show_phase()
        self.post_message(self.PhaseChanged())

    def skip_phase(self) -> None:
        if self.course_fixed():
            return
        if self.live.is_last_step:
            self.notify(_("This is the last phase. F10 ends the meeting."))
            return
        self.live.skip_phase()
        self.show_phase()
        self.post_message(self.PhaseChanged())

    def give_turn(self, *, passes: bool) -> None:
        if self.course_fixed():
            return
        if not has_turns(self.live.turn()):
            self.notify(why_no_turns(self.live.step, self.live.case_bringer()))
            return
        self.live.next_turn(passes=passes)
        self.show_turn()
        self.post_message(self.TurnChanged())

    def toggle_pause(self) -> None:
        if self.course_fixed():
            return
        self.live.toggle_pause()
        self.show_time()
        self.post_message(self.TimeChanged())

    def change_time(self, minutes: int) -> None:
        if self.course_fixed():
            return
        self.live.add_minutes(minutes)
        self.show_time()
        self.post_message(self.TimeChanged())
