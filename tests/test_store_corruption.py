"""Broken logs are read as far as they are whole, reported, and never written over: cut off at
every byte, zeroed, garbage lines in the middle, or files that are not files at all.

A meeting is the events in its logs (``sessions/store/events.py``), one JSON object a line, only
ever appended to. A line that is not an event is skipped and reported with its number; a torn
last line (a crash in the middle of a write) is ignored and reported, and the next append ends
it with a newline so that it stays a line of its own. Nothing is ever moved or rewritten: the
file keeps every byte it had, and the next change is appended after them.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kring.sessions.errors import (
    CorruptFileError,
    NotFoundError,
    ReadError,
    StoreError,
    WriteRefusedError,
)
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.community import Community
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.model.protocol import Capture
from kring.sessions.store.changes import AddEntry
from kring.sessions.store.facade import Store
from kring.sessions.store.problems import LoadProblem
from tests.support.budget import examples

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
NAMES = ("Anna", "Bram")
SIX = ["e1", "e2", "e3", "e4", "e5", "e6"]


def meeting(meeting_id: str = "m1") -> Meeting:
    return Meeting(id=meeting_id, community="Team 4B", date=date(2026, 11, 25),
                   protocol={"id": "incident"}, created_at=START, participants=list(NAMES))


def entry(entry_id: str, text: str, seconds: int = 0) -> Entry:
    return Entry(id=entry_id, kind=Capture.FACT, text=text, step="facts",
                 created_at=datetime.fromtimestamp(START.timestamp() + seconds, UTC),
                 author="Anna")


def saved_meeting(root: Path) -> tuple[Store, Path, bytes]:
    """A store with one meeting of six entries: the store, its log and the log's bytes (seven
    lines: the header's put, then one put per entry)."""
    store = Store(root, FakeClock(START))
    store.create_meeting(meeting())
    store.apply("m1", AddEntry(entry("e1", "Komt te laat 😀", 1)))
    for number in range(2, 7):
        store.apply("m1", AddEntry(entry(f"e{number}", f"Ouders gebeld, keer {number}", number)))
    path = store.layout.meeting_log(store.device, "m1")
    whole = path.read_bytes()
    assert whole.count(b"\n") == 7 and whole.endswith(b"\n")
    return store, path, whole


def keys(lines: list[bytes]) -> list[str]:
    """The record each (whole, good) event line sets: '' for the header, else an entry id."""
    return [json.loads(line)["k"] for line in lines]


def ids(store: Store) -> list[str]:
    return [e.id for e in store.load("m1").entries]


def only_problem(store: Store, path: Path) -> LoadProblem:
    (problem,) = store.problems
    assert problem.path == path and problem.meeting_id == "m1" and problem.partial
    assert "Traceback" not in problem.message and problem.message.endswith(".")
    assert not any(name in problem.message for name in NAMES)
    return problem


# -- a log cut off anywhere --------------------------------------------------------------------


