"""sessions/plain.py: text from outside shows as written and steers no terminal."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kring.sessions.plain import REPLACEMENT, plain, plain_line
from kring.sessions.store.changes import AddEntry

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


def test_a_live_meeting_keeps_what_is_typed_or_pasted_plain(tmp_path: object) -> None:
    from datetime import UTC, datetime
    from pathlib import Path

    from kring.sessions.meeting.live import LiveMeeting
    from kring.sessions.model.clock import FakeClock
    from kring.sessions.model.meeting import Meeting
    from kring.sessions.protocols.templates import load_protocol, protocol_to_data
    from kring.sessions.store.facade import Store
    from kring.templates import BUILTIN_DIR

    assert isinstance(tmp_path, Path)
    clock = FakeClock(datetime(2026, 6, 1, 9, tzinfo=UTC))
    store = Store(tmp_path / "data", clock, state=tmp_path / "state")
    protocol = protocol_to_data(load_protocol(BUILTIN_DIR / "en" / "incident.toml"))
    meeting = Meeting(id="m1", community="C", date=clock.now().date(), protocol=protocol,
                      created_at=clock.now(), participants=["Anouk", "Bram"])
    store.create_meeting(meeting)
    live = LiveMeeting(meeting, [], store, clock)
    typed = live.add_line("q: what \x1b]52;c;aGk=\x07happened\u202e?").entry
    added = live.add_entry("from a phone \x1b[2J")
    assert typed is not None and typed.text == "what ]52;c;aGk=happened?"
    assert added.text == "from a phone [2J"
    edited = live.edit_entry(added.id, text="edited \x1b]0;x\x07")
    assert edited is not None and edited.text == "edited ]0;x"
    assert [e.text for e in store.load("m1").entries] == [typed.text, "edited ]0;x"]


def test_a_log_another_laptop_wrote_reads_plain(tmp_path: object) -> None:
    """Another laptop (an older Kring, or a hand) wrote escape codes into its log: they are
    kept there as written, and every reading of them here is plain."""
    from datetime import UTC, datetime
    from pathlib import Path

    from kring.sessions.model.clock import FakeClock
    from kring.sessions.model.kinds import Capture
    from kring.sessions.model.meeting import Entry, Meeting
    from kring.sessions.protocols.templates import load_protocol, protocol_to_data
    from kring.sessions.store.facade import Store
    from kring.templates import BUILTIN_DIR

    assert isinstance(tmp_path, Path)
    clock = FakeClock(datetime(2026, 6, 1, 9, tzinfo=UTC))
    elsewhere = Store(tmp_path / "data", clock, state=tmp_path / "elsewhere")
    protocol = protocol_to_data(load_protocol(BUILTIN_DIR / "en" / "incident.toml"))
    hostile = "\x1b]0;owned\x07\x1b]52;c;aGk=\x07\u202e\x9b2J"
    meeting = Meeting(id="m1", community="C", date=clock.now().date(), protocol=protocol,
                      created_at=clock.now(), participants=[f"Anouk{hostile}", "Bram"])
    elsewhere.create_meeting(meeting)
    elsewhere.apply("m1", AddEntry(Entry(id="e1", step="s1", kind=Capture.QUESTION,
                                         text=f"line one{hostile}\nline two",
                                         created_at=clock.now())))
    raw = b"".join(p.read_bytes() for p in (tmp_path / "data").rglob("*.jsonl"))
    assert b"\\u001b]0;owned" in raw  # the other laptop's log holds it as written
    here = Store(tmp_path / "data", clock, state=tmp_path / "here").load("m1")
    texts = [*here.meeting.participants, *(entry.text for entry in here.entries)]
    assert texts == ["Anouk]0;owned]52;c;aGk=2J", "Bram",
                     "line one]0;owned]52;c;aGk=2J\nline two"]
