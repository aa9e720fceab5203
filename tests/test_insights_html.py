"""The insights report as one HTML page (``sessions/insights/html.py``): a file that loads
nothing and runs no script, whose charts are inline SVG with a mark per figure and a title a
screen reader says, whose text from the data is escaped however hostile, which says "too few
to show" where the figures could single someone out, and which speaks Dutch. Then in a real
browser (Debian's Chromium, headless, Playwright): it asks for nothing, its charts fill the
column, its screenshot is kept in ``test-artefacts/``, and printed it gives A4 pages."""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader

from kring.sessions.insights.html import render_insights_html
from kring.sessions.insights.model import (
    FollowThrough,
    Insights,
    MeetingInsight,
    PersonInsight,
    PhaseInsight,
    Theme,
)
from kring.sessions.insights.report import SHORT_TITLE
from tests.support.browser import Phones, needs_chromium

ROOT = Path(__file__).resolve().parents[1]
ARTEFACTS = ROOT / "test-artefacts"  # kept for a person to look at; ignored by git
A4 = (595.28, 841.89)  # pt
A4_COLUMN = 658  # px: A4's width less two margins of 18 mm, at 96 px an inch
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "device_scale_factor": 1,
           "is_mobile": False, "has_touch": False}
HOSTILE = "<script>alert(\"x\")</script> & 'quoted' </td></table><b>"
LONG = "Waarom " * 1428 + "?"  # 10,000 characters, with spaces; and one without any
UNBROKEN = "x" * 10_000
VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr"}
# Every element the page may hold: anything else came from the data.
ELEMENTS = {"html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "p",
            "figure", "svg", "defs", "pattern", "rect", "path", "line", "text", "circle",
            "polyline", "g", "ul", "li", "table", "thead", "tbody", "tfoot", "tr", "th", "td",
            "bdi", "span"}


def meeting(week: int, score: float | None, balance: float | None, actions: FollowThrough,
            *, title: str = "A quiet pupil", ended: bool = True) -> MeetingInsight:
    return MeetingInsight(f"m{week}", date(2026, 1, 12) + timedelta(weeks=week), title,
                          "consultancy", ended, actions, 3600 if ended else 0,
                          3720 if ended else 1500, score, 5 if score is not None else 2,
                          balance)


# Six meetings: two without a score (the line breaks twice, so two runs of two dots), two
# without a balance, one of them in progress.
MEETINGS = (
    meeting(0, 3.5, .62, FollowThrough(done=1, open=2, overdue=1, dropped=1)),
    meeting(2, 3.0, .75, FollowThrough(done=2)),
    meeting(4, None, None, FollowThrough()),
    meeting(6, 4.25, None, FollowThrough(open=1, overdue=1)),
    meeting(8, 4.0, 0.0, FollowThrough(open=3, dropped=2)),
    meeting(10, None, .5, FollowThrough(), ended=False),
)
SCORED, RUNS, MEASURED = 4, 2, 4
SEGMENTS = 4 + 1 + 0 + 1 + 2 + 0  # the stacked bars' parts that are not empty
PHASES = (PhaseInsight("Introduction", 5, 0, 300, 330),
          PhaseInsight("Clarifying questions", 4, 1, 600, 780),
          PhaseInsight("Advice round", 5, 0, 900, 840))
PEOPLE = (PersonInsight("Anouk", 6, 40, 12, 2, date(2026, 3, 16), FollowThrough(2, 1, 1, 0)),
          PersonInsight("Bram", 5, 22, 8, 0, None, FollowThrough(0, 2, 0, 1)),
          PersonInsight("Chantal", 4, 18, 5, 1, date(2026, 2, 9), FollowThrough(1, 0, 0, 0)))
THEMES = (Theme("ouders betrekken", 4), Theme("rust in de klas", 2))


def report(**changes: object) -> Insights:
    found = Insights("CoP Inclusion", date(2026, 1, 1), date(2026, 6, 30), date(2026, 4, 1),
                     "en", MEETINGS, PHASES, PEOPLE, False, 1, THEMES)
    return replace(found, **changes)


