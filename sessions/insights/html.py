"""The insights as one self-contained HTML page: what ``kring insights --out report.html`` writes,
for a team leader to read on screen, print on A4, or mail to a colleague.

The page loads nothing (its Content-Security-Policy forbids every fetch and all script): its
charts are inline SVG (``charts.py``), each with a table under it that gives its numbers.

Every text from the data (the community, case and phase titles, names, themes) is made plain
and escaped (``report.py``), and a table's text cells take their own direction
(``dir="auto"``); long text wraps anywhere rather than run off the page. Fixed words come
through the report language's translator, numbers, durations and dates in that language's
way (``sessions/model/dates.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

from kring.sessions.i18n import translator
from kring.sessions.insights.charts import (
    KINDS,
    actions_chart,
    balance_chart,
    kind_words,
    legend,
    pattern,
    phases_chart,
    scores_chart,
    stacked_parts,
    totals_chart,
)
from kring.sessions.insights.model import Insights
from kring.sessions.insights.report import Report
from kring.sessions.insights.report import data as _data
from kring.sessions.insights.report import escape as _e
from kring.sessions.model.dates import decimal, duration, long_date
from kring.sessions.plain import plain_line

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


def render_insights_html(insights: Insights, *, language: str) -> str:
    """The report on ``insights`` as a standalone HTML page in ``language`` (UTF-8, nothing
    loaded from elsewhere, no script)."""
    words = translator(language)
    report = Report(insights, language, words.gettext, words.ngettext)
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


def _range(report: Report) -> list[str]:
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


# -- sections ----------------------------------------------------------------------------------


def _follow_through(report: Report) -> list[str]:
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
    words = kind_words(report)
    per_meeting = report.ngettext(
        "Action points of {n} meeting, stacked by where they stand today: done, open, "
        "overdue, dropped.",
        "Action points of {n} meetings, stacked by where they stand today: done, open, "
        "overdue, dropped.", len(found.meetings)).format(n=len(found.meetings))
    counts = stacked_parts(total)
    parts.append("<figure>\n" + actions_chart(report, per_meeting) + "\n"
                 + totals_chart(report, said) + "\n"
                 + legend([(f"<defs>{pattern('key', kind)}</defs>"
                             f'<rect width="14" height="14" fill="url(#key-{kind})"/>',
                             f"{words[kind]} ({counts[kind]})") for kind in KINDS])
                 + "\n</figure>")
    rows = [[_e(long_date(m.date, report.language)), _data(m.title or DASH),
             *(str(count) for count in stacked_parts(m.actions).values()), str(m.actions.total)]
            for m in found.meetings]
    foot = [_e(t("Total")), "", *(str(count) for count in counts.values()), str(total.total)]
    parts.append(_table([(t("date"), DATES), (t("case"), TEXT),
                         *((words[kind], FIGURES) for kind in KINDS), (t("Total"), FIGURES)],
                        rows, foot))
    return parts


def _meetings(report: Report) -> list[str]:
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
        parts.append("<figure>\n" + scores_chart(report, scored,
                                                  len(found.meetings) - len(scored)) + "\n"
                     + legend([('<circle cx="7" cy="7" r="4.5" fill="#0969da" '
                                 'stroke="#0a3069" stroke-width="1.5"/>', t("average score")),
                                ('<path d="M7 0V14" stroke="#57606a" stroke-dasharray="2 3"/>',
                                 t("too few to show"))]) + "\n</figure>")
    parts.append(f"<h3>{_e(t('How evenly people were heard (1: all alike; 0: one voice)'))}"
                 "</h3>")
    measured = [m.balance for m in found.meetings if m.balance is not None]
    if not measured:
        parts.append(f"<p>{_e(t('Too few people in these meetings to show it.'))}</p>")
    else:
        parts.append("<figure>\n" + balance_chart(report, measured,
                                                   len(found.meetings) - len(measured)) + "\n"
                     + legend([('<rect x="3" y="2" width="8" height="12" fill="#8250df" '
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


def _phases(report: Report) -> list[str]:
    found, language, t = report.found, report.language, report.gettext
    parts = [f"<h2>{_e(t('Time per phase (average per meeting)'))}</h2>"]
    if not found.phases:
        parts.append(f"<p>{_e(t('No phase of these meetings has been held yet.'))}</p>")
        return parts
    parts.append("<figure>\n" + phases_chart(report) + "\n"
                 + legend([('<rect x="1" y="3" width="12" height="8" fill="#fff" '
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


def _people(report: Report) -> list[str]:
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


def _themes(report: Report) -> list[str]:
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
