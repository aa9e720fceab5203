"""The note-taker's and facilitator's flow in the domain, without a screen (issue 12): a
captured line and who said it, rounds kept across phase moves, and amending an ended meeting."""

from __future__ import annotations

import json
from datetime import timedelta

from kring.sessions.meeting.live import CaptureResult, LiveMeeting
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import Meeting
from kring.sessions.model.protocol import Capture, InputMode, Speakers
from tests.support.live import live


def to_round_without_the_bringer(session: LiveMeeting) -> None:
    while session.step.phase.input is not InputMode.ROUND or "Bram" in session.speaking_order():
        session.next_phase()


# -- add_line ----------------------------------------------------------------------------------

def test_a_line_in_a_round_is_attributed_to_the_speaker_whose_turn_it_is(
        clock: FakeClock) -> None:
    session, recorder = live(clock)
    to_round_without_the_bringer(session)
    turn = session.turn()
    assert turn is not None
    first = turn.current
    result = session.add_line("Did the pupil say why?")
    assert isinstance(result, CaptureResult) and result.problems == []
    assert result.entry is not None and result.entry.author == first
    assert recorder.entries[result.entry.id].author == first  # on disk, not only in memory
    session.next_turn()
    second = session.add_line("p: wait a week").entry
    assert second is not None and second.author == turn.next and second.kind is Capture.POSITION


def test_an_at_name_beats_the_turn_and_an_action_keeps_owner_and_speaker(
        clock: FakeClock) -> None:
    session, _ = live(clock)
    to_round_without_the_bringer(session)
    speaker = session.speaker()
    named = session.add_line("q: and the parents? @dev").entry
    assert named is not None and named.author == "Dev"
    action = session.add_line("a: call the parents @chantal 2026-12-01").entry
    assert action is not None and action.owner == "Chantal" and action.author == speaker


def test_where_only_the_case_bringer_speaks_a_line_is_theirs(clock: FakeClock) -> None:
    session, _ = live(clock)
    while session.step.phase.speakers is not Speakers.CASE_BRINGER:
        session.next_phase()
    entry = session.add_line("It was the last lesson on Friday").entry
    assert entry is not None and entry.author == "Bram"


def test_in_a_discussion_nobody_is_assumed(clock: FakeClock) -> None:
    session, _ = live(clock)
    while session.step.phase.input is not InputMode.DISCUSSION:
        session.next_phase()
    entry = session.add_line("r: it is about trust").entry
    assert entry is not None and entry.author is None and entry.kind is Capture.REFLECTION


def test_the_phase_kind_roster_and_today_come_from_the_meeting(clock: FakeClock) -> None:
    session, _ = live(clock)
    while session.step.phase.default_capture is not Capture.QUESTION:
        session.next_phase()
    assert session.add_line("why then?").entry.kind is Capture.QUESTION  # type: ignore[union-attr]
    today = clock.now().astimezone().date()
    action = session.add_line("a: mail the mentor @bram tomorrow").entry
    assert action is not None and action.due == today + timedelta(days=1)


def test_an_empty_line_adds_nothing_and_says_why_in_the_language_asked(
        clock: FakeClock) -> None:
    session, recorder = live(clock)
    result = session.add_line("q:   ")
    assert result.entry is None and "Nothing to save" in result.problems[0]
    dutch = session.add_line("q: ", language="nl")
    assert dutch.entry is None and len(dutch.problems) == 1
    assert recorder.entries == {}


def test_problems_come_with_the_entry_and_the_text_stays_whole(clock: FakeClock) -> None:
    session, _ = live(clock)
    result = session.add_line("q: and @zed? ")
    assert result.entry is not None and result.entry.text == "and @zed?"
    assert any("zed" in problem for problem in result.problems)


# -- turns -------------------------------------------------------------------------------------

def test_going_back_and_forward_keeps_the_round(clock: FakeClock) -> None:
    session, _ = live(clock)
    to_round_without_the_bringer(session)
    session.next_turn()
    session.next_turn(passes=True)
    before = session.turn()
    assert before is not None and before.index == 2 and len(before.passed) == 1
    session.previous_phase()
    session.next_phase()
    after = session.turn()
    assert after is not None and (after.index, after.passed) == (before.index, before.passed)
    session.next_phase()  # and a phase not seen before starts at its first speaker
    session.previous_phase()
    again = session.turn()
    assert again is not None and again.index == 2


def test_a_pass_counts_for_its_round_only(clock: FakeClock) -> None:
    session, _ = live(clock)
    to_round_without_the_bringer(session)
    turn = session.turn()
    assert turn is not None
    first = turn.current
    session.next_turn(passes=True)
    assert session.turn().passed == (first,)  # type: ignore[union-attr]
    for _ in range(len(turn.order) - 1):
        session.next_turn()
    now = session.turn()
    assert now is not None and now.current == first and now.round == 2
    assert first not in now.passed  # their turn again: no longer marked as passed


# -- amending an ended meeting -----------------------------------------------------------------

def test_an_ended_meeting_is_read_only_until_amended(clock: FakeClock) -> None:
    session, recorder = live(clock)
    session.add_line("n: during")
    session.end()
    assert not session.editable
    refused = session.add_line("n: afterwards")
    assert refused.entry is None and "ended" in refused.problems[0]
    clock.advance(3600)
    session.amend()
    assert session.editable and session.ended  # still ended: the minutes stay the minutes
    assert recorder.meeting.amended_at == [clock.now()]
    assert session.add_line("n: afterwards").entry is not None
    session.finish_amendment()
    assert not session.editable


def test_amended_at_round_trips_and_old_files_have_none(clock: FakeClock) -> None:
    session, _ = live(clock)
    session.end()
    session.amend()
    data = json.loads(json.dumps(session.meeting.to_dict()))
    assert Meeting.from_dict(data).amended_at == session.meeting.amended_at
    del data["amended_at"]
    assert Meeting.from_dict(data).amended_at == []


def test_a_meeting_in_progress_is_not_amended(clock: FakeClock) -> None:
    session, _ = live(clock)
    session.amend()
    assert session.meeting.amended_at == [] and not session.amending


# -- the capture hint --------------------------------------------------------------------------

def test_every_kind_invites_in_a_phrase_of_its_own() -> None:
    from kring.sessions.model.kinds import KINDS
    from kring.sessions.model.labels import capture_hint

    hints = {row.capture: capture_hint(row.capture) for row in KINDS}
    assert all(hint.startswith("Type ") for hint in hints.values())
    assert len(set(hints.values())) == len(hints)
    assert hints[Capture.POSITION] == "Type advice"
    assert hints[Capture.ACTION] == "Type an action point"
    # No "a" before a vowel: the sentence the note-taker read was "Type a advice".
    assert not any(hint.split()[1:2] == ["a"] and hint.split()[2][0] in "aeiou"
                   for hint in hints.values())


def test_a_phase_without_a_floor_to_pass_on_says_why(clock: FakeClock) -> None:
    from kring.sessions.meeting.turns import has_turns, why_no_turns

    session, _ = live(clock)
    reasons = {}
    while True:
        if not has_turns(session.turn()):
            reasons[session.step.phase.speakers] = why_no_turns(session.step,
                                                                session.case_bringer())
        if session.is_last_step:
            break
        session.next_phase()
    assert reasons[Speakers.CASE_BRINGER] == \
        "Only Bram speaks in this phase: there is no next speaker."
    assert "silence" in reasons[Speakers.NOBODY]
    assert all(reason.endswith(".") for reason in reasons.values())
