"""Records that two laptops change offline keep both changes after a sync.

Each laptop is a Store with a data folder and a state folder (its device id) of its own; a
sync copies every device's files from one data folder to the other, as a folder-sync engine
does (each device writes only its own logs, so nothing conflicts). The cases are those an
outside test found losing a change: a roster, research consent, a meeting's phase runs and
timer, an action point's status against its due date, and protected names; and records an
older Kring wrote whole, which must still read and take changes.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from kring.sessions.care.followup import mark
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.community import Community
from kring.sessions.model.consent import consented_on
from kring.sessions.model.meeting import ActionStatus, Entry, Meeting
from kring.sessions.model.protocol import Capture
from kring.sessions.store.changes import AddEntry, EditEntry
from kring.sessions.store.facade import Store
from kring.sessions.store.rosters import add_member, remove_member, set_consent
from tests.support.laptops import PROTOCOL, START, TEAM, Laptop, live, started, sync

JUNE, JULY = date(2026, 6, 1), date(2026, 7, 1)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def laptops(tmp_path: Path, clock: FakeClock) -> tuple[Laptop, Laptop, Laptop]:
    a, b, c = (Laptop(tmp_path, name, clock) for name in "abc")
    a.store.save_community(Community(TEAM, ["Anouk", "Bram", "Chantal"]))
    set_consent(a.store, TEAM, "Bram", grant=True, day=date(2026, 1, 1))
    sync(a, b, c)
    return a, b, c


def community(store: Store) -> Community:
    return next(found for found in store.communities() if found.name == TEAM)


def test_a_withdrawal_survives_someone_elses_later_grant(laptops: tuple[Laptop, ...],
                                                         clock: FakeClock) -> None:
    a, b, c = laptops
    set_consent(b.store, TEAM, "Bram", grant=False, day=JUNE)
    clock.advance(seconds=2)
    set_consent(c.store, TEAM, "Chantal", grant=True, day=JUNE)
    sync(c, b, a)
    sync(a, b, c)
    for laptop in laptops:
        for store in (laptop.store, laptop.fresh()):
            consents = community(store).consents
            assert not consented_on(consents, "Bram", JULY)
            assert consented_on(consents, "Bram", date(2026, 5, 31))
            assert consented_on(consents, "Chantal", JULY)


def test_a_withdrawal_made_alongside_a_grant_wins_in_every_order(
        laptops: tuple[Laptop, ...], clock: FakeClock) -> None:
    a, b, c = laptops
    set_consent(a.store, TEAM, "Bram", grant=False, day=JUNE)
    sync(a, b, c)
    # Offline: A grants again (having seen the withdrawal), B withdraws again, later in time.
    set_consent(b.store, TEAM, "Bram", grant=False, day=JUNE)
    clock.advance(hours=1)
    set_consent(a.store, TEAM, "Bram", grant=True, day=JUNE)
    assert consented_on(community(a.store).consents, "Bram", JULY)
    sync(b, a)
    sync(a, c)
    for laptop in laptops:
        assert not consented_on(community(laptop.fresh()).consents, "Bram", JULY)
    # A grant made after seeing both withdrawals does count.
    set_consent(c.store, TEAM, "Bram", grant=True, day=JUNE)
    sync(c, a, b)
    assert all(consented_on(community(laptop.fresh()).consents, "Bram", JULY)
               for laptop in laptops)


def test_members_added_on_three_laptops_are_all_kept(laptops: tuple[Laptop, ...]) -> None:
    a, b, c = laptops
    add_member(a.store, TEAM, "Dev")
    add_member(b.store, TEAM, "Eva")
    add_member(c.store, TEAM, "Fleur")
    sync(b, c, a)
    sync(a, b, c)
    for laptop in laptops:
        assert set(community(laptop.fresh()).members) == {
            "Anouk", "Bram", "Chantal", "Dev", "Eva", "Fleur"}


def test_a_remove_removes_only_what_its_laptop_had_seen(laptops: tuple[Laptop, ...]) -> None:
    a, b, c = laptops
    add_member(a.store, TEAM, "Dev")
    sync(a, b, c)
    remove_member(a.store, TEAM, "Dev")
    remove_member(b.store, TEAM, "Anouk")
    sync(a, b, c)
    assert "Dev" not in community(c.fresh()).members
    assert "Anouk" not in community(c.fresh()).members
    # Removed on C while B, not knowing, adds Dev again: B's add is a new one, and stays;
    # removing Bram on C, seen by nobody's add, takes Bram off.
    remove_member(c.store, TEAM, "Bram")
    add_member(b.store, TEAM, "Dev")
    sync(c, a, b)
    sync(a, b, c)
    for laptop in laptops:
        members = community(laptop.fresh()).members
        assert "Dev" in members and "Bram" not in members


def test_next_phase_on_one_laptop_and_minutes_added_on_another_both_stay(
        laptops: tuple[Laptop, ...], clock: FakeClock) -> None:
    meeting_id = started(laptops, clock)
    a, b, _c = laptops
    clock.advance(minutes=3)
    live(a, meeting_id).next_phase()
    live(b, meeting_id).add_minutes(2)
    live(b, meeting_id).add_minutes(1)
    sync(*laptops)
    for laptop in laptops:
        meeting = laptop.fresh().load(meeting_id).meeting
        assert meeting.current_step == 1
        first, second = meeting.runs
        assert first.ended_at == START + timedelta(minutes=3)
        assert first.extra_seconds == 180
        assert second.started_at == first.ended_at and second.ended_at is None


def test_turns_and_pauses_on_two_laptops_add_up(laptops: tuple[Laptop, ...],
                                                 clock: FakeClock) -> None:
    meeting_id = started(laptops, clock)
    a, b, _c = laptops
    live(a, meeting_id).pause()
    clock.advance(minutes=1)
    live(b, meeting_id).protect_names(["Milan"])
    live(a, meeting_id).protect_names(["Sanne"])
    sync(*laptops)
    live(b, meeting_id).resume()
    sync(*laptops)
    meeting = laptops[2].fresh().load(meeting_id).meeting
    assert set(meeting.protected_names) == {"Milan", "Sanne"}
    (pause,) = meeting.runs[0].pauses
    assert pause.ended_at == START + timedelta(minutes=1)


def test_marking_done_keeps_a_due_date_changed_elsewhere(laptops: tuple[Laptop, ...],
                                                        clock: FakeClock) -> None:
    a, b, _c = laptops
    first = Meeting(id="m1", community=TEAM, date=date(2026, 5, 1), protocol=PROTOCOL,
                    created_at=START - timedelta(days=31))
    later = Meeting(id="m2", community=TEAM, date=START.date(), protocol=PROTOCOL,
                    created_at=START)
    point = Entry(id="e1", kind=Capture.ACTION, text="call the parents", step="choose",
                  created_at=first.created_at, owner="Bram", due=date(2026, 5, 15))
    a.store.create_meeting(first, [point])
    a.store.create_meeting(later)
    sync(*laptops)
    b.store.apply("m1", EditEntry("e1", {"due": date(2026, 6, 30)}))
    clock.advance(seconds=2)
    mark(a.store, ("m1", "e1"), ActionStatus.DONE, in_meeting=later, on=START.date())
    sync(*laptops)
    for laptop in laptops:
        (entry,) = laptop.fresh().load("m1").entries
        assert entry.status is ActionStatus.DONE and entry.due == date(2026, 6, 30)
        assert [change.status for change in entry.history] == [ActionStatus.DONE]


def test_records_an_older_kring_wrote_whole_read_and_take_changes(tmp_path: Path,
                                                                 clock: FakeClock) -> None:
    """An older Kring wrote a community's roster and consents, and a meeting's runs, as one
    field each: they read as before, and a change made now adds to them."""
    laptop = Laptop(tmp_path, "old", clock)
    folder = laptop.data / "devices" / "0ld0ld0ld0ld"
    (folder / "meetings").mkdir(parents=True)
    def line(key: str, fields: dict[str, object], t: int) -> str:
        return json.dumps({"id": f"01OLD{t:021d}", "t": t, "c": 0, "d": "0ld0ld0ld0ld",
                           "op": "put", "k": key, "f": fields}) + "\n"
    team = {"name": TEAM, "members": ["Anouk", "Bram"], "retention_days": None,
            "consents": {"Bram": {"person": "Bram", "granted_on": "2026-01-01",
                                  "withdrawn_on": None}}, "next_meeting": None}
    (folder / "communities.jsonl").write_text(line(TEAM, team, 1))
    meeting = Meeting(id="m9", community=TEAM, date=START.date(), protocol=PROTOCOL,
                      created_at=START, participants=["Anouk", "Bram"],
                      protected_names=["Milan"])
    header = meeting.to_dict() | {"runs": [{"step": "choose", "started_at": START.isoformat(),
                                            "ended_at": None, "pauses": [],
                                            "extra_seconds": 60, "turn": 0, "passed": []}]}
    (folder / "meetings" / "m9.jsonl").write_text(line("", header, 2))

    store = laptop.store
    assert consented_on(community(store).consents, "Bram", JULY)
    set_consent(store, TEAM, "Bram", grant=False, day=JUNE)
    add_member(store, TEAM, "Chantal")
    found = community(laptop.fresh())
    assert found.members == ["Anouk", "Bram", "Chantal"]
    assert not consented_on(found.consents, "Bram", JULY)
    assert consented_on(found.consents, "Bram", date(2026, 5, 1))

    held = live(laptop, "m9")
    held.add_minutes(1)
    clock.advance(minutes=5)
    held.protect_names(["Milan", "Sanne"])
    held.next_phase()
    again = laptop.fresh().load("m9").meeting
    assert again.runs[0].extra_seconds == 120 and again.runs[0].ended_at is not None
    assert len(again.runs) == 2 and again.protected_names == ["Milan", "Sanne"]
    # Nothing an older Kring wrote was rewritten: the old lines are still the files' start.
    assert (folder / "meetings" / "m9.jsonl").read_text() == line("", header, 2)


def test_a_purge_holds_against_a_laptop_that_was_offline(laptops: tuple[Laptop, ...],
                                                         clock: FakeClock) -> None:
    from kring.sessions.care.purge import execute, plan_purge
    from kring.sessions.errors import NotFoundError

    a, b, c = laptops
    old = Meeting(id="0ld", community=TEAM, date=date(2025, 1, 9), protocol=PROTOCOL,
                  created_at=START - timedelta(days=500))
    kept = Meeting(id="new", community=TEAM, date=START.date(), protocol=PROTOCOL,
                   created_at=START)
    a.store.create_meeting(old)
    a.store.create_meeting(kept)
    sync(*laptops)
    plan = plan_purge(a.data, before=date(2025, 6, 1), state=a.state)
    assert [m.meeting_id for m in plan.meetings] == ["0ld"]
    execute(plan, a.store)
    # C, offline, adds to the purged meeting; the engine then carries A's removal to B and C
    # (C's own log of it changed meanwhile, so it stays and travels back to A and B).
    c.store.apply("0ld", AddEntry(Entry(id="e1", kind=Capture.NOTE, text="typed offline",
                                        step="choose", created_at=START)))
    for laptop in (b, c):
        for path in (laptop.data / "devices").glob(f"{a.store.device}/meetings/0ld.jsonl"):
            path.unlink()
    sync(c, a, b)
    sync(a, b, c)
    for laptop in laptops:
        store = laptop.fresh()
        assert [s.id for s in store.list_meetings()] == ["new"]
        assert store.problems == []
        with pytest.raises(NotFoundError):
            store.load("0ld")
        with pytest.raises(NotFoundError):
            store.apply("0ld", AddEntry(Entry(id="e2", kind=Capture.NOTE, text="more",
                                              step="choose", created_at=START)))
        waiting = store.waiting_under_purge()
        assert list(waiting) == ["0ld"] and len(waiting["0ld"]) == 1
        assert "0ld" in store.purged()


def test_two_laptops_moving_on_at_once_leave_no_run_open_for_ever(
        laptops: tuple[Laptop, ...], clock: FakeClock) -> None:
    meeting_id = started(laptops, clock)
    a, b, c = laptops
    clock.advance(minutes=3)
    live(a, meeting_id).next_phase()
    clock.advance(seconds=5)
    live(b, meeting_id).next_phase()
    sync(*laptops)
    held = live(c, meeting_id)
    runs = held.meeting.runs
    assert [run.step for run in runs] == [runs[0].step, runs[1].step, runs[1].step]
    assert runs[1].ended_at == runs[2].started_at and runs[2].ended_at is None
    clock.advance(minutes=10)
    # The phase's time is the time since the first move, counted once.
    assert held.actual_seconds(held.step) == 10 * 60 + 5


def test_someone_added_again_stays_though_another_laptop_removes_them(
        laptops: tuple[Laptop, ...]) -> None:
    a, b, c = laptops
    add_member(b.store, TEAM, "anouk")  # on the roster already: added again, as spelled there
    remove_member(a.store, TEAM, "Anouk")  # A had not seen that
    remove_member(c.store, TEAM, "Chantal")
    sync(a, b, c)
    sync(c, b, a)
    for laptop in laptops:
        assert sorted(community(laptop.fresh()).members) == ["Anouk", "Bram"]


def test_a_laptop_whose_index_knew_a_meeting_drops_it_when_the_purge_arrives(
        laptops: tuple[Laptop, ...]) -> None:
    from kring.sessions.care.purge import execute, plan_purge

    a, b, _c = laptops
    a.store.create_meeting(Meeting(id="0ld", community=TEAM, date=date(2025, 1, 9),
                                   protocol=PROTOCOL, created_at=START - timedelta(days=500)))
    sync(a, b)
    assert [s.id for s in b.store.list_meetings()] == ["0ld"]  # B's index knows it
    execute(plan_purge(a.data, before=date(2025, 6, 1), state=a.state), a.store)
    sync(a, b)  # the purge record arrives; B's copy of the log was not removed (yet)
    assert (b.data / "devices" / a.store.device / "meetings" / "0ld.jsonl").exists()
    assert b.store.list_meetings() == [] and b.fresh().list_meetings() == []
    assert b.store.problems == []


def test_a_meetings_folder_that_cannot_be_listed_leaves_the_others_listed(
        laptops: tuple[Laptop, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    a, b, _c = laptops
    a.store.create_meeting(Meeting(id="mine", community=TEAM, date=START.date(),
                                   protocol=PROTOCOL, created_at=START))
    b.store.create_meeting(Meeting(id="hers", community=TEAM, date=START.date(),
                                   protocol=PROTOCOL, created_at=START))
    sync(a, b)
    blocked = a.data / "devices" / b.store.device / "meetings"
    real_scandir, real_listdir = os.scandir, os.listdir

    def refuse(path: object, real: object) -> object:
        if os.fspath(path) == os.fspath(blocked):  # type: ignore[arg-type]
            raise PermissionError(13, "Permission denied", os.fspath(blocked))
        return real(path)  # type: ignore[operator]

    monkeypatch.setattr(os, "scandir", lambda path=".": refuse(path, real_scandir))
    monkeypatch.setattr(os, "listdir", lambda path=".": refuse(path, real_listdir))
    assert [s.id for s in a.fresh().list_meetings()] == ["mine"]
    assert a.fresh().load("mine").meeting.id == "mine"


def test_phases_planned_anew_on_two_laptops_are_both_kept(laptops: tuple[Laptop, ...],
                                                          clock: FakeClock) -> None:
    meeting_id = started(laptops, clock)
    a, b, _c = laptops
    steps = live(a, meeting_id).steps
    live(a, meeting_id).replan({steps[0].key: 900, steps[-1].key: 0})
    live(b, meeting_id).replan({steps[2].key: 120})
    sync(*laptops)
    for laptop in laptops:
        assert laptop.fresh().load(meeting_id).meeting.plan == {
            steps[0].key: 900, steps[-1].key: 0, steps[2].key: 120}
