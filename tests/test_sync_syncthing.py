"""Kring on a real sync engine: two Syncthing instances on this machine carry one data folder.

Each instance has its own home and its own Kring data folder; they know each other by address
on 127.0.0.1 only (no discovery, relays, NAT, upgrades or usage reports), share one folder and
notice changes with the file watcher. Entries added on both sides, by two devices (state
folders), appear on both. A conflict made on purpose, one device id (one state folder) writing
the same log on both sides while the two are disconnected, leaves Syncthing's conflict copy,
and both sides still load every entry.

Debian's `syncthing` package is needed (CI installs it); without the binary these tests skip.
The two Syncthings are tests/support/syncthing.py's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from kring.sessions.meeting.changes import SetDetails
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.model.protocol import Capture
from kring.sessions.protocols.templates import load_protocol, protocol_to_data
from kring.sessions.store.changes import AddEntry
from kring.sessions.store.facade import Store
from kring.sessions.store.layout import Name, classify
from kring.templates import BUILTIN_DIR
from tests.support.syncthing import SYNCTHING, SyncthingPair, arrival, wait_for

# -- Kring on both sides -------------------------------------------------------------------------

START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
PROTOCOL = protocol_to_data(load_protocol(BUILTIN_DIR / "en" / "incident.toml"))


def meeting(meeting_id: str) -> Meeting:
    return Meeting(id=meeting_id, community="CoP", date=date(2026, 11, 27), protocol=PROTOCOL,
                   created_at=START, participants=["Anna", "Bram", "Chris"],
                   roles={"facilitator": "Anna", "case-bringer": "Bram"})


def entry(entry_id: str, text: str, seconds: int = 0) -> Entry:
    return Entry(id=entry_id, kind=Capture.FACT, text=text, step="choose",
                 created_at=datetime.fromtimestamp(START.timestamp() + seconds, UTC),
                 author="Chris")


def ids(store: Store, meeting_id: str) -> set[str]:
    try:
        return {e.id for e in store.load(meeting_id).entries}
    except Exception:
        return set()


pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(SYNCTHING is None, reason="the syncthing binary is not "
                                 "installed (Debian: apt-get install syncthing; CI installs it)")]


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SyncthingPair]:
    with SyncthingPair.running(tmp_path_factory.mktemp("syncthing")) as running:
        yield running


def test_entries_added_on_both_sides_appear_on_both(
        pair: SyncthingPair, tmp_path: Path, record_property: Callable[[str, object], None]
        ) -> None:
    one = Store(pair.one.folder, state=tmp_path / "state-one")
    two = Store(pair.two.folder, state=tmp_path / "state-two")
    one.create_meeting(meeting("both"), [entry("made", "made on one")])
    arrived = [arrival(two, "both", "made")]
    # Both sides at once, then each side's newest timed to the other.
    for number in range(5):
        one.apply("both", AddEntry(entry(f"one{number}", f"from one {number}", number)))
        two.apply("both", AddEntry(entry(f"two{number}", f"from two {number}", number)))
        arrived.append(arrival(two, "both", f"one{number}"))
        arrived.append(arrival(one, "both", f"two{number}"))
    expected = {"made"} | {f"{side}{n}" for side in ("one", "two") for n in range(5)}
    for store in (one, two):
        assert wait_for("every entry on both sides", lambda s=store: ids(s, "both") == expected)
    assert one.load("both").entries == two.load("both").entries
    for folder in (pair.one.folder, pair.two.folder):
        assert not [p for p in folder.rglob("*.jsonl") if classify(p.name)[0] is Name.CONFLICT]
    arrived.sort()
    median = arrived[len(arrived) // 2]
    record_property("commit_to_arrival_median_s", round(median, 3))
    record_property("commit_to_arrival_max_s", round(arrived[-1], 3))
    print(f"commit to arrival over Syncthing: median {median:.2f} s, max {arrived[-1]:.2f} s "
          f"({len(arrived)} commits)")


def test_one_device_writing_on_both_sides_while_apart_is_merged(
        pair: SyncthingPair, tmp_path: Path) -> None:
    # One state folder for both sides: one device id, so both append to the same log.
    state = tmp_path / "one-device"
    one = Store(pair.one.folder, state=state)
    two = Store(pair.two.folder, state=state)
    one.create_meeting(meeting("apart"), [entry("before", "before the break")])
    arrival(two, "apart", "before")
    pair.pause()
    try:
        for number in range(3):
            one.apply("apart", AddEntry(
                entry(f"here{number}", f"written on one {number}", number)))
            two.apply("apart", AddEntry(
                entry(f"there{number}", f"written on two {number}", number)))
        two.apply("apart", SetDetails((("goal", "set on two while apart"),)))
    finally:
        pair.resume()
    expected = {"before"} | {f"{where}{n}" for where in ("here", "there") for n in range(3)}
    log = "apart.jsonl"

    def conflict_copies() -> list[Path]:
        return [path for folder in (pair.one.folder, pair.two.folder)
                for path in folder.rglob("apart*.jsonl")
                if classify(path.name)[0] is Name.CONFLICT]

    # Syncthing keeps one version under the log's name and the other beside it.
    wait_for("Syncthing's conflict copy on both sides",
             lambda: {p.parent.parent.parent.parent for p in conflict_copies()}
             == {pair.one.folder, pair.two.folder})
    for folder in (pair.one.folder, pair.two.folder):
        assert len(list(folder.rglob(log))) == 1
    for side in (one, two):
        fresh = Store(side.layout.root, state=tmp_path / f"fresh-{side.layout.root.parent.name}")
        assert wait_for("every entry on both sides",
                        lambda s=fresh: ids(s, "apart") == expected)
        assert fresh.load("apart").meeting.goal == "set on two while apart"


def test_a_store_left_running_sees_the_merge_too(pair: SyncthingPair, tmp_path: Path) -> None:
    state = tmp_path / "one-device"
    one = Store(pair.one.folder, state=state)
    two = Store(pair.two.folder, state=state)
    one.create_meeting(meeting("running"), [entry("before", "before the break")])
    arrival(two, "running", "before")
    pair.pause()
    try:
        one.apply("running", AddEntry(entry("here", "written on one")))
        # Later and longer on two: Syncthing keeps the newer version under the log's name.
        two.apply("running", AddEntry(entry("there", "written on two, a little later")))
        two.apply("running", SetDetails((("goal", "set on two"),)))
    finally:
        pair.resume()
    expected = {"before", "here", "there"}
    fresh = Store(pair.one.folder, state=tmp_path / "fresh")
    wait_for("the merge on one", lambda: ids(fresh, "running") == expected)
    assert ids(one, "running") == expected
    assert one.load("running").meeting.goal == "set on two"
