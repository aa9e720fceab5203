"""Typed text made safe inside Markdown: whatever a person typed shows exactly as typed and can
never change the structure of the document around it.

A note starting with ``#`` stays a note, ``<script>`` shows as text, and a line break inside a
note stays inside that note as a hard line break. Every document Kring writes (the minutes, the
journal, the list of action points) passes typed text through ``inline`` or ``inline_line``;
the YAML front matter through ``yaml_string``.
"""

from __future__ import annotations

import json
import re

LINE_BREAK_MARK = " ⏎ "  # where a line break was, in places that hold one line only

# -- escaping typed text -------------------------------------------------------------------------

# Characters CommonMark (and the viewers people use: GitHub, Obsidian) may read as markup
# anywhere in a line: code spans, emphasis, links and images, autolinks and HTML, tables,
# strikethrough, math, footnotes, headings' closing hashes. Each gets a backslash, which
# CommonMark allows before any ASCII punctuation. Everything else stays as typed, so the file
# reads well as plain text: apostrophes, hyphens, full stops, colons and quotes are untouched.
_ESCAPE = re.compile(
    r"\\(?=[!-/:-@\[-`{-~]|$)"  # a backslash that would escape what follows, or end the text
    r"|[`*_\[\]<|~$#^]"
    r"|&(?=#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)"  # only what reads as an entity
    r"|(?<==)=|=(?==)|(?<=%)%|%(?=%)"  # Obsidian's ==highlight== and %%comment%%
)
_MAY_ESCAPE = re.compile(r"[\\`*_\[\]<|~$#^&=%]")  # every character _ESCAPE may match
# At the start of a line more can start a block: a list item, a quote, a setext underline.
_LINE_START = frozenset("-+=>")
# GFM viewers (GitHub, and markdownlint's MD034) make a bare web or mail address a link; a
# backslash before the ":" of "://", the "." of "www." or the "@" of an address keeps it text as
# typed, like everything else, and shows the same.
_BARE_LINK = re.compile(r":(?=//)|(?<=[wW]{3})\.|(?<=[\w.+-])@(?=[\w-]+\.[\w-])")
_ORDERED = re.compile(r"[0-9]{1,9}(?=[.)](?:[ \t]|$))")  # "1. " starts a list; "1.5" does not
# Control characters are invisible, and a viewer may act on them; line breaks are split off
# before this (str.splitlines knows every kind, \r and U+2028 included) and tabs are kept.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# A lone surrogate (possible in JSON) cannot be written as UTF-8.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Anything text_lines has to do more than strip for: line breaks of every kind, controls.
_UNUSUAL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def text_lines(text: str) -> list[str]:
    """The lines of typed text as the minutes show them: control characters dropped, each line
    stripped of surrounding whitespace (Markdown would drop it anyway), empty lines left out
    (an empty line would end the entry's paragraph)."""
    if _UNUSUAL.search(text) is None:  # the usual one plain line: skip the splitting
        line = text.strip()
        return [line] if line else []
    lines = (_CONTROL.sub("", line).strip() for line in _SURROGATE.sub("\ufffd", text).splitlines())
    return [line for line in lines if line]


def _escape_line(line: str) -> str:
    # A character-class search is far cheaper than sub() for the many lines with nothing to
    # escape.
    escaped = _ESCAPE.sub(r"\\\g<0>", line) if _MAY_ESCAPE.search(line) else line
    # Substring tests first: a third of the cost of one regex search on every line.
    if "://" in escaped or "@" in escaped or "w." in escaped or "W." in escaped:
        escaped = _BARE_LINK.sub(r"\\\g<0>", escaped)
    if escaped[:1] in _LINE_START:
        return "\\" + escaped
    ordered = _ORDERED.match(escaped)
    if ordered:
        return f"{ordered.group()}\\{escaped[ordered.end():]}"
    return escaped


def inline(text: str, *, indent: str = "") -> str:
    """Typed text as inline Markdown that shows exactly as typed and cannot change the
    document's structure. Line breaks become hard line breaks (a backslash at the end of the
    line); ``indent`` starts each continuation line, so that it stays inside its list item."""
    return ("\\\n" + indent).join(_escape_line(line) for line in text_lines(text))


def inline_line(text: str) -> str:
    """Like ``inline``, for headings and table cells, which hold a single line: line breaks
    show as ``LINE_BREAK_MARK``."""
    return LINE_BREAK_MARK.join(_escape_line(line) for line in text_lines(text))


def plain_line(text: str) -> str:
    """Typed text as one plain line (no Markdown), for titles outside the document."""
    return " ".join(text_lines(text))


# Characters YAML does not allow unescaped even in a double-quoted string (json.dumps already
# escapes C0 controls, quotes and backslashes), and the byte-order mark.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
_YAML_KEY = re.compile(r"[a-z][a-z0-9-]*")


def yaml_string(text: str) -> str:
    """A YAML double-quoted scalar holding ``text`` exactly, line breaks and all. Only escapes
    YAML and JSON share are used, so the value also reads as a JSON string."""
    quoted = json.dumps(_SURROGATE.sub("\ufffd", text), ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", quoted)


def yaml_key(key: str) -> str:
    return key if _YAML_KEY.fullmatch(key) else yaml_string(key)
