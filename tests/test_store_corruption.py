"""Broken files are reported, kept and never written over: cut off at every byte, zeroed,
empty, garbage, or well-formed JSON that is not a meeting."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kring.sessions.errors import CorruptFileError, NotFoundError, StoreError
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.community import Community
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.model.protocol import Capture
from kring.sessions.store.facade import LoadProblem, Store
from tests.budget import examples

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
NAMES = ("Anna", "Bram")


def meeting(meeting_id: str = "m1") -> Meeting:
    return Meeting(id=meeting_id, community="Team 4B", date=date(2026, 11, 25),
                   protocol={"id": "incident"}, created_at=START, participants=list(NAMES))


def entry(entry_id: str, text: str) -> Entry:
    return Entry(id=entry_id, kind=Capture.FACT, text=text, step="facts", created_at=START,
                 author="Anna")


def saved_meeting(root: Path) -> tuple[Store, bytes, bytes]:
    """A store with one real meeting; returns it, the file's bytes and its backup's bytes."""
    store = Store(root, FakeClock(START))
    store.create_meeting(meeting())
    store.add_entry("m1", entry("e1", "Komt te laat 😀"))
    for number in range(2, 7):
        store.add_entry("m1", entry(f"e{number}", f"Ouders gebeld, keer {number}"))
    path = store.layout.meeting("m1")
    return store, path.read_bytes(), Path(f"{path}.bak").read_bytes()


def set_aside(root: Path) -> list[Path]:
    return sorted((root / "meetings").glob("m1.json.corrupt-*"))


def expect_reported(store: Store, broken: bytes, *, backup_ok: bool) -> LoadProblem:
    """Loading fails cleanly; the broken bytes are kept aside, nothing is in their place."""
    with pytest.raises(CorruptFileError) as caught:
        store.load("m1")
    problem = caught.value.problem
    assert isinstance(problem, LoadProblem)
    assert problem.backup_ok is backup_ok
    assert problem.moved_to is not None and problem.moved_to.read_bytes() == broken
    assert not store.layout.meeting("m1").exists()
    assert "m1" in problem.message and "Traceback" not in problem.message
    assert not any(name in problem.message for name in NAMES)
    return problem


def test_a_meeting_file_cut_off_at_every_byte_is_reported_and_kept(tmp_path: Path) -> None:
    store, whole, backup = saved_meeting(tmp_path / "data")
    path = store.layout.meeting("m1")
    assert len(whole) > 500
    last_whole = whole.index(b"}", whole.index(b'"id":"e6"')) + 1  # where e6's document ends
    for offset in range(len(whole)):
        for old in set_aside(store.layout.root):
            old.unlink()
        path.write_bytes(whole[:offset])
        fresh = Store(store.layout.root, FakeClock(START))
        if whole[:offset].rstrip() == whole.rstrip():  # only the final newline is cut off
            assert len(fresh.load("m1").entries) == 6
            continue
        expect_reported(fresh, whole[:offset], backup_ok=True)
        if offset % 97 == 0:
            assert fresh.list_meetings() == []  # listing copes as well
            record = fresh.restore_backup("m1")
            # The version before the last save, and the last entry too if it was not cut.
            last = ["e6"] if offset >= last_whole else []
            assert [e.id for e in record.entries] == ["e1", "e2", "e3", "e4", "e5", *last]
            assert Path(f"{path}.bak").read_bytes() == backup
    path.write_bytes(whole)
    assert len(Store(store.layout.root).load("m1").entries) == 6


@pytest.mark.parametrize("broken", [
    b"",
    b"   \n",
    b"\x00" * 700,
    b"garbage that is not json",
    b"\xff\xfe\xfa not text",
    b'{"_meta": {"schema": 1, "kind": "meeting"}, "meeting": {"1": {"id": "m1"}}}',
    b'{"_meta": {"schema": 1, "kind": "index"}, "meetings": {}}',
    b'{"_meta": {"schema": "1", "kind": "meeting"}}',
    b'{"_meta": {"schema": 0, "kind": "meeting"}}',
    b'{"meeting": {}}',
    b"[1, 2, 3]",
    b"[" * 100_000,
    b"1" * 5000,
], ids=["empty", "blank", "zeros", "text", "binary", "partial-meeting", "index-file",
        "version-text", "version-0", "no-meta", "a-list", "deep", "huge-number"])
def test_broken_content_is_reported_and_kept(tmp_path: Path, broken: bytes) -> None:
    store, _, _ = saved_meeting(tmp_path / "data")
    store.layout.meeting("m1").write_bytes(broken)
    expect_reported(store, broken, backup_ok=True)


def test_a_good_file_padded_with_zeros_is_reported(tmp_path: Path) -> None:
    store, whole, _ = saved_meeting(tmp_path / "data")
    padded = whole + b"\x00" * 4096  # what some filesystems leave after a power cut
    store.layout.meeting("m1").write_bytes(padded)
    problem = expect_reported(store, padded, backup_ok=True)
    assert "zero bytes" in problem.reason


@pytest.mark.parametrize("damage", [
    lambda d: d["meeting"]["1"].pop("created_at"),
    lambda d: d["meeting"]["1"].update(date="not a date"),
    lambda d: d["meeting"]["1"].update(id="other"),
    lambda d: d["meeting"]["1"].update(protocol="not a mapping"),
    lambda d: d["entries"]["1"].update(kind="no-such-kind"),
    lambda d: d["entries"]["1"].update(text=None),
    lambda d: d["entries"].update({"x": {}}),
    lambda d: d.update(entries=[1, 2]),
    lambda d: d.update(meeting={}),
], ids=["missing-field", "bad-date", "other-meeting", "bad-protocol", "bad-kind",
        "no-text", "bad-doc-id", "table-not-object", "no-header"])
def test_json_that_is_not_a_whole_meeting_is_reported(tmp_path: Path, damage: object) -> None:
    store, whole, _ = saved_meeting(tmp_path / "data")
    data = json.loads(whole)
    damage(data)  # type: ignore[operator]
    broken = json.dumps(data).encode()
    store.layout.meeting("m1").write_bytes(broken)
    problem = expect_reported(store, broken, backup_ok=True)
    assert "not a date" not in problem.message  # a value could be anyone's words


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(garbage=st.one_of(
    st.binary(max_size=400),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                 lambda inner: st.lists(inner, max_size=4)
                 | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                 max_leaves=20).map(lambda value: json.dumps(value).encode()),
))
def test_random_garbage_never_gives_a_traceback(garbage: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store, _, _ = saved_meeting(Path(folder))
        store.layout.meeting("m1").write_bytes(garbage)
        expect_reported(store, garbage, backup_ok=True)
        assert store.list_meetings() == []
        assert Store(Path(folder)).list_meetings() == []  # a later run copes too


def test_listing_skips_a_broken_meeting_and_reports_it(tmp_path: Path) -> None:
    store, _, _ = saved_meeting(tmp_path / "data")
    store.create_meeting(meeting("m2"))
    store.layout.meeting("m1").write_bytes(b"{oops")
    assert [s.id for s in store.list_meetings()] == ["m2"]
    (problem,) = store.problems
    assert problem.meeting_id == "m1" and problem.backup_ok
    assert "could not be read" in problem.message

    # A new run still offers the backup of the meeting that was set aside.
    later = Store(tmp_path / "data")
    assert [s.id for s in later.list_meetings()] == ["m2"]
    (again,) = later.problems
    assert again.meeting_id == "m1" and again.backup_ok
    assert again.moved_to == problem.moved_to
    later.restore_backup("m1")
    assert later.problems == []
    assert sorted(s.id for s in later.list_meetings()) == ["m1", "m2"]


def test_saving_never_writes_over_an_unreadable_file(tmp_path: Path) -> None:
    store, _, _ = saved_meeting(tmp_path / "data")
    store.load("m1")
    store.layout.meeting("m1").write_bytes(b"\x00" * 100)
    with pytest.raises(CorruptFileError):
        store.add_entry("m1", entry("e3", "typed during the meeting"))
    assert set_aside(store.layout.root)[0].read_bytes() == b"\x00" * 100
    with pytest.raises(NotFoundError):  # set aside: the entry does not land in a new file
        store.add_entry("m1", entry("e3", "typed during the meeting"))
    # What the window still holds in memory can be saved again as a whole; the backup of the
    # file that was set aside is kept aside too, as the next saves will replace the backup.
    backup = Path(f"{store.layout.meeting('m1')}.bak").read_bytes()
    store.create_meeting(meeting(), [entry("e3", "typed during the meeting")])
    store.add_entry("m1", entry("e4", "and more"))
    assert [e.id for e in store.load("m1").entries] == ["e3", "e4"]
    (kept,) = store.layout.meetings.glob("m1.json.bak.kept-*")
    assert kept.read_bytes() == backup


def test_without_a_good_backup_nothing_is_offered(tmp_path: Path) -> None:
    store, _, _ = saved_meeting(tmp_path / "data")
    Path(f"{store.layout.meeting('m1')}.bak").write_bytes(b"{")
    store.layout.meeting("m1").write_bytes(b"}")
    expect_reported(store, b"}", backup_ok=False)
    with pytest.raises(CorruptFileError):
        store.restore_backup("m1")
    store2 = Store(tmp_path / "data")
    Path(f"{store.layout.meeting('m1')}.bak").unlink()
    with pytest.raises(NotFoundError):
        store2.restore_backup("m1")


def test_restoring_over_a_good_file_is_refused(tmp_path: Path) -> None:
    store, whole, _ = saved_meeting(tmp_path / "data")
    with pytest.raises(StoreError):
        store.restore_backup("m1")
    assert store.layout.meeting("m1").read_bytes() == whole


def test_a_broken_draft_is_set_aside_not_overwritten(tmp_path: Path) -> None:
    store, _, _ = saved_meeting(tmp_path / "data")
    for broken in (b"\x00\x00", b"{not json"):
        with store.draft_slot("m1") as dead:
            dead.save("first")
        dead.path.write_bytes(broken)
        assert store.draft_slot("m1").recovered is None
    assert [p.meeting_id for p in store.problems] == ["m1", "m1"]
    kept = sorted(p.read_bytes() for p in store.layout.window_drafts("m1").glob("*.corrupt-*"))
    assert kept == [b"\x00\x00", b"{not json"]


def test_broken_communities_are_set_aside_and_their_backup_offered(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    store.save_community(Community("Team 4B", ["Anna"]))
    store.save_community(Community("Team 4B", ["Anna", "Bram"]))
    store.layout.communities.write_bytes(b"")
    assert store.communities() == []
    (problem,) = store.problems
    assert problem.backup_ok and problem.what == "the communities"
    assert store.restore_communities_backup() == [Community("Team 4B", ["Anna"])]


def test_a_broken_index_is_set_aside_and_rebuilt(tmp_path: Path) -> None:
    store, _, _ = saved_meeting(tmp_path / "data")
    store.layout.index.write_bytes(b"\x00" * 50)
    assert [s.id for s in store.list_meetings()] == ["m1"]
    assert store.problems == []  # derived data: nothing for the user to decide
    assert len(list(store.layout.root.glob("index.json.corrupt-*"))) == 1
    assert json.loads(store.layout.index.read_bytes())["meetings"]["m1"]


def test_an_unreadable_file_that_cannot_be_moved_stays_and_is_still_not_overwritten(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store, _, _ = saved_meeting(tmp_path / "data")
    store.layout.meeting("m1").write_bytes(b"{")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "not permitted")

    monkeypatch.setattr(os, "link", refuse)
    monkeypatch.setattr(os, "rename", refuse)
    with pytest.raises(CorruptFileError) as caught:
        store.load("m1")
    assert caught.value.problem.moved_to is None  # type: ignore[union-attr]
    with pytest.raises(CorruptFileError):
        store.add_entry("m1", entry("e3", "x"))
    assert store.layout.meeting("m1").read_bytes() == b"{"


def restore_after(store: Store, broken: bytes) -> list[str]:
    store.layout.meeting("m1").write_bytes(broken)
    fresh = Store(store.layout.root, FakeClock(START))
    with pytest.raises(CorruptFileError) as caught:
        fresh.load("m1")
    assert getattr(caught.value.problem, "backup_ok", False)
    return [entry.id for entry in fresh.restore_backup("m1").entries]


SIX = ["e1", "e2", "e3", "e4", "e5", "e6"]


def test_a_restore_brings_back_the_newest_readable_state(tmp_path: Path) -> None:
    """The outside tester's case: six entries saved, the file damaged, a restore. The backup
    holds five; the sixth is read from the damaged copy wherever it is still whole."""
    store, whole, _ = saved_meeting(tmp_path / "data")
    sixth = whole.index(b'"id":"e6"')
    damaged = {
        "end cut off": whole[: whole.rindex(b"}") - 1],
        "header zeroed": whole[:60] + b"\x00" * 200 + whole[260:],
        "garbage in an older entry": whole.replace(b"keer 3", b"ke\xff\xfe 3"),
        "garbage before the entries": whole.replace(b'"entries":{', b'"entries":{"9":{oops},'),
    }
    for name, broken in damaged.items():
        for old in set_aside(store.layout.root):
            old.unlink()
        assert restore_after(store, broken) == SIX, name
        record = store.load("m1")
        assert record.entries[-1].text == "Ouders gebeld, keer 6"
        assert record.entries[2].text == "Ouders gebeld, keer 3"  # the backup's, not garbled
    # Cut inside the sixth entry: it is in no file any more, in any form. Restoring gives all
    # there is; what the window still holds in memory is written back by LiveMeeting.sync.
    for old in set_aside(store.layout.root):
        old.unlink()
    assert restore_after(store, whole[: sixth + 20]) == SIX[:5]


def test_a_restore_without_a_backup_uses_what_the_damaged_file_still_holds(
        tmp_path: Path) -> None:
    store = Store(tmp_path / "data", FakeClock(START))
    store.create_meeting(meeting(), [entry("e1", "first"), entry("e2", "second")])
    whole = store.layout.meeting("m1").read_bytes()
    assert not Path(f"{store.layout.meeting('m1')}.bak").exists()
    assert restore_after(store, whole[:-3]) == ["e1", "e2"]  # the last two braces cut


def test_a_deletion_in_the_last_save_stays_deleted_when_the_copy_reads_in_full(
        tmp_path: Path) -> None:
    store, _, _ = saved_meeting(tmp_path / "data")
    store.delete_entry("m1", "e2")
    whole = store.layout.meeting("m1").read_bytes()
    broken = whole.replace(b'"date":"2026-11-25"', b'"date":"soon"')  # the header breaks
    assert restore_after(store, broken) == ["e1", "e3", "e4", "e5", "e6"]
