"""The HTML minutes printed from a real browser (Debian's Chromium, headless, Playwright) give
the page of ``kring export --format pdf``: A4 from the page's own stylesheet, all of the minutes
in order, and about as many pages as Kring's own PDF of the same meeting."""

from __future__ import annotations

import io
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from kring.sessions.documents.html import render_html
from kring.sessions.documents.minutes import minutes_title, render_markdown
from kring.sessions.documents.pdf.render import render_pdf
from kring.sessions.model.meeting import Entry, Meeting
from tests.support.browser import Phones, needs_chromium
from tests.support.minutes import incident_meeting, troika_meeting

pytestmark = [pytest.mark.e2e, needs_chromium]

A4 = (595.28, 841.89)  # pt
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "device_scale_factor": 1,
           "is_mobile": False, "has_touch": False}
BLOCKS = {"h1", "h2", "h3", "h4", "p", "li", "th", "td"}


@dataclass
class Held:
    """A meeting with its entries, as ``render_pdf`` takes them (``MeetingWithEntries``)."""

    meeting: Meeting
    entries: list[Entry]


class Blocks(HTMLParser):
    """The text of each heading, paragraph, list item and table cell of a page, in order: what
    a reader of the printed page must find there, read from the HTML, not from the browser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCKS:
            self.blocks.append("")
            self.open = True
        elif tag == "br" and self.open:
            self.blocks[-1] += " "

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self.open = False

    def handle_data(self, data: str) -> None:
        if self.open:
            self.blocks[-1] += data


def plain(text: str) -> str:
    """``text`` as compared: compatibility forms folded (the browser's "fi" ligature), every
    run of whitespace one space (a wrapped line joined again)."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


async def print_page(browser: Phones, page_html: str) -> tuple[bytes, float, list[str]]:
    """``page_html`` printed to PDF as a browser's "Save as PDF" does, the page size left to
    its stylesheet; with the seconds printing took and every URL the page asked for."""
    page = await browser.new_page(**DESKTOP)
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    await page.set_content(page_html)
    sheets = await page.evaluate("""() => Array.from(document.styleSheets, sheet => ({
        owner: sheet.ownerNode.tagName,
        page: Array.from(sheet.cssRules).some(rule => rule instanceof CSSPageRule),
        print: Array.from(sheet.cssRules).some(
            rule => rule instanceof CSSMediaRule && rule.media.mediaText === 'print')}))""")
    # The print rules are the page's one stylesheet's, embedded: nothing to fetch or lose.
    assert sheets == [{"owner": "STYLE", "page": True, "print": True}], sheets
    started = time.monotonic()
    pdf = await page.pdf(prefer_css_page_size=True)
    return pdf, time.monotonic() - started, asked


MEETINGS: dict[str, Callable[[], tuple[Meeting, list[Entry]]]] = {
    "incident": incident_meeting, "troika": troika_meeting}


@pytest.mark.parametrize("name", sorted(MEETINGS))
async def test_printed_from_a_browser_the_minutes_are_the_pdf_s_page(
        browser: Phones, name: str) -> None:
    meeting, entries = MEETINGS[name]()
    markdown = render_markdown(meeting, entries)
    page_html = render_html(markdown, minutes_title(meeting), language=meeting.language)
    assert page_html.count("<style>") == 1 and "<link" not in page_html
    style = page_html.split("<style>")[1].split("</style>")[0]
    assert "@page {" in style and "@media print {" in style

    started = time.monotonic()
    printed, printing, asked = await print_page(browser, page_html)
    browser_seconds = time.monotonic() - started
    assert asked == []  # no font, no stylesheet, nothing from elsewhere

    reader = PdfReader(io.BytesIO(printed))
    for number, sheet in enumerate(reader.pages, start=1):
        size = (float(sheet.mediabox.width), float(sheet.mediabox.height))
        assert abs(size[0] - A4[0]) <= 1 and abs(size[1] - A4[1]) <= 1, (number, size)

    # Every heading, entry and table cell of the page is printed, in the page's order.
    text = plain(" ".join(sheet.extract_text() for sheet in reader.pages))
    parser = Blocks()
    parser.feed(page_html)
    parser.close()
    blocks = [plain(block) for block in parser.blocks if block.strip()]
    public = [entry for entry in entries if not entry.private]
    assert len(blocks) > len(public)
    at = 0
    for block in blocks:
        found = text.find(block, at)
        assert found != -1, (block, text[at:at + 300])
        at = found + len(block)
    # A ticked action point prints its tick (a disabled checkbox would print pale grey).
    assert text.count("\u2713") == page_html.count(" checked>")

    started = time.monotonic()
    kring = render_pdf(Held(meeting, entries), markdown, handout=False)
    kring_seconds = time.monotonic() - started
    kring_pages = len(PdfReader(io.BytesIO(kring)).pages)
    print(f"{name}: printed from Chromium {len(reader.pages)} pages "
          f"({printing:.2f} s to print, {browser_seconds:.2f} s with the page), "
          f"kring export --format pdf {kring_pages} pages ({kring_seconds:.2f} s)")
    assert kring_pages >= 2
    assert abs(len(reader.pages) - kring_pages) <= 1
