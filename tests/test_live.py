"""The meeting's state machine, driven without a screen and with a clock tests control."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from kring.sessions.errors import SaveError
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import Status
from kring.sessions.model.protocol import Capture, InputMode
from kring.sessions.store.changes import Change, EditEntry, R
from kring.sessions.store.facade import Store
from tests.support.live import live, plan


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_plan_reports_what_is_missing() -> None:
    incomplete = plan(people=["Anouk"])
    incomplete.roles = {}
    problems = incomplete.problems()
    assert any("at least 3 participants" in p for p in problems)
    assert any("facilitator" in p for p in problems)
    assert any("case-bringer" in p for p in problems)
    assert plan().problems() == []


def test_timer_counts_from_timestamps_through_pause_and_extension(clock: FakeClock) -> None:
    session, _ = live(clock)
    planned = session.step.phase.seconds
    clock.advance(90)
    assert session.timer().elapsed == 90
    session.pause()
    clock.advance(600)  # a long pause, or a laptop lid closed while paused
    assert session.timer().paused and session.timer().elapsed == 90
    session.resume()
    clock.advance(10)
    assert session.timer().elapsed == 100
    session.add_minutes(2)
    assert session.timer().planned == planned + 120
    session.add_minutes(-1)
    assert session.timer().remaining == planned + 60 - 100


def test_warning_in_the_last_minute_then_overtime(clock: FakeClock) -> None:
    session, _ = live(clock)
    planned = session.step.phase.seconds
    clock.advance(planned - 59)
    assert session.timer().warning and not session.timer().overtime
    clock.advance(120)
    assert session.timer().overtime and session.timer().remaining == -61


def test_phases_advance_record_runs_and_survive_a_reload(clock: FakeClock) -> None:
    session, recorder = live(clock)
    first = session.step
    clock.advance(300)
    session.next_phase()
    assert session.step_index == 1 and first.key in session.done_steps()
    clock.advance(30)
    session.skip_phase()
    assert session.steps[1].key in session.skipped_steps()
    assert session.actual_seconds(first) == 300
    # What is stored is the same meeting: resume from it.
    resumed = LiveMeeting(recorder.meeting, list(recorder.entries.values()), recorder, clock)
    resumed.start()
    assert resumed.step_index == 2
    clock.advance(45)
    assert resumed.timer().elapsed == 45


def test_previous_phase_adds_a_second_run_to_the_same_step(clock: FakeClock) -> None:
    session, _ = live(clock)
    clock.advance(60)
    session.next_phase()
    clock.advance(20)
    session.previous_phase()
    clock.advance(30)
    assert session.step_index == 0
    assert session.timer().elapsed == 90


def test_rounds_in_turns_skip_the_silent_case_bringer_and_record_passes(
        clock: FakeClock) -> None:
    session, recorder = live(clock)
    while session.step.phase.input is not InputMode.ROUND or "Bram" in session.speaking_order():
        session.next_phase()
    turn = session.turn()
    assert turn is not None and "Bram" not in turn.order
    assert turn.current == turn.order[0] and turn.next == turn.order[1]
    session.next_turn()
    session.next_turn(passes=True)
    turn = session.turn()
    assert turn is not None
    assert turn.index == 2 and turn.passed == (turn.order[1],)
    assert recorder.meeting.runs[-1].turn == 2


def test_troika_rounds_give_every_participant_the_client_seat(clock: FakeClock) -> None:
    session, _ = live(clock, "troika", ["Anouk", "Bram", "Chantal"])
    clients = []
    while not session.is_last_step:
        session.next_phase()
        clients.append(session.case_bringer())
        if session.step.phase.speakers.value == "group":
            assert session.case_bringer() not in session.speaking_order()
    assert clients[0] == "Anouk" and clients[-1] == "Chantal" and "Bram" in clients


def test_entries_are_recorded_before_they_show_and_can_be_undone(clock: FakeClock) -> None:
    session, recorder = live(clock)
    entry = session.add_entry("Who else was there? 👀 — مرحبا", Capture.QUESTION, author="Dev")
    assert recorder.entries[entry.id].text == entry.text
    assert session.entries_of() == [entry]
    session.edit_entry(entry.id, text="Who else was in the room?")
    assert recorder.entries[entry.id].text == "Who else was in the room?"
    session.move_entry(entry.id, session.steps[3])
    assert recorder.entries[entry.id].step == session.steps[3].key
    assert session.entries_of() == []
    deleted = session.delete_entry(entry.id)
    assert deleted is not None and entry.id not in recorder.entries
    session.restore_entry(deleted)
    assert recorder.entries[entry.id].text == "Who else was in the room?"


def test_default_kind_follows_the_phase(clock: FakeClock) -> None:
    session, _ = live(clock)
    while session.step.phase.default_capture is not Capture.QUESTION:
        session.next_phase()
    assert session.add_entry("Where were you?").kind is Capture.QUESTION


def test_a_refused_save_keeps_everything_and_is_retried_in_order(clock: FakeClock) -> None:
    session, recorder = live(clock)
    recorder.refuse = "the disk is full"
    first = session.add_entry("one")
    session.next_phase()
    second = session.add_entry("two")
    assert session.unsaved == 3 and "the disk is full" in (session.last_error or "")
    assert [e.text for e in session.entries] == ["one", "two"]  # nothing typed is dropped
    assert session.step_index == 1
    recorder.refuse = None
    assert session.retry_saves()
    assert session.unsaved == 0
    assert set(recorder.entries) == {first.id, second.id}
    assert recorder.meeting.current_step == 1


def test_ending_closes_the_meeting(clock: FakeClock) -> None:
    session, recorder = live(clock)
    clock.advance(100)
    session.end()
    assert recorder.meeting.status is Status.ENDED
    assert recorder.meeting.ended_at == clock.now()
    assert session.meeting_time()[0] == 100


def test_sync_takes_in_another_windows_changes(clock: FakeClock) -> None:
    session, recorder = live(clock)
    assert not session.sync()
    other = LiveMeeting(copy.deepcopy(recorder.meeting), [], recorder, clock)
    typed_elsewhere = other.add_entry("from the second window")
    other.next_phase()
    recorder.changed_elsewhere = True
    assert session.sync()
    assert session.step_index == 1
    assert [e.id for e in session.entries] == [typed_elsewhere.id]


def test_sync_retries_refused_saves_first(clock: FakeClock) -> None:
    session, recorder = live(clock)
    recorder.refuse = "the data folder is read-only"
    session.add_entry("kept in memory")
    assert not session.sync() and session.unsaved == 1
    recorder.refuse = None
    session.sync()
    assert session.unsaved == 0 and len(recorder.entries) == 1


def test_a_file_set_aside_mid_meeting_is_written_afresh_from_memory(clock: FakeClock) -> None:
    session, recorder = live(clock)
    kept = session.add_entry("before")
    recorder.broken = True  # the store found the file unreadable and moved it aside
    typed = session.add_entry("during")
    session.next_phase()
    assert session.unsaved and [e.text for e in session.entries] == ["before", "during"]
    session.sync()
    assert not session.unsaved
    assert set(recorder.entries) == {kept.id, typed.id}
    assert recorder.meeting.current_step == 1


def test_names_to_protect_are_kept_with_the_meeting(clock: FakeClock) -> None:
    from kring.sessions.meeting.setup import split_names

    assert split_names(" Zoë,  zoë , Jan  Jansen,,") == ["Zoë", "Jan Jansen"]
    session, recorder = live(clock)
    session.protect_names(["Zoë"])
    assert recorder.meeting.protected_names == ["Zoë"]


def stored_live(store: Store, clock: FakeClock) -> LiveMeeting:
    record = store.load("m1")
    return LiveMeeting(record.meeting, record.entries, store, clock)


@pytest.fixture
def two_windows(tmp_path: Path, clock: FakeClock) -> tuple[LiveMeeting, LiveMeeting]:
    """One meeting open in two windows, each with its own store (as two processes)."""
    meeting = plan().create(clock)
    meeting.id = "m1"
    first = Store(tmp_path / "data", clock)
    first.create_meeting(meeting)
    left = stored_live(first, clock)
    left.add_entry("Was he alone?", Capture.QUESTION)
    return left, stored_live(Store(tmp_path / "data", clock), clock)


def test_two_windows_editing_different_fields_of_one_entry_keep_both(
        two_windows: tuple[LiveMeeting, LiveMeeting], clock: FakeClock) -> None:
    left, right = two_windows
    entry_id = right.entries[0].id
    left.edit_entry(entry_id, kind=Capture.FACT)
    clock.advance(1)
    # The right window has not synced: its copy still says QUESTION, and only the text changed.
    edited = right.edit_entry(entry_id, text="Was he alone in the corridor?")
    assert edited is not None and edited.kind is Capture.FACT  # it sees the other change too
    (stored,) = Store(left.recorder.layout.root).load("m1").entries  # type: ignore[attr-defined]
    assert (stored.kind, stored.text) == (Capture.FACT, "Was he alone in the corridor?")
    assert left.sync() and left.entries[0].text == "Was he alone in the corridor?"
    # The same field: the later change wins.
    left.edit_entry(entry_id, text="later")
    right.edit_entry(entry_id, text="latest")
    left.sync()
    assert left.entries[0].text == "latest"


def test_an_edit_of_an_entry_deleted_in_another_window_brings_it_back(
        two_windows: tuple[LiveMeeting, LiveMeeting]) -> None:
    left, right = two_windows
    entry_id = left.entries[0].id
    left.delete_entry(entry_id)
    right.edit_entry(entry_id, text="still wanted")
    left.sync()
    assert [e.text for e in left.entries] == ["still wanted"]


def test_an_edit_the_disk_refused_lands_once_when_it_is_back(
        two_windows: tuple[LiveMeeting, LiveMeeting], monkeypatch: pytest.MonkeyPatch) -> None:
    left, right = two_windows
    entry_id = left.entries[0].id
    real = Store.apply
    refusing = [True]

    def apply(store: Store, meeting_id: str, change: Change[R]) -> R:
        if refusing[0] and isinstance(change, EditEntry):
            raise SaveError("meeting m1", "the disk is full.")
        return real(store, meeting_id, change)

    monkeypatch.setattr(Store, "apply", apply)
    left.edit_entry(entry_id, kind=Capture.FACT)
    assert left.unsaved == 1 and left.entries[0].kind is Capture.FACT  # kept in memory
    refusing[0] = False
    right.edit_entry(entry_id, text="typed in the other window meanwhile")
    assert left.retry_saves() and left.unsaved == 0
    left.sync()
    (entry,) = left.entries
    assert (entry.kind, entry.text) == (Capture.FACT, "typed in the other window meanwhile")
