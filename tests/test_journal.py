"""The learning journal: what a community's members learned, meeting after meeting."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kring.sessions.documents.journal import journal_markdown, journal_meetings
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import Case, Entry, Meeting
from kring.sessions.model.protocol import Capture
from kring.sessions.protocols.templates import load_protocol, protocol_to_data
from kring.sessions.store.changes import AddEntry
from kring.sessions.store.facade import Store

ROOT = Path(__file__).resolve().parents[1]
PROTOCOL = protocol_to_data(load_protocol(ROOT / "templates" / "en" / "incident-short.toml"))
TEAM = "Team 4B"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "data", FakeClock(datetime(2026, 9, 1, 9, 0, tzinfo=UTC)))


def held(store: Store, meeting_id: str, day: date, title: str, community: str = TEAM,
         **changes: object) -> Meeting:
    made = Meeting(id=meeting_id, community=community, date=day, protocol=PROTOCOL,
                   created_at=datetime(day.year, day.month, day.day, 15, 0, tzinfo=UTC),
                   participants=["Anna", "Bram", "Zoë"], case=Case(title=title))
    for key, value in changes.items():
        setattr(made, key, value)
    store.create_meeting(made)
    return made


def note(store: Store, meeting: Meeting, kind: Capture, text: str, *, step: str = "evaluation",
         author: str | None = None, private: bool = False) -> None:
    count = len(store.load(meeting.id).entries)
    store.apply(meeting.id, AddEntry(Entry(
        id=f"{meeting.id}-{count}", kind=kind, text=text, step=step,
        created_at=meeting.created_at + timedelta(minutes=count), author=author,
        private=private)))


@pytest.fixture
def journal(store: Store) -> Store:
    # Held later, stored first: the journal runs by date, not by when files were made.
    later = held(store, "m2", date(2026, 11, 20), "Daan in the hallway",
                 protected_names=["Daan"])
    note(store, later, Capture.LEARNING, "Daan needs *structure*, not rules", author="Zoë")
    note(store, later, Capture.LEARNING, "I ask before I advise", author="anna")

    first = held(store, "m1", date(2026, 10, 1), "Late again")
    note(store, first, Capture.LEARNING, "Listening first helps", author="Anna")
    note(store, first, Capture.REFLECTION, "I will ask more open questions", author="Bram")
    note(store, first, Capture.REFLECTION, "Not in the evaluation", step="analysis",
         author="Bram")
    note(store, first, Capture.LEARNING, "Learned during the analysis", step="analysis",
         author="Bram")
    note(store, first, Capture.LEARNING, "Only for me", author="Anna", private=True)
    note(store, first, Capture.QUESTION, "A question, not a learning", author="Anna")
    note(store, first, Capture.ACTION, "An action, not a learning", author="Anna")

    elsewhere = held(store, "m3", date(2026, 10, 15), "Theirs", community="Bovenbouw")
    note(store, elsewhere, Capture.LEARNING, "Another community's", author="Anna")
    return store


def test_the_journal_holds_learnings_and_evaluation_reflections_over_time(
        journal: Store) -> None:
    parts = journal_meetings(journal, "team 4b")
    assert [part.meeting_id for part in parts] == ["m1", "m2"]
    assert [(e.author, e.text) for e in parts[0].entries] == [
        ("Anna", "Listening first helps"),
        ("Bram", "I will ask more open questions"),
        ("Bram", "Learned during the analysis"),
    ]
    document = journal_markdown(journal, TEAM)
    assert document == (
        "# Learning journal: Team 4B\n\n"
        "## 1 October 2026 — Late again\n\n"
        "*Incident method (short)*\n\n"
        "- **Anna**: Listening first helps\n"
        "- **Bram** (reflection): I will ask more open questions\n"
        "- **Bram**: Learned during the analysis\n\n"
        "## 20 November 2026 — Pupil A in the hallway\n\n"
        "*Incident method (short)*\n\n"
        "- **Zoë**: Pupil A needs \\*structure\\*, not rules\n"
        "- **anna**: I ask before I advise\n"
    )


def test_private_entries_and_other_kinds_never_appear(journal: Store) -> None:
    document = journal_markdown(journal, TEAM)
    for hidden in ("Only for me", "A question", "An action", "Not in the evaluation",
                   "Another community", "Daan"):
        assert hidden not in document


def test_the_journal_of_one_person(journal: Store) -> None:
    document = journal_markdown(journal, TEAM, person="ANNA")
    assert "*What ANNA learned.*" in document
    assert "Listening first helps" in document and "I ask before I advise" in document
    assert "Bram" not in document and "Zoë" not in document
    assert "Pupil A needs" not in document
    assert "Pupil A needs" in journal_markdown(journal, TEAM, person="zoe")


def test_an_empty_journal_says_so(journal: Store) -> None:
    assert "*No learnings noted yet.*" in journal_markdown(journal, "Nobody")
    assert "*No learnings noted yet.*" in journal_markdown(journal, TEAM, person="Chris")


def test_without_a_readable_protocol_only_learnings_count(store: Store) -> None:
    odd = held(store, "m1", date(2026, 10, 1), "", protocol={"id": "gone"})
    note(store, odd, Capture.LEARNING, "Still here", author="Anna")
    note(store, odd, Capture.REFLECTION, "Cannot tell the phase", author="Anna")
    document = journal_markdown(store, TEAM)
    assert "Still here" in document and "Cannot tell" not in document
    assert "## 1 October 2026 — *no case title*" in document
