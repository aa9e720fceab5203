"""The one screen of the projector window: a ``ProjectorView`` that follows the meeting.

When the data folder's watch (tui/watching.py) hears that the meeting's logs changed, and
every POLL seconds besides (for folders that tell nothing, such as a network mount), it asks
the store whether the meeting's files changed (a stat each) and only then reads them and works
out the room's view afresh; between reads the clock moves on from the view's own timestamp.
So a change in the facilitator's window shows here at once, and an idle projector costs next
to nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Label

from kring.sessions.errors import StoreError
from kring.sessions.i18n import _
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.room import RoomView, room_view
from kring.sessions.model.clock import Clock
from kring.sessions.plain import plain
from kring.sessions.store.facade import Store
from kring.tui.widgets.projector import ProjectorView

if TYPE_CHECKING:
    from kring.sessions.store.watching import DataChange
    from kring.tui.projector.app import ProjectorApp

POLL = 0.5  # seconds: a change in the facilitator's window shows here within one second
TICK = 0.25  # the clock's seconds turn over on time, not up to a second late


class ProjectorScreen(Screen[None]):
    app: ProjectorApp

    def __init__(self, store: Store, meeting_id: str, clock: Clock) -> None:
        super().__init__()
        self.store = store
        self.meeting_id = meeting_id
        self.clock = clock
        self.live: LiveMeeting | None = None
        self.view: RoomView | None = None

    def compose(self) -> ComposeResult:
        yield ProjectorView(id="projector")
        yield Label("", id="projector-problem")

    def on_mount(self) -> None:
        self.poll()
        self.set_interval(TICK, self.tick)
        self.set_interval(POLL, self.poll)
        self.app.data_watch.changed.subscribe(self, self._data_changed)

    def _data_changed(self, change: DataChange) -> None:
        if change.concerns(self.meeting_id):
            self.poll()

    def poll(self) -> None:
        """Take in what the facilitator's window saved, if anything."""
        try:
            if self.live is None:
                record = self.store.load(self.meeting_id)
                # Read-only here: a LiveMeeting writes only when told to change something,
                # and this screen never does.
                self.live = LiveMeeting(record.meeting, record.entries, self.store, self.clock)
                changed = True
            else:
                changed = self.live.sync()
        except StoreError as error:
            # Kept showing what it showed: a file being repaired or a disk hiccup passes.
            self._problem(_("⚠ The meeting cannot be read just now: {why}").format(
                why=error.message))
            return
        self._problem("")
        if changed or self.view is None:
            self.view = room_view(self.live, self.clock.now())
            self.query_one(ProjectorView).show(self.view)

    def tick(self) -> None:
        if self.view is not None:
            self.query_one(ProjectorView).show(self.view.at(self.clock.now()))

    def _problem(self, text: str) -> None:
        label = self.query_one("#projector-problem", Label)
        text = plain(text)  # it quotes the disk's error, a file's name
        if str(label.content) != text:
            label.update(text)
            label.set_class(bool(text), "-shown")
