"""The closing evaluation: each participant's score (1-5) and what they take with them, typed by
the note-taker ("e: 4 ... @Anouk"), kept on disk, and in the minutes, the journal and (with
consent) the research export."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from kring.sessions.documents.journal import journal_markdown
from kring.sessions.documents.minutes import render_markdown
from kring.sessions.documents.research import csv_text, research_export
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.consent import Consent
from kring.sessions.model.kinds import Capture
from kring.sessions.model.protocol import PhaseKind
from kring.sessions.store.facade import Store
from tests.support.live import live, plan

START = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def _to_evaluation(session: LiveMeeting) -> None:
    while session.step.phase.kind is not PhaseKind.EVALUATION:
        session.next_phase()


def test_an_evaluation_is_kept_with_its_score_and_goes_into_the_minutes() -> None:
    session, recorder = live(FakeClock(START))
    _to_evaluation(session)
    assert Capture.EVALUATION in session.step.phase.captures  # the built-in debrief takes them
    for line in ("e: 5 the silence before advice @Anouk", "e: 3/5 too little time @Bram",
                 "e: 4 @Chantal", "! e: 1 private, never in the minutes @Dev"):
        result = session.add_line(line)
        assert result.entry is not None, result.problems
    stored = sorted((e.author, e.score, e.text) for e in recorder.entries.values())
    assert stored == [("Anouk", 5, "the silence before advice"), ("Bram", 3, "too little time"),
                      ("Chantal", 4, ""), ("Dev", 1, "private, never in the minutes")]

    minutes = render_markdown(session.meeting, session.entries)
    section = minutes.split("## Evaluation", 1)[1].split("\n## ", 1)[0]
    assert "*Average score 4.0 of 5 (3 given)*" in section  # the private one not counted
    assert "- **Anouk**: 5/5 · the silence before advice" in section
    assert "- **Chantal**: 4/5\n" in section
    assert "private" not in minutes


def test_dutch_minutes_write_the_average_with_a_comma() -> None:
    clock = FakeClock(START)
    meeting = plan().create(clock)
    meeting.language = "nl"
    session = LiveMeeting(meeting, [], live(clock)[1].__class__(meeting), clock)
    session.start()
    session.add_line("evaluatie: 4 rust @Anouk")
    session.add_line("evaluatie: 5 structuur @Bram")
    assert "*Gemiddelde score 4,5 van 5 (2 gegeven)*" in render_markdown(session.meeting,
                                                                          session.entries)


def test_minutes_without_evaluations_have_no_such_section() -> None:
    session, _recorder = live(FakeClock(START))
    session.add_line("q: what happened first?")
    assert "## Evaluation" not in render_markdown(session.meeting, session.entries)


def test_a_line_without_a_score_is_kept_and_said() -> None:
    session, _recorder = live(FakeClock(START))
    result = session.add_line("e: it helped @Anouk")
    assert result.entry is not None and result.entry.score is None
    assert result.problems and "1 to 5" in result.problems[0]
    assert "- **Anouk**: it helped" in render_markdown(session.meeting, session.entries)


def test_the_score_survives_the_store_and_reaches_journal_and_research(tmp_path: Path) -> None:
    clock = FakeClock(START)
    store = Store(tmp_path / "data", clock)
    meeting = plan().create(clock)
    store.create_meeting(meeting)
    session = LiveMeeting(meeting, [], store, clock)
    session.start()
    _to_evaluation(session)
    session.add_line("e: 4 ask before advising @Anouk")
    session.add_line("e: 2 I missed the point @Bram")

    again = Store(tmp_path / "data", clock).load(meeting.id)
    assert sorted((e.author, e.score) for e in again.entries) == [("Anouk", 4), ("Bram", 2)]

    journal = journal_markdown(store, "CoP Inclusion")
    assert "**Anouk** (evaluation 4/5): ask before advising" in journal

    consents = {"Anouk": Consent("Anouk", granted_on=date(2026, 1, 1))}
    export = research_export("CoP Inclusion", [(again.meeting, again.entries)], consents)
    text = csv_text(export)
    header, *rows = text.splitlines()
    assert header.endswith(",score")
    assert len(rows) == 1 and rows[0].endswith(",4")  # Bram did not consent: left out
    assert "missed" not in text
