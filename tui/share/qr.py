"""QR codes drawn in a terminal: two rows of modules per line of half-block characters, dark
on light whatever the theme (a phone's camera reads dark modules on a light ground).

A code is only any use whole: a camera cannot read one with a column or a line missing. So
what draws one can also say how many columns and lines it takes (``qr_size``), for the screen
to show it only where it fits; ``scale`` draws it larger where there is room (each module
``scale`` columns wide and ``scale`` half-lines high, so it stays square)."""

from __future__ import annotations

from functools import lru_cache

import segno
from rich.style import Style
from rich.text import Text

QUIET = 2  # modules of light border; the standard's 4 wastes a terminal's lines
# Not the ANSI colours: Textual draws those in its theme's tones, white as a grey (#c4c5b5),
# and a camera reads a code best at the most contrast there is.
_STYLE = Style(color="#000000", bgcolor="#ffffff")
_CHARS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


@lru_cache(maxsize=32)
def _modules(data: str) -> tuple[tuple[bool, ...], ...]:
    """The code's modules, dark as True, with the quiet zone around them. Cached: the share
    dialog measures and draws the same few URLs again on every resize."""
    code = segno.make(data, error="l", micro=False)
    rows = [tuple(bool(module) for module in row) for row in code.matrix]
    width = len(rows[0]) + 2 * QUIET
    blank = (False,) * width
    side = (False,) * QUIET
    return (blank,) * QUIET + tuple(side + row + side for row in rows) + (blank,) * QUIET


@lru_cache(maxsize=32)
def qr_lines(data: str, scale: int = 1) -> tuple[str, ...]:
    """The code for ``data`` as lines of text, dark modules drawn, light ones blank."""
    rows = [tuple(module for module in row for _ in range(scale))
            for row in _modules(data) for _ in range(scale)]
    if len(rows) % 2:
        rows.append((False,) * len(rows[0]))
    return tuple("".join(_CHARS[pair] for pair in zip(top, bottom, strict=True))
                 for top, bottom in zip(rows[::2], rows[1::2], strict=True))


def qr_size(data: str, scale: int = 1) -> tuple[int, int]:
    """The columns and lines the code for ``data`` takes, quiet zone included."""
    lines = qr_lines(data, scale)
    return len(lines[0]), len(lines)


def qr_text(data: str, scale: int = 1) -> Text:
    return Text("\n".join(qr_lines(data, scale)), style=_STYLE, no_wrap=True, overflow="crop")
