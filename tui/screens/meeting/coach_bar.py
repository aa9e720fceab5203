"""The facilitator's coach as a line on the meeting screen: the pace ("at this pace the
advice round gets 4 min"), who has not yet brought what the phase expects, and a quiet nudge
on a line just captured that fades after a few seconds. The facilitator's alone: hidden on
the projector view (meeting.tcss), never on the phones, in no output. Switched off for a
meeting from the command palette ("Coach on/off"), which the meeting keeps.

What it says comes from ``sessions/coach/``; here it is only looked at again each second,
and when the screen says the meeting changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from kring.sessions.coach.lines import Seen, coach_lines
from kring.sessions.coach.nudges import nudges_for
from kring.sessions.coach.replan import Replanned, Way, new_plan, shortfall, take_back
from kring.sessions.i18n import _
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.timing import step_timings
from kring.sessions.model.meeting import Entry
from kring.tui.plain_text import plain_text
from kring.tui.screens.dialogs import ChoiceDialog

if TYPE_CHECKING:
    from kring.tui.app import KringApp

NUDGE_SECONDS = 8.0  # a nudge is read, then gets out of the way
LOOK_EVERY = 1.0  # seconds: the pace moves with the clock


class CoachBar(Static):
    DEFAULT_CSS = """
    CoachBar {
        height: auto;
        padding: 0 1;
        color: $text-muted;
        display: none;
    }
    CoachBar.-shown {
        display: block;
    }
    """

    app: KringApp

    class TimeTakenBack(Message):
        """The phases were planned anew: the timer and the room's view show it."""

    def __init__(self, live: LiveMeeting) -> None:
        super().__init__("", id="coach-bar", markup=False)
        self.live = live
        self.nudge_text = ""
        self.shown = ""
        self.seen = Seen()  # what the coach worked out from the entries, until they change
        self._fading: Timer | None = None

    @property
    def on(self) -> bool:
        return not self.live.meeting.coach_off

    def on_mount(self) -> None:
        self.set_interval(LOOK_EVERY, self.look)
        self.look()

    def toggle(self) -> None:
        """Off (or on again) for this meeting."""
        self.live.set_coach(not self.on)
        self.notify(_("The coach is on for this meeting.") if self.on
                    else _("The coach is off for this meeting."))
        self.look()

    def nudge(self, entry: Entry) -> None:
        """A line was just captured: what the protocol quietly says of it, if anything."""
        if not self.on or self.live.ended:
            return
        found = nudges_for(entry, self.live.step.phase, self.live.meeting, _)
        if not found:
            return
        self.nudge_text = " ".join(nudge.text for nudge in found)
        if self._fading is not None:
            self._fading.stop()
        self._fading = self.set_timer(NUDGE_SECONDS, self._fade)
        self.look()

    def _fade(self) -> None:
        self.nudge_text = ""
        self._fading = None
        self.look()

    def look(self) -> None:
        lines = self.said() if self.on and not self.live.ended else []
        text = "\n".join(lines)
        if text != self.shown:
            self.shown = text
            # Names and titles were typed by people (or sent by a phone): plain, never an
            # escape code on the facilitator's terminal.
            self.update(plain_text(text))
        self.set_class(bool(text), "-shown")

    def said(self) -> list[str]:
        lines = coach_lines(self.live, self.live.clock.now(), _, self.seen)
        if lines and lines[0].startswith("⏱"):  # the pace: say how to take the time back
            lines[0] += " " + _("ctrl+p: take the time back")
        if self.nudge_text:
            lines.append(f"💬 {self.nudge_text}")
        return lines

    # -- taking the time back ----------------------------------------------------------------

    def take_time_back(self) -> None:
        """Show how the phases ahead would be planned anew, both ways, and do the one chosen."""
        live = self.live
        if live.ended:
            self.notify(_("The phases and times of an ended meeting stay as they were."))
            return
        timings = step_timings(live.meeting, live.steps, live.clock.now())
        shared, close = take_back(timings, Way.SHARED), take_back(timings, Way.CLOSE)
        if not shared or not close:
            self.notify(_("On time: there is nothing to take back."))
            return
        title = _("The meeting runs {minutes} min over its plan. Take those minutes from the "
                  "phases ahead, so it ends on time?").format(
            minutes=round(shortfall(timings) / 60))
        options = [_("Shared over the phases ahead: {changes}").format(changes=_ahead(shared)),
                   _("From the close, the last phases first: {changes}").format(
                       changes=_ahead(close)),
                   _("Not now")]

        def chosen(index: int | None) -> None:
            if index not in (0, 1):
                return
            changes = (shared, close)[index]
            live.replan(new_plan(live.meeting, changes))
            self.notify(_("Planned anew: {changes}").format(changes=_ahead(changes)))
            self.post_message(self.TimeTakenBack())
            self.look()

        self.app.push_screen(ChoiceDialog(title, options, selected=0), chosen)


def _ahead(changes: list[Replanned]) -> str:
    """The phases ahead as they would be planned: "Advice 10 → 7 min, Close 5 → 3 min"."""
    return ", ".join(_("{phase} {before} → {after} min").format(
        phase=change.step.phase.title, before=round(change.before / 60),
        after=round(change.after / 60)) for change in changes if change.after < change.before)
