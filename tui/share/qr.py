"""QR codes drawn in a terminal: two rows of modules per line of half-block characters, dark
on light whatever the theme (a phone's camera reads dark modules on a light ground)."""

from __future__ import annotations

import segno
from rich.style import Style
from rich.text import Text

QUIET = 2  # modules of light border; the standard's 4 wastes a terminal's lines
_STYLE = Style(color="black", bgcolor="white")
_CHARS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def qr_lines(data: str) -> list[str]:
    """The code for ``data`` as lines of text, dark modules drawn, light ones blank."""
    code = segno.make(data, error="l", micro=False)
    rows = [[bool(module) for module in row] for row in code.matrix]
    width = len(rows[0]) + 2 * QUIET
    blank = [False] * width
    padded = [blank] * QUIET + [[False] * QUIET + row + [False] * QUIET for row in rows]
    padded += [blank] * QUIET
    if len(padded) % 2:
        padded.append(blank)
    return ["".join(_CHARS[(top[x], bottom[x])] for x in range(width))
            for top, bottom in zip(padded[::2], padded[1::2], strict=True)]


def qr_text(data: str) -> Text:
    return Text("\n".join(qr_lines(data)), style=_STYLE, no_wrap=True, overflow="crop")