@pytest.mark.slow
def test_a_log_cut_off_at_every_byte_loads_every_whole_line(tmp_path: Path) -> None:
    store, path, whole = saved_meeting(tmp_path / "data")
    root = store.layout.root
    lines = whole.split(b"\n")[:-1]
    assert len(whole) > 1500
    ends = [index for index, byte in enumerate(whole) if byte == ord("\n")]
    for offset in range(len(whole) + 1):
        prefix = whole[:offset]
        path.write_bytes(prefix)
        *complete, tail = prefix.split(b"\n")
        # Only the newline is missing: the bytes are a whole event, read once a newline ends it.
        tail_is_event = bool(tail) and tail in lines
        fresh = Store(root, FakeClock(START))
        if complete:
            assert ids(fresh) == keys(complete)[1:]
        else:  # the header's line is not whole: the meeting is not there, said in a sentence
            with pytest.raises(CorruptFileError) as caught:
                fresh.load("m1")
            assert caught.value.path == path and caught.value.message.endswith(".")
        if tail:
            problem = only_problem(fresh, path)
            assert "cut off" in problem.reason
        else:
            assert fresh.problems == []
        if offset % 97 == 0:
            assert [s.id for s in fresh.list_meetings()] == (["m1"] if complete else [])

        if offset % 13 and not any(abs(offset - end) <= 2 for end in ends):
            continue  # (appending at every byte only costs time: around each line's end)
        # The next change goes after the torn bytes, which become a line of their own.
        fresh.apply("m1", AddEntry(entry("e7", "after the crash", 7)))
        after = path.read_bytes()
        assert after.startswith(prefix), offset  # nothing written over
        assert after[len(prefix):].count(b"\n") == (2 if tail else 1)
        again = Store(root, FakeClock(START))
        readable = keys(complete + ([tail] if tail_is_event else []))
        if readable:
            assert ids(again) == [*readable[1:], "e7"], offset
            assert fresh.load("m1").entries == again.load("m1").entries, offset
        else:
            with pytest.raises(CorruptFileError):
                again.load("m1")
        if tail and not tail_is_event:
            problem = only_problem(again, path)
            assert f"line {len(complete) + 1})" in problem.reason, problem.reason
            assert "cut off" not in problem.reason
        else:
            assert again.problems == []
    path.write_bytes(whole)
    assert ids(Store(root)) == SIX


def test_a_meeting_without_any_log_is_not_found(tmp_path: Path) -> None:
    store, path, _ = saved_meeting(tmp_path / "data")
    path.unlink()
    with pytest.raises(NotFoundError) as caught:
        Store(store.layout.root).load("m1")
    assert "m1" in caught.value.message


def test_a_retried_create_brings_back_a_meeting_whose_header_was_torn(tmp_path: Path) -> None:
    store, path, whole = saved_meeting(tmp_path / "data")
    path.write_bytes(whole[:40])
    fresh = Store(store.layout.root, FakeClock(START))
    with pytest.raises(CorruptFileError):
        fresh.load("m1")
    assert fresh.list_meetings() == []
    # What a window still holds in memory is written again as a whole (LiveMeeting.sync).
    fresh.create_meeting(meeting(), [entry("e3", "typed during the meeting", 3)])
    assert path.read_bytes().startswith(whole[:40] + b"\n")
    assert ids(Store(store.layout.root)) == ["e3"]
    assert [s.id for s in fresh.list_meetings()] == ["m1"]


def test_a_good_log_padded_with_zeros_loads_and_reports_them(tmp_path: Path) -> None:
    store, path, whole = saved_meeting(tmp_path / "data")
    path.write_bytes(whole + b"\x00" * 4096)  # what some filesystems leave after a power cut
    fresh = Store(store.layout.root)
    assert ids(fresh) == SIX
    assert "cut off" in only_problem(fresh, path).reason
    fresh.apply("m1", AddEntry(entry("e7", "later", 7)))
    assert ids(Store(store.layout.root)) == [*SIX, "e7"]
    assert path.read_bytes().startswith(whole + b"\x00" * 4096 + b"\n")


# -- garbage in the middle ---------------------------------------------------------------------


def event_line(**changes: object) -> bytes:
    data: dict[str, object] = {"c": 0, "d": "X", "f": {}, "id": "01ABC", "k": "e9", "op": "put",
                               "t": 1}
    data.update(changes)
    return json.dumps(data).encode()


GARBAGE = {
    "empty": b"",
    "blank": b"   \t ",
    "zeros": b"\x00" * 700,
    "text": b"garbage that is not json",
    "binary": bytes(range(256)).replace(b"\n", b""),
    "non-utf8-object": b'{"id": "\xff\xfe", "t": 1}',
    "a-list": b"[1, 2, 3]",
    "huge-number": b"1" * 5000,
    "deep-list": b"[" * 100_000,
    "deep-object": b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    "not-an-event": b'{"_meta": {"schema": 1, "kind": "meeting"}}',
    "clock-as-text": event_line(t="1"),
    "clock-as-bool": event_line(t=True),
    "huge-clock-text": event_line(t=1).replace(b'"t": 1', b'"t": ' + b"9" * 5000),
    "unknown-op": event_line(op="merge"),
    "fields-not-object": event_line(f=[1, 2]),
    "no-id": event_line(id=""),
    "key-not-text": event_line(k=3),
}


