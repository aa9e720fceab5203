"""The scribe's app: Kring on one meeting, nothing else."""

from __future__ import annotations

from pathlib import Path

from textual.screen import Screen

from kring.sessions.model.clock import SystemClock
from kring.tui import app as app_module
from kring.tui.app import KringApp


class _Nothing(Screen[None]):
    """Under the meeting screen: never the list of meetings."""


class ScribeApp(KringApp):
    # Relative paths are read beside the class's own module: the app's styles are there.
    CSS_PATH = [Path(app_module.__file__).parent / "app.tcss"]
    MODES = {"scribe": _Nothing}
    DEFAULT_MODE = "scribe"
    scribe = True  # the meeting screen does not share from here (tui/share/panel.py)

    def __init__(self, data: Path, meeting_id: str) -> None:
        super().__init__(data, SystemClock())
        self.meeting_id = meeting_id

    def on_mount(self) -> None:
        from kring.sessions.meeting.live import LiveMeeting
        from kring.tui.screens.meeting import MeetingScreen

        record = self.store.load(self.meeting_id)
        live = LiveMeeting(record.meeting, record.entries, self.store, self.clock)
        self.push_screen(MeetingScreen(live, self.store.draft_slot(self.meeting_id)),
                         lambda _result: self.exit())