def hostile() -> Insights:
    """Every text from the data as an attacker, a right-to-left writer, an emoji lover and a
    person who never stops typing would write it."""
    meetings = tuple(replace(m, title=title) for m, title in zip(
        MEETINGS, [HOSTILE, "طالب هادئ", "שאלה קשה 🎉", LONG, UNBROKEN, "Tom & Jerry"],
        strict=True))
    phases = (replace(PHASES[0], title=HOSTILE), replace(PHASES[1], title="שאלות הבהרה"),
              replace(PHASES[2], title=UNBROKEN))
    people = (replace(PEOPLE[0], name="محمد"), replace(PEOPLE[1], name=HOSTILE),
              replace(PEOPLE[2], name="evil\u202etxt.exe\x1b[2J 🎉"),
              replace(PEOPLE[1], name=UNBROKEN))
    return report(community=HOSTILE + " " + LONG, meetings=meetings, phases=phases,
                  people=people, themes=(Theme(HOSTILE, 3), Theme("שלום 🎉", 2)))


class Page(HTMLParser):
    """A page read back: its elements, the text a reader sees (entities resolved), each
    chart's elements and title, each table's rows, and whether every tag closes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: Counter[str] = Counter()
        self.attributes: set[str] = set()
        self.text: list[str] = []
        self.charts: dict[str, list[tuple[str, dict[str, str]]]] = {}
        self.titles: dict[str, str] = {}
        self.tables: list[list[list[str]]] = []
        self.open: list[str] = []
        self.unbalanced: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements[tag] += 1
        values = {name: value or "" for name, value in attrs}
        self.attributes |= set(values)
        if tag == "svg" and values.get("class") == "chart":
            self.charts[values["id"]] = []
        elif "svg" in self.open and self.charts:
            self.charts[list(self.charts)[-1]].append((tag, values))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("th", "td"):
            self.tables[-1][-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.unbalanced.append(tag)

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1] == "style":
            return
        self.text.append(data)
        if self.open[-2:] == ["svg", "title"] and self.charts:
            self.titles[list(self.charts)[-1]] = data
        if "td" in self.open or "th" in self.open:
            self.tables[-1][-1][-1] += data

    def marks(self, chart: str, tag: str, kind: str) -> int:
        return sum(1 for name, values in self.charts[chart]
                   if name == tag and kind in values.get("class", "").split())

    def table(self, *heads: str) -> list[list[str]]:
        """The table whose columns begin with ``heads``."""
        return next(table for table in self.tables if table[0][:len(heads)] == list(heads))

    @property
    def said(self) -> str:
        """The text, each element's apart and every run of whitespace one space."""
        return " ".join(" ".join(self.text).split())


def read(page_html: str) -> Page:
    page = Page()
    page.feed(page_html)
    page.close()
    return page


