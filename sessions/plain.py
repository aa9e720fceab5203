"""Text from outside made plain: it can show anything people write, and steer nothing.

A phone's contribution, a name typed on another laptop and synced here, a template someone
shared, a command-line argument: any of it may hold an escape sequence (``ESC]52;…`` writes a
terminal's clipboard, ``ESC[2J`` clears the screen), other control characters, or the bidi
controls that reverse what follows them (U+202E makes "txt.exe" read "exe.txt"). ``plain``
drops all of those, as the minutes always did, and keeps everything else as typed: accents,
emoji, right-to-left letters. Kring applies it where text comes in and once more where it
shows text, so a path missed at one end is caught at the other.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"  # what a lone surrogate shows as, as in the minutes
# C0 and C1 controls (ESC and DEL among them), the bidi embeddings, overrides and isolates:
# dropped, as the minutes drop them, so every view of a text shows the same characters.
_STEERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Lone surrogates (no UTF-8 has them; a broken paste or a crafted JSON line may).
_SURROGATES = re.compile(r"[\ud800-\udfff]")
_LINE_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")


def plain(text: str) -> str:
    """``text`` with every control neutralised: a tab becomes a space, line breaks stay (for
    text of many lines: a summary, a pasted block), every other control is dropped, a lone
    surrogate shows as U+FFFD."""
    if text.isprintable():  # nearly always: checked in C
        return text
    text = _LINE_BREAKS.sub("\n", text.replace("\t", " "))
    text = _STEERS.sub(lambda found: "\n" if found.group() == "\n" else "", text)
    return _SURROGATES.sub(REPLACEMENT, text)


def plain_line(text: str) -> str:
    """``text`` as one line (a name, a title, a table cell): line breaks become spaces too."""
    if text.isprintable():
        return text
    return plain(_LINE_BREAKS.sub(" ", text))
