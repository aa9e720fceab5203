"""A community's insights, inside the app: what ``kring insights`` prints, laid out on one
scrolling page: action points followed through, evaluation scores, time per phase, how evenly
people were heard, the meetings, the people (only with consent, and only when three consent),
and the recurring themes.

The figures come from ``sessions/insights/`` and are read twice: first without the themes,
which show at once (the index's rows, no meeting opened), then with them in a thread, since
reading the themes loads YAKE and numpy (about half a second) and the screen must not freeze
meanwhile. Every text from the data (names, titles, phrases) is shown plain: typed by people,
it is never read as markup (``tui/plain_text.py``)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Header, LoadingIndicator, Static
from textual.worker import Worker, WorkerState

from kring.sessions.errors import StoreError
from kring.sessions.i18n import N_, _, ngettext
from kring.sessions.model.dates import decimal, duration, long_date
from kring.sessions.plain import plain_line
from kring.tui.keys import TranslatedBindings
from kring.tui.plain_text import PlainNotify, plain_text
from kring.tui.widgets.footer import Footer
from kring.tui.widgets.insights_plots import (
    FOLLOW_THROUGH,
    PHASE_TIMES,
    BalancePlot,
    FollowThroughPlot,
    PhasesPlot,
    ScoresPlot,
    legend,
)

if TYPE_CHECKING:

    from kring.sessions.insights.model import Insights, Theme
    from kring.tui.app import KringApp

class InsightsScreen(PlainNotify, TranslatedBindings, Screen[None]):
    CSS_PATH = "insights.tcss"
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back")),
        Binding("r", "reload", N_("Reload")),
    ]
    # Wider than this, the plots stand two by two (insights.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    AUTO_FOCUS = "#insights-body"  # the arrow keys and page keys scroll from the start

    app: KringApp

    insights: reactive[Insights | None] = reactive(None, init=False)

    def __init__(self, community: str) -> None:
        super().__init__()
        self.community = community

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="insights-body"):
            yield Static("", id="heading")
            yield Static("", id="empty")
            with Vertical(id="figures"):
                with Vertical(id="charts"):
                    with Vertical(classes="chart"):
                        yield Static(_("Action points"), classes="section-title")
                        yield Static("", id="follow-through")
                        yield FollowThroughPlot(id="follow-through-plot").data_bind(
                            InsightsScreen.insights)
                        yield Static(legend(FOLLOW_THROUGH), classes="legend",
                                     id="follow-through-legend")
                    with Vertical(classes="chart"):
                        yield Static(_("Evaluation scores (average per meeting, 1 to 5)"),
                                     classes="section-title")
                        yield Static("", id="scores")
                        yield ScoresPlot(id="scores-plot").data_bind(InsightsScreen.insights)
                    with Vertical(classes="chart"):
                        yield Static(_("Time per phase (average per meeting)"),
                                     classes="section-title")
                        yield Static("", id="phase-table")
                        yield PhasesPlot(id="phases-plot").data_bind(InsightsScreen.insights)
                        yield Static(legend(PHASE_TIMES), classes="legend", id="phases-legend")
                    with Vertical(classes="chart"):
                        yield Static(_("How evenly people were heard (1: all alike; 0: one "
                                       "voice)"), classes="section-title")
                        yield Static(Text(_("Too few people in these meetings to show it.")),
                                     id="balance")
                        yield BalancePlot(id="balance-plot").data_bind(InsightsScreen.insights)
                yield Static(_("Meetings"), classes="section-title")
                yield Static("", id="meeting-table")
                yield Static(_("People"), classes="section-title")
                yield DataTable[Text](id="people-table", show_cursor=False, zebra_stripes=True,
                                      fixed_columns=1)
                yield Static("", id="people-said")
                yield Static(_("Recurring themes"), classes="section-title")
                yield LoadingIndicator(id="themes-loading")
                yield Static("", id="themes")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = plain_line(_("Insights: {community}").format(
            community=self.community))
        self.action_reload()

    @property
    def today(self) -> date:
        # The local day, as ``kring insights`` counts it: an action point due today is not
        # overdue yet.
        return self.app.clock.now().astimezone().date()

    def action_reload(self) -> None:
        """The figures as the store holds them now: at once without the themes, then the
        themes from a thread."""
        from kring.sessions.insights.gather import community_insights

        try:
            found = community_insights(self.app.store, self.community, today=self.today,
                                       themes=False)
        except StoreError as error:
            self.notify(error.message, severity="error")
            return
        self.insights = found
        if found.meetings:
            self.query_one("#themes-loading").display = True
            self.query_one("#themes").display = False
            self._read_themes(found.community, found.today)

    @work(thread=True, exclusive=True, group="insights-themes", exit_on_error=False)
    def _read_themes(self, community: str, today: date) -> tuple[Theme, ...]:
        from kring.sessions.insights.gather import community_insights

        return community_insights(self.app.store, community, today=today).themes

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "insights-themes" or event.worker.is_cancelled:
            return
        if event.state is WorkerState.SUCCESS:
            self._show_themes(event.worker.result or ())
        elif event.state is WorkerState.ERROR:
            self.query_one("#themes-loading").display = False
            error = event.worker.error
            self.notify(error.message if isinstance(error, StoreError) else str(error),
                        severity="error")

    def watch_insights(self, found: Insights | None) -> None:
        if found is None:
            return
        self.sub_title = plain_line(_("Insights: {community}").format(
            community=found.community))
        self.query_one("#heading", Static).update(heading(found, self.app.language))
        empty = not found.meetings
        self.query_one("#empty").display = empty
        self.query_one("#figures").display = not empty
        if empty:
            self.query_one("#empty", Static).update(Text(_(
                "This community has not met yet. Once it has, this page shows what it learns "
                "over time: action points followed through, evaluations, time per phase and "
                "recurring themes.")))
            return
        language = self.app.language
        self.query_one("#follow-through", Static).update(follow_through_line(found))
        for plotted in ("#follow-through-plot", "#follow-through-legend"):
            self.query_one(plotted).display = bool(found.follow_through.total)
        self._show_scores(found, language)
        self.query_one("#phase-table", Static).update(phase_table(found, language))
        for plotted in ("#phases-plot", "#phases-legend"):
            self.query_one(plotted).display = bool(found.phases)
        measured = any(m.balance is not None for m in found.meetings)
        self.query_one("#balance-plot").display = measured
        self.query_one("#balance").display = not measured
        self.query_one("#meeting-table", Static).update(meeting_table(found, language))
        people = self.query_one("#people-table", DataTable)
        people.display = not found.people_too_few
        fill_people(people, found, language)
        self.query_one("#people-said", Static).update(people_lines(found))

    def _show_scores(self, found: Insights, language: str) -> None:
        scored = [m.score for m in found.meetings if m.score is not None]
        self.query_one("#scores-plot").display = bool(scored)
        if not scored:
            summary = _("Too few scores to show: at least three a meeting.")
        else:
            summary = ngettext(
                "Average {average} over {n} meeting; meetings with fewer than three scores "
                "are left out.",
                "Average {average} over {n} meetings; meetings with fewer than three scores "
                "are left out.", len(scored)).format(
                average=decimal(sum(scored) / len(scored), language), n=len(scored))
        self.query_one("#scores", Static).update(Text(summary))

    def _show_themes(self, themes: tuple[Theme, ...]) -> None:
        self.query_one("#themes-loading").display = False
        shown = self.query_one("#themes", Static)
        shown.display = True
        if not themes:
            shown.update(Text(_("No theme recurs yet.")))
            return
        shown.update(plain_text("\n".join(
            "• " + ngettext("{phrase} ({n} meeting)", "{phrase} ({n} meetings)",
                            theme.meetings).format(phrase=theme.phrase, n=theme.meetings)
            for theme in themes)))


# -- the parts, from the figures --------------------------------------------------------------


def heading(found: Insights, language: str) -> Text:
    text = plain_text((_("Insights: {community}").format(community=found.community), "bold"),
                      one_line=True)
    if found.meetings:
        first, last = found.meetings[0].date, found.meetings[-1].date
        text.append("\n" + ngettext(
            "{n} meeting, {first} to {last}; as of {today}.",
            "{n} meetings, {first} to {last}; as of {today}.", len(found.meetings)).format(
            n=len(found.meetings), first=long_date(first, language),
            last=long_date(last, language), today=long_date(found.today, language)))
    return text


def follow_through_line(found: Insights) -> Text:
    total = found.follow_through
    if not total.total:
        return Text(_("No action points were raised in these meetings."))
    return Text(_("{total} raised: {done} done, {open} open ({overdue} overdue), {dropped} "
                  "dropped.").format(total=total.total, done=total.done, open=total.open,
                                     overdue=total.overdue, dropped=total.dropped))


def _table(*columns: str, wrap: int, right: int = 0) -> Table:
    """A table of plain cells: the ``wrap`` column takes the width left and may wrap; the
    last ``right`` (the figures) are aligned right, their headings may wrap; the others
    (dates) never wrap."""
    table = Table(box=None, padding=(0, 1), pad_edge=False, expand=True, header_style="bold")
    for index, column in enumerate(columns):
        if index == wrap:
            table.add_column(column, ratio=1, min_width=12, overflow="fold")
        elif index >= len(columns) - right:  # a figure: its heading may wrap
            table.add_column(column, justify="right")
        else:
            table.add_column(column, no_wrap=True)
    return table


def phase_table(found: Insights, language: str) -> Table | Text:
    if not found.phases:
        return Text(_("No phase of these meetings has been held yet."))
    table = _table("#", _("phase"), _("held"), _("planned"), _("actual"), _("difference"),
                   wrap=1, right=4)
    for number, phase in enumerate(found.phases, 1):
        over = phase.actual - phase.planned
        table.add_row(str(number), plain_text(phase.title, one_line=True), str(phase.held),
                      duration(phase.planned, language), duration(phase.actual, language),
                      # More than a minute over, as ``kring insights`` marks it.
                      Text(duration(over, language, sign=True),
                           style="bold red" if over > 60 else ""))
    return table


def meeting_table(found: Insights, language: str) -> Table:
    table = _table(_("date"), _("case"), _("score"), _("actions done"), _("time"),
                   wrap=1, right=3)
    for meeting in reversed(found.meetings):  # the newest first, as on the home screen
        actions = meeting.actions
        time = _("in progress")
        if meeting.ended:
            time = duration(meeting.actual, language)
            if meeting.actual != meeting.planned:
                time += f" ({duration(meeting.actual - meeting.planned, language, sign=True)})"
        table.add_row(
            long_date(meeting.date, language),
            plain_text(meeting.title or "—", one_line=True),
            "—" if meeting.score is None else decimal(meeting.score, language),
            _("{done} of {total}").format(done=actions.done, total=actions.total)
            if actions.total else "—",
            time)
    return table


def people_lines(found: Insights) -> Text:
    """What is said about the people beside their table: who has not brought a case yet, how
    many are left out, or that too few consent for any figure about them."""
    lines = []
    if found.people_too_few:
        lines.append(_("Too few members consented to show figures about people."))
    elif found.without_case:
        lines.append(_("Has not brought a case yet: {names}").format(
            names=", ".join(found.without_case)))
    if found.not_shown:
        lines.append(ngettext("{n} member not shown: no research consent.",
                              "{n} members not shown: no research consent.",
                              found.not_shown).format(n=found.not_shown))
    return plain_text("\n".join(lines))


def fill_people(table: DataTable[Text], found: Insights, language: str) -> None:
    """The consenting members' figures: a DataTable, since nine columns of figures do not
    fit a narrow window, and it scrolls sideways where a table of text would fold them."""
    table.clear(columns=True)
    table.add_column(_("member"))
    for heading in (_("meetings"), _("entries"), _("questions"), _("cases"), _("last case"),
                    _("actions done"), _("open")):
        table.add_column(Text(heading, justify="right"))
    for person in found.people:
        table.add_row(plain_text(person.name, one_line=True), *(
            Text(cell, justify="right") for cell in (
                str(person.meetings), str(person.spoken), str(person.questions),
                str(person.cases),
                long_date(person.last_case, language) if person.last_case else "—",
                str(person.actions.done), str(person.actions.open))))
