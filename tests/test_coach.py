"""The facilitator's coach (issue 26), without a screen, with a fake clock: pacing from the
planned times and the time used, the balance of who spoke, and the quiet nudges the templates
ask for, on every built-in protocol in both languages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kring.sessions.coach.balance import balance, spoken
from kring.sessions.coach.nudges import NudgeKind, is_closed_question, nudges_for
from kring.sessions.coach.pacing import pacing_line, projections
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.meeting.timing import step_timings
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.kinds import Capture
from kring.sessions.model.meeting import Entry
from kring.sessions.model.protocol import CaseBringer, Protocol, Role
from kring.sessions.store.facade import Store
from tests.support.catalog import CATALOG

PEOPLE = ["Anouk", "Bram", "Chantal", "Dev"]
PROTOCOLS = [(entry.protocol.id, language) for language in ("en", "nl")
             for entry in CATALOG.entries if entry.protocol.language == language]


def protocol(protocol_id: str, language: str) -> Protocol:
    found = CATALOG.find(protocol_id, language)
    assert found is not None
    return found.protocol


def planned(found: Protocol) -> MeetingPlan:
    """A plan every protocol accepts: as many people as it allows, every role filled."""
    plan = MeetingPlan(found, community="CoP",
                       participants=PEOPLE[:found.max_participants or len(PEOPLE)])
    plan.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: "Bram",
                  Role.NOTE_TAKER: "Chantal"}
    return plan


def held(tmp_path: object, protocol_id: str, language: str) -> tuple[LiveMeeting, FakeClock]:
    clock = FakeClock(datetime(2026, 12, 7, 15, 0, tzinfo=UTC))
    meeting = planned(protocol(protocol_id, language)).create(clock)
    store = Store(tmp_path)  # type: ignore[arg-type]
    store.create_meeting(meeting)
    live = LiveMeeting(meeting, [], store, clock)
    live.start()
    return live, clock


def says(text: str) -> str:
    return text  # the sentences as written: the interface's own language is English here


@pytest.mark.parametrize(("protocol_id", "language"), PROTOCOLS)
def test_on_time_says_nothing_and_a_first_phase_run_over_shortens_the_rest(
        tmp_path: object, protocol_id: str, language: str) -> None:
    live, clock = held(tmp_path, protocol_id, language)
    first = live.step.phase.seconds
    clock.advance(first)
    assert pacing_line(step_timings(live.meeting, live.steps, clock.now()), says) == ""
    clock.advance(15 * 60)  # a quarter of an hour over
    live.next_phase()
    timings = step_timings(live.meeting, live.steps, clock.now())
    ahead = projections(timings)
    # What is left of the planned end is shared over the phases not reached yet...
    current = live.step.phase.seconds
    planned_total = sum(t.planned for t in timings)
    left = planned_total - (first + 15 * 60) - current
    assert abs(sum(p.projected for p in ahead) - max(0, left)) <= len(ahead)
    # ... each in proportion to its plan, so every one of them gets less.
    assert all(p.projected < p.planned for p in ahead)
    line = pacing_line(timings, says)
    worst = max(ahead, key=lambda p: p.short)
    assert line.startswith("At this pace") and worst.timing.step.phase.title in line
    assert f"(planned {round(worst.planned / 60)})" in line


def test_time_added_during_the_meeting_counts_as_planned(tmp_path: object) -> None:
    live, clock = held(tmp_path, "consultancy", "en")
    live.add_minutes(10)
    clock.advance(live.step.phase.seconds + 10 * 60)
    live.next_phase()
    assert pacing_line(step_timings(live.meeting, live.steps, clock.now()), says) == ""


@pytest.mark.parametrize(("protocol_id", "language"), PROTOCOLS)
def test_what_is_out_of_place_is_nudged_and_what_is_expected_is_not(
        protocol_id: str, language: str) -> None:
    checked = 0
    for phase in protocol(protocol_id, language).phases():
        for kind in phase.out_of_place:
            meeting = planned(protocol(protocol_id, language)).create(FakeClock())
            odd = Entry("e1", kind, "We should call the parents", "s", FakeClock().now(),
                        author="Chantal")
            fine = Entry("e2", phase.expects[0], "Wat gebeurde er daarna?", "s",
                         FakeClock().now(), author="Chantal")
            assert [n.kind for n in nudges_for(odd, phase, meeting, says)] == [
                NudgeKind.OUT_OF_PLACE]
            assert nudges_for(fine, phase, meeting, says) == []
            checked += 1
    if protocol_id in {"consultancy", "incident", "troika", "tuning", "balint"}:
        assert checked, "its questioning phase says what is out of place"


@pytest.mark.parametrize(("text", "closed"), [
    ("Heb je al met de ouders gesproken?", True),
    ("Is het elke les zo?", True),
    ("Kun je een voorbeeld geven?", True),
    ("Wat heb je al geprobeerd?", False),
    ("Hoe reageerde hij?", False),
    ("Did you call the parents?", True),
    ("Is there a pattern?", True),
    ("What did you try first?", False),
    ("How did the class react?", False),
    ("Isabel zei dat het beter ging?", False),  # a name, not "is"
])
def test_closed_questions_are_told_from_open_ones_in_both_languages(
        text: str, closed: bool) -> None:
    assert is_closed_question(text) is closed


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_consultancy_probe_asks_open_questions_and_the_case_bringer_listens_later(
        language: str) -> None:
    found = protocol("consultancy", language)
    probe = next(p for p in found.phases() if p.id == "probe")
    discuss = next(p for p in found.phases() if p.id == "discuss")
    assert probe.open_questions and discuss.case_bringer is CaseBringer.LISTENS
    meeting = planned(found).create(FakeClock())
    now = FakeClock().now()
    closed = Entry("e1", Capture.QUESTION, "Heb je het de mentor gevraagd?", "s", now)
    open_ = Entry("e2", Capture.QUESTION, "Wat zou er gebeuren als je niets deed?", "s", now)
    assert [n.kind for n in nudges_for(closed, probe, meeting, says)] == [
        NudgeKind.CLOSED_QUESTION]
    assert nudges_for(open_, probe, meeting, says) == []
    spoken = Entry("e3", Capture.POSITION, "Maar ik heb dat al gedaan", "s", now,
                   author="bram")
    assert [n.kind for n in nudges_for(spoken, discuss, meeting, says)] == [
        NudgeKind.CASE_BRINGER_SPEAKS]
    other = Entry("e4", Capture.POSITION, "Ik zou het anders doen", "s", now, author="Dev")
    assert nudges_for(other, discuss, meeting, says) == []


def test_balance_counts_who_spoke_and_names_who_has_not_asked_yet(tmp_path: object) -> None:
    live, _clock = held(tmp_path, "incident", "en")
    questions = next(step for step in live.steps if step.phase.id == "questions")
    while live.step.key != questions.key:
        live.next_phase()
    live.add_entry("What happened just before?", Capture.QUESTION, author="Chantal")
    live.add_entry("Where were you standing?", Capture.QUESTION, author="chantal")
    live.add_entry("It was after the test", Capture.FACT, author="Dev")
    found = balance(live.meeting, live.entries, live.step.key, live.step.phase)
    assert found.in_phase == {"Anouk": 0, "Bram": 0, "Chantal": 2, "Dev": 1}
    assert spoken(live.meeting, live.entries) == found.in_phase  # all in this phase so far
    # A fact is no question; the case-bringer answers and is not asked to ask.
    assert found.missing == ("Anouk", "Dev")
    live.add_entry("Who else was there?", Capture.QUESTION, author="Dev")
    live.add_entry("And the week before?", Capture.QUESTION, author="Anouk")
    assert balance(live.meeting, live.entries, live.step.key, live.step.phase).missing == ()
