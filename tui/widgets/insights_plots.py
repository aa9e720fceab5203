"""The plots of a community's insights (``tui/screens/insights.py``): each a PlotextPlot that
keeps the insights and draws itself anew at the size it is given, so the dates under it are as
many as fit the width, whatever the window. Labels from the data are made plain."""

from __future__ import annotations

import math
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import RenderResult
from textual.reactive import reactive
from textual_plotext import PlotextPlot

from kring.sessions.i18n import N_, _
from kring.sessions.insights.model import FollowThrough
from kring.sessions.model.dates import day_month, decimal
from kring.sessions.plain import plain_line

if TYPE_CHECKING:
    from textual_plotext.plot import Plot

    from kring.sessions.insights.model import Insights
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
