"""The facilitator's coach (issue 26), without a screen, with a fake clock: pacing from the
planned times and the time used, the balance of who spoke, and the quiet nudges the templates
ask for, on every built-in protocol in both languages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kring.sessions.coach.balance import balance, spoken
from kring.sessions.coach.nudges import NudgeKind, is_closed_question, nudges_for
from kring.sessions.coach.pacing import pacing_line, projections
from kring.sessions.coach.replan import Way, new_plan, shortfall, take_back
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


# -- taking the time back ------------------------------------------------------------------


def over_in_first_phase(tmp_path: object, minutes: int = 15) -> tuple[LiveMeeting, FakeClock]:
    """A consultancy round whose first phase (10 min planned) is ``minutes`` over, running."""
    live, clock = held(tmp_path, "consultancy", "en")
    clock.advance(live.step.phase.seconds + minutes * 60)
    return live, clock


def test_on_time_there_is_nothing_to_take_back(tmp_path: object) -> None:
    live, clock = held(tmp_path, "consultancy", "en")
    clock.advance(live.step.phase.seconds)
    timings = step_timings(live.meeting, live.steps, clock.now())
    assert (shortfall(timings), take_back(timings, Way.SHARED)) == (0, [])


@pytest.mark.parametrize("way", list(Way))
def test_taking_the_time_back_moves_the_minutes_and_keeps_the_end(tmp_path: object,
                                                                  way: Way) -> None:
    live, clock = over_in_first_phase(tmp_path)
    before = step_timings(live.meeting, live.steps, clock.now())
    _elapsed, planned_total = live.meeting_time()
    changes = take_back(before, way)
    first, *ahead = changes
    # The running phase is given what it ran over; the phases ahead give exactly that much.
    assert (first.step.key, first.after - first.before) == (live.step.key, 15 * 60)
    assert sum(c.before - c.after for c in ahead) == 15 * 60
    assert all(c.after % 60 == 0 and c.after >= 0 for c in ahead)  # whole minutes ahead
    live.replan(new_plan(live.meeting, changes))
    after = step_timings(live.meeting, live.steps, clock.now())
    assert pacing_line(after, says) == ""  # on pace again
    assert live.timer().remaining == 0  # the running phase is on time now
    assert live.meeting_time()[1] == planned_total  # the meeting ends when it was to
    if way is Way.CLOSE:  # the last phases first: debrief and reflection, then discussion
        assert [(c.step.phase.id, c.after // 60) for c in ahead] == [
            ("discuss", 10), ("reflect", 0), ("debrief", 0)]
    else:
        assert len(ahead) == len(live.steps) - 1  # every phase ahead gives its share


def test_the_new_plan_is_stored_and_the_minutes_say_what_moved(tmp_path: object) -> None:
    from kring.sessions.documents.minutes import render_markdown

    live, clock = over_in_first_phase(tmp_path, 12)
    changes = take_back(step_timings(live.meeting, live.steps, clock.now()), Way.CLOSE)
    live.replan(new_plan(live.meeting, changes))
    stored = Store(tmp_path).load(live.meeting.id).meeting  # type: ignore[arg-type]
    assert stored.plan == {c.step.key: c.after for c in changes}
    minutes = render_markdown(live.meeting, live.entries, now=clock.now())
    assert "10 min (+12 min during the meeting)" in minutes
    assert "5 min (−5 min during the meeting)" in minutes  # the debrief, now nothing


def test_a_plan_from_a_hand_edited_file_never_runs_below_nothing() -> None:
    from kring.sessions.model.meeting import Meeting

    meeting = planned(protocol("consultancy", "en")).create(FakeClock())
    data = meeting.to_dict() | {"plan": {"a": -600, "b": "10", "c": 300, "d": True}}
    assert Meeting.from_dict(data).plan == {"c": 300}


def test_who_was_heard_counts_turns_had_and_entries(tmp_path: object) -> None:
    from kring.sessions.coach.lines import coach_lines

    live, clock = held(tmp_path, "consultancy", "en")  # Bram brings the case
    clock.advance(live.step.phase.seconds)
    live.next_phase()  # clarifying questions: the group, in turns
    assert live.step.phase.id == "clarify"
    assert coach_lines(live, clock.now(), says) == []  # nobody heard yet: nothing said
    live.next_turn()  # Anouk had the floor, now Chantal
    live.next_turn(passes=True)  # Chantal passes: Dev
    live.add_line("q: What did you try first? @dev")
    live.add_line("q: And then? @dev")
    assert not any(text.startswith("👥 Heard") for text in coach_lines(live, clock.now(), says))
    clock.advance(live.step.phase.seconds // 2)  # said from halfway, as the unheard are
    line = next(text for text in coach_lines(live, clock.now(), says)
                if text.startswith("👥 Heard"))
    # Anouk: a turn; Chantal: a turn she passed; Dev: two questions on his one turn.
    assert line == "👥 Heard (this phase/meeting): Anouk 1/1 · Bram 0/0 · Chantal 0/0 · Dev 2/2"


def test_what_the_coach_keeps_from_the_entries_is_worked_out_again_when_they_change(
        tmp_path: object) -> None:
    from kring.sessions.coach.lines import Seen, coach_lines

    live, clock = held(tmp_path, "consultancy", "en")
    clock.advance(live.step.phase.seconds)
    live.next_phase()  # clarifying questions, from halfway
    clock.advance(live.step.phase.seconds // 2)
    seen = Seen()

    def heard_line() -> str:
        return next((text for text in coach_lines(live, clock.now(), says, seen)
                     if text.startswith("👥 Heard")), "")

    assert heard_line() == ""
    entry = live.add_line("q: What did you try first? @dev").entry
    assert entry is not None
    assert "Dev 1/1" in heard_line()
    live.edit_entry(entry.id, author="Anouk")  # the same number of entries, another author
    assert "Anouk 1/1" in heard_line() and "Dev 0/0" in heard_line()
    live.delete_entry(entry.id)
    assert heard_line() == ""
