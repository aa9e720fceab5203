"""An A4 page to write minutes on: the fonts Kring ships, text made safe to set, and the
same bytes for the same meeting.

The fonts are DejaVu Sans, cut down to the scripts minutes are written in (``../fonts``). What
they cannot draw (an emoji, a rare script) becomes a white square, never a crash, a warning or
a silent gap; control and format characters are dropped. A paragraph with Hebrew or Arabic in
it is shaped (HarfBuzz, through fpdf2) and laid out right to left where it is; the others are
set without shaping, which is four to five times faster (helper 21's measurement).

Bold runs are fpdf2's "markdown" fragments, with its markers moved to private-use characters
that no text can carry (``clean`` drops them): a person's ``**`` or ``--`` is text. Italic is
set upright: DejaVu's oblique would add a quarter of a megabyte to the wheel and a font to load
to every document.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import TTFFont

FONTS = Path(__file__).resolve().parents[1] / "fonts"
FAMILY = "kring"
BOLD = "\ue000\ue001"  # fpdf2's marker: two characters
MISSING = "\u25a1"  # □: what a glyph the font does not have becomes
MARGIN = 18.0  # mm
BODY = 10.5  # pt
GREY = (90, 90, 90)

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_DROPPED = {"Cc", "Cf", "Co", "Cs", "Cn"}  # controls, format (bidi, zero-width), private use

# fpdf2 says so on its logger when a glyph is missing; clean() has replaced those already.
logging.getLogger("fpdf.output").setLevel(logging.ERROR)


class Page(FPDF):
    MARKDOWN_BOLD_MARKER = BOLD
    MARKDOWN_ITALICS_MARKER = "\ue002\ue003"
    MARKDOWN_STRIKETHROUGH_MARKER = "\ue004\ue005"
    MARKDOWN_UNDERLINE_MARKER = "\ue006\ue007"
    MARKDOWN_ESCAPE_CHARACTER = "\ue008"
    # fpdf2 looks the markers up in this tuple, made from its own defaults.
    MARKDOWN_MARKERS = (MARKDOWN_BOLD_MARKER, MARKDOWN_ITALICS_MARKER,
                        MARKDOWN_STRIKETHROUGH_MARKER, MARKDOWN_UNDERLINE_MARKER)
    MARKDOWN_LINK_REGEX = re.compile(r"(?!)")  # never: links are text in minutes

    def __init__(self, *, title: str, language: str, created: datetime) -> None:
        super().__init__(format="A4", unit="mm")
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, MARGIN)
        for style, name in (("", "DejaVuSans-subset.ttf"), ("B", "DejaVuSans-Bold-subset.ttf")):
            self.add_font(FAMILY, style, FONTS / name)
        self.set_font(FAMILY, size=BODY)
        self.glyphs = frozenset(self.current_font.cmap)  # type: ignore[union-attr]
        regular, bold = self.fonts[FAMILY], self.fonts[FAMILY + "B"]
        assert isinstance(regular, TTFFont) and isinstance(bold, TTFFont)
        self._widths: dict[int, float] = regular.cw  # of each character, 1/1000 of the size
        self._bold_widths: dict[int, float] = bold.cw
        # The same meeting gives the same bytes: the date is the meeting's, never now (the
        # file identifier is a digest of the content and this date).
        self.set_creation_date(created)
        self.set_title(clean(title, self.glyphs))
        self.set_lang(language)
        self.set_creator("Kring")
        self.add_page()

    @property
    def width(self) -> float:
        """What a line may fill, margin to margin."""
        return self.epw

    def text_block(self, text: str, *, size: float = BODY, bold: bool = False,
                   indent: float = 0.0, before: float = 0.0, grey: bool = False,
                   line: float = 1.35, hang: float = 0.0) -> None:
        """A paragraph of ``text`` (already cleaned; bold runs marked), wrapped at the margin,
        ``indent`` mm in, ``before`` mm below what came before; its lines after the first
        ``hang`` mm further in (a list item's, under its text rather than its bullet)."""
        if before:
            self.ln(before)
        self.set_font(FAMILY, "B" if bold else "", size)
        if grey:
            self.set_text_color(*GREY)
        shaped = _RTL.search(text) is not None
        if shaped:
            self.set_text_shaping(True)
        self.set_x(self.l_margin + indent)
        height, room = size * line * 0.3528, self.width - indent
        # Lines broken here, each set as a cell: fpdf2's own line breaking measures a line
        # again for every character it adds, and set 2,000 entries in three seconds. Its
        # breaking stays for what needs it: right-to-left text, a word wider than the line.
        lines = None if shaped else self._wrapped(
            text, size, room - hang - 2 * self.c_margin, bold)
        if lines is None:
            self.multi_cell(room, height, text, markdown=True, align="L", new_x="LMARGIN",
                            new_y="NEXT")
        else:
            for number, piece in enumerate(lines):
                self.set_x(self.l_margin + indent + (hang if number else 0.0))
                self.cell(room, height, piece, markdown=True, new_x="LMARGIN", new_y="NEXT")
        if shaped:
            self.set_text_shaping(False)
        if grey:
            self.set_text_color(0, 0, 0)

    def _wrapped(self, text: str, size: float, room: float, bold: bool
                 ) -> list[str] | None:
        """``text`` broken into lines that fit ``room`` (mm) between words, bold runs closed
        at a line's end and opened again on the next; None when a word alone is wider."""
        scale = size * 0.001 / self.k
        widths = (self._widths, self._bold_widths)
        lines: list[str] = []
        for paragraph in text.split("\n"):
            words: list[str] = []
            used = 0.0
            opened = in_bold = False  # bold at the line's start; bold now
            for word in paragraph.split(" "):
                width, was_bold = 0.0, in_bold
                for char in word:
                    if char == BOLD[0]:
                        in_bold = not in_bold
                    elif char != BOLD[1]:
                        width += widths[in_bold or bold][ord(char)]
                width *= scale
                space = widths[was_bold or bold][32] * scale if words else 0.0
                if width > room:
                    return None
                if words and used + space + width > room:
                    lines.append(_line(words, opened, was_bold))
                    words, used, opened, space = [], 0.0, was_bold, 0.0
                words.append(word)
                used += space + width
            lines.append(_line(words, opened, in_bold))
        return lines

    def pdf_bytes(self) -> bytes:
        return bytes(self.output())


def _line(words: list[str], opened: bool, open_at_end: bool) -> str:
    """A line of words, bold that began on the line before opened again, bold still open at
    its end closed (each cell starts and ends upright)."""
    return (BOLD if opened else "") + " ".join(words) + (BOLD if open_at_end else "")


def clean(text: str, glyphs: frozenset[int]) -> str:
    """``text`` as the page can set it: controls and format characters dropped (a phone's
    escape codes, bidi overrides), anything the font has no glyph for a white square, one
    square for a whole emoji (its skin tone, variation selector and joined parts included)."""
    out: list[str] = []
    joining = False  # after a zero-width joiner: the next emoji is part of this one
    for char in text:
        code = ord(char)
        if char == "\u200d":
            joining = True
            continue
        if char != "\n" and (unicodedata.category(char) in _DROPPED
                              or 0xFE00 <= code <= 0xFE0F or 0x1F3FB <= code <= 0x1F3FF):
            continue  # a control, a format character, a variation selector, a skin tone
        if char == "\n" or code in glyphs:
            out.append(char)
        elif not (joining and out and out[-1] == MISSING):
            out.append(MISSING)
        joining = False
    return "".join(out)