@pytest.mark.parametrize("garbage", list(GARBAGE.values()), ids=list(GARBAGE))
def test_a_garbage_line_is_skipped_and_reported_by_its_number(tmp_path: Path,
                                                             garbage: bytes) -> None:
    store, path, whole = saved_meeting(tmp_path / "data")
    lines = whole.split(b"\n")[:-1]
    broken = b"\n".join([*lines[:3], garbage, *lines[3:]]) + b"\n"  # line 4, after e2
    path.write_bytes(broken)
    fresh = Store(store.layout.root, FakeClock(START))
    assert ids(fresh) == SIX
    problem = only_problem(fresh, path)
    assert "1 line could not be read (line 4) and was skipped" in problem.reason
    assert [s.id for s in fresh.list_meetings()] == ["m1"]
    assert path.read_bytes() == broken  # reading never rewrites
    fresh.apply("m1", AddEntry(entry("e7", "later", 7)))
    after = path.read_bytes()
    assert after.startswith(broken) and after[len(broken):].count(b"\n") == 1
    assert ids(Store(store.layout.root)) == [*SIX, "e7"]


def test_several_bad_lines_and_a_torn_tail_are_reported_together(tmp_path: Path) -> None:
    store, path, whole = saved_meeting(tmp_path / "data")
    lines = whole.split(b"\n")[:-1]
    # e3's line zeroed where it lies (as a power cut can leave a block), e5's line garbled.
    lines[3] = b"\x00" * len(lines[3])
    lines[5] = lines[5][:30] + b"\xff\xfe" + lines[5][32:]
    path.write_bytes(b"\n".join(lines) + b"\n" + b'{"c":7,"d"')
    fresh = Store(store.layout.root)
    assert ids(fresh) == ["e1", "e2", "e4", "e6"]
    problem = only_problem(fresh, path)
    assert "2 lines could not be read (lines 4, 6) and were skipped" in problem.reason
    assert "cut off" in problem.reason


def test_a_well_formed_event_with_a_damaged_entry_leaves_the_rest_readable(
        tmp_path: Path) -> None:
    store, path, whole = saved_meeting(tmp_path / "data")
    bad_entry = event_line(id="01BAD", t=2**41, f={"id": "e9", "kind": "no-such-kind"})
    path.write_bytes(whole + bad_entry + b"\n")
    assert ids(Store(store.layout.root)) == SIX


def test_a_header_edited_into_nonsense_is_a_sentence_not_a_traceback(tmp_path: Path) -> None:
    store, path, whole = saved_meeting(tmp_path / "data")
    nonsense = event_line(id="01BAD", t=2**41, op="edit", k="", f={"date": "not a date"})
    path.write_bytes(whole + nonsense + b"\n")
    fresh = Store(store.layout.root)
    with pytest.raises(CorruptFileError) as caught:
        fresh.load("m1")
    assert "not a date" not in caught.value.message  # a value could be anyone's words
    assert fresh.list_meetings() == []
    (problem,) = fresh.problems
    assert problem.meeting_id == "m1" and not problem.partial
    assert "could not be read" in problem.message


