"""`kring doctor` on what the real world leaves around the logs (issue 21): a 0-byte log from a
`kring new` on a full disk, a log whose meeting is in no log, symbolic links that loop, a
conflict copy with a damaged line, a laptop whose clock runs ahead. Each is reported; what
``--repair`` does never destroys a byte it cannot place; the exit status follows one rule; and
every other command still lists every other meeting."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kring.sessions.care.doctor import AHEAD_MS, Kind, check, repair
from kring.sessions.care.findings import INFO, NEEDS_PERSON, REPAIRABLE, DoctorReport
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.meeting import Case, Entry, Meeting
from kring.sessions.model.protocol import Capture
from kring.sessions.store.changes import AddEntry
from kring.sessions.store.events import PUT, Event, ulid
from kring.sessions.store.facade import Store
from kring.sessions.store.files.atomic import write_new

KRING = Path(sys.executable).with_name("kring")
START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
START_MS = int(START.timestamp() * 1000)
TITLE = "Bram's worries about Chantal"  # a case title: never in doctor's output
NAMES = ("Anna", "Bram", "Chantal")


def meeting(meeting_id: str) -> Meeting:
    return Meeting(id=meeting_id, community="Team 4B", date=date(2026, 11, 25),
                   protocol={"id": "incident"}, created_at=START, participants=["Anna"],
                   case=Case(title=TITLE))


def entry(number: int) -> Entry:
    return Entry(id=f"e{number}", kind=Capture.FACT, text=f"Chantal said {number}",
                 step="facts", created_at=START)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    made = Store(tmp_path / "data", FakeClock(START), state=tmp_path / "state")
    for meeting_id in ("m1", "m2"):
        made.create_meeting(meeting(meeting_id), [entry(1), entry(2)])
    made.list_meetings()
    return made


def laptop(store: Store, name: str = "laptop") -> Store:
    """Another device syncing the same data folder."""
    return Store(store.layout.root, FakeClock(START), state=store.layout.state.parent / name)


def doctor(store: Store, clock: FakeClock | None = None) -> DoctorReport:
    return check(store.layout.root, store.layout.state, clock or FakeClock(START))


def fix(store: Store, clock: FakeClock | None = None) -> DoctorReport:
    return repair(store.layout.root, clock or FakeClock(START), state=store.layout.state)


def meetings_folder(store: Store, device: str | None = None) -> Path:
    return store.layout.device_meetings(device or store.device)


def listed(store: Store) -> set[str]:
    fresh = Store(store.layout.root, FakeClock(START), state=store.layout.state)
    return {summary.id for summary in fresh.list_meetings()}


def line(device: str, key: str, fields: dict[str, object], t: int = START_MS,
         c: int = 0) -> bytes:
    return Event(ulid(t), t, c, device, PUT, key, fields).to_line()


def files(root: Path) -> dict[str, bytes]:
    return {os.fspath(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.is_symlink()}


# -- the rule ---------------------------------------------------------------------------------


def test_every_kind_is_repairable_needs_a_person_or_is_information_only() -> None:
    assert set(Kind) == REPAIRABLE | NEEDS_PERSON | INFO
    assert not REPAIRABLE & NEEDS_PERSON and not REPAIRABLE & INFO and not NEEDS_PERSON & INFO


# -- 0-byte logs and logs whose meeting is nowhere ---------------------------------------------


def test_a_0_byte_log_is_reported_and_repair_removes_it(store: Store) -> None:
    empty = meetings_folder(store) / "m3.jsonl"  # `kring new` on a full disk
    empty.touch(mode=0o600)
    assert "m3" not in listed(store)
    report = doctor(store)
    (found,) = report.findings
    assert found.kind is Kind.EMPTY_LOG and found.path == empty and "0 bytes" in found.detail
    assert report.exit_status == 1

    fixed = fix(store)
    assert not empty.exists() and fixed.failed == [] and fixed.findings == []
    assert any("m3" in done and "empty" in done for done in fixed.repaired)
    assert fixed.exit_status == 0 and doctor(store).exit_status == 0
    assert listed(store) == {"m1", "m2"}


def test_another_laptop_s_0_byte_log_is_that_laptop_s_to_remove(store: Store) -> None:
    other = laptop(store)
    other.load("m1")  # it has a device id now, and a folder
    theirs = meetings_folder(store, other.device)
    theirs.mkdir(parents=True, exist_ok=True)
    (theirs / "m1.jsonl").touch()  # harmless: m1 reads from this device's log
    (theirs / "m3.jsonl").touch()  # the only file of m3: it warns on every command
    before = files(store.layout.root)
    report = doctor(store)
    kinds = {finding.path.name: finding.kind for finding in report.findings}
    assert kinds == {"m1.jsonl": Kind.EMPTY_ELSEWHERE, "m3.jsonl": Kind.NO_MEETING_ELSEWHERE}
    assert report.exit_status == 1  # m3 needs a person: the other laptop's repair
    fixed = fix(store)
    assert files(store.layout.root) == before and fixed.exit_status == 1
    assert (theirs / "m1.jsonl").exists() and (theirs / "m3.jsonl").exists()
    # ... and on that laptop, its repair tidies both.
    assert repair(store.layout.root, FakeClock(START), state=other.layout.state).exit_status == 0
    assert not (theirs / "m1.jsonl").exists() and not (theirs / "m3.jsonl").exists()


def test_a_log_whose_meeting_is_nowhere_is_kept_byte_for_byte_in_the_state_folder(
        store: Store) -> None:
    log = meetings_folder(store) / "m3.jsonl"
    # Lines of a meeting whose header is in no log (its creator's log was lost), a damaged
    # line and a torn end among them: every byte is to be kept.
    data = (line(store.device, "e1", entry(1).to_dict()) + b"\nnot an event\n"
            + line(store.device, "e2", entry(2).to_dict())[:30])
    log.write_bytes(data)
    log.chmod(0o600)
    report = doctor(store)
    assert {f.kind for f in report.findings} == {Kind.NO_MEETING, Kind.SKIPPED_LINES}
    assert report.exit_status == 1

    fixed = fix(store)
    assert fixed.failed == [] and fixed.findings == [] and fixed.exit_status == 0
    assert not log.exists()
    (kept,) = store.layout.kept.iterdir()
    assert kept.read_bytes() == data
    assert kept.stat().st_mode & 0o777 == 0o600
    assert store.layout.root not in kept.parents  # never synced
    (said,) = [done for done in fixed.repaired if "m3" in done]
    assert str(kept) in said and str(log.parent) in said


def test_lines_added_to_another_laptop_s_meeting_are_no_finding(store: Store) -> None:
    other = laptop(store)
    other.apply("m1", AddEntry(entry(3)))  # its log of m1 holds no header: the header is in ours
    assert doctor(store).findings == []
    assert repair(store.layout.root, FakeClock(START),
                  state=other.layout.state).findings == []


def test_a_log_that_gets_its_meeting_before_the_repair_is_left_alone(store: Store) -> None:
    log = meetings_folder(store) / "m3.jsonl"
    log.write_bytes(line(store.device, "e1", entry(1).to_dict()) + b"\n")
    log.chmod(0o600)
    report = doctor(store)
    assert [f.kind for f in report.findings] == [Kind.NO_MEETING]
    other = laptop(store)
    other.create_meeting(meeting("m3"))  # the header arrives: a sync engine caught up
    from kring.sessions.care.repairs import repair_all

    done: list[str] = []
    failed: list[str] = []
    repair_all(report, store, FakeClock(START), done, failed)
    assert log.exists() and failed == [] and not store.layout.kept.exists()
    assert [e.id for e in Store(store.layout.root).load("m3").entries] == ["e1"]


def test_no_meeting_is_called_headerless_while_a_folder_cannot_be_looked_into(
        store: Store) -> None:
    log = meetings_folder(store) / "m3.jsonl"
    log.write_bytes(line(store.device, "e1", entry(1).to_dict()) + b"\n")
    loops(store)  # the header could be behind a link that leads nowhere
    assert doctor(store).of(Kind.NO_MEETING) == []
    fix(store)
    assert log.exists() and not store.layout.kept.exists()


# -- conflict copies with damaged lines --------------------------------------------------------


def test_repair_keeps_a_conflict_copy_s_damaged_lines_in_the_state_folder(
        store: Store) -> None:
    log = store.layout.meeting_log(store.device, "m1")
    copy = log.with_name("m1.sync-conflict-20261125-090000-ABCDEFG.jsonl")
    placed = line(store.device, "e3", entry(3).to_dict())
    cut = line(store.device, "e4", entry(4).to_dict())  # whole but for its newline: placed
    copy.write_bytes(log.read_bytes() + placed + b"\n\xff damaged \x00 line\n{\"half\n" + cut)
    copy.chmod(0o600)
    report = doctor(store)
    assert {f.kind for f in report.findings} == {Kind.CONFLICT_COPY, Kind.SKIPPED_LINES}

    fixed = fix(store)
    assert fixed.failed == [] and fixed.findings == [] and fixed.exit_status == 0
    assert not copy.exists()
    assert {e.id for e in Store(store.layout.root).load("m1").entries} == {
        "e1", "e2", "e3", "e4"}
    (kept,) = store.layout.kept.iterdir()
    assert kept.read_bytes() == b"\xff damaged \x00 line\n{\"half\n"
    (said,) = [done for done in fixed.repaired if copy.name in done]
    assert str(kept) in said and "2 lines of it" in said
    assert not any(store.layout.root in p.parents for p in store.layout.kept.iterdir())


def test_a_conflict_copy_of_the_communities_keeps_its_damaged_line_too(store: Store) -> None:
    from kring.sessions.model.community import Community

    store.save_community(Community("Team 4B", ["Anna"]))
    log = store.layout.communities_log(store.device)
    copy = log.with_name("communities.sync-conflict-20261125-090000-ABCDEFG.jsonl")
    copy.write_bytes(log.read_bytes() + b"damaged\n")
    copy.chmod(0o600)
    fixed = fix(store)
    assert not copy.exists() and fixed.exit_status == 0
    (kept,) = store.layout.kept.iterdir()
    assert kept.read_bytes() == b"damaged\n"


def test_write_new_never_replaces_a_kept_file(tmp_path: Path) -> None:
    first = write_new(tmp_path / "kept", "x", b"one", "kept")
    second = write_new(tmp_path / "kept", "x", b"two", "kept")
    assert first != second and first.read_bytes() == b"one" and second.read_bytes() == b"two"


# -- symbolic links ----------------------------------------------------------------------------


def loops(store: Store) -> tuple[Path, Path, Path]:
    """A link in a loop at a log, at another device's meetings folder and at a device
    folder."""
    at_log = meetings_folder(store) / "m9.jsonl"
    at_log.symlink_to(at_log.name)
    other = store.layout.devices / "01OTHERDEVICE"
    other.mkdir()
    at_folder = other / "meetings"
    at_folder.symlink_to("meetings")
    at_device = store.layout.devices / "01LOOPINGDEVICE"
    at_device.symlink_to(at_device.name)
    return at_log, at_folder, at_device


def test_links_in_a_loop_are_named_and_every_other_meeting_still_lists(store: Store) -> None:
    links = loops(store)
    fresh = Store(store.layout.root, FakeClock(START), state=store.layout.state)
    assert {s.id for s in fresh.list_meetings()} == {"m1", "m2"}
    assert [e.id for e in fresh.load("m2").entries] == ["e1", "e2"]
    fresh.apply("m2", AddEntry(entry(3)))  # and saving still works
    report = doctor(store)
    assert {f.path for f in report.of(Kind.SYMLINK)} == set(links)
    assert report.of(Kind.UNCHECKED) == [] and report.of(Kind.UNREADABLE) == []
    assert all("loop" in f.detail for f in report.of(Kind.SYMLINK))
    assert report.exit_status == 1
    fixed = fix(store)
    assert all(os.path.islink(link) for link in links)  # a person's to remove
    assert fixed.failed == [] and fixed.exit_status == 1


def test_a_link_that_leads_somewhere_is_named_and_read_through(
        store: Store, tmp_path: Path) -> None:
    log = store.layout.meeting_log(store.device, "m2")
    elsewhere = tmp_path / "m2.jsonl"
    log.rename(elsewhere)
    log.symlink_to(elsewhere)
    (found,) = doctor(store).findings
    assert found.kind is Kind.SYMLINK and str(elsewhere) in found.detail
    assert listed(store) == {"m1", "m2"}


# -- clocks ------------------------------------------------------------------------------------


def test_a_device_whose_clock_runs_ahead_is_named_and_those_who_saw_it_are_not(
        store: Store) -> None:
    ahead, follower, close = "01AHEADDEVICE", "01FOLLOWINGDEVICE", "01CLOSEDEVICE"
    hour = 3_600_000
    for device, t, c in ((ahead, START_MS + hour, 0),  # stamped by its own clock: ahead
                         (follower, START_MS + hour, 3),  # counted on from what it saw
                         (close, START_MS + AHEAD_MS - 1000, 0)):  # within the margin
        folder = meetings_folder(store, device)
        folder.mkdir(parents=True)
        (folder / "m1.jsonl").write_bytes(line(device, "e9", entry(9).to_dict(), t, c) + b"\n")
    report = doctor(store)
    (found,) = report.of(Kind.CLOCK_AHEAD)
    assert ahead in found.detail and "60 minutes" in found.detail
    text = " ".join(f.detail for f in report.findings)
    assert follower not in text and close not in text
    assert report.exit_status == 1
    # The clock is passed in: an hour later, this computer agrees, and nothing is said.
    assert doctor(store, FakeClock(START + timedelta(hours=1))).of(Kind.CLOCK_AHEAD) == []


def test_this_computer_is_named_as_itself_when_its_own_stamps_run_ahead(store: Store) -> None:
    found = doctor(store, FakeClock(START - timedelta(hours=2))).of(Kind.CLOCK_AHEAD)
    assert [store.device in f.detail and "this computer" in f.detail for f in found] == [True]


# -- purged meetings ---------------------------------------------------------------------------


def test_lines_waiting_under_a_purge_are_reported_and_this_device_s_removed(
        store: Store) -> None:
    other = laptop(store)
    other.apply("m2", AddEntry(entry(3)))  # written on a laptop that had not heard of the purge
    store.record_purge("m2", before=date(2026, 12, 1), on=date(2026, 11, 25))
    report = doctor(store)
    kinds = {(f.kind, f.path.parent.parent.name) for f in report.findings}
    assert kinds == {(Kind.PURGED_LINES, store.device), (Kind.PURGED_ELSEWHERE, other.device)}
    fixed = fix(store)
    assert not store.layout.meeting_log(store.device, "m2").exists()
    assert [f.kind for f in fixed.findings] == [Kind.PURGED_ELSEWHERE]
    assert fixed.exit_status == 1
    assert repair(store.layout.root, FakeClock(START),
                  state=other.layout.state).exit_status == 0
    assert Store(store.layout.root).meeting_logs("m2") == []


# -- the command -------------------------------------------------------------------------------


def kring(store: Store, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KRING_DATA": str(store.layout.root),
           "KRING_STATE": str(store.layout.state), "COLUMNS": "300", "LANG": "C.UTF-8"}
    return subprocess.run([str(KRING), *argv], capture_output=True, text=True, env=env,
                          timeout=60, check=False)


@pytest.mark.skipif(not KRING.exists(), reason=f"no kring command next to {sys.executable}")
def test_kring_list_and_doctor_with_links_in_a_loop(store: Store) -> None:
    at_log, at_folder, at_device = loops(store)
    listing = kring(store, "list")
    assert listing.returncode == 0, listing.stdout + listing.stderr
    assert "m1" in listing.stdout and "m2" in listing.stdout
    assert "Traceback" not in listing.stderr and "unexpected" not in listing.stderr
    checked = kring(store, "doctor")
    assert checked.returncode == 1, checked.stdout + checked.stderr
    out = " ".join(checked.stdout.split())
    for link in (at_log, at_folder, at_device):
        assert os.fspath(link.relative_to(store.layout.root)) in out
    assert not (store.layout.state / "logs").exists()  # no crash report


@pytest.mark.skipif(not KRING.exists(), reason=f"no kring command next to {sys.executable}")
def test_kring_doctor_exits_1_while_something_is_to_do_and_0_once_repaired(
        store: Store) -> None:
    assert kring(store, "doctor").returncode == 0
    (meetings_folder(store) / "m3.jsonl").touch(mode=0o600)
    log = store.layout.meeting_log(store.device, "m1")
    copy = log.with_name("m1.sync-conflict-20261125-090000-ABCDEFG.jsonl")
    copy.write_bytes(log.read_bytes() + b"damaged\n")
    copy.chmod(0o600)
    checked = kring(store, "doctor")
    assert checked.returncode == 1 and "m3" in checked.stdout and "Nothing was changed" in (
        checked.stdout)
    repaired = kring(store, "doctor", "--repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    (kept,) = store.layout.kept.iterdir()
    assert str(kept) in repaired.stdout  # named in full, on one line
    assert kring(store, "doctor").returncode == 0
    listing = kring(store, "list")
    assert listing.stderr == ""  # no warning left about the empty log
    for shown in (checked.stdout, repaired.stdout):
        assert TITLE not in shown and not any(name in shown for name in NAMES[1:])


@pytest.mark.skipif(not KRING.exists(), reason=f"no kring command next to {sys.executable}")
def test_kring_doctor_speaks_dutch(store: Store) -> None:
    (meetings_folder(store) / "m3.jsonl").touch(mode=0o600)
    checked = kring(store, "--lang", "nl", "doctor")
    assert checked.returncode == 1
    assert "0 bytes" in checked.stdout and "leeg" in checked.stdout


def test_doctor_output_names_no_one(store: Store) -> None:
    (meetings_folder(store) / "m3.jsonl").write_bytes(
        line(store.device, "e1", entry(1).to_dict()) + b"\n")
    loops(store)
    report = doctor(store, FakeClock(START - timedelta(hours=1)))
    text = json.dumps([f.detail for f in report.findings])
    assert report.findings and TITLE not in text and not any(n in text for n in NAMES)
