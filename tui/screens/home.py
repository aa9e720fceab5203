"""Home: start a meeting, resume one in progress, open a past one, browse the protocols.
An empty data folder gets a welcome and a demo meeting instead of an empty list.

The list shows the most relevant meetings first (in progress, then the newest) a page at a
time: with five thousand meetings it costs what fifty do, and the rest follow as the cursor
reaches the row that says how many more there are. The first page is as many meetings as the
window has rows: no more can show before scrolling, and each costs the first frame a row read
from the index. The list (``widgets/meeting_list.py``) draws only the lines in view."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from kring.sessions.errors import StoreError
from kring.sessions.i18n import N_, _, ngettext
from kring.tui.keys import TranslatedBindings
from kring.tui.plain_text import PlainNotify, plain_content, plain_text
from kring.tui.startup import collect_normally
from kring.tui.widgets.footer import Footer
from kring.tui.widgets.meeting_list import MeetingList, Row

if TYPE_CHECKING:
    from kring.sessions.store.summary import MeetingSummary
    from kring.sessions.store.watching import DataChange
    from kring.tui.app import KringApp
    from kring.tui.screens.setup import SetupScreen

PAGE = 50  # meetings added to the list when the cursor reaches the row for more
FOLLOW_AFTER = 0.3  # seconds after mounting that the data folder's watch starts
MORE = "--more--"  # the id of the row that shows the next page (meeting ids are hex)


class HomeScreen(PlainNotify, TranslatedBindings, Screen[None]):
    # Styles: home.tcss, loaded by the app (KringApp.CSS_PATH), whose default screen this is.

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
        self._total = 0  # meetings there are
        self._shown = 0  # how many of them the list holds
        self._shown_page: tuple[list[MeetingSummary], int] = ([], 0)  # the first, as shown
        self._stale = False  # the data changed while another screen was on top

    def compose(self) -> ComposeResult:
        # Straight on the screen, no container, and Statics rather than Labels: each widget
        # class and each widget costs the first frame its styles and layout.
        yield Header()
        yield Static("", id="welcome")
        yield Static("", id="problems")
        yield MeetingList(id="meetings")
        yield Footer()

    def on_mount(self) -> None:
        # Before the first frame: what the user waits for is the list, and filling it after a
        # first, empty frame cost a second layout and render of the whole screen. It shows the
        # page as the store's index last saw the logs; looking at every log (a stat each: tens
        # of ms with thousands of meetings) follows in a thread, and the list changes only if
        # another window or device changed something meanwhile.
        store = self.app.store
        page = store.meetings_page(self.first_page, check=False)
        if page[0]:
            self._show(*page)
            self._check_logs()
        else:
            # An index not built yet (a new device, a new version of Kring) reads as no
            # meetings at all: look at the logs now, rather than flash the welcome.
            self.reload()
        self.call_after_refresh(collect_normally)  # start-up is over (tui/startup.py)
        # Once the first frame is surely out (the terminal is written from another thread):
        # the watch's thread and modules cost it nothing, and what changed meanwhile is told
        # when the watch is in place (sessions/store/watching.py, EVERYTHING).
        self.set_timer(FOLLOW_AFTER, self._follow_data)

    def _follow_data(self) -> None:
        # Another window's `kring new`, a laptop's meeting brought by the sync engine: shown
        # within a second, not when the user happens to come back to this screen.
        self.app.data_watch.changed.subscribe(self, self._data_changed)

    def _data_changed(self, change: DataChange) -> None:
        if not change.any_meeting:
            return
        if self.is_current:
            self._check_logs()
        else:  # under a meeting or a dialog: looked at when it shows again
            self._stale = True

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False
            self._check_logs()

    def reload(self) -> None:
        """Show the first page of meetings as the logs are now (one page from the store's
        index: 5,000 meetings cost what 50 do)."""
        self._show(*self.app.store.meetings_page(self.first_page))

    @work(group="home-check", exclusive=True)
    async def _check_logs(self) -> None:
        """The first page as the logs are now, read in a thread (the screen stays live), and
        shown here, on the screen's own loop, if it differs."""
        shown = self._shown_page
        # As many as the list holds: a change elsewhere must not take back the pages the
        # user already went down to.
        count = max(self.first_page, self._shown)
        try:
            page = await asyncio.to_thread(self.app.store.meetings_page, count)
        except StoreError as error:
            self.notify(error.message, severity="error")
            return
        if page != shown or self.app.store.problems:
            self._show(*page)

    def _show(self, meetings: list[MeetingSummary], total: int) -> None:
        self._shown_page = (meetings, total)
        self._total = total
        problems = self.app.store.problems
        problem_label = self.query_one("#problems", Static)
        problem_label.display = bool(problems)
        if problems:
            # As Text: a file's name in a message is never read as markup.
            problem_label.update(plain_text("\n".join(f"⚠ {p.message}" for p in problems)))
        # No refresh_bindings() here: the keys never depend on the list, and each refresh
        # rebuilds the footer (a layout and a frame before the list shows).
        welcome = self.query_one("#welcome", Static)
        options = self.query_one("#meetings", MeetingList)
        self._shown = 0
        if not meetings:
            options.set_rows([])
            welcome.update(Text.from_markup(_(
                "[b]Welcome to Kring.[/b]\n\n"
                "Kring guides your intervision or Community of Practice through a protocol, "
                "phase by phase, with a timer the whole room can see, and keeps the notes.\n\n"
                "  [b]n[/b]  start a new meeting\n"
                "  [b]d[/b]  try a short demo meeting with a sample group and case\n"
                "  [b]p[/b]  browse the protocols\n"
                "  [b]c[/b]  your communities and their members\n"
                "  [b]F1[/b] help"), emoji=False))
            options.display = False
            return
        welcome.update(Text.from_markup(_(
            "[b]Meetings[/b]  ·  [b]enter[/b] opens  ·  [b]n[/b] new  ·  [b]p[/b] protocols"),
            emoji=False))
        options.display = True
        options.set_rows(self._page(meetings))
        options.focus()

    @property
    def first_page(self) -> int:
        """How many meetings the list starts with: a screenful (the window's height)."""
        return max(self.app.size.height, 1)

    def _page(self, meetings: list[MeetingSummary] | None = None) -> list[Row]:
        """The given meetings, or the next PAGE, as rows, and a last row saying how many more
        there are."""
        if meetings is None:
            meetings, self._total = self.app.store.meetings_page(PAGE, self._shown)
        self._shown += len(meetings)
        rows = [Row(summary.id, _describe(summary, summary.public_case)) for summary in meetings]
        hidden = self._total - self._shown
        if hidden:
            more = ngettext("… {count} older meeting: Enter shows it",
                            "… {count} older meetings: Enter shows more",
                            hidden).format(count=hidden)
            rows.append(Row(MORE, Content.styled(more, "dim italic")))
        return rows

    def _show_more(self, index: int) -> None:
        options = self.query_one("#meetings", MeetingList)
        if index != options.row_count - 1 or options.row(index).id != MORE:
            return  # that row was already replaced by the next page (a click highlights first)
        options.replace_last(self._page())

    @on(MeetingList.Highlighted, "#meetings")
    def _more_when_reached(self, event: MeetingList.Highlighted) -> None:
        # Going down the list goes on past the page, as if every meeting were in it.
        if event.row_id == MORE:
            self._show_more(event.index)

    @on(MeetingList.Selected, "#meetings")
    def open_selected(self, event: MeetingList.Selected) -> None:
        if event.row_id == MORE:
            self._show_more(event.index)
        else:
            self.app.open_meeting(event.row_id)

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


def _describe(summary: MeetingSummary, case: str) -> Content:
    """One line of the list; ``case`` is the case's title with its protected names hidden.
    Content, as Textual draws it: a Rich Text would be converted row by row for the first
    frame. Built from parts, so no title is ever read as markup, and each made plain: a
    community's name or a case's title from another laptop steers no terminal."""
    parts: list[str | tuple[str, str]] = []
    if summary.in_progress:
        parts.append(("● " + _("in progress") + "  ", "bold"))
    parts += [(summary.date.isoformat(), "dim"), "  ", (summary.community, "bold")]
    if case:
        parts.append(" · " + case)
    parts.append((f"  ({summary.protocol})", "dim"))
    return plain_content(*parts)
