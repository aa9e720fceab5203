"""The insights' charts as inline SVG, for the HTML report (``html.py``): drawn here rather
than by a plotting library, so the page stays one file that loads nothing, the charts print
sharp at any scale, and their labels are text a browser's search and a screen reader find.
Each is a ``role="img"`` with a ``<title>`` saying what it shows. The bars of the action
points differ in pattern as well as in colour, so they read in black and white and to the
colour-blind.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kring.sessions.insights.model import FollowThrough, MeetingInsight
from kring.sessions.insights.report import CHAR, WIDTH, Report
from kring.sessions.insights.report import coordinate as _f
from kring.sessions.insights.report import escape as _e
from kring.sessions.insights.report import short as _short
from kring.sessions.model.dates import decimal, duration, long_date

# The action points' four states, bottom up in a stacked bar: each its colour and a pattern
# of white marks over it (none, stripes, crosses, dots), told apart without colour too.
KINDS = ("done", "open", "overdue", "dropped")
FILLS = {"done": "#1a7f37", "open": "#0969da", "overdue": "#cf222e", "dropped": "#6e7781"}
MARKS = {
    "done": "",
    "open": '<path d="M0 0V6" stroke="#fff" stroke-width="2"/>',
    "overdue": '<path d="M0 0V6M0 0H6" stroke="#fff" stroke-width="1.6"/>',
    "dropped": '<rect x="2" y="2" width="2" height="2" fill="#fff"/>',
}


def legend(items: Sequence[tuple[str, str]]) -> str:
    """A chart's key: each a small picture of its mark (hidden from screen readers, which read
    the text beside it) and its words."""
    return ('<ul class="legend">'
            + "".join(f'<li><svg viewBox="0 0 14 14" aria-hidden="true">{mark}</svg>'
                      f"{_e(words)}</li>" for mark, words in items)
            + "</ul>")


def _svg(ident: str, height: float, summary: str, body: Sequence[str]) -> str:
    height = math.ceil(height)
    return (f'<svg id="{ident}" class="chart" role="img" aria-labelledby="{ident}-title" '
            f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}">\n'
            f'<title id="{ident}-title">{_e(summary)}</title>\n' + "\n".join(body) + "\n</svg>")


def pattern(prefix: str, kind: str) -> str:
    """The fill of one state of an action point, as ``url(#{prefix}-{kind})`` names it."""
    return (f'<pattern id="{prefix}-{kind}" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{FILLS[kind]}"/>'
            f"{MARKS[kind]}</pattern>")


def patterns(prefix: str) -> str:
    """Every state's fill, for one chart: ids are the page's, so each chart has its prefix."""
    return "<defs>" + "".join(pattern(prefix, kind) for kind in KINDS) + "</defs>"


@dataclass(frozen=True, slots=True)
class _Axis:
    """The meetings along a chart's width, oldest left, each in a slot of its own."""

    count: int
    left: float = 44
    right: float = 12

    @property
    def slot(self) -> float:
        return (WIDTH - self.left - self.right) / self.count

    def x(self, index: int) -> float:
        return self.left + self.slot * (index + .5)

    def labels(self, report: Report, baseline: float) -> list[str]:
        """The meetings' dates under the chart, as many as fit side by side."""
        meetings = report.found.meetings
        texts = [report.day(m.date) for m in meetings]
        widest = max(len(text) for text in texts) * CHAR + 12
        every = max(1, math.ceil(widest / self.slot))
        chosen = list(range(0, self.count, every))
        if len(chosen) > 1:
            chosen[-1] = self.count - 1  # the last meeting's date rather than the one before
        out = []
        for index in chosen:
            half = len(texts[index]) * CHAR / 2
            x = min(max(self.x(index), half), WIDTH - half)
            out.append(f'<line class="axis" x1="{_f(self.x(index))}" y1="{_f(baseline)}" '
                       f'x2="{_f(self.x(index))}" y2="{_f(baseline + 4)}"/>'
                       f'<text x="{_f(x)}" y="{_f(baseline + 17)}" text-anchor="middle">'
                       f"{_e(texts[index])}</text>")
        return out


def _y_grid(values: Sequence[tuple[float, str]], y: Callable[[float], float],
            axis: _Axis) -> list[str]:
    return [f'<line class="grid" x1="{_f(axis.left)}" y1="{_f(y(v))}" '
            f'x2="{_f(WIDTH - axis.right)}" y2="{_f(y(v))}"/>'
            f'<text x="{_f(axis.left - 6)}" y="{_f(y(v) + 4)}" text-anchor="end">{_e(label)}'
            "</text>" for v, label in values]


def _gap(axis: _Axis, index: int, top: float, bottom: float, what: str) -> str:
    x = _f(axis.x(index))
    return (f'<line class="gap" x1="{x}" y1="{_f(top)}" x2="{x}" y2="{_f(bottom)}">'
            f"<title>{_e(what)}</title></line>")


@dataclass(frozen=True, slots=True)
class _Plot:
    """A figure per meeting from ``lowest`` (at the baseline) to ``highest``."""

    axis: _Axis
    lowest: float
    highest: float
    top: float = 10
    height: float = 170

    @property
    def baseline(self) -> float:
        return self.top + self.height

    def y(self, value: float) -> float:
        return self.top + (self.highest - value) / (self.highest - self.lowest) * self.height


def _over_time(report: Report, ident: str, summary: str, plot: _Plot,
               ticks: Sequence[tuple[float, str]],
               value: Callable[[MeetingInsight], float | None],
               mark: Callable[[int, float, str], str], under: Sequence[str] = ()) -> str:
    """A chart of one figure per meeting: the grid, ``under`` (lines joining the marks), a
    ``mark`` per meeting (given its index, its figure and the start of its tooltip), a dotted
    gap where the figure is too few to show, and the dates."""
    found, t = report.found, report.gettext
    axis, baseline = plot.axis, plot.baseline
    body = _y_grid(ticks, plot.y, axis)
    body.append(f'<line class="axis" x1="{_f(axis.left)}" y1="{_f(baseline)}" '
                f'x2="{_f(WIDTH - axis.right)}" y2="{_f(baseline)}"/>')
    marks: list[str] = []
    for index, meeting in enumerate(found.meetings):
        shown = value(meeting)
        when = report.day(meeting.date)
        if shown is None:
            body.append(_gap(axis, index, plot.top, baseline, f"{when}: {t('too few to show')}"))
        else:
            marks.append(mark(index, shown, f"{when}: "))
    body += under
    body += marks
    body += axis.labels(report, baseline)
    return _svg(ident, baseline + 26, summary, body)


def scores_chart(report: Report, scored: Sequence[float], few: int) -> str:
    found, language, t = report.found, report.language, report.gettext
    summary = t("Average evaluation score per meeting, from {first} to {last}: lowest {low}, "
                "highest {high}.").format(
        first=long_date(found.meetings[0].date, language),
        last=long_date(found.meetings[-1].date, language),
        low=decimal(min(scored), language), high=decimal(max(scored), language))
    if few:
        summary += " " + report.ngettext(
            "{n} meeting has too few scores to show: a gap in the line.",
            "{n} meetings have too few scores to show: gaps in the line.", few).format(n=few)
    plot = _Plot(_Axis(len(found.meetings)), 1, 5)
    # A line through the scores of meetings next to each other; a meeting without a score
    # breaks it, so a gap is never bridged as if the score had stayed on course.
    runs: list[list[str]] = [[]]
    for index, meeting in enumerate(found.meetings):
        if meeting.score is None:
            runs.append([])
        else:
            runs[-1].append(f"{_f(plot.axis.x(index))},{_f(plot.y(meeting.score))}")
    lines = [f'<polyline class="line" points="{" ".join(run)}"/>' for run in runs if len(run) > 1]

    def dot(index: int, score: float, when: str) -> str:
        return (f'<circle class="score" cx="{_f(plot.axis.x(index))}" cy="{_f(plot.y(score))}" '
                f'r="4"><title>{_e(when + decimal(score, language))}</title></circle>')

    return _over_time(report, "scores", summary, plot, [(v, str(v)) for v in range(1, 6)],
                      lambda m: m.score, dot, lines)


def balance_chart(report: Report, measured: Sequence[float], few: int) -> str:
    found, language, t = report.found, report.language, report.gettext
    summary = t("How evenly people were heard per meeting, from {first} to {last}: lowest "
                "{low}, highest {high}.").format(
        first=long_date(found.meetings[0].date, language),
        last=long_date(found.meetings[-1].date, language),
        low=decimal(min(measured), language, 2), high=decimal(max(measured), language, 2))
    if few:
        summary += " " + report.ngettext(
            "{n} meeting had too few people to show it.",
            "{n} meetings had too few people to show it.", few).format(n=few)
    plot = _Plot(_Axis(len(found.meetings)), 0, 1)
    width = max(1.0, min(plot.axis.slot * .6, 26))

    def bar(index: int, balance: float, when: str) -> str:
        top = min(plot.y(balance), plot.baseline - 1)  # a balance of 0 still shows a bar
        return (f'<rect class="balance" x="{_f(plot.axis.x(index) - width / 2)}" '
                f'y="{_f(top)}" width="{_f(width)}" height="{_f(plot.baseline - top)}">'
                f"<title>{_e(when + decimal(balance, language, 2))}</title></rect>")

    return _over_time(report, "balance", summary, plot,
                      [(0, "0"), (.5, decimal(.5, language)), (1, "1")],
                      lambda m: m.balance, bar)


def _count_ticks(most: int) -> list[int]:
    step = max(1, math.ceil(most / 4))
    return list(range(0, step * math.ceil(max(most, 1) / step) + 1, step))


def stacked_parts(actions: FollowThrough) -> dict[str, int]:
    """The four parts of a stacked bar: ``open`` here counts the open ones not yet overdue."""
    return {"done": actions.done, "open": actions.open - actions.overdue,
            "overdue": actions.overdue, "dropped": actions.dropped}


def kind_words(report: Report) -> dict[str, str]:
    t = report.gettext
    return {"done": t("done"), "open": t("open, not overdue"), "overdue": t("overdue"),
            "dropped": t("dropped")}


def actions_chart(report: Report, summary: str) -> str:
    found = report.found
    words = kind_words(report)
    ticks = _count_ticks(max(m.actions.total for m in found.meetings))
    top, plot, axis = 10.0, 160.0, _Axis(len(found.meetings))
    baseline = top + plot
    scale = plot / ticks[-1]
    body = [patterns("ft"), *_y_grid([(v, str(v)) for v in ticks],
                                      lambda v: baseline - v * scale, axis)]
    body.append(f'<line class="axis" x1="{_f(axis.left)}" y1="{_f(baseline)}" '
                f'x2="{_f(WIDTH - axis.right)}" y2="{_f(baseline)}"/>')
    width = max(1.0, min(axis.slot * .7, 34))
    # Bars of a few units wide (hundreds of meetings) go without the white line between
    # their parts, which would be most of what they show.
    body.append('<g class="thin">' if width < 4 else "<g>")
    for index, meeting in enumerate(found.meetings):
        when = report.day(meeting.date)
        bottom = baseline
        for kind, count in stacked_parts(meeting.actions).items():
            if count <= 0:
                continue
            height = count * scale
            body.append(f'<rect class="segment {kind}" x="{_f(axis.x(index) - width / 2)}" '
                        f'y="{_f(bottom - height)}" width="{_f(width)}" height="{_f(height)}" '
                        f'fill="url(#ft-{kind})"><title>{_e(when)}: {count} '
                        f"{_e(words[kind])}</title></rect>")
            bottom -= height
    body.append("</g>")
    body += axis.labels(report, baseline)
    return _svg("actions", baseline + 26, summary, body)


def totals_chart(report: Report, summary: str) -> str:
    total = report.found.follow_through
    words = kind_words(report)
    axis = _Axis(1)  # the bar under the plot of the meetings, as wide, "Total" before it
    body = [patterns("tot"), f'<text x="{_f(axis.left - 6)}" y="19" text-anchor="end">'
                              f"{_e(report.gettext('Total'))}</text>"]
    x = axis.left
    for kind, count in stacked_parts(total).items():
        if count <= 0:
            continue
        width = count / total.total * (WIDTH - axis.left - axis.right)
        body.append(f'<rect class="segment {kind}" x="{_f(x)}" y="2" width="{_f(width)}" '
                    f'height="26" fill="url(#tot-{kind})"><title>{count} {_e(words[kind])}'
                    "</title></rect>")
        x += width
    return _svg("actions-total", 30, summary, body)


def phases_chart(report: Report) -> str:
    found, language = report.found, report.language
    summary = report.ngettext(
        "Planned against actual time of {n} phase, on average per meeting that held it.",
        "Planned against actual time of {n} phases, on average per meeting that held them.",
        len(found.phases)).format(n=len(found.phases))
    longest = max(max(p.planned, p.actual) for p in found.phases) or 1
    room = WIDTH - 130  # the rest for the duration written after the bar
    row = 46.0
    body: list[str] = []
    for number, phase in enumerate(found.phases, 1):
        top = (number - 1) * row
        body.append(f'<text x="0" y="{_f(top + 12)}">{number}. {_e(_short(phase.title))}'
                    "</text>")
        for offset, kind, seconds in ((16, "planned", phase.planned),
                                      (29, "actual", phase.actual)):
            width = max(1.0, seconds / longest * room)
            said = duration(seconds, language)
            body.append(f'<rect class="{kind}" x="1" y="{_f(top + offset)}" '
                        f'width="{_f(width)}" height="11"><title>{_e(said)}</title></rect>'
                        f'<text x="{_f(width + 7)}" y="{_f(top + offset + 9.5)}">{_e(said)}'
                        "</text>")
    return _svg("phases", len(found.phases) * row, summary, body)
