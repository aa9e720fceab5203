"""The insights as one self-contained HTML page: what ``kring insights --out report.html`` writes,
for a team leader to read on screen, print on A4, or mail to a colleague.

The charts are inline SVG drawn here, not a plotting library's pictures: the page stays one
file that loads nothing (its Content-Security-Policy forbids every fetch and all script), the
charts print sharp at any scale, and their labels are text a browser's search and a screen
reader find. Each chart is a ``role="img"`` with a ``<title>`` saying what it shows, and a
table under it gives its numbers. The bars of the action points differ in pattern as well
as in colour, so they read in black and white and to the colour-blind.

Every text from the data (the community, case and phase titles, names, themes) is made plain
(``sessions/plain.py``) and HTML-escaped, and isolated (``<bdi>``, ``dir="auto"``) so a
right-to-left name does not reorder the sentence around it; long text wraps anywhere rather
than run off the page. Fixed words come through the report language's translator, numbers,
durations and dates in that language's way (``sessions/model/dates.py``).
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from kring.sessions.i18n import translator
from kring.sessions.insights.model import FollowThrough, Insights, MeetingInsight
from kring.sessions.model.dates import day_month, decimal, duration, long_date
from kring.sessions.plain import plain_line

WIDTH = 640  # every chart's width in its own units; CSS scales it to the column or the page
LABEL = 11  # the charts' font size, in those units
CHAR = 6.2  # about how wide a character of that font is, for fitting the date labels
SHORT_TITLE = 70  # characters of a phase's title shown in its chart (the table has it all)
DASH = "—"  # a figure too few people make up

# On screen a light page of high contrast; in print (@page, @media print) A4 with 18 mm
# margins, the type of the PDF minutes (sessions/documents/html.py), charts as wide as the
# page, a heading kept with what follows it, a chart, a row or a list item never split.
# Numbers line up (tabular figures); headings of numeric columns never break inside a word.
STYLE = """
:root { color-scheme: light; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  color: #1f2328; background: #fff; max-width: 52rem; margin: 2rem auto; padding: 0 1rem;
  overflow-wrap: anywhere; }
