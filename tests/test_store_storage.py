"""What the logs keep on disk: text exactly as typed, one line per event whatever the text,
readable UTF-8, and no file held open between calls."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.model.protocol import Capture
from kring.sessions.store.changes import AddEntry
from kring.sessions.store.facade import Store

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
TEXTS = ["Zoë 😀", "שלום", "e\u0301", "tab\tand\nnewline", "carriage\rreturn",
         "line\u2028separator", 'quote " and \\ backslash']


def meeting() -> Meeting:
    return Meeting(id="m1", community="Team 4B", date=date(2026, 11, 25),
                   protocol={"id": "incident"}, created_at=START, participants=["Anna"])


def note(number: int, text: str) -> Entry:
    return Entry(id=f"e{number}", kind=Capture.NOTE, text=text, step="s",
                 created_at=datetime.fromtimestamp(START.timestamp() + number, UTC))


def test_text_is_kept_as_typed_one_line_per_event(tmp_path: Path) -> None:
    store = Store(tmp_path / "data", FakeClock(START))
    store.create_meeting(meeting())
    for number, text in enumerate(TEXTS):
        store.apply("m1", AddEntry(note(number, text)))
    assert [e.text for e in Store(tmp_path / "data").load("m1").entries] == TEXTS
    raw = store.layout.meeting_log(store.device, "m1").read_bytes()
    lines = raw.split(b"\n")[:-1]
    assert len(lines) == 1 + len(TEXTS)  # a newline typed never splits an event
    assert all(isinstance(json.loads(line), dict) for line in lines)
    assert "Zoë 😀" in raw.decode("utf-8")  # readable, not \\u-escaped


def test_a_lone_surrogate_is_kept_too(tmp_path: Path) -> None:
    store = Store(tmp_path / "data", FakeClock(START))
    store.create_meeting(meeting())
    store.apply("m1", AddEntry(note(1, "lone \udc80 surrogate")))
    assert [e.text for e in Store(tmp_path / "data").load("m1").entries] == [
        "lone \udc80 surrogate"]


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc")
def test_no_file_is_held_open_between_calls(tmp_path: Path) -> None:
    store = Store(tmp_path / "data", FakeClock(START))
    store.create_meeting(meeting())
    store.apply("m1", AddEntry(note(1, "x")))
    store.load("m1")
    store.list_meetings()
    store.communities()
    open_files = {os.path.realpath(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")
                  if os.path.exists(f"/proc/self/fd/{fd}")}
    assert not any(name.startswith(str(tmp_path)) for name in open_files)


def test_a_bare_file_name_is_written_in_the_current_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kring.sessions.store.files.atomic import atomic_write

    monkeypatch.chdir(tmp_path)
    atomic_write(Path("a.ics"), b"BEGIN:VCALENDAR\n", "the calendar")
    assert (tmp_path / "a.ics").read_bytes() == b"BEGIN:VCALENDAR\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.ics"]  # no temporary file left
