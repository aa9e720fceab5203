"""The facilitator's keys for the meeting's course: phases, turns and the timer. A key that
cannot act in this phase, or in an ended meeting, says why instead of doing nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.screen import Screen

from kring.sessions.i18n import _
from kring.sessions.meeting.turns import has_turns, why_no_turns

if TYPE_CHECKING:
    from kring.sessions.meeting.live import LiveMeeting


class Facilitating(Screen[None]):
    """Mixed into the meeting screen."""

    # Provided by the meeting screen.
    live: LiveMeeting
    refresh_phase: Callable[[], None]
    refresh_turn: Callable[[], None]
    tick: Callable[[], None]
    _report_unsaved: Callable[[], None]
    _open_review_phase: Callable[[], None]

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

    def action_next_phase(self) -> None:
        if self.course_fixed():
            return
        if self.live.is_last_step:
            self.notify(_("This is the last phase. F10 ends the meeting."))
            return
        self.live.next_phase()
        self.refresh_phase()
        self._report_unsaved()
        self._open_review_phase()

    def action_previous_phase(self) -> None:
        if self.course_fixed():
            return
        if self.live.step_index == 0:
            self.notify(_("This is the first phase."))
            return
        self.live.previous_phase()
        self.refresh_phase()
        self._report_unsaved()

    def action_skip_phase(self) -> None:
        if self.course_fixed():
            return
        if self.live.is_last_step:
            self.notify(_("This is the last phase. F10 ends the meeting."))
            return
        self.live.skip_phase()
        self.refresh_phase()

    def action_next_turn(self) -> None:
        self._give_turn(passes=False)

    def action_pass_turn(self) -> None:
        self._give_turn(passes=True)

    def _give_turn(self, *, passes: bool) -> None:
        if self.course_fixed():
            return
        if not has_turns(self.live.turn()):
            self.notify(why_no_turns(self.live.step, self.live.case_bringer()))
            return
        self.live.next_turn(passes=passes)
        self.refresh_turn()
        self._report_unsaved()

    def action_toggle_pause(self) -> None:
        if self.course_fixed():
            return
        self.live.toggle_pause()
        self.tick()

    def action_add_minute(self) -> None:
        self._change_time(1)

    def action_remove_minute(self) -> None:
        self._change_time(-1)

    def _change_time(self, minutes: int) -> None:
        if self.course_fixed():
            return
        self.live.add_minutes(minutes)
        self.tick()
