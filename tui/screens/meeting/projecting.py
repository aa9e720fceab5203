"""F5: the facilitator's own window as the room's screen. It shows what the projector window
shows (a ``ProjectorView`` of ``room_view``: pseudonyms only, no entries at all), while the
capture line keeps working below it: what is typed there is masked, so neither a real name
nor a private line reaches the wall, and it is committed and kept as always. Anything that
would show names the room should not read (warnings quoting the line, the case form, the
names to protect, the review) waits until F5 turns the view off."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from kring.sessions.i18n import _
from kring.sessions.meeting.room import room_view
from kring.tui.widgets.capture import CaptureLine
from kring.tui.widgets.projector import ProjectorView

if TYPE_CHECKING:
    from kring.sessions.meeting.live import LiveMeeting


class Projecting(Screen[None]):
    """Mixed into the meeting screen."""

    # Provided by the meeting screen.
    live: LiveMeeting

    def __init__(self, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name, id, classes)
        self._held: list[str] = []  # warnings held back while projected, shown after

    @property
    def projected(self) -> bool:
        return self.has_class("-projector")

    def action_toggle_projector(self) -> None:
        projected = not self.projected
        self.set_class(projected, "-projector")
        capture = self.query_one(CaptureLine)
        capture.password = projected  # typing goes on, unreadable on the wall
        capture.focus()
        if projected:
            self.show_room()
            self.notify(_("Projector view: what you type is hidden and still saved. "
                          "F5 shows it again."))
        else:
            held, self._held = self._held, []
            for problem in held:
                self.notify(problem, severity="warning")

    def show_room(self) -> None:
        """What the room sees, now; called on every tick while projected."""
        if self.projected:
            self.query_one(ProjectorView).show(room_view(self.live, self.live.clock.now()))

    def warn(self, problem: str) -> None:
        """A warning about a typed line: it quotes the line, so on the wall it waits."""
        if self.projected:
            self._held.append(problem)
            self.notify(_("A warning waits until F5 turns the projector view off."),
                        severity="warning")
        else:
            self.notify(problem, severity="warning")

    def not_while_projected(self) -> bool:
        """True (and said) when a dialog would show the room names it must not read."""
        if not self.projected:
            return False
        self.notify(_("This shows names the room should not read: F5 turns the projector "
                      "view off first."))
        return True
