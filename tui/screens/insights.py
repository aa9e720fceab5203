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

import math
from datetime import date
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult, RenderResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import DataTable, Header, LoadingIndicator, Static
from textual.worker import Worker, WorkerState
from textual_plotext import PlotextPlot

from kring.sessions.errors import StoreError
from kring.sessions.i18n import N_, _, ngettext
from kring.sessions.insights.model import FollowThrough
from kring.sessions.model.dates import day_month, decimal, duration, long_date
from kring.sessions.plain import plain_line
from kring.tui.keys import TranslatedBindings
from kring.tui.plain_text import PlainNotify, plain_text
from kring.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from textual_plotext.plot import Plot

    from kring.sessions.insights.model import Insights, Theme
    from kring.tui.app import KringApp

# The bars' colours, the plot's and its legend's alike: plotext's names and Rich's for the
# same terminal colours (the theme maps both the same way).
FOLLOW_THROUGH = ((N_("done"), "green"), (N_("open"), "blue"), (N_("overdue"), "red"),
                  (N_("dropped"), "gray"))
PHASE_TIMES = ((N_("planned (min)"), "gray"), (N_("actual (min)"), "blue"))
RICH_COLOUR = {"green": "green", "blue": "blue", "red": "red", "gray": "bright_black"}
TICK_WIDTH = 14  # columns a date under a plot takes, with room to breathe ("23 september")
BAR_WIDTH = 6  # columns a bar needs to stand apart from the next


class InsightsPlot(PlotextPlot):
    """A plot of the insights. It keeps them and draws itself anew at the size it is given,
    so the dates under it are as many as fit the width, whatever the window."""

    app: KringApp

    insights: reactive[Insights | None] = reactive(None)

    def render(self) -> RenderResult:
        plt = self.plt
        plt.clear_figure()
        if self.insights is not None and self.size.width > 10:
            self.draw(plt, self.insights, self.app.language)
        return super().render()

    def draw(self, plt: Plot, found: Insights, language: str) -> None:
        raise NotImplementedError

    def ticks(self, plt: Plot, labels: list[tuple[int, str]]) -> None:
        """Labels under the plot, spread evenly: thirty dates do not fit under it."""
        most = max(1, (self.size.width - 6) // TICK_WIDTH)
        chosen = labels[::max(1, -(-len(labels) // most))]
        plt.xticks([x for x, _label in chosen], [plain_line(label) for _x, label in chosen])


class FollowThroughPlot(InsightsPlot):
    """The action points of each meeting, stacked by where they stand today; of each month
    when there are more meetings than bars fit the width (plotext runs narrow bars into each
    other)."""

    def draw(self, plt: Plot, found: Insights, language: str) -> None:
        groups: dict[object, tuple[str, FollowThrough]] = {}
        if len(found.meetings) <= (self.size.width - 8) // BAR_WIDTH:
            for meeting in found.meetings:
                groups[meeting.meeting_id] = (day_month(meeting.date, language),
                                              meeting.actions)
        else:
            years = len({m.date.year for m in found.meetings})
            for meeting in found.meetings:
                key = meeting.date.year, meeting.date.month
                label, actions = groups.get(key, (month(meeting.date, language, years > 1),
                                                  FollowThrough()))
                groups[key] = label, actions + meeting.actions
        bars = list(enumerate(groups.values(), 1))
        # Drawn as bars from the ground up, the tallest first, each stack's lower parts over
        # it; and no bar of nothing: plotext still paints one on the ground row, over the
        # parts drawn there before (its own stacked bars lift such a stack off the ground).
        heights = [0] * len(bars)
        stacks = []
        for parts in ((a.done for _i, (_l, a) in bars),
                      (a.open - a.overdue for _i, (_l, a) in bars),
                      (a.overdue for _i, (_l, a) in bars),
                      (a.dropped for _i, (_l, a) in bars)):
            heights = [h + part for h, part in zip(heights, parts, strict=True)]
            stacks.append(heights)
        for heights, (_label, colour) in reversed(list(zip(stacks, FOLLOW_THROUGH,
                                                           strict=True))):
            standing = [(i, h) for (i, _group), h in zip(bars, heights, strict=True) if h]
            if standing:
                plt.bar([i for i, _h in standing], [h for _i, h in standing], color=colour,
                        width=0.6)
        self.ticks(plt, [(i, label) for i, (label, _a) in bars])
        whole_ticks(plt, max(stacks[-1], default=0))


def whole_ticks(plt: Plot, top: float) -> None:
    """Whole numbers up the side (action points, minutes), not plotext's fractions."""
    step = max(1, math.ceil(top / 4))
    plt.yticks(list(range(0, math.floor(top) + 1, step)))


def month(day: date, language: str, year: bool) -> str:
    """'januari' (nl), 'January' (en); with ``year``, 'januari 2027'."""
    # The month's name as dates.py writes it, the day taken off: "1 januari" -> "januari".
    name = day_month(day.replace(day=1), language).split(" ", 1)[1]
    return f"{name} {day.year}" if year else name


class ScoresPlot(InsightsPlot):
    """The average evaluation score of each meeting that had enough of them, 1 to 5."""

    def draw(self, plt: Plot, found: Insights, language: str) -> None:
        scored = [(i, m) for i, m in enumerate(found.meetings, 1) if m.score is not None]
        plt.plot([i for i, _m in scored], [m.score or 0 for _i, m in scored], marker="braille")
        plt.ylim(1, 5)
        plt.yticks([1, 2, 3, 4, 5])
        self.ticks(plt, [(i, day_month(m.date, language)) for i, m in scored])


class BalancePlot(InsightsPlot):
    """How evenly each meeting's participants were heard, 0 to 1."""

    def draw(self, plt: Plot, found: Insights, language: str) -> None:
        measured = [(i, m) for i, m in enumerate(found.meetings, 1) if m.balance is not None]
        plt.plot([i for i, _m in measured], [m.balance or 0 for _i, m in measured],
                 marker="braille")
        plt.ylim(0, 1)
        plt.yticks([0, 0.5, 1], ["0", decimal(0.5, language), "1"])
        self.ticks(plt, [(i, day_month(m.date, language)) for i, m in measured])


class PhasesPlot(InsightsPlot):
    """Each phase's planned and actual minutes side by side, numbered as in the table above
    it: the titles are too long to stand under the bars."""

    def draw(self, plt: Plot, found: Insights, language: str) -> None:
        plt.multiple_bar([str(n) for n in range(1, len(found.phases) + 1)],
                         [[p.planned / 60 for p in found.phases],
                          [p.actual / 60 for p in found.phases]],
                         # A colour per series, as plotext takes them (its hint says one).
                         color=[colour for _label, colour in PHASE_TIMES],  # type: ignore[arg-type]
                         width=0.6)
        whole_ticks(plt, max((max(p.planned, p.actual) for p in found.phases), default=0) / 60)


def legend(keys: tuple[tuple[str, str], ...]) -> Text:
    """What each colour of a plot stands for: the plot's own legend would cover its bars."""
    text = Text()
    for label, colour in keys:
        text.append("██ ", style=RICH_COLOUR[colour])
        text.append(_(label) + "   ")
    return text


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
