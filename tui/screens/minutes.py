"""The minutes so far, inside the app: readable at any moment of the meeting, and exportable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, MarkdownViewer

from kring.sessions.documents.html import strip_front_matter
from kring.sessions.documents.minutes import render_markdown
from kring.sessions.i18n import N_
from kring.sessions.plain import plain
from kring.tui.keys import TranslatedBindings

if TYPE_CHECKING:
    from collections.abc import Callable

    from kring.sessions.guard.meeting import Verdict
    from kring.sessions.meeting.live import LiveMeeting
    from kring.tui.app import KringApp


class MinutesScreen(TranslatedBindings, Screen[None]):
    CSS_PATH = "minutes.tcss"
    BINDINGS = [
        Binding("escape,f4", "app.pop_screen", N_("Back to the meeting")),
        Binding("ctrl+s", "export", N_("Export the minutes so far")),
    ]

    app: KringApp

    def __init__(self, live: LiveMeeting, guard: Callable[[], Verdict | None]) -> None:
        super().__init__()
        self.live = live
        self.guard = guard  # what the privacy guard makes of the meeting when it is exported

    def compose(self) -> ComposeResult:
        markdown = render_markdown(self.live.meeting, self.live.entries,
                                   now=self.live.clock.now())
        # The front matter is for tools; on screen the document starts at its title.
        # Plain as well: Textual's Markdown passes an escape code on to the terminal.
        yield MarkdownViewer(plain(strip_front_matter(markdown)), show_table_of_contents=False)
        yield Footer()

    def action_export(self) -> None:
        self.app.write_minutes(self.live, self.guard())