@functools.cache
def a_whole_log() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "data", FakeClock(START), state=Path(folder) / "state")
        store.create_meeting(meeting(), [entry(f"e{n}", f"keer {n}", n) for n in range(1, 7)])
        return store.layout.meeting_log(store.device, "m1").read_bytes()


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(garbage=st.one_of(
    st.binary(max_size=400),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                 lambda inner: st.lists(inner, max_size=4)
                 | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                 max_leaves=20).map(lambda value: json.dumps(value).encode()),
), appended=st.booleans())
def test_random_garbage_never_gives_a_traceback(garbage: bytes, appended: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "data"
        whole = a_whole_log()
        path = root / "devices" / "01DEVICE" / "meetings" / "m1.jsonl"
        path.parent.mkdir(parents=True)
        broken = whole + garbage if appended else garbage
        path.write_bytes(broken)
        fresh = Store(root)
        if appended:  # every whole event still loads; the garbage is reported
            assert ids(fresh) == SIX
            assert bool(fresh.problems) == bool(garbage)
            assert [s.id for s in fresh.list_meetings()] == ["m1"]
        else:
            with pytest.raises(StoreError):
                fresh.load("m1")
            assert fresh.list_meetings() == []
        assert path.read_bytes() == broken
        fresh.apply("m1", AddEntry(entry("e7", "later", 7)))
        assert path.read_bytes().startswith(broken)
        later = Store(root)  # a later run copes too
        if appended:
            assert ids(later) == [*SIX, "e7"]
        assert [s.id for s in later.list_meetings()] == (["m1"] if appended else [])


# -- several meetings, one broken --------------------------------------------------------------


def test_listing_skips_a_meeting_without_a_readable_header_and_reports_it(
        tmp_path: Path) -> None:
    store, path, _ = saved_meeting(tmp_path / "data")
    store.create_meeting(meeting("m2"))
    path.write_bytes(b"{oops")
    assert [s.id for s in store.list_meetings()] == ["m2"]
    (problem,) = [p for p in store.problems if not p.partial]
    assert problem.meeting_id == "m1" and "could not be read" in problem.message
    assert path.read_bytes() == b"{oops"  # kept as it is, never set aside or rewritten
    later = Store(tmp_path / "data")  # a new run says so again
    assert [s.id for s in later.list_meetings()] == ["m2"]
    assert any(p.meeting_id == "m1" for p in later.problems)


def test_saving_never_writes_over_an_unreadable_log(tmp_path: Path) -> None:
    store, path, _ = saved_meeting(tmp_path / "data")
    path.write_bytes(b"\x00" * 100)
    with pytest.raises(CorruptFileError):
        store.load("m1")
    store.apply("m1", AddEntry(entry("e3", "typed during the meeting", 3)))
    assert path.read_bytes().startswith(b"\x00" * 100 + b"\n")
    with pytest.raises(CorruptFileError):  # still no header: an entry alone is no meeting
        Store(store.layout.root).load("m1")
    store.create_meeting(meeting(), [entry("e3", "typed during the meeting", 3)])
    store.apply("m1", AddEntry(entry("e4", "and more", 4)))
    fresh = Store(store.layout.root)
    assert ids(fresh) == ["e3", "e4"]
    assert "(line 1)" in only_problem(fresh, path).reason
    assert path.read_bytes().startswith(b"\x00" * 100 + b"\n")


# -- what is not a regular file ----------------------------------------------------------------


def put_at(path: Path, kind: str) -> None:
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "zero":
        path.symlink_to("/dev/zero")
    else:
        raise AssertionError(kind)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX special files")
@pytest.mark.parametrize("kind", ["fifo", "folder", "zero"])
def test_a_log_that_is_not_a_regular_file_is_said_so_and_never_written_through(
        tmp_path: Path, kind: str) -> None:
    store, path, _ = saved_meeting(tmp_path / "data")
    store.create_meeting(meeting("m2"))
    put_at(path, kind)
    fresh = Store(store.layout.root)
    with pytest.raises(ReadError) as read:
        fresh.load("m1")  # a FIFO would block a plain open() for ever
    assert "not a regular file" in read.value.message and "meeting m1" in read.value.message
    assert [s.id for s in fresh.list_meetings()] == ["m2"]
    assert any(p.meeting_id == "m1" and not p.partial for p in fresh.problems)
    with pytest.raises(StoreError) as write:  # read before the append: refused there
        fresh.apply("m1", AddEntry(entry("e7", "later", 7)))
    assert "not a regular file" in write.value.message
    assert os.path.lexists(path) and not path.is_file()


def test_appending_never_follows_a_symbolic_link(tmp_path: Path) -> None:
    store, path, whole = saved_meeting(tmp_path / "data")
    elsewhere = tmp_path / "elsewhere.jsonl"
    elsewhere.write_bytes(whole)
    path.unlink()
    path.symlink_to(elsewhere)
    fresh = Store(store.layout.root)
    with pytest.raises(WriteRefusedError):
        fresh.apply("m1", AddEntry(entry("e7", "later", 7)))
    assert elsewhere.read_bytes() == whole and path.is_symlink()


# -- drafts, communities and the index ----------------------------------------------------------


def test_a_broken_draft_is_set_aside_reported_and_never_overwritten(tmp_path: Path) -> None:
    store, _, _ = saved_meeting(tmp_path / "data")
    for broken in (b"\x00\x00", b"{not json"):
        with store.draft_slot("m1") as dead:
            dead.save("first")
        dead.path.write_bytes(broken)
        window = store.draft_slot("m1")
        assert window.recovered is None
        window.save("typed in the new window")
        window.close()
        assert window.path != dead.path
    problems = [p for p in store.problems if p.path.suffix == ".json"]
    assert [p.meeting_id for p in problems] == ["m1", "m1"]
    assert sorted(p.moved_to.read_bytes() for p in problems if p.moved_to) == [
        b"\x00\x00", b"{not json"]


def communities_log(store: Store) -> Path:
    return store.layout.communities_log(store.device)


def test_broken_lines_in_the_communities_log_leave_the_others_listed(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    for name in ("Team 4B", "Team 5A", "Team 6C"):
        store.save_community(Community(name, ["Anna"]))
    path = communities_log(store)
    lines = path.read_bytes().split(b"\n")[:-1]
    broken = b"\n".join([lines[0], b"\x00" * 40, lines[2]]) + b"\n" + lines[1][:20]
    path.write_bytes(broken)  # Team 5A's line torn, garbage where it was
    fresh = Store(tmp_path / "data")
    assert [c.name for c in fresh.communities()] == ["Team 4B", "Team 6C"]
    fresh.save_community(Community("Team 7D", ["Bram"]))
    assert path.read_bytes().startswith(broken + b"\n")
    assert [c.name for c in Store(tmp_path / "data").communities()] == [
        "Team 4B", "Team 6C", "Team 7D"]


def test_broken_lines_in_the_communities_log_are_reported(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    store.save_community(Community("Team 4B", ["Anna"]))
    path = communities_log(store)
    path.write_bytes(b"garbage\n" + path.read_bytes())
    fresh = Store(tmp_path / "data")
    assert [c.name for c in fresh.communities()] == ["Team 4B"]
    (problem,) = fresh.problems
    assert problem.partial and problem.path == path and "(line 1)" in problem.reason


@pytest.mark.parametrize("broken", ["garbage", "zeros", "empty", "folder"])
def test_a_broken_index_is_derived_again_and_lists_still_work(tmp_path: Path,
                                                             broken: str) -> None:
    store, _, _ = saved_meeting(tmp_path / "data")
    assert [s.id for s in store.list_meetings()] == ["m1"]
    index = store.layout.index
    index.unlink()
    if broken == "folder":
        index.mkdir()
    else:
        index.write_bytes({"garbage": b"not a database at all " * 40, "zeros": b"\x00" * 50,
                           "empty": b""}[broken])
    fresh = Store(store.layout.root)
    assert [s.id for s in fresh.list_meetings()] == ["m1"]
    assert [d.summary.id for d in fresh.digests()] == ["m1"]
    assert fresh.problems == []  # derived data: nothing for the user to decide
    if broken == "folder":
        assert index.is_dir()  # left alone; lists are built in memory meanwhile
        return
    with sqlite3.connect(index) as db:  # a working index again, holding the meeting
        assert db.execute("SELECT id FROM meetings").fetchall() == [("m1",)]
    set_aside = list(index.parent.glob("index.sqlite.corrupt-*"))
    if broken == "garbage":
        assert [p.read_bytes() for p in set_aside] == [b"not a database at all " * 40]
