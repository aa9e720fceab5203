"""``kring insights``: a community's learning over time, in the terminal, as JSON, or as a
self-contained HTML report (``--out FILE.html``).

The figures come from ``sessions/insights/`` (consent and groups of three decide what is said
about people); here they are laid out: tables for what people read, plotext plots where they
would rather look. Bars told apart by colour alone only on a colour terminal; piped, the
tables say it all."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kring.sessions.i18n import _, ngettext
from kring.sessions.plain import plain_line
from kring.tui.cli.context import (
    Context,
    community_named,
    no_such_community,
    say_error,
    today,
    warn_unreadable,
    write_out,
)
from kring.tui.cli.table import Column, Table

if TYPE_CHECKING:
    from kring.sessions.insights.model import Insights

PLOT_HEIGHT = 14
PLOT_WIDTH = 100  # at most: wider plots are no easier to read
PIPED_WIDTH = 72


def add_arguments(commands: Any, epilog: Callable[..., str]) -> None:
    from kring.tui.cli.parser import add_period

    insights = commands.add_parser(
        "insights", help=_("show what a community learned over time"),
        description=_("A community's meetings over time: action points followed through, "
                      "time per phase against the plan, evaluation scores, how evenly people "
                      "were heard, who has not brought a case yet, recurring themes. "
                      "Figures about people only for members who consent to research, and "
                      "only when at least three do; protected names never."),
        epilog=epilog([
            ('kring insights "CoP Inclusion"', _("in the terminal")),
            ('kring insights "CoP Inclusion" --from 2026-01-01 --to 2026-06-30',
             _("half a year")),
            ('kring insights "CoP Inclusion" --out report.html',
             _("a report to open in a browser or print")),
        ]))
    insights.add_argument("community", metavar="COMMUNITY", help=_("the community's name"))
    add_period(insights)
    shape = insights.add_mutually_exclusive_group()
    shape.add_argument("--out", metavar="FILE.html",
                       help=_("write the report as one HTML file (readable by you only)"))
    shape.add_argument("--json", action="store_true", help=_("print the figures as JSON"))


def run(context: Context, args: argparse.Namespace) -> int:
    from kring.sessions.insights.gather import community_insights
    from kring.sessions.store.facade import Store
    from kring.tui.cli.parser import period_problem

    problem = period_problem(args)
    if problem is not None:
        say_error(problem)
        return 2
    store = Store(context.data)
    named = community_named(store, args.community)
    if named is None:
        return no_such_community(store, args.community)
    found = community_insights(store, named, today=today(), start=args.start, end=args.end)
    warn_unreadable(context, store)
    language = context.language or "en"
    if args.json:
        sys.stdout.write(json.dumps(found.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return 0
    if args.out is not None:
        from kring.sessions.insights.html import render_insights_html

        target = Path(args.out).expanduser()
        if not write_out(target, render_insights_html(found, language=language),
                         _("the report")):
            return 1
        context.out.print(_("Report written to {path}").format(path=target), markup=False,
                          highlight=False)
        return 0
    print_insights(context, found, language)
    return 0


# -- in the terminal -------------------------------------------------------------------------


def print_insights(context: Context, found: Insights, language: str) -> None:
    from kring.sessions.model.dates import long_date

    console = context.out
    colour = (console.is_terminal and not console.no_color
              and console.color_system is not None)
    write = console.file.write
    heading = _("Insights: {community}").format(community=plain_line(found.community))
    write(_bold(heading, colour) + "\n")
    if not found.meetings:
        write(_("No meetings of this community in this period yet.") + "\n")
        return
    first, last = found.meetings[0].date, found.meetings[-1].date
    write(ngettext("{n} meeting, {first} to {last}; as of {today}.",
                   "{n} meetings, {first} to {last}; as of {today}.", len(found.meetings))
          .format(n=len(found.meetings), first=long_date(first, language),
                  last=long_date(last, language), today=long_date(found.today, language))
          + "\n\n")
    # Piped, a table's rows stay whole lines (for grep and spreadsheets); plots need a width.
    width = console.width if console.is_terminal else None
    sections: Sequence[Callable[[Insights, str, int | None, bool], str]] = (
        _follow_through, _scores, _phases, _balance, _people, _themes)
    for section in sections:
        write(section(found, language, width, colour) + "\n")
    console.file.flush()


def _follow_through(found: Insights, language: str, width: int | None, colour: bool) -> str:
    from kring.sessions.model.dates import day_month

    total = found.follow_through
    lines = [_bold(_("Action points"), colour),
             _("{total} raised: {done} done, {open} open ({overdue} overdue), {dropped} "
               "dropped.").format(total=total.total, done=total.done, open=total.open,
                                  overdue=total.overdue, dropped=total.dropped)]
    if colour and total.total:
        import plotext as plt

        labels = [day_month(m.date, language) for m in found.meetings]
        parts = [[m.actions.done for m in found.meetings],
                 [m.actions.open - m.actions.overdue for m in found.meetings],
                 [m.actions.overdue for m in found.meetings],
                 [m.actions.dropped for m in found.meetings]]
        lines.append(_plot(plt, width, lambda: plt.stacked_bar(
            labels, parts, labels=[_("done"), _("open"), _("overdue"), _("dropped")],
            color=["green", "blue", "red", "gray"])))
    return "\n".join(lines) + "\n"


def _scores(found: Insights, language: str, width: int | None, colour: bool) -> str:
    from kring.sessions.model.dates import day_month, decimal

    title = _bold(_("Evaluation scores (average per meeting, 1 to 5)"), colour)
    scored = [(index, m) for index, m in enumerate(found.meetings, 1) if m.score is not None]
    if not scored:
        return title + "\n" + _("Too few scores to show: at least three a meeting.") + "\n"
    import plotext as plt

    average = sum(m.score or 0 for _i, m in scored) / len(scored)
    summary = ngettext("Average {average} over {n} meeting; meetings with fewer than three "
                       "scores are left out.",
                       "Average {average} over {n} meetings; meetings with fewer than three "
                       "scores are left out.", len(scored)).format(
        average=decimal(average, language), n=len(scored))

    def draw() -> None:
        plt.plot([i for i, _m in scored], [m.score or 0 for _i, m in scored], marker="dot")
        plt.ylim(1, 5)
        plt.xticks(*_ticks([(i, day_month(m.date, language)) for i, m in scored]))

    return "\n".join([title, summary, _plot(plt, width, draw, colour=colour)]) + "\n"


def _phases(found: Insights, language: str, width: int | None, colour: bool) -> str:
    from kring.sessions.model.dates import duration

    table = Table(_("Time per phase (average per meeting)"),
                  [Column(_("phase"), wrap=True), Column(_("held")), Column(_("planned")),
                   Column(_("actual")), Column(_("difference"))])
    for phase in found.phases:
        table.add_row(phase.title, str(phase.held), duration(phase.planned, language),
                      duration(phase.actual, language),
                      duration(phase.actual - phase.planned, language, sign=True),
                      alert=phase.actual - phase.planned > 60)
    text = table.render(width, colour)
    if colour and found.phases:
        import plotext as plt

        labels = [plain_line(p.title)[:24] for p in found.phases]
        text += _plot(plt, width, lambda: plt.multiple_bar(
            labels, [[p.planned / 60 for p in found.phases],
                     [p.actual / 60 for p in found.phases]],
            labels=[_("planned (min)"), _("actual (min)")], orientation="h"),
            height=max(PLOT_HEIGHT, 3 * len(labels) + 4)) + "\n"
    return text


def _balance(found: Insights, language: str, width: int | None, colour: bool) -> str:
    from kring.sessions.model.dates import day_month

    title = _bold(_("How evenly people were heard (1: all alike; 0: one voice)"), colour)
    measured = [(i, m) for i, m in enumerate(found.meetings, 1) if m.balance is not None]
    if not measured:
        return title + "\n" + _("Too few people in these meetings to show it.") + "\n"
    import plotext as plt

    def draw() -> None:
        plt.plot([i for i, _m in measured], [m.balance or 0 for _i, m in measured],
                 marker="dot")
        plt.ylim(0, 1)
        plt.xticks(*_ticks([(i, day_month(m.date, language)) for i, m in measured]))

    return title + "\n" + _plot(plt, width, draw, colour=colour) + "\n"


def _people(found: Insights, language: str, width: int | None, colour: bool) -> str:
    from kring.sessions.model.dates import long_date

    lines: list[str] = []
    if found.people_too_few:
        lines.append(_bold(_("People"), colour))
        lines.append(_("Too few members consented to show figures about people."))
    else:
        table = Table(_("People (members who consent to research)"),
                      [Column(_("member"), wrap=True), Column(_("meetings")),
                       Column(_("entries")), Column(_("questions")), Column(_("cases")),
                       Column(_("last case"), wrap=True), Column(_("actions done")),
                       Column(_("open")), Column(_("overdue"))])
        for person in found.people:
            table.add_row(person.name, str(person.meetings), str(person.spoken),
                          str(person.questions), str(person.cases),
                          long_date(person.last_case, language) if person.last_case else "—",
                          str(person.actions.done), str(person.actions.open),
                          str(person.actions.overdue))
        lines.append(table.render(width, colour).rstrip("\n"))
        if found.without_case:
            lines.append(_("Has not brought a case yet: {names}").format(
                names=", ".join(plain_line(name) for name in found.without_case)))
    if found.not_shown:
        lines.append(ngettext("{n} member not shown: no research consent.",
                              "{n} members not shown: no research consent.",
                              found.not_shown).format(n=found.not_shown))
    return "\n".join(lines) + "\n"


def _themes(found: Insights, language: str, width: int | None, colour: bool) -> str:
    lines = [_bold(_("Recurring themes"), colour)]
    if not found.themes:
        lines.append(_("No theme recurs yet."))
    for theme in found.themes:
        lines.append("- " + ngettext("{phrase} ({n} meeting)", "{phrase} ({n} meetings)",
                                     theme.meetings).format(phrase=plain_line(theme.phrase),
                                                            n=theme.meetings))
    return "\n".join(lines) + "\n"


def _ticks(points: list[tuple[int, str]], most: int = 8) -> tuple[list[int], list[str]]:
    """At most ``most`` labelled ticks, spread evenly: thirty dates do not fit under a plot."""
    step = max(1, -(-len(points) // most))
    chosen = points[::step]
    return [i for i, _label in chosen], [plain_line(label) for _i, label in chosen]


def _plot(plt: Any, width: int | None, draw: Callable[[], None], *, colour: bool = True,
          height: int = PLOT_HEIGHT) -> str:
    plt.clear_figure()
    plt.plotsize(min(width or PIPED_WIDTH, PLOT_WIDTH), height)
    if not colour:
        plt.theme("clear")
    draw()
    text = str(plt.build())
    return text if colour else str(plt.uncolorize(text))


def _bold(text: str, colour: bool) -> str:
    return f"\x1b[1m{text}\x1b[0m" if colour else text
