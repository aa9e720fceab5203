"""Changes to a meeting are data (sessions/store/changes.py, sessions/meeting/changes.py): every
kind a live meeting makes waits in its queue while the disk refuses, can be read there, and
lands in order, on the meeting as stored then, when the disk is back; one ``Store.apply``
makes them all, and putting an entry has one way to the disk."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest

from kring.sessions.errors import SaveError
from kring.sessions.meeting import changes as meeting_changes
from kring.sessions.meeting.changes import (
    AddTime,
    AddVoteResult,
    AmendMeeting,
    EndMeeting,
    GoToPhase,
    NextTurn,
    PausePhase,
    ProtectNames,
    ResumePhase,
    SetDetails,
    StartPhase,
    TakeInCopy,
)
from kring.sessions.meeting.live import LiveMeeting
from kring.sessions.meeting.pending import PendingWrites
from kring.sessions.meeting.setup import MeetingPlan
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.kinds import Capture
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.model.protocol import Role
from kring.sessions.model.votes import VoteResult
from kring.sessions.protocols.templates import load_protocol
from kring.sessions.store import changes as store_changes
from kring.sessions.store import meetings
from kring.sessions.store.changes import AddEntry, Change, DeleteEntry, EditEntry, MeetingChange
from kring.sessions.store.facade import Store
from kring.templates import BUILTIN_DIR

R = TypeVar("R")
START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
PEOPLE = ["Anouk", "Bram", "Chantal", "Dev"]


class RefusingStore(Store):
    """A store whose disk can be made to refuse every change; keeps what it applied."""

    refusing = False

    def __init__(self, root: Path, clock: FakeClock) -> None:
        super().__init__(root, clock, state=root.parent / "state")
        self.applied: list[Change[Any]] = []

    def apply(self, meeting_id: str, change: Change[R]) -> R:
        if self.refusing:
            raise SaveError(f"meeting {meeting_id}", "the disk is full.")
        result = super().apply(meeting_id, change)
        self.applied.append(change)
        return result


def new_meeting(clock: FakeClock) -> Meeting:
    protocol = load_protocol(BUILTIN_DIR / "en" / "incident.toml")
    plan = MeetingPlan(protocol, community="CoP Inclusion", date=date(2026, 11, 25),
                       participants=list(PEOPLE))
    plan.roles = {Role.FACILITATOR: "Anouk", Role.CASE_BRINGER: "Bram"}
    meeting = plan.create(clock)
    meeting.id = "m1"
    return meeting


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def store(tmp_path: Path, clock: FakeClock) -> RefusingStore:
    made = RefusingStore(tmp_path / "data", clock)
    made.create_meeting(new_meeting(clock))
    return made


def window(store: Store, clock: FakeClock) -> LiveMeeting:
    record = store.load("m1")
    return LiveMeeting(record.meeting, record.entries, store, clock)


def every_kind(live: LiveMeeting, clock: FakeClock) -> None:
    """One of each change a live meeting makes, a second apart."""
    steps: list[Any] = [
        lambda: live.add_line("q: Was he alone? @Chantal"),
        lambda: live.next_turn(passes=True),
        lambda: live.pause(),
        lambda: live.resume(),
        lambda: live.add_minutes(2),
        lambda: live.edit_entry(live.entries[-1].id, text="Was he alone then?"),
        lambda: live.next_phase(),
        lambda: live.move_entry(live.entries[-1].id, live.step),
        lambda: live.add_line("f: The door was open"),
        lambda: live.delete_entry(live.entries[-1].id),
        lambda: live.skip_phase(),
        lambda: live.update_details(goal="A plan for Monday", title="The corridor"),
        lambda: live.protect_names(["Zoë"]),
        lambda: live.end(),
        lambda: live.amend(),
    ]
    for step in steps:
        step()
        clock.advance(1)


def test_every_kind_of_change_waits_while_the_disk_refuses_and_lands_in_order(
        store: RefusingStore, clock: FakeClock) -> None:
    live = window(store, clock)
    live.start()
    store.applied.clear()
    store.refusing = True
    every_kind(live, clock)
    deleted = live.delete_entry(live.entries[0].id)  # and undone: the same entry put back
    assert deleted is not None
    live.restore_entry(deleted)

    waiting = live.waiting
    assert [type(change) for change in waiting] == [
        AddEntry, NextTurn, PausePhase, ResumePhase, AddTime, EditEntry, GoToPhase, EditEntry,
        AddEntry, DeleteEntry, GoToPhase, SetDetails, ProtectNames, EndMeeting, AmendMeeting,
        DeleteEntry, AddEntry]
    assert live.unsaved == len(waiting) and live.last_error is not None
    memory = live.meeting.to_dict(), [entry.to_dict() for entry in live.entries]

    store.refusing = False
    assert live.retry_saves() and live.unsaved == 0 and live.waiting == ()
    assert store.applied == list(waiting)  # each once, in the order made
    record = store.load("m1")
    assert (record.meeting.to_dict(), [entry.to_dict() for entry in record.entries]) == memory
    assert record.meeting.protected_names == ["Zoë"] and record.meeting.goal == "A plan for Monday"
    assert len(record.meeting.amended_at) == 1


def test_what_waits_can_be_read_and_never_shows_what_was_typed(
        store: RefusingStore, clock: FakeClock) -> None:
    live = window(store, clock)
    live.start()
    store.refusing = True
    live.add_line("q: Was Zoë alone?")
    live.protect_names(["Zoë"])
    live.update_details(summary="Zoë stopped asking")
    added, protected, details = live.waiting
    assert isinstance(added, AddEntry)
    said = [str(change) for change in live.waiting]
    assert said == [f"add entry {added.entry.id} (question) in step choose",
                    "protect 1 names", "set summary"]
    assert not any("Zoë" in text for text in said)
    assert protected == ProtectNames(("Zoë",))  # data: compared, printed, never called
    assert details == SetDetails((("summary", "Zoë stopped asking"),))
    for change in live.waiting:
        assert dataclasses.is_dataclass(change) and not callable(change)
        with pytest.raises(dataclasses.FrozenInstanceError):
            change.__setattr__("at", START)


def test_a_header_change_retried_keeps_what_another_window_changed_meanwhile(
        store: RefusingStore, clock: FakeClock) -> None:
    left = window(store, clock)
    left.start()
    store.refusing = True
    left.protect_names(["Zoë"])
    left.add_minutes(3)
    store.refusing = False
    other = window(Store(store.layout.root, clock, state=store.layout.root.parent / "s2"), clock)
    other.update_details(goal="Set in the other window")
    assert left.retry_saves()
    stored = store.load("m1").meeting
    assert stored.goal == "Set in the other window"  # kept: applied to the meeting as stored
    assert stored.protected_names == ["Zoë"] and stored.runs[-1].extra_seconds == 180


def test_an_edit_of_an_entry_deleted_meanwhile_brings_it_back_whole(
        store: RefusingStore, clock: FakeClock) -> None:
    left = window(store, clock)
    left.start()
    entry = left.add_entry("Was he alone?", Capture.QUESTION)
    store.apply("m1", DeleteEntry(entry.id))  # another window
    edited = left.edit_entry(entry.id, kind=Capture.FACT)
    assert edited is not None
    (stored,) = store.load("m1").entries
    assert (stored.id, stored.kind, stored.text) == (entry.id, Capture.FACT, "Was he alone?")
    # Without an entry to restore, an edit of what is gone writes nothing.
    store.apply("m1", DeleteEntry(entry.id))
    assert store.apply("m1", EditEntry(entry.id, {"text": "x"})) is None
    assert store.load("m1").entries == []


def test_every_way_an_entry_is_put_goes_through_the_one_writer(
        store: RefusingStore, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    put: list[str] = []
    real = meetings._put

    def spy(state: Any, entry: Entry, write: Any) -> None:
        put.append(entry.id)
        real(state, entry, write)

    monkeypatch.setattr(meetings, "_put", spy)
    live = window(store, clock)
    live.start()
    typed = live.add_line("q: Was he alone?").entry
    assert typed is not None
    gone = live.delete_entry(typed.id)
    assert gone is not None
    live.restore_entry(gone)  # undo
    store.apply("m1", DeleteEntry(typed.id))  # deleted in another window, then edited here
    live.edit_entry(typed.id, text="Was he alone then?")
    by_hand = Entry(id="e9", kind=Capture.FACT, text="a fact", step="choose", created_at=START)
    store.apply("m1", AddEntry(by_hand))  # straight to the store, as another window would
    store.apply("m1", AddEntry(by_hand))
    assert put == [typed.id, typed.id, typed.id, "e9", "e9"]
    assert [type(change) for change in store.applied] == [
        StartPhase, AddEntry, DeleteEntry, AddEntry, DeleteEntry, EditEntry, AddEntry, AddEntry]
    # The store has no second way to write an entry, nor its meetings.
    for name in ("add_entry", "edit_entry", "delete_entry"):
        assert not hasattr(meetings.Meetings, name)


def test_each_change_is_safe_to_apply_twice(store: RefusingStore, clock: FakeClock) -> None:
    entry = Entry(id="e1", kind=Capture.FACT, text="once", step="choose", created_at=START)
    vote = VoteResult(step="choose", opened_at=START, closed_at=START, votes_each=3, voters=4,
                      counts=[("e1", 5)])
    for change in (AddEntry(entry), EditEntry("e1", {"text": "twice"}), AddVoteResult(vote),
                   ProtectNames(("Zoë",)), StartPhase("choose", START)):
        first = store.apply("m1", change)
        assert store.apply("m1", change) == first
    record = store.load("m1")
    assert [(e.id, e.text) for e in record.entries] == [("e1", "twice")]
    assert record.meeting.votes == [vote] and len(record.meeting.runs) == 1
    assert store.apply("m1", DeleteEntry("e1")) is not None
    assert store.apply("m1", DeleteEntry("e1")) is None


def test_a_header_change_made_in_memory_leaves_the_meeting_it_was_given(clock: FakeClock) -> None:
    meeting = new_meeting(clock)
    before = meeting.to_dict()
    changed = EndMeeting("choose", START).apply_to(meeting)
    assert meeting.to_dict() == before
    assert changed.ended_at == START and changed is not meeting


def test_the_store_refuses_what_is_not_a_change_it_makes(store: RefusingStore) -> None:
    with pytest.raises(TypeError):
        store.apply("m1", TakeInCopy(Path("copy.json")))  # type: ignore[arg-type]


def test_every_change_type_says_what_it_does() -> None:
    """A change type added later is data too: a frozen dataclass that describes itself."""
    kinds = [value for module in (store_changes, meeting_changes)
             for value in vars(module).values()
             if isinstance(value, type) and value.__module__ == module.__name__
             and (issubclass(value, Change) or value is TakeInCopy)
             and value not in (Change, MeetingChange)]
    assert len(kinds) >= 15
    for kind in kinds:
        assert dataclasses.is_dataclass(kind), kind
        assert kind.__dataclass_params__.frozen, kind  # type: ignore[attr-defined]
        assert "describe" in vars(kind), kind


def test_a_queue_of_changes_sends_each_in_order_and_keeps_them_readable() -> None:
    sent: list[object] = []
    refusing = [True]

    def send(change: Change[Any]) -> None:
        if refusing[0]:
            raise SaveError("meeting m1", "the disk is full.")
        sent.append(change)

    pending = PendingWrites(send)
    first, second = DeleteEntry("e1"), GoToPhase("choose", 1, "sketch", START)
    assert not pending.submit(first) and not pending.submit(second)
    assert pending.waiting == (first, second)
    assert str(pending.last_error).startswith("Could not save meeting m1")
    refusing[0] = False
    assert pending.retry() and sent == [first, second] and len(pending) == 0


def test_a_copy_a_stopped_window_left_waits_in_the_queue_as_data(
        store: RefusingStore, clock: FakeClock) -> None:
    store.apply("m1", AddEntry(Entry(id="e0", kind=Capture.FACT, text="deleted while refused",
                                     step="choose", created_at=START)))
    first = window(store, clock)
    slot = store.draft_slot("m1")
    first.keep_unsaved_in(slot.unsaved, store.import_rescued)
    store.refusing = True
    first.delete_entry("e0")
    typed = first.add_line("q: Kept on the other disk").entry
    assert typed is not None and first.kept
    slot.close()  # the window stops with its changes not saved

    second = window(store, clock)
    other_slot = store.draft_slot("m1")
    assert second.keep_unsaved_in(other_slot.unsaved, store.import_rescued) == 1
    (waiting,) = second.waiting  # taken in, but its deletion was refused
    assert isinstance(waiting, TakeInCopy) and waiting.deleted == ("e0",)
    assert str(waiting).endswith(", then delete 1 entries")
    store.refusing = False
    assert second.retry_saves() and second.waiting == ()
    assert [entry.id for entry in store.load("m1").entries] == [typed.id]
    assert other_slot.unsaved.left_unsaved() == []
    other_slot.close()


def test_each_change_asks_the_store_as_it_is_then(
        store: RefusingStore, clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not the ``apply`` the window saw when it opened: a store's apply replaced later (as a
    test makes the disk refuse) is the one the next change goes through."""
    live = window(store, clock)
    live.start()

    def refuse(meeting_id: str, change: Change[Any]) -> None:
        raise SaveError(f"meeting {meeting_id}", "the disk is full.")

    monkeypatch.setattr(store, "apply", refuse)
    live.add_line("q: Was he alone?")
    assert [type(change) for change in live.waiting] == [AddEntry]
