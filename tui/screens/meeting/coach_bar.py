"""The facilitator's coach as a line on the meeting screen: the pace ("at this pace the
advice round gets 4 min"), who has not yet brought what the phase expects, and a quiet nudge
on a line just captured that fades after a few seconds. The facilitator's alone: hidden on
the projector view (meeting.tcss), never on the phones, in no output. Switched off for a
meeting from the command palette ("Coach on/off"); the app remembers it while it runs.

What it says comes from ``sessions/coach/``; here it is only looked at again each second,
and when the screen says the meeting changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.timer import Timer
from textual.widgets import Static

from kring.sessions.coach.lines import coach_lines
from kring.sessions.coach.nudges import nudges_for
from kring.sessions.i18n import _
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.model.meeting import Entry

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

    def __init__(self, live: LiveMeeting) -> None:
        super().__init__("", id="coach-bar", markup=False)
        self.live = live
        self.nudge_text = ""
        self.shown = ""
        self._fading: Timer | None = None

    @property
    def on(self) -> bool:
        return self.live.meeting.id not in self.app.coach_off

    def on_mount(self) -> None:
        self.set_interval(LOOK_EVERY, self.look)
        self.look()

    def toggle(self) -> None:
        """Off (or on again) for this meeting."""
        off = self.app.coach_off
        off.symmetric_difference_update({self.live.meeting.id})
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
            self.update(text)
        self.set_class(bool(text), "-shown")

    def said(self) -> list[str]:
        lines = coach_lines(self.live, self.live.clock.now(), _)
        if self.nudge_text:
            lines.append(f"💬 {self.nudge_text}")
        return lines