def plain(text: str) -> str:
    """Text as compared: compatibility forms folded, each run of whitespace one space."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


# -- the page ----------------------------------------------------------------------------------


def test_the_page_is_one_file_that_loads_nothing_and_runs_nothing() -> None:
    page_html = render_insights_html(report(), language="en")
    assert page_html.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert '<meta charset="utf-8">' in page_html
    assert ("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
            "style-src 'unsafe-inline'; img-src data:\">") in page_html
    lowered = page_html.lower()
    for never in ("<script", "javascript:", "http://", "https://", "src=", "href=", "<link",
                  "@import", "@font-face", "xlink"):
        assert never not in lowered, never
    # The one url() a page has: a chart's pattern, in the page itself.
    assert set(re.findall(r"url\(([^)]*)\)", page_html)) == {
        f"#{prefix}-{kind}" for prefix in ("ft", "tot", "key")
        for kind in ("done", "open", "overdue", "dropped")}
    page = read(page_html)
    assert set(page.elements) <= ELEMENTS
    assert not {name for name in page.attributes if name.startswith("on")}  # no handler
    assert not page.attributes & {"src", "href", "srcset", "action", "style"}
    assert page.unbalanced == [] and page.open == []
    assert page.elements["style"] == 1 and page.elements["h1"] == 1


def test_it_prints_on_a4_and_long_text_wraps() -> None:
    style = render_insights_html(report(), language="en").split("<style>")[1]
    assert "@page { size: A4; margin: 18mm; }" in style
    assert "overflow-wrap: anywhere" in style
    print_rules = style.split("@media print {")[1]
    assert "h1, h2, h3 { break-after: avoid;" in print_rules
    assert "figure, tr, li, ul.legend { break-inside: avoid;" in print_rules
    assert "thead { display: table-header-group; }" in print_rules
    assert "svg.chart { display: block; width: 100%; height: auto;" in style


def test_the_title_and_the_range() -> None:
    page = read(render_insights_html(report(), language="en"))
    assert page.said.startswith(
        "Insights: CoP Inclusion Insights: CoP Inclusion 6 meetings, 12 January 2026 to "
        "23 March 2026; as of 1 April 2026. Period: 1 January 2026 to 30 June 2026.")
    open_ended = read(render_insights_html(report(end=None), language="en"))
    assert "Period: from 1 January 2026." in open_ended.said


def test_each_chart_has_a_mark_per_figure_and_says_what_it_shows() -> None:
    page = read(render_insights_html(report(), language="en"))
    assert list(page.charts) == ["actions", "actions-total", "scores", "balance", "phases"]
    assert page.elements["svg"] == 5 + 4 + 2 + 2 + 2  # the charts and their legends' keys
    assert page.marks("scores", "circle", "score") == SCORED
    assert page.marks("scores", "polyline", "line") == RUNS
    assert page.marks("scores", "line", "gap") == len(MEETINGS) - SCORED
    assert page.marks("balance", "rect", "balance") == MEASURED
    assert page.marks("balance", "line", "gap") == len(MEETINGS) - MEASURED
    assert page.marks("actions", "rect", "segment") == SEGMENTS
    assert page.marks("actions-total", "rect", "segment") == 4
    assert page.marks("phases", "rect", "planned") == len(PHASES)
    assert page.marks("phases", "rect", "actual") == len(PHASES)
    # The gaps' tooltips, the two keys, and the note under the table of meetings.
    assert page.said.count("too few to show") == 2 + 2 + 2 + 1
    # Every chart is an image to a screen reader, named by its title.
    assert page_role_imgs(render_insights_html(report(), language="en")) == 5
    assert page.titles == {
        "actions": "Action points of 6 meetings, stacked by where they stand today: done, open, "
                   "overdue, dropped.",
        "actions-total": "12 raised: 3 done, 6 open (2 overdue), 3 dropped.",
        "scores": "Average evaluation score per meeting, from 12 January 2026 to 23 March 2026: "
                  "lowest 3.0, highest 4.2. 2 meetings have too few scores to show: gaps in the "
                  "line.",
        "balance": "How evenly people were heard per meeting, from 12 January 2026 to 23 March "
                   "2026: lowest 0.00, highest 0.75. 2 meetings had too few people to show it.",
        "phases": "Planned against actual time of 3 phases, on average per meeting that held "
                  "them."}


def page_role_imgs(page_html: str) -> int:
    """Charts that are images named by their own title."""
    return len(re.findall(r'<svg id="([\w-]+)" class="chart" role="img" '
                          r'aria-labelledby="\1-title"[^>]*>\n<title id="\1-title">', page_html))


def test_tables_give_the_numbers_of_the_charts() -> None:
    page = read(render_insights_html(report(), language="en"))
    actions = page.table("date", "case", "done")
    assert actions[0] == ["date", "case", "done", "open, not overdue", "overdue", "dropped",
                          "Total"]
    assert actions[1] == ["12 January 2026", "A quiet pupil", "1", "1", "1", "1", "4"]
    assert actions[-1] == ["Total", "", "3", "4", "2", "3", "12"]
    meetings = page.table("date", "case", "score")
    assert meetings[1] == ["12 January 2026", "A quiet pupil", "3.5", "0.62", "1 of 4",
                           "1 h 2 min (+2 min)"]
    assert meetings[3][2:5] == ["—", "—", "—"]
    assert meetings[6][2:] == ["—", "0.50", "—", "in progress"]
    assert "Average 3.7 over 4 meetings" in page.said
    phases = page.table("#")
    assert phases[2] == ["2", "Clarifying questions", "4", "1", "10 min", "13 min", "+3 min"]
    assert '<span class="over">+3 min</span>' in render_insights_html(report(), language="en")


def test_people_with_enough_consent_their_figures_and_who_has_not_brought_a_case() -> None:
    page_html = render_insights_html(report(), language="en")
    page = read(page_html)
    people = page.table("member")
    assert people[0] == ["member", "meetings", "entries", "questions", "cases", "last case",
                         "actions done", "open"]
    assert people[1] == ["Anouk", "6", "40", "12", "2", "16 March 2026", "2", "1"]
    assert people[2][5] == "—"
    assert "Has not brought a case yet: Bram" in page.said
    assert '<ul class="names"><li><bdi>Bram</bdi></li></ul>' in page_html
    assert "1 member not shown: no research consent." in page.said
    assert "Too few members consented" not in page.said
    assert "ouders betrekken (4 meetings) rust in de klas (2 meetings)" in page.said


def test_too_few_consenting_members_no_figures_about_people() -> None:
    page = read(render_insights_html(report(people=(), people_too_few=True, not_shown=4),
                                     language="en"))
    assert "People Too few members consented to show figures about people." in page.said
    assert "4 members not shown: no research consent." in page.said
    assert not any(table[0][0] == "member" for table in page.tables)
    assert "Has not brought a case yet" not in page.said
    everyone = read(render_insights_html(report(not_shown=0), language="en"))
    assert "not shown" not in everyone.said


def test_too_few_scores_or_people_anywhere_no_chart() -> None:
    bare = tuple(replace(m, score=None, balance=None) for m in MEETINGS)
    page = read(render_insights_html(report(meetings=bare), language="en"))
    assert list(page.charts) == ["actions", "actions-total", "phases"]
    assert "Too few scores to show: at least three a meeting." in page.said
    assert "Too few people in these meetings to show it." in page.said
    quiet = tuple(replace(m, actions=FollowThrough()) for m in MEETINGS)
    page = read(render_insights_html(report(meetings=quiet, phases=(), themes=()),
                                     language="en"))
    assert "No action points were raised in these meetings." in page.said
    assert "No phase of these meetings has been held yet." in page.said
    assert "No theme recurs yet." in page.said
    assert list(page.charts) == ["scores", "balance"]


def test_a_community_that_has_not_met_says_so() -> None:
    page_html = render_insights_html(report(meetings=(), phases=(), people=(),
                                            people_too_few=True, themes=()), language="en")
    page = read(page_html)
    assert page.said.endswith("Insights: CoP Inclusion Period: 1 January 2026 to 30 June "
                              "2026. No meetings of this community in this period yet.")
    assert "<svg" not in page_html and page.unbalanced == []


def test_text_from_the_data_is_escaped_however_hostile() -> None:
    page_html = render_insights_html(hostile(), language="en")
    page = read(page_html)
    # Nothing the data holds became an element: the page's elements are its own.
    assert set(page.elements) <= ELEMENTS
    assert page.elements["b"] == 0 and page.unbalanced == [] and page.open == []
    assert page.elements["table"] == 4  # </table> in a title closed none
    assert "<script" not in page_html.lower() and "<b>" not in page_html
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quoted&#x27;"
    assert escaped in page_html
    # ... and shows as the very text that was typed: the title, a case, a phase, a name, a
    # theme; in a chart a phase title shortened (the table has it whole).
    assert page.said.count(HOSTILE) >= 7
    assert page.said.startswith(f"Insights: {HOSTILE} {LONG}"[:200])
    # Whole where the text goes: the case in two tables, the phase, the name in the table of
    # people and among those who have not brought a case.
    assert page.said.count(UNBROKEN) == 5
    assert all(len(text) <= SHORT_TITLE + 4 for tag, text in chart_texts(page_html, "phases"))
    # Right-to-left text and emoji as typed, isolated from the sentence around them.
    assert "<bdi>محمد</bdi>" in page_html and '<td dir="auto"><bdi>שאלות הבהרה</bdi></td>' \
        in page_html
    assert "שאלה קשה 🎉" in page.said and "שלום 🎉 (2 meetings)" in page.said
    # Controls that steer a terminal or reverse the text around them are dropped.
    assert "eviltxt.exe[2J 🎉" in page.said
    assert "\u202e" not in page_html and "\x1b" not in page_html
    assert "Tom &amp; Jerry" in page_html


def chart_texts(page_html: str, chart: str) -> list[tuple[str, str]]:
    """The texts written in a chart (its labels), unescaped."""
    import html

    inside = page_html.split(f'<svg id="{chart}"')[1].split("</svg>")[0]
    return [("text", html.unescape(text)) for text in re.findall(r"<text[^>]*>([^<]*)</text>",
                                                                 inside)]


def test_in_dutch_the_words_numbers_dates_and_durations_are_dutch() -> None:
    page_html = render_insights_html(report(), language="nl")
    page = read(page_html)
    assert page_html.startswith("<!DOCTYPE html>\n<html lang=\"nl\">")
    said = page.said
    assert said.startswith("Inzichten: CoP Inclusion")
    assert "6 bijeenkomsten, 12 januari 2026 tot en met 23 maart 2026" in said
    assert "Periode: 1 januari 2026 tot en met 30 juni 2026." in said
    assert "Gemiddeld 3,7" in said  # the average score, with a decimal comma
    meetings = page.table("datum", "casus", "score")
    assert meetings[1][2:] == ["3,5", "0,62", "1 van 4", "1 uur 2 min (+2 min)"]
    assert meetings[6][-1] == "bezig"
    assert "0,5" in [text for _tag, text in chart_texts(page_html, "balance")]
    assert not re.search(r"\d\.\d", said)  # no decimal point anywhere a reader looks
    for dutch in ("Actiepunten", "open, niet te laat", "te weinig om te tonen",
                  "gemiddelde score", "spreekbalans", "Tijd per fase", "Nog geen casus "
                  "ingebracht:", "1 lid niet getoond: geen toestemming voor onderzoek.",
                  "ouders betrekken (4 bijeenkomsten)", "Cijfers over personen staan er"):
        assert dutch in said, dutch
    for english in ("Action points", "too few to show", "meetings", "Period:", "average"):
        assert english not in said, english
    too_few = read(render_insights_html(report(people=(), people_too_few=True), language="nl"))
    assert ("Te weinig leden gaven toestemming om cijfers over personen te tonen."
            in too_few.said)


# -- in a browser --------------------------------------------------------------------------------

# Records every Content-Security-Policy violation from the first moment of the page: a load
# the policy blocked never reaches the network, so requests alone would not show it.
WATCH_POLICY = """
window.__blocked = [];
document.addEventListener('securitypolicyviolation',
    event => window.__blocked.push(event.violatedDirective + ' ' + event.blockedURI));