h1 { font-size: 1.9rem; line-height: 1.25; margin: 0 0 .5rem; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 .6rem; padding-bottom: .2rem;
  border-bottom: 1px solid #d0d7de; }
h3 { font-size: 1.1rem; margin: 1.6rem 0 .4rem; }
p, ul { margin: .4rem 0 .8rem; }
li { margin: .2rem 0; }
.range, .note { color: #424a53; }
figure { margin: .8rem 0 .6rem; }
svg.chart { display: block; width: 100%; height: auto; max-width: 100%; }
svg.chart text { font-size: 11px; fill: #1f2328; }
svg.chart .axis { stroke: #57606a; stroke-width: 1; }
svg.chart .grid { stroke: #d0d7de; stroke-width: 1; }
svg.chart .gap { stroke: #57606a; stroke-width: 1; stroke-dasharray: 2 3; }
svg.chart .line { fill: none; stroke: #0550ae; stroke-width: 2; }
svg.chart .score { fill: #0969da; stroke: #0a3069; stroke-width: 1.5; }
svg.chart .balance { fill: #8250df; stroke: #3e1f79; stroke-width: 1; }
svg.chart .planned { fill: #fff; stroke: #424a53; stroke-width: 1.5; }
svg.chart .actual { fill: #0969da; stroke: #0a3069; stroke-width: 1; }
svg.chart .segment { stroke: #fff; stroke-width: .75; }
svg.chart .thin .segment { stroke: none; }
ul.legend { list-style: none; padding: 0; margin: .3rem 0 .6rem; display: flex;
  flex-wrap: wrap; gap: .2rem 1.4rem; font-size: .92rem; }
ul.legend li { margin: 0; }
ul.legend svg { width: 1.1em; height: 1.1em; vertical-align: -.2em; margin-right: .4em; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem;
  font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #d0d7de; padding: .3rem .6rem; text-align: left;
  vertical-align: top; }
th { background: #f6f8fa; overflow-wrap: normal; }
td.n, td.d { white-space: nowrap; }
.n { text-align: right; }
th.t { width: 30%; }
tfoot td { font-weight: bold; }
.over { color: #a40e26; font-weight: bold; }
@page { size: A4; margin: 18mm; }
@media print {
  html, body { background: none; }
  body { max-width: none; margin: 0; padding: 0; color: #000; orphans: 3; widows: 3;
    font: 10pt/1.35 "DejaVu Sans", Verdana, sans-serif; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h1 { font-size: 17pt; margin: 0 0 2mm; }
  h2 { font-size: 13pt; margin: 6mm 0 1.5mm; }
  h3 { font-size: 11pt; margin: 4mm 0 1mm; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  .range, .note { color: #000; }
  figure, tr, li, ul.legend { break-inside: avoid; page-break-inside: avoid; }
  p + figure, p + table { break-before: avoid; page-break-before: avoid; }
  svg.chart text { font-family: "DejaVu Sans", Verdana, sans-serif; }
  table { font-size: 9pt; line-height: 1.3; }
  thead { display: table-header-group; }
  th, td { padding: .5mm 1.2mm; border-color: #57606a; }
}
""".strip()

# The action points' four states, bottom up in a stacked bar: each its colour and a pattern
# of white marks over it (none, stripes, crosses, dots), told apart without colour too.
_KINDS = ("done", "open", "overdue", "dropped")
_FILLS = {"done": "#1a7f37", "open": "#0969da", "overdue": "#cf222e", "dropped": "#6e7781"}
_MARKS = {
    "done": "",
    "open": '<path d="M0 0V6" stroke="#fff" stroke-width="2"/>',
    "overdue": '<path d="M0 0V6M0 0H6" stroke="#fff" stroke-width="1.6"/>',
    "dropped": '<rect x="2" y="2" width="2" height="2" fill="#fff"/>',
}

Translate = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class _Report:
    """What every part of the page needs: the figures and the report language's words."""

    found: Insights
    language: str
    gettext: Translate
    ngettext: Callable[[str, str, int], str]

    def day(self, day: date) -> str:
        """A date under a chart: without its year when every meeting is in one year."""
        meetings = self.found.meetings
        if meetings and meetings[0].date.year == meetings[-1].date.year:
            return day_month(day, self.language)
        return long_date(day, self.language)


def render_insights_html(insights: Insights, *, language: str) -> str:
    """The report on ``insights`` as a standalone HTML page in ``language`` (UTF-8, nothing
    loaded from elsewhere, no script)."""
    words = translator(language)
    report = _Report(insights, language, words.gettext, words.ngettext)
    t = report.gettext
    title = t("Insights: {community}").format(community=plain_line(insights.community))
    parts = [f"<h1>{_e(title)}</h1>", *_range(report)]
    if not insights.meetings:
        parts.append(f"<p>{_e(t('No meetings of this community in this period yet.'))}</p>")
    else:
        parts += _follow_through(report)
        parts += _meetings(report)
        parts += _phases(report)
        parts += _people(report)
        parts += _themes(report)
        parts.append('<p class="note">' + _e(t(
            "Figures about people are shown only for members who consent to research, and a "
            "figure about a group only when at least three people make it up.")) + "</p>")
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_e(language)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n"
        f"<style>\n{STYLE}\n</style>\n"
        "</head>\n"
        "<body>\n"
        "<main>\n"
        + "\n".join(parts) + "\n"
        "</main>\n"
        "</body>\n"
        "</html>\n"
    )


# -- text --------------------------------------------------------------------------------------


def _e(text: str) -> str:
    """Text for the page, in an element or an attribute: every ``<``, ``&`` and quote escaped."""
    return html.escape(text, quote=True)


def _data(text: str) -> str:
    """Text from the data inside a sentence: plain, escaped and isolated, so a name in Arabic
    or Hebrew does not reorder the words around it."""
    return f"<bdi>{_e(plain_line(text))}</bdi>"


def _short(text: str, limit: int = SHORT_TITLE) -> str:
    text = " ".join(plain_line(text).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _f(value: float) -> str:
    """A coordinate: short, and with a point whatever the language."""
    return f"{value:.1f}".removesuffix(".0")


def _range(report: _Report) -> list[str]:
    found, language, t = report.found, report.language, report.gettext
    lines: list[str] = []
    if found.meetings:
        first, last = found.meetings[0].date, found.meetings[-1].date
        lines.append(report.ngettext(
            "{n} meeting, {first} to {last}; as of {today}.",
            "{n} meetings, {first} to {last}; as of {today}.", len(found.meetings)).format(
            n=len(found.meetings), first=long_date(first, language),
            last=long_date(last, language), today=long_date(found.today, language)))
    if found.start is not None and found.end is not None:
        lines.append(t("Period: {start} to {end}.").format(
            start=long_date(found.start, language), end=long_date(found.end, language)))
    elif found.start is not None:
        lines.append(t("Period: from {start}.").format(start=long_date(found.start, language)))
    elif found.end is not None:
        lines.append(t("Period: up to {end}.").format(end=long_date(found.end, language)))
    return [f'<p class="range">{_e(" ".join(lines))}</p>'] if lines else []


FIGURES, DATES, TEXT, WORDS = "n", "d", "t", ""  # what a table's column holds


def _table(head: Sequence[tuple[str, str]], rows: Sequence[Sequence[str]],
           foot: Sequence[str] = ()) -> str:
    """A table of cells already made HTML; ``head`` names each column and says what it holds:
    figures (aligned right, never wrapped), dates (never wrapped), text from the data (30%
    of the width at least, when the other columns leave it; its direction its own) or other
    words."""
    kinds = [kind for _name, kind in head]

    def cells(tag: str, row: Sequence[str]) -> str:
        return "".join(f'<{tag} dir="auto">{cell}</{tag}>' if tag == "td" and kind == TEXT
                       else f'<{tag} class="{kind}">{cell}</{tag}>' if kind
                       else f"<{tag}>{cell}</{tag}>"
                       for cell, kind in zip(row, kinds, strict=True))

    names = [_e(name) for name, _kind in head]
    out = ["<table>", "<thead><tr>" + cells("th", names) + "</tr></thead>", "<tbody>",
           *("<tr>" + cells("td", row) + "</tr>" for row in rows), "</tbody>"]
    if foot:
        out.append("<tfoot><tr>" + cells("td", foot) + "</tr></tfoot>")
    out.append("</table>")
    return "\n".join(out)


def _legend(items: Sequence[tuple[str, str]]) -> str:
    """A chart's key: each a small picture of its mark (hidden from screen readers, which read
    the text beside it) and its words."""
    return ('<ul class="legend">'
            + "".join(f'<li><svg viewBox="0 0 14 14" aria-hidden="true">{mark}</svg>'
                      f"{_e(words)}</li>" for mark, words in items)
            + "</ul>")


# -- charts ------------------------------------------------------------------------------------


def _svg(ident: str, height: float, summary: str, body: Sequence[str]) -> str:
    height = math.ceil(height)
    return (f'<svg id="{ident}" class="chart" role="img" aria-labelledby="{ident}-title" '
            f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}">\n'
            f'<title id="{ident}-title">{_e(summary)}</title>\n' + "\n".join(body) + "\n</svg>")


def _pattern(prefix: str, kind: str) -> str:
    """The fill of one state of an action point, as ``url(#{prefix}-{kind})`` names it."""
    return (f'<pattern id="{prefix}-{kind}" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{_FILLS[kind]}"/>'
            f"{_MARKS[kind]}</pattern>")


def _patterns(prefix: str) -> str:
    """Every state's fill, for one chart: ids are the page's, so each chart has its prefix."""
    return "<defs>" + "".join(_pattern(prefix, kind) for kind in _KINDS) + "</defs>"


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

    def labels(self, report: _Report, baseline: float) -> list[str]:
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


def _over_time(report: _Report, ident: str, summary: str, plot: _Plot,
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


def _scores_chart(report: _Report, scored: Sequence[float], few: int) -> str:
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


def _balance_chart(report: _Report, measured: Sequence[float], few: int) -> str:
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


def _parts(actions: FollowThrough) -> dict[str, int]:
    """The four parts of a stacked bar: ``open`` here counts the open ones not yet overdue."""
    return {"done": actions.done, "open": actions.open - actions.overdue,
            "overdue": actions.overdue, "dropped": actions.dropped}


def _kind_words(report: _Report) -> dict[str, str]:
    t = report.gettext
    return {"done": t("done"), "open": t("open, not overdue"), "overdue": t("overdue"),
            "dropped": t("dropped")}


def _actions_chart(report: _Report, summary: str) -> str:
    found = report.found
    words = _kind_words(report)
    ticks = _count_ticks(max(m.actions.total for m in found.meetings))
    top, plot, axis = 10.0, 160.0, _Axis(len(found.meetings))
    baseline = top + plot
    scale = plot / ticks[-1]
    body = [_patterns("ft"), *_y_grid([(v, str(v)) for v in ticks],
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
        for kind, count in _parts(meeting.actions).items():
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


def _totals_chart(report: _Report, summary: str) -> str:
    total = report.found.follow_through
    words = _kind_words(report)
    axis = _Axis(1)  # the bar under the plot of the meetings, as wide, "Total" before it
    body = [_patterns("tot"), f'<text x="{_f(axis.left - 6)}" y="19" text-anchor="end">'
                              f"{_e(report.gettext('Total'))}</text>"]
    x = axis.left
    for kind, count in _parts(total).items():
        if count <= 0:
            continue
        width = count / total.total * (WIDTH - axis.left - axis.right)
        body.append(f'<rect class="segment {kind}" x="{_f(x)}" y="2" width="{_f(width)}" '
                    f'height="26" fill="url(#tot-{kind})"><title>{count} {_e(words[kind])}'
                    "</title></rect>")
        x += width
    return _svg("actions-total", 30, summary, body)


def _phases_chart(report: _Report) -> str:
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


# -- sections ----------------------------------------------------------------------------------


def _follow_through(report: _Report) -> list[str]:
    found, t = report.found, report.gettext
    total = found.follow_through
    parts = [f"<h2>{_e(t('Action points'))}</h2>"]
    if not total.total:
        parts.append(f"<p>{_e(t('No action points were raised in these meetings.'))}</p>")
        return parts
    said = t("{total} raised: {done} done, {open} open ({overdue} overdue), {dropped} "
             "dropped.").format(total=total.total, done=total.done, open=total.open,
                                overdue=total.overdue, dropped=total.dropped)
    parts.append(f"<p>{_e(said)}</p>")
    words = _kind_words(report)
    per_meeting = report.ngettext(
        "Action points of {n} meeting, stacked by where they stand today: done, open, "
        "overdue, dropped.",
        "Action points of {n} meetings, stacked by where they stand today: done, open, "
        "overdue, dropped.", len(found.meetings)).format(n=len(found.meetings))
    counts = _parts(total)
    parts.append("<figure>\n" + _actions_chart(report, per_meeting) + "\n"
                 + _totals_chart(report, said) + "\n"
                 + _legend([(f"<defs>{_pattern('key', kind)}</defs>"
                             f'<rect width="14" height="14" fill="url(#key-{kind})"/>',
                             f"{words[kind]} ({counts[kind]})") for kind in _KINDS])
                 + "\n</figure>")
    rows = [[_e(long_date(m.date, report.language)), _data(m.title or DASH),
             *(str(count) for count in _parts(m.actions).values()), str(m.actions.total)]
            for m in found.meetings]
    foot = [_e(t("Total")), "", *(str(count) for count in counts.values()), str(total.total)]
    parts.append(_table([(t("date"), DATES), (t("case"), TEXT),
                         *((words[kind], FIGURES) for kind in _KINDS), (t("Total"), FIGURES)],
                        rows, foot))
    return parts


def _meetings(report: _Report) -> list[str]:
    """The evaluation scores and the speaking balance over time, and the table of both."""
    found, language, t = report.found, report.language, report.gettext
    parts = [f"<h2>{_e(t('Meetings'))}</h2>",
             f"<h3>{_e(t('Evaluation scores (average per meeting, 1 to 5)'))}</h3>"]
    scored = [m.score for m in found.meetings if m.score is not None]
    if not scored:
        parts.append(f"<p>{_e(t('Too few scores to show: at least three a meeting.'))}</p>")
    else:
        parts.append("<p>" + _e(report.ngettext(
            "Average {average} over {n} meeting; meetings with fewer than three scores "
            "are left out.",
            "Average {average} over {n} meetings; meetings with fewer than three scores "
            "are left out.", len(scored)).format(
            average=decimal(sum(scored) / len(scored), language), n=len(scored))) + "</p>")
        parts.append("<figure>\n" + _scores_chart(report, scored,
                                                  len(found.meetings) - len(scored)) + "\n"
                     + _legend([('<circle cx="7" cy="7" r="4.5" fill="#0969da" '
                                 'stroke="#0a3069" stroke-width="1.5"/>', t("average score")),
                                ('<path d="M7 0V14" stroke="#57606a" stroke-dasharray="2 3"/>',
                                 t("too few to show"))]) + "\n</figure>")
    parts.append(f"<h3>{_e(t('How evenly people were heard (1: all alike; 0: one voice)'))}"
                 "</h3>")
    measured = [m.balance for m in found.meetings if m.balance is not None]
    if not measured:
        parts.append(f"<p>{_e(t('Too few people in these meetings to show it.'))}</p>")
    else:
        parts.append("<figure>\n" + _balance_chart(report, measured,
                                                   len(found.meetings) - len(measured)) + "\n"
                     + _legend([('<rect x="3" y="2" width="8" height="12" fill="#8250df" '
                                 'stroke="#3e1f79"/>', t("balance")),
                                ('<path d="M7 0V14" stroke="#57606a" stroke-dasharray="2 3"/>',
                                 t("too few to show"))]) + "\n</figure>")
    rows = []
    for meeting in found.meetings:
        time = t("in progress")
        if meeting.ended:
            time = duration(meeting.actual, language)
            if meeting.actual != meeting.planned:
                time += f" ({duration(meeting.actual - meeting.planned, language, sign=True)})"
        rows.append([_e(long_date(meeting.date, language)), _data(meeting.title or DASH),
                     DASH if meeting.score is None else _e(decimal(meeting.score, language)),
                     DASH if meeting.balance is None
                     else _e(decimal(meeting.balance, language, 2)),
                     _e(t("{done} of {total}").format(done=meeting.actions.done,
                                                      total=meeting.actions.total))
                     if meeting.actions.total else DASH,
                     _e(time)])
    parts.append(_table([(t("date"), DATES), (t("case"), TEXT), (t("score"), FIGURES),
                         (t("balance"), FIGURES), (t("actions done"), FIGURES),
                         (t("time"), FIGURES)],
                        rows))
    if len(scored) < len(found.meetings) or len(measured) < len(found.meetings):
        parts.append('<p class="note">' + _e(t(
            "{dash}: too few to show, fewer than three people make up the figure.").format(
            dash=DASH)) + "</p>")
    return parts


def _phases(report: _Report) -> list[str]:
    found, language, t = report.found, report.language, report.gettext
    parts = [f"<h2>{_e(t('Time per phase (average per meeting)'))}</h2>"]
    if not found.phases:
        parts.append(f"<p>{_e(t('No phase of these meetings has been held yet.'))}</p>")
        return parts
    parts.append("<figure>\n" + _phases_chart(report) + "\n"
                 + _legend([('<rect x="1" y="3" width="12" height="8" fill="#fff" '
                             'stroke="#424a53" stroke-width="1.5"/>', t("planned")),
                            ('<rect x="1" y="3" width="12" height="8" fill="#0969da" '
                             'stroke="#0a3069"/>', t("actual"))]) + "\n</figure>")
    rows = []
    for number, phase in enumerate(found.phases, 1):
        over = phase.actual - phase.planned
        difference = _e(duration(over, language, sign=True))
        rows.append([str(number), _data(phase.title), str(phase.held), str(phase.skipped),
                     _e(duration(phase.planned, language)), _e(duration(phase.actual, language)),
                     # More than a minute over, as the terminal report marks it.
                     f'<span class="over">{difference}</span>' if over > 60 else difference])
    parts.append(_table([("#", FIGURES), (t("phase"), TEXT), (t("held"), FIGURES),
                         (t("skipped"), FIGURES), (t("planned"), FIGURES),
                         (t("actual"), FIGURES), (t("difference"), FIGURES)], rows))
    return parts


def _people(report: _Report) -> list[str]:
    found, language, t = report.found, report.language, report.gettext
    parts = []
    if found.people_too_few or not found.people:
        parts.append(f"<h2>{_e(t('People'))}</h2>")
        parts.append("<p>" + _e(t("Too few members consented to show figures about people."))
                     + "</p>")
    else:
        parts.append(f"<h2>{_e(t('People (members who consent to research)'))}</h2>")
        rows = [[_data(p.name), str(p.meetings), str(p.spoken), str(p.questions), str(p.cases),
                 _e(long_date(p.last_case, language)) if p.last_case else DASH,
                 str(p.actions.done), str(p.actions.open)]
                for p in found.people]
        parts.append(_table([(t("member"), TEXT), (t("meetings"), FIGURES),
                             (t("entries"), FIGURES), (t("questions"), FIGURES),
                             (t("cases"), FIGURES), (t("last case"), WORDS),
                             (t("actions done"), FIGURES), (t("open"), FIGURES)], rows))
        if found.without_case:
            parts.append(f"<p>{_e(t('Has not brought a case yet:'))}</p>")
            parts.append('<ul class="names">' + "".join(
                f"<li>{_data(name)}</li>" for name in found.without_case) + "</ul>")
    if found.not_shown:
        parts.append("<p>" + _e(report.ngettext(
            "{n} member not shown: no research consent.",
            "{n} members not shown: no research consent.",
            found.not_shown).format(n=found.not_shown)) + "</p>")
    return parts


def _themes(report: _Report) -> list[str]:
    found, t = report.found, report.gettext
    parts = [f"<h2>{_e(t('Recurring themes'))}</h2>"]
    if not found.themes:
        parts.append(f"<p>{_e(t('No theme recurs yet.'))}</p>")
        return parts
    # The sentence is escaped before the phrase goes in: the phrase is HTML already.
    parts.append("<ul>" + "".join(
        "<li>" + _e(report.ngettext("{phrase} ({n} meeting)", "{phrase} ({n} meetings)",
                                    theme.meetings)).format(phrase=_data(theme.phrase),
                                                            n=theme.meetings) + "</li>"
        for theme in found.themes) + "</ul>")
    return parts
