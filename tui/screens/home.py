"""Home: start a meeting, resume one in progress, open a past one, browse the protocols.
An empty data folder gets a welcome and a demo meeting instead of an empty list."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from kring.sessions.i18n import N_, _
from kring.tui.keys import TranslatedBindings

if TYPE_CHECKING:
    from kring.sessions.store.summary import MeetingSummary
    from kring.tui.app import KringApp
    from kring.tui.screens.setup import SetupScreen


class HomeScreen(TranslatedBindings, Screen[None]):
    CSS_PATH = "home.tcss"

    BINDINGS = [
        Binding("n", "new_meeting", N_("New meeting")),
        Binding("d", "demo", N_("Demo meeting")),
        Binding("p", "protocols", N_("Protocols")),
        Binding("c", "communities", N_("Communities")),
        Binding("q", "app.quit", N_("Quit")),
    ]

    app: KringApp

    def __init__(self) -> None:
        super().__init__()

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static("", id="welcome")
            yield Label("", id="problems")
            yield OptionList(id="meetings")
        yield Footer()

    def on_mount(self) -> None:
        # The screen shows first; reading the data folder follows at once.
        self.call_after_refresh(self.reload)

    def reload(self) -> None:
        # Imported here, after the first frame, as is everything that reads the data folder.
        from kring.sessions.store.summary import in_progress_first

        meetings = self.app.store.list_meetings()
        problems = self.app.store.problems
        problem_label = self.query_one("#problems", Label)
        problem_label.display = bool(problems)
        if problems:
            problem_label.update("\n".join(f"⚠ {p.message}" for p in problems)
                                 + ("\n" + _("Press b to restore the backups.")
                                    if self._restorable() else ""))
        self.refresh_bindings()
        welcome = self.query_one("#welcome", Static)
        options = self.query_one("#meetings", OptionList)
        options.clear_options()
        if not meetings:
            welcome.update(Text.from_markup(_(
                "[b]Welcome to Kring.[/b]\n\n"
                "Kring guides your intervision or Community of Practice through a protocol, "
                "phase by phase, with a timer the whole room can see, and keeps the notes.\n\n"
                "  [b]n[/b]  start a new meeting\n"
                "  [b]d[/b]  try a short demo meeting with a sample group and case\n"
                "  [b]p[/b]  browse the protocols\n"
                "  [b]c[/b]  your communities and their members\n"
                "  [b]F1[/b] help")))
            options.display = False
            return
        welcome.update(Text.from_markup(_(
            "[b]Meetings[/b]  ·  [b]enter[/b] opens  ·  [b]n[/b] new  ·  [b]p[/b] protocols")))
        options.display = True
        for summary in in_progress_first(meetings):
            options.add_option(Option(_describe(summary, summary.public_case),
                                      id=summary.id))
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected, "#meetings")
    def open_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.open_meeting(event.option.id)

    def action_new_meeting(self) -> None:
        from kring.tui.screens.setup import SetupScreen

        setup = SetupScreen()
        self.app.push_screen(setup, lambda meeting: self._after_setup(meeting, setup))

    def _after_setup(self, meeting: Any, setup: SetupScreen) -> None:
        if meeting is not None:
            self.app.start_meeting(meeting, consent=dict(setup.consent_changes.values()))
        else:
            self.reload()

    def action_demo(self) -> None:
        from kring.sessions.meeting.demo import demo_meeting

        protocol = self.app.catalog.find("incident-short", self.app.language)
        if protocol is None:
            self.notify(_("The demo needs the built-in short incident method."), severity="error")
            return
        self.app.start_meeting(demo_meeting(protocol.protocol, self.app.clock))

    def action_communities(self) -> None:
        from kring.tui.screens.communities import CommunitiesScreen

        self.app.push_screen(CommunitiesScreen(), lambda _: self.reload())

    def action_protocols(self) -> None:
        from kring.tui.screens.protocols import ProtocolsScreen

        self.app.push_screen(ProtocolsScreen())


def _describe(summary: MeetingSummary, case: str) -> Text:
    """One line of the list; ``case`` is the case's title with its protected names hidden."""
    text = Text()
    if summary.in_progress:
        text.append("● " + _("in progress") + "  ", style="bold")
    text.append(summary.date.isoformat(), style="dim")
    text.append("  ")
    text.append(summary.community, style="bold")
    if case:
        text.append(" · " + case)
    text.append(f"  ({summary.protocol})", style="dim")
    return text
