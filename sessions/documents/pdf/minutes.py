"""The whole minutes as an A4 PDF, set from their Markdown: what the room may read is decided
once, by the Markdown writer (pseudonyms, no private entries), and the page and this PDF are
both made from it, so the three never differ in what they say.

The Markdown is parsed with the HTML page's parser (``html.build_parser``, without its
shortcuts: they make HTML directly) and its blocks set one after another: headings, paragraphs,
lists (a task item with a box), and the time table as a table.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from kring.sessions.documents.html import build_parser, strip_front_matter
from kring.sessions.documents.pdf.document import BODY, BOLD, Page, clean

HEADINGS = {"h1": 17.0, "h2": 13.0, "h3": 11.0}  # pt
PT = 0.3528  # mm a point
BOX = {False: "\u2610 ", True: "\u2611 "}  # ☐ ☑
INDENT = 5.0  # mm a list level


@cache
def _parser() -> MarkdownIt:
    return build_parser(shortcuts=False)


def render_minutes_pdf(markdown: str, title: str, *, language: str, created: datetime
                       ) -> bytes:
    """The PDF of the minutes ``markdown`` (as ``minutes.render_markdown`` writes them);
    ``created``: the meeting's own moment, so that the same meeting gives the same bytes."""
    page = Page(title=title, language=language, created=created)
    _Writer(page).blocks(_parser().parse(strip_front_matter(markdown)))
    return page.pdf_bytes()


class _Writer:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.lists: list[list[int]] = []  # per open list: [next number] or [] for bullets

    def blocks(self, tokens: Sequence[Token]) -> None:
        stream = iter(tokens)
        for token in stream:
            kind = token.type
            if kind == "heading_open":
                self.heading(token.tag, next(stream))
            elif kind == "bullet_list_open":
                self.lists.append([])
            elif kind == "ordered_list_open":
                self.lists.append([int(token.attrGet("start") or 1)])
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
                if not self.lists:
                    self.page.ln(1.5)
            elif kind == "inline":
                self.paragraph(token)
            elif kind == "table_open":
                self.table(stream)

    def heading(self, tag: str, inline: Token) -> None:
        size = HEADINGS.get(tag, BODY)
        text = self.inline(inline)
        # A heading is never the last line of a page: it keeps its first line below it
        # (the page is in mm, sizes in pt).
        if self.page.will_page_break((size + BODY) * 1.35 * PT + size * 0.35 + 2.0):
            self.page.add_page()
        self.page.text_block(text, size=size, bold=True, before=size * 0.35)
        self.page.ln(1.0)

    def paragraph(self, inline: Token) -> None:
        text = self.inline(inline)
        if not self.lists:
            self.page.text_block(text, before=1.0)
            return
        current = self.lists[-1]
        if current:
            mark = f"{current[0]}. "
            current[0] += 1
        elif inline.children and inline.children[0].type == "task_checkbox":
            mark = ""  # the box is the item's mark
        else:
            mark = "\u2022 "
        indent = INDENT * (len(self.lists) - 1)
        self.page.set_font(size=BODY)
        self.page.text_block(mark + text, indent=indent, before=0.6,
                             hang=self.page.get_string_width(mark or BOX[False]))

    def table(self, stream: Iterator[Token]) -> None:
        rows: list[list[str]] = []
        aligns: list[str] = []
        for token in stream:
            if token.type == "table_close":
                break
            if token.type == "tr_open":
                rows.append([])
            elif token.type in ("th_open", "td_open") and len(rows) == 1:
                style = token.attrGet("style") or ""
                aligns.append("RIGHT" if "right" in str(style) else "LEFT")
            elif token.type == "inline":
                rows[-1].append(self.inline(token))
        page = self.page
        page.ln(2)
        page.set_font(size=BODY - 1)
        widths = (2.6, *([1.3] * (len(aligns) - 1))) if aligns else None
        with page.table(col_widths=widths, text_align=tuple(aligns) or "LEFT",
                        line_height=(BODY - 1) * 1.4 * 0.3528, first_row_as_headings=True,
                        borders_layout="HORIZONTAL_LINES", markdown=True) as table:
            for row in rows:
                table.row(row)
        page.set_font(size=BODY)
        page.ln(2)

    def inline(self, inline: Token) -> str:
        """The text of an inline token, bold runs marked for the page (italic is upright)."""
        parts: list[str] = []
        for child in inline.children or ():
            kind = child.type
            if kind == "text":
                parts.append(clean(child.content, self.page.glyphs))
            elif kind in ("softbreak",):
                parts.append(" ")
            elif kind == "hardbreak":
                parts.append("\n")
            elif kind == "task_checkbox":
                parts.append(BOX[bool(child.meta.get("checked"))])
            elif kind in ("strong_open", "strong_close"):
                parts.append(BOLD)
        return "".join(parts)
