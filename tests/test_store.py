"""The session store: what goes in comes out, changes are on disk when a call returns, and two
processes (here: two Store objects) see and keep each other's changes."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kring.sessions.errors import BusyError, NotFoundError
from kring.sessions.meeting.changes import SetDetails
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.community import Community
from kring.sessions.model.meeting import Case, Meeting, Pause, PhaseRun, Status
from kring.sessions.model.protocol import Capture
from kring.sessions.paths import data_dir
from kring.sessions.store.changes import AddEntry, DeleteEntry, EditEntry
from kring.sessions.store.facade import Store
from kring.sessions.store.files.atomic import current_stamp
from kring.sessions.store.files.locking import file_lock
from tests.support.store import START, Mutate, entry, meeting


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def store(tmp_path: Path, clock: FakeClock) -> Store:
    return Store(tmp_path / "data", clock)


def test_a_meeting_in_progress_resumes_exactly_where_it_was(store: Store, tmp_path: Path,
                                                           clock: FakeClock) -> None:
    runs = [
        PhaseRun("intro", START, datetime(2026, 11, 25, 9, 5, tzinfo=UTC)),
        PhaseRun("facts", datetime(2026, 11, 25, 9, 5, tzinfo=UTC), None,
                 pauses=[Pause(datetime(2026, 11, 25, 9, 7, tzinfo=UTC),
                               datetime(2026, 11, 25, 9, 9, tzinfo=UTC)),
                         Pause(datetime(2026, 11, 25, 9, 12, tzinfo=UTC))],
                 extra_seconds=120),
    ]
    original = meeting(current_step=1, runs=runs, goal="Practise open questions",
                       case=Case("Late again", "Pupil X is late", "What can I do?"))
    notes = [
        entry("e1", "Komt vaak te laat 😀", 1, author="Chris"),
        entry("e2", "מה השעה?", 2, kind=Capture.QUESTION),  # right-to-left text
        entry("e3", "Call the parents", 3, kind=Capture.ACTION, owner="Bram",
              due=date(2026, 12, 1), private=True),
    ]
    store.create_meeting(original)
    for note in notes:
        store.apply("m1", AddEntry(note))
    window = store.draft_slot("m1")
    window.save("half a sentence the note-taker was typi")

    again = Store(tmp_path / "data", clock)  # as after a crash: a new process
    record = again.load("m1")
    assert record.meeting == original
    assert record.entries == notes
    window.close()
    assert again.draft_slot("m1").recovered == "half a sentence the note-taker was typi"
    assert [s.id for s in again.list_meetings() if s.status == "in-progress"] == ["m1"]


def test_entries_come_back_in_the_order_they_were_made(store: Store) -> None:
    store.create_meeting(meeting())
    for number in (1, 2, 3, 4):
        store.apply("m1", AddEntry(entry(f"e{number}", seconds=number)))
    removed = store.apply("m1", DeleteEntry("e2"))
    assert removed == entry("e2", seconds=2)
    assert [e.id for e in store.load("m1").entries] == ["e1", "e3", "e4"]
    store.apply("m1", AddEntry(removed))  # undo
    assert [e.id for e in store.load("m1").entries] == ["e1", "e2", "e3", "e4"]


def test_saving_twice_is_harmless_so_a_failed_save_can_be_retried(store: Store) -> None:
    store.create_meeting(meeting())
    store.create_meeting(meeting())
    store.apply("m1", AddEntry(entry("e1", "first")))
    store.apply("m1", AddEntry(entry("e1", "first")))
    store.apply("m1", AddEntry(entry("e1", "edited")))
    assert [(e.id, e.text) for e in store.load("m1").entries] == [("e1", "edited")]
    assert store.apply("m1", DeleteEntry("e1")) is not None
    assert store.apply("m1", DeleteEntry("e1")) is None
    assert store.load("m1").entries == []


def test_an_edit_of_an_entry_deleted_elsewhere_is_kept(store: Store, tmp_path: Path) -> None:
    store.create_meeting(meeting())
    store.apply("m1", AddEntry(entry("e1", "first")))
    Store(tmp_path / "data").apply("m1", DeleteEntry("e1"))
    store.apply("m1", AddEntry(entry("e1", "my edit")))
    assert [e.text for e in store.load("m1").entries] == ["my edit"]


def test_a_change_to_the_header_applies_to_what_is_on_disk_and_keeps_the_entries(
        store: Store, tmp_path: Path) -> None:
    store.create_meeting(meeting())
    store.apply("m1", AddEntry(entry("e1")))
    other = Store(tmp_path / "data")
    other.apply("m1", SetDetails((("goal", "set elsewhere"),)))

    def next_step(m: Meeting) -> int:
        m.current_step += 1
        return m.current_step

    assert store.apply("m1", Mutate(next_step)).current_step == 1
    record = store.load("m1")
    assert (record.meeting.goal, record.meeting.current_step) == ("set elsewhere", 1)
    assert [e.id for e in record.entries] == ["e1"]


def test_a_failed_change_writes_nothing(store: Store) -> None:
    store.create_meeting(meeting())
    log = store.layout.meeting_log(store.device, "m1")
    before = log.read_bytes()

    def broken(m: Meeting) -> None:
        m.goal = "half done"
        raise RuntimeError("the UI fell over")

    with pytest.raises(RuntimeError):
        store.apply("m1", Mutate(broken))
    with pytest.raises(ValueError):
        store.apply("m1", Mutate(lambda m: setattr(m, "id", "other")))
    assert log.read_bytes() == before
    assert store.load("m1").meeting.goal == ""
    store.apply("m1", AddEntry(entry("e1")))  # and the store is still fine to use
    assert store.load("m1").meeting.goal == ""


def test_save_meeting_replaces_the_header_and_keeps_the_entries(store: Store) -> None:
    store.create_meeting(meeting())
    store.apply("m1", AddEntry(entry("e1")))
    ended = meeting(status=Status.ENDED, ended_at=START)
    store.save_meeting(ended)
    record = store.load("m1")
    assert record.meeting == ended and [e.id for e in record.entries] == ["e1"]
    assert store.list_meetings()[0].status == "ended"


def test_unknown_meetings_and_bad_ids(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.load("nope")
    with pytest.raises(NotFoundError):
        store.apply("nope", AddEntry(entry("e1")))
    assert not store.layout.devices.exists()
    for bad in ("../escape", "a/b", "", "x" * 65, "dot.dot"):
        with pytest.raises(ValueError):
            store.load(bad)


def test_listing_is_newest_first_and_survives_a_lost_or_stale_index(store: Store) -> None:
    store.create_meeting(meeting("old", date=date(2026, 1, 5)))
    store.create_meeting(meeting("new", date=date(2026, 3, 5)))
    store.create_meeting(meeting("mid", date=date(2026, 2, 5)))
    assert [s.id for s in store.list_meetings()] == ["new", "mid", "old"]

    # A crash between saving a meeting and updating the index: the index says in-progress.
    stale = store.layout.index.read_bytes()
    store.save_meeting(meeting("mid", date=date(2026, 2, 5), status=Status.ENDED))
    store.layout.index.write_bytes(stale)
    assert {s.id: s.status for s in store.list_meetings()}["mid"] == "ended"

    store.layout.index.unlink()
    assert [s.id for s in store.list_meetings()] == ["new", "mid", "old"]
    assert store.layout.index.exists()


def test_adding_an_entry_leaves_the_index_alone(store: Store) -> None:
    store.create_meeting(meeting())
    store.list_meetings()
    before = current_stamp(store.layout.index)
    store.apply("m1", AddEntry(entry("e1")))
    store.apply("m1", Mutate(lambda m: setattr(m, "current_step", 3)))  # summary unchanged
    assert current_stamp(store.layout.index) == before
    assert [s.id for s in store.list_meetings()] == ["m1"]


def test_listing_an_empty_folder_creates_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    assert store.list_meetings() == []
    assert store.communities() == []
    assert not (tmp_path / "data").exists()


def test_another_process_s_changes_are_noticed_by_stamp(store: Store, tmp_path: Path) -> None:
    store.create_meeting(meeting())
    record = store.load("m1")
    other = Store(tmp_path / "data")
    assert not store.changed_since("m1", record.stamp)
    assert not store.needs_reload("m1")

    store.apply("m1", AddEntry(entry("mine")))  # our own save: nothing new to us
    assert not store.needs_reload("m1")
    assert store.changed_since("m1", record.stamp)

    other.apply("m1", AddEntry(entry("theirs")))
    assert store.needs_reload("m1")
    store.apply("m1", AddEntry(entry("mine too")))  # saving on top keeps theirs, still unseen
    assert store.needs_reload("m1")
    fresh = store.load("m1")
    assert {e.id for e in fresh.entries} == {"mine", "theirs", "mine too"}
    assert not store.needs_reload("m1")
    assert fresh.stamp == store.stamp("m1")


def test_two_stores_interleaving_changes_lose_nothing(tmp_path: Path) -> None:
    one, two = Store(tmp_path / "data"), Store(tmp_path / "data")
    one.create_meeting(meeting())
    for number in range(20):
        (one if number % 2 else two).apply("m1", AddEntry(entry(f"e{number}", seconds=number)))
    one.apply("m1", SetDetails((("goal", "one"),)))
    two.apply("m1", Mutate(lambda m: m.participants.append("Dewi")))
    record = one.load("m1")
    assert [e.id for e in record.entries] == [f"e{n}" for n in range(20)]
    assert record.meeting.goal == "one" and record.meeting.participants[-1] == "Dewi"


def test_threads_sharing_one_store_lose_nothing(store: Store) -> None:
    store.create_meeting(meeting())

    def add(prefix: str) -> None:
        for number in range(25):
            store.apply("m1", AddEntry(entry(f"{prefix}{number}")))

    threads = [threading.Thread(target=add, args=(p,)) for p in "abc"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store.load("m1").entries) == 75


def test_a_held_lock_makes_a_save_wait_then_report_busy(tmp_path: Path) -> None:
    store = Store(tmp_path / "data", lock_timeout=0.05)
    store.create_meeting(meeting())
    with file_lock(store.layout.lock("meeting-m1"), "test"), \
            pytest.raises(BusyError) as caught:
        store.apply("m1", AddEntry(entry("e1")))
    assert "another Kring window" in str(caught.value)
    store.apply("m1", AddEntry(entry("e1")))
    assert len(store.load("m1").entries) == 1


def test_communities_and_their_rosters(store: Store, tmp_path: Path) -> None:
    store.save_community(Community("Team 4B", ["Anna", "Bram"]))
    store.save_community(Community("bovenbouw", ["Chris"]))
    assert [c.name for c in store.communities()] == ["bovenbouw", "Team 4B"]

    other = Store(tmp_path / "data")
    other.update_community("Team 4B", lambda c: c.members.append("Dewi"))
    store.update_community("Team 4B", lambda c: c.members.remove("Anna"))
    assert store.communities()[1].members == ["Bram", "Dewi"]

    store.update_community("bovenbouw", lambda c: setattr(c, "name", "Bovenbouw"))
    with pytest.raises(ValueError):
        store.update_community("Team 4B", lambda c: setattr(c, "name", "Bovenbouw"))
    with pytest.raises(NotFoundError):
        store.update_community("nobody", lambda c: None)
    assert store.delete_community("Bovenbouw") == Community("Bovenbouw", ["Chris"])
    assert store.delete_community("Bovenbouw") is None
    assert store.communities() == [Community("Team 4B", ["Bram", "Dewi"])]


def test_every_change_is_one_appended_line_and_the_log_is_never_rewritten(
        store: Store) -> None:
    store.create_meeting(meeting())
    log = store.layout.meeting_log(store.device, "m1")
    before = log.read_bytes()
    store.apply("m1", AddEntry(entry("e1")))
    store.apply("m1", EditEntry("e1", {"text": "edited"}))
    store.apply("m1", DeleteEntry("e1"))
    after = log.read_bytes()
    assert after.startswith(before) and after.count(b"\n") == before.count(b"\n") + 3
    assert store.load("m1").entries == []


def test_lines_of_a_newer_kring_are_skipped_reported_and_left_untouched(store: Store) -> None:
    store.create_meeting(meeting())
    log = store.layout.meeting_log(store.device, "m1")
    newer = b'{"id":"X","t":1,"c":0,"d":"dev","op":"rename","k":"","f":{}}\n'
    with log.open("ab") as file:
        file.write(newer)
    kept = log.read_bytes()
    assert store.load("m1").meeting == meeting()
    assert [p.partial for p in store.problems] == [True]
    assert "line 2" in store.problems[0].message
    store.apply("m1", AddEntry(entry("e1")))
    assert log.read_bytes().startswith(kept)
    assert [e.id for e in store.load("m1").entries] == ["e1"]


def test_the_data_folder_comes_from_the_environment_or_the_command_line(tmp_path: Path) -> None:
    from_env = data_dir(environ={"KRING_DATA": str(tmp_path / "env")})
    from_flag = data_dir(tmp_path / "flag", environ={"KRING_DATA": str(tmp_path / "env")})
    Store(from_env).create_meeting(meeting())
    Store(from_flag).create_meeting(meeting("m2"))
    assert list((tmp_path / "env" / "devices").glob("*/meetings/m1.jsonl"))
    assert list((tmp_path / "flag" / "devices").glob("*/meetings/m2.jsonl"))


def test_no_person_s_name_ends_up_in_a_file_name(store: Store) -> None:
    store.create_meeting(meeting())
    store.apply("m1", AddEntry(entry("e1", author="Chris")))
    store.draft_slot("m1").save("Anna said")
    store.save_community(Community("Team 4B", ["Anna", "Bram"]))
    names = " ".join(str(p.relative_to(store.layout.root)) for p in store.layout.root.rglob("*"))
    for person in ("Anna", "Bram", "Chris"):
        assert person not in names
