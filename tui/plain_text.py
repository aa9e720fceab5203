"""The last guard between text from outside and the terminal: what Kring shows of it is built
here, made plain on the way (``sessions/plain.py``).

Textual keeps an escape character in what it draws: Content and Rich Text drop only BEL, BS,
VT, FF and CR, so ``ESC]52;…`` in a name synced from another laptop, or in a phone's
contribution, would reach the terminal as a command (a window title, the clipboard, a cleared
screen). Text is made plain where it comes in as well; this is what catches a path missed
there. One helper per kind of thing a widget shows:

- ``plain_text``: a Rich Text (rows of an OptionList, a Static, a Label, a dialog's message),
  each part made plain before it is styled, so no markup is read in it either;
- ``made_plain``: a Rich Text built elsewhere, made plain with its styles kept;
- ``plain_content``: one line of Textual Content (the home list's rows);
- ``PlainNotify``: toasts of a screen, whose messages quote names and titles.

Text that is already plain (nearly all of it) costs one ``str.isprintable`` per part.
"""

from __future__ import annotations

from typing import Any

from rich.style import Style
from rich.text import Span, Text
from textual.content import Content
from textual.notifications import SeverityLevel

from kring.sessions.plain import plain, plain_line

Part = str | tuple[str, str | Style]  # text, or text and its style


def plain_text(*parts: Part, one_line: bool = False, style: str | Style = "",
               **options: Any) -> Text:
    """A Rich Text of ``parts``, each made plain: ``one_line`` for a name, a title, a row
    (line breaks become spaces); otherwise line breaks stay. ``options`` go to Text."""
    clean = plain_line if one_line else plain
    text = Text(style=style, **options)
    for part in parts:
        if isinstance(part, str):
            text.append(clean(part))
        else:
            text.append(clean(part[0]), style=part[1])
    return text


def made_plain(text: Text) -> Text:
    """A Rich Text built elsewhere (from a template, say), made plain, its styles kept: cut
    where its styles start and end, so each piece is made plain under the styles it had."""
    if plain(text.plain) == text.plain:
        return text
    cuts = sorted({offset for span in text.spans for offset in (span.start, span.end)})
    made = text.blank_copy()
    for piece in text.divide(cuts):
        clean = plain(piece.plain)
        made.append_text(Text(clean, spans=[Span(0, len(clean), span.style)
                                            for span in piece.spans]))
    return made


def plain_content(*parts: str | tuple[str, str]) -> Content:
    """One line of Content made of ``parts``, each made plain."""
    return Content.assemble(*[plain_line(part) if isinstance(part, str)
                              else (plain_line(part[0]), part[1]) for part in parts])


class PlainNotify:
    """Mixed into a screen (before Textual's classes): its toasts are made plain. A toast's
    message is read as markup too, so what it quotes is escaped unless the caller says not."""

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        super().notify(plain(message), title=plain_line(title),  # type: ignore[misc]
                       severity=severity, timeout=timeout, markup=markup)
