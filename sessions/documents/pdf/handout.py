"""The one-page handout as A4 PDF (what it holds: ``documents/handout.py``): a title, the case,
the focus question, the decisions, the action points as a table with a box to tick, the
learnings and the next meeting, at the body size or not at all: what does not fit on the page
ends in "continued in the full minutes", the text never shrinks (the issue: never below 9 pt).
"""

from __future__ import annotations

from kring.sessions.documents.handout import Handout, HandoutAction
from kring.sessions.documents.pdf.document import Page, clean
from kring.sessions.i18n import translator
from kring.sessions.model.dates import long_date

SIZE = 10.0  # pt: the handout's body
HEADING = 12.0
TITLE = 16.0
LINE = SIZE * 1.35 * 0.3528  # mm
BOX = "\u2610"  # ☐
DONE = "\u2611"  # ☑
COLUMNS = (0.06, 0.54, 0.18, 0.22)  # of the width: box, action, who, by when


def render_handout_pdf(handout: Handout) -> bytes:
    t = translator(handout.language).gettext
    page = Page(title=handout.title, language=handout.language, created=handout.moment)
    writer = _Writer(page, handout.language)
    writer.heading(handout.title, TITLE)
    details = [handout.community, long_date(handout.date, handout.language)]
    if handout.protocol:
        details.append(handout.protocol)
    writer.text(" · ".join(details), grey=True)
    if handout.summary.strip():
        writer.section(t("Case"), [handout.summary])
    if handout.focus_question.strip():
        writer.section(t("Focus question"), [handout.focus_question])
    if handout.decisions:
        writer.section(t("Decisions"), list(handout.decisions), bullets=True)
    if handout.actions:
        writer.actions(t("Action points"), handout.actions,
                       (t("Action point"), t("Who"), t("By")), t("nobody yet"))
    if handout.learnings:
        writer.section(t("Learnings"), list(handout.learnings), bullets=True)
    if handout.next_meeting is not None:
        local = handout.next_meeting
        when = f"{long_date(local.date(), handout.language)}, {local:%H:%M}"
        writer.section(t("Next meeting"), [when])
    if writer.cut:
        page.set_y(page.h - page.b_margin - LINE)
        page.text_block(clean(t("Continued in the full minutes."), page.glyphs), size=SIZE,
                        grey=True)
    return page.pdf_bytes()


class _Writer:
    """Writes block after block while they fit above the line kept for "continued"."""

    def __init__(self, page: Page, language: str) -> None:
        self.page = page
        self.language = language
        self.cut = False  # something did not fit: the page says so at its foot

    def fits(self, height: float) -> bool:
        if not self.cut and self.page.get_y() + height <= self.page.h - self.page.b_margin - (
                2 * LINE):
            return True
        self.cut = True
        return False

    def height(self, text: str, width: float, size: float = SIZE) -> float:
        self.page.set_font(size=size)
        lines = self.page.multi_cell(width, size * 1.35 * 0.3528, text, markdown=True,
                                     dry_run=True, output="LINES")
        assert isinstance(lines, list)
        return len(lines) * size * 1.35 * 0.3528

    def heading(self, text: str, size: float) -> None:
        text = clean(text, self.page.glyphs)
        if self.fits(self.height(text, self.page.width, size) + 2 * LINE):
            self.page.text_block(text, size=size, bold=True, before=size * 0.3)
            self.page.ln(1)

    def text(self, text: str, *, grey: bool = False, indent: float = 0.0) -> None:
        text = clean(text, self.page.glyphs)
        if self.fits(self.height(text, self.page.width - indent) + 1):
            self.page.text_block(text, size=SIZE, grey=grey, indent=indent, before=1)

    def section(self, name: str, texts: list[str], *, bullets: bool = False) -> None:
        self.heading(name, HEADING)
        for text in texts:
            self.text(("\u2022 " if bullets else "") + text)

    def actions(self, name: str, actions: tuple[HandoutAction, ...],
                headings: tuple[str, str, str], nobody: str) -> None:
        """A table drawn row by row, each row only if it fits whole."""
        self.heading(name, HEADING)
        glyphs = self.page.glyphs
        what, who, by = (clean(h, glyphs) for h in headings)
        self.row(("", what, who, by), bold=True)
        for action in actions:
            self.row((DONE if action.done else BOX, clean(action.text, glyphs),
                      clean(action.owner or nobody, glyphs),
                      long_date(action.due, self.language) if action.due else "—"))

    def row(self, cells: tuple[str, str, str, str], *, bold: bool = False) -> None:
        page = self.page
        widths = [page.width * share for share in COLUMNS]
        tallest = max(self.height(cell, width) for cell, width in zip(cells, widths,
                                                                      strict=True))
        if not self.fits(tallest + 1.5):
            return
        top, x = page.get_y() + 0.75, page.l_margin
        page.set_font(style="B" if bold else "", size=SIZE)
        for cell, width in zip(cells, widths, strict=True):
            page.set_xy(x, top)
            page.multi_cell(width, LINE, cell, align="L")
            x += width
        bottom = top + tallest + 0.75
        page.set_draw_color(170, 170, 170)
        page.line(page.l_margin, bottom, page.l_margin + page.width, bottom)
        page.set_xy(page.l_margin, bottom)