"""


async def open_report(browser: Phones, page_html: str, path: Path) -> tuple[Any, list[str]]:
    """The report opened from a file, as its reader opens it; with every URL it asked for."""
    path.write_text(page_html, encoding="utf-8")
    page = await browser.new_page(**DESKTOP)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    await page.add_init_script(WATCH_POLICY)
    await page.goto(path.as_uri())
    return page, asked


@pytest.mark.e2e
@needs_chromium
async def test_in_a_browser_the_report_asks_for_nothing_and_prints_on_a4(
        browser: Phones, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    page, asked = await open_report(browser, render_insights_html(report(), language="en"),
                                    path)
    assert await page.evaluate("window.__blocked") == []
    assert await page.evaluate(
        "document.querySelectorAll('script').length") == 0
    # Each chart drawn as wide as the column, the stacked bars' patterns filled in.
    column = await page.evaluate(
        "document.querySelector('main').getBoundingClientRect().width")
    charts = await page.evaluate("""() => Array.from(document.querySelectorAll('svg.chart'),
        svg => [svg.id, svg.getBoundingClientRect().width, svg.getBoundingClientRect().height])
        """)
    assert [chart for chart, _w, _h in charts] == ["actions", "actions-total", "scores",
                                                   "balance", "phases"]
    for chart, width, height in charts:
        assert width == pytest.approx(column, abs=1) and height > 20, chart

    ARTEFACTS.mkdir(exist_ok=True)
    shot = ARTEFACTS / "insights-report.png"  # this test alone writes it: no worker races it
    await page.screenshot(path=str(shot), full_page=True)
    with Image.open(shot) as image:
        assert image.width == 1280
        colours = {colour for _count, colour in image.convert("RGB").getcolors(1 << 24) or []}
    # done (green), open (blue), the balance (purple): drawn, so their fills resolved.
    assert {(0x1a, 0x7f, 0x37), (0x09, 0x69, 0xda), (0x82, 0x50, 0xdf)} <= colours

    printed = await page.pdf(prefer_css_page_size=True)
    (ARTEFACTS / "insights-report.pdf").write_bytes(printed)
    reader = PdfReader(io.BytesIO(printed))
    assert 2 <= len(reader.pages) <= 6
    for number, sheet in enumerate(reader.pages, 1):
        size = (float(sheet.mediabox.width), float(sheet.mediabox.height))
        assert abs(size[0] - A4[0]) <= 1 and abs(size[1] - A4[1]) <= 1, (number, size)
    text = plain(" ".join(sheet.extract_text() for sheet in reader.pages))
    assert "Insights: CoP Inclusion" in text
    assert "Clarifying questions" in text and "ouders betrekken" in text
    assert asked == [path.as_uri()]  # the file itself, then nothing: shown nor printed


@pytest.mark.e2e
@needs_chromium
async def test_in_a_browser_hostile_text_stays_text_and_within_the_page(
        browser: Phones, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    page, asked = await open_report(browser, render_insights_html(hostile(), language="nl"),
                                    path)
    assert await page.evaluate("window.__blocked") == []
    heading = await page.evaluate(
        "document.querySelector('h1').textContent")
    assert heading.startswith(f"Inzichten: {HOSTILE} Waarom Waarom")
    assert await page.evaluate(
        "document.querySelectorAll('script, b').length") == 0
    # 10,000 characters without a space wrap: nothing runs off the screen, nor off the
    # printed page's column.
    for media, width in (("screen", 1280), ("print", A4_COLUMN)):
        await page.set_viewport_size({"width": width, "height": 900})
        await page.emulate_media(media=media)
        widest = await page.evaluate(
            "document.documentElement.scrollWidth")
        assert widest <= width, (media, widest)
    printed = await page.pdf(prefer_css_page_size=True)
    reader = PdfReader(io.BytesIO(printed))
    for sheet in reader.pages:
        assert abs(float(sheet.mediabox.width) - A4[0]) <= 1
        assert abs(float(sheet.mediabox.height) - A4[1]) <= 1
    text = plain(" ".join(sheet.extract_text() for sheet in reader.pages))
    assert "Inzichten:" in text
    assert asked == [path.as_uri()]


@pytest.mark.e2e
@needs_chromium
async def test_in_a_browser_the_page_s_policy_would_block_a_load_from_outside(
        browser: Phones, tmp_path: Path) -> None:
    """The checks above are no formality: an image from elsewhere slipped into the page is
    blocked by its policy, and both the watch on the policy and the one on requests see the
    attempt: so where they see nothing, the page tried nothing."""
    page_html = render_insights_html(report(), language="en").replace(
        "<main>", '<main><img alt="" src="https://example.invalid/pixel.png">', 1)
    page, asked = await open_report(browser, page_html, tmp_path / "report.html")
    blocked = await page.evaluate("window.__blocked")
    assert blocked == ["img-src https://example.invalid/pixel.png"]
    assert asked == [(tmp_path / "report.html").as_uri(), "https://example.invalid/pixel.png"]
    assert await page.evaluate("document.images[0].naturalWidth") == 0
