"""sessions/plain.py: text from outside shows as written and steers no terminal."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kring.sessions.plain import REPLACEMENT, plain, plain_line

STEERING = {"\x1b]0;title\x07": "]0;title", "\x1b]52;c;aGk=\x07": "]52;c;aGk=",
            "\x1b[2J": "[2J", "\x1b[8m": "[8m", "\x00": "", "\x9b31m": "31m", "\x7f": "",
            "\u202e": "", "\u2066": "", "\ud800": REPLACEMENT}


@pytest.mark.parametrize("code", list(STEERING))
def test_every_steering_character_is_dropped_and_the_rest_shows(code: str) -> None:
    for made in (plain(f"a{code}b"), plain_line(f"a{code}b")):
        assert made == f"a{STEERING[code]}b"


def test_what_people_write_stays_as_written() -> None:
    for text in ("Zoë's vraag", "مرحبا بالعالم", "שלום", "😀👍🏽", "`code` | *md* [b]"):
        assert plain(text) == text and plain_line(text) == text


def test_lines_stay_lines_in_text_and_become_spaces_in_a_line() -> None:
    assert plain("one\r\ntwo\rthree\u2028four\tfive") == "one\ntwo\nthree\nfour five"
    assert plain_line("one\r\ntwo\nthree") == "one two three"


@given(st.text())
def test_nothing_that_steers_survives(text: str) -> None:
    for made in (plain(text), plain_line(text)):
        assert all(char == "\n" or char.isprintable() or char in " \u2028"
                   or not _steers(char) for char in made)
        assert "\n" not in plain_line(text)


def _steers(char: str) -> bool:
    code = ord(char)
    return (code < 0x20 or 0x7f <= code <= 0x9f or 0x202a <= code <= 0x202e
            or 0x2066 <= code <= 0x2069 or 0xd800 <= code <= 0xdfff)
