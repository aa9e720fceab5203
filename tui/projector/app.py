"""The projector window as an app of its own: one screen, a theme, and keys only to close it
or switch light and dark. There is no text input, so nothing typed here can be lost."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from kring.sessions.i18n import N_
from kring.sessions.model.clock import Clock, SystemClock
from kring.tui.projector.screen import ProjectorScreen
from kring.tui.themes import DARK, toggled, use_kring_themes
from kring.tui.watching import FollowsData


class ProjectorApp(FollowsData, App[None]):
    TITLE = "Kring"
    CSS_PATH = "projector.tcss"
    # A palette opened by a stray ctrl+p would cover the clock for the whole room.
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("q", "quit", N_("Quit")),
        Binding("ctrl+q", "quit", N_("Quit"), show=False, priority=True),
        Binding("ctrl+l", "toggle_theme", N_("Light/dark"), show=False),
    ]

    def __init__(self, data: Path, meeting_id: str, clock: Clock | None = None) -> None:
        super().__init__()
        self.data = data
        self.meeting_id = meeting_id
        self.clock: Clock = clock or SystemClock()
        use_kring_themes(self, DARK)

    def get_default_screen(self) -> ProjectorScreen:
        from kring.sessions.store.facade import Store

        return ProjectorScreen(Store(self.data), self.meeting_id, self.clock)

    def action_toggle_theme(self) -> None:
        self.theme = toggled(self.theme)

    def _fatal_error(self) -> None:
        """As the main app: Textual's report prints every frame's locals, and this window's
        locals hold the meeting (case notes about pupils). A sentence and a private log."""
        from kring.tui.crash import report_fatal

        report_fatal(self)
