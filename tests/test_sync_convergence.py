"""Devices that sync one data folder end in one state, whatever order the files travel in.

Each simulated device is a ``Store`` with a state folder (its device id) and a data folder of
its own, as on its own laptop. Between random changes (entries added, edited, deleted, action
points marked in a later meeting's review, the meeting's header, rosters), a simulated sync
engine copies files between the data folders the way Syncthing does: whole files, written to
a temporary name and renamed, in any order, some only half-way (a transfer still under way),
and the newer version wins by version vector. When one file changed on two devices without
either seeing the other's change (only possible here for a "twin": a device whose state folder
was copied from another, so both write the same log), the engine keeps one version and puts
the other beside it as ``<name>.sync-conflict-<date>-<time>-<device>.jsonl``.

After a full exchange every device, long-running or started afresh, must show the same
meetings, entries (in the same order), communities and list, the same Markdown minutes byte
for byte, and every entry that was committed and not deleted.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kring.sessions.care.followup import mark
from kring.sessions.documents.minutes import render_markdown
from kring.sessions.errors import NotFoundError
from kring.sessions.meeting.changes import SetDetails
from kring.sessions.model.clock import FakeClock
from kring.sessions.model.community import Community
from kring.sessions.model.meeting import ActionStatus, Case, Entry, Meeting
from kring.sessions.model.protocol import Capture
from kring.sessions.store.changes import AddEntry, DeleteEntry, EditEntry
from kring.sessions.store.facade import Store
from kring.sessions.store.rosters import add_member, remove_member, set_retention
from tests.support.budget import examples
from tests.support.store import Mutate
from tests.support.sync_engine import (
    CONFLICT_DAY,
    PROTOCOL,
    SCRATCH,
    Device,
    SkewedClock,
    SyncEngine,
    do_sync,
)

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
COMMUNITY = "Team 4B"
PEOPLE = ["Anna", "Bram", "Chris", "Dewi"]
FIRST, LATER = "m1", "m2"  # the meeting changes happen in; the later one that reviews it
WORDS = st.text(alphabet="abcdé xyz😀", min_size=1, max_size=8)


def meeting(meeting_id: str, day: date, created: datetime) -> Meeting:
    return Meeting(id=meeting_id, community=COMMUNITY, date=day, protocol=PROTOCOL,
                   created_at=created, participants=list(PEOPLE),
                   roles={"facilitator": "Anna", "case-bringer": "Bram"},
                   case=Case("Late again", "Pupil X is late", "What can I do?"))


def entry(entry_id: str, kind: Capture, text: str, created: datetime, **more: Any) -> Entry:
    return Entry(id=entry_id, kind=kind, text=text, step="choose", created_at=created, **more)


# -- the world -----------------------------------------------------------------------------------


@dataclass
class World:
    devices: list[Device]
    engine: SyncEngine
    world: FakeClock
    added: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)
    put_again: set[str] = field(default_factory=set)  # marked after some delete: may be back
    made: int = 0

    def next_id(self, prefix: str) -> str:
        self.made += 1
        return f"{prefix}{self.made}"


@contextmanager
def world_of(skews: list[int], twin: bool) -> Iterator[World]:
    with tempfile.TemporaryDirectory(prefix="kring-sync-", dir=SCRATCH) as tmp:
        base = Path(tmp)
        world = FakeClock(START)
        devices = []
        for number, skew in enumerate(skews):
            state = base / f"state{number}"
            if twin and number == len(skews) - 1:
                # A copied state folder: the same device id writing in a second place.
                state.mkdir()
                (state / "device").write_bytes((base / "state0" / "device").read_bytes())
            clock = SkewedClock(world, timedelta(seconds=skew))
            data = base / f"data{number}"
            devices.append(Device(number, data, state, clock, Store(data, clock, state=state)))
            if number == 0:
                first = devices[0].store
                first.create_meeting(meeting(FIRST, date(2026, 11, 25), clock.now()), [
                    entry("a0", Capture.ACTION, "Call the parents", clock.now(), owner="Bram",
                          due=date(2026, 12, 1)),
                    entry("f0", Capture.FACT, "Late three times", clock.now())])
                first.save_community(Community(COMMUNITY, list(PEOPLE)))
        # The later meeting is prepared on another laptop.
        second = devices[1]
        second.store.create_meeting(meeting(LATER, date(2026, 12, 9), second.clock.now()))
        engine = SyncEngine([device.data for device in devices])
        made = World(devices, engine, world, added={"a0", "f0"})
        engine.exchange()
        yield made


# -- what may happen -----------------------------------------------------------------------------

# Everything a step might need is drawn whatever the step turns out to be, so that what is drawn
# never depends on the store's state (which can differ between runs where two events tie on
# their clock and their random ids decide).
STEP = st.fixed_dictionaries({
    "advance": st.sampled_from([0, 0, 1, 30]),
    "what": st.sampled_from(["sync", "sync", "sync", "add", "add", "edit", "delete", "mark",
                             "header", "roster"]),
    "device": st.integers(0, 4),
    "other": st.integers(0, 4),
    "pick": st.integers(0, 1 << 16),
    "kind": st.sampled_from([Capture.FACT, Capture.QUESTION, Capture.ACTION]),
    "text": WORDS,
    "person": st.sampled_from(PEOPLE),
    "due": st.one_of(st.none(), st.dates(date(2026, 12, 1), date(2027, 1, 31))),
    "flag": st.booleans(),
    "field": st.sampled_from(["text", "owner", "due", "private"]),
    "status": st.sampled_from(list(ActionStatus)),
    "header": st.sampled_from(["goal", "case", "step", "participant", "protect"]),
    "roster": st.sampled_from(["join", "leave", "retention", "new", "drop", "rename"]),
    "files": st.lists(st.integers(0, 64), max_size=8),
    "torn": st.integers(0, 3),
})


def pick(items: list[Any], step: dict[str, Any]) -> Any:
    return items[step["pick"] % len(items)]


def visible(device: Device) -> list[Entry]:
    return sorted(device.store.load(FIRST).entries, key=lambda e: e.id)


def do_add(world: World, device: Device, step: dict[str, Any]) -> None:
    more: dict[str, Any] = {"author": step["person"], "private": step["flag"]}
    if step["kind"] is Capture.ACTION:
        more |= {"owner": pick(PEOPLE, step), "due": step["due"]}
    made = entry(world.next_id("e"), step["kind"], step["text"], device.clock.now(), **more)
    device.store.apply(FIRST, AddEntry(made))
    world.added.add(made.id)


def do_edit(world: World, device: Device, step: dict[str, Any]) -> None:
    if not (entries := visible(device)):
        return
    name = step["field"]
    value = {"text": step["text"], "owner": step["person"] if step["flag"] else None,
             "due": step["due"], "private": step["flag"]}[name]
    device.store.apply(FIRST, EditEntry(pick(entries, step).id,
                                        {name: value, "updated_at": device.clock.now()}))


def do_delete(world: World, device: Device, step: dict[str, Any]) -> None:
    if not (entries := visible(device)):
        return
    target = pick(entries, step)
    if device.store.apply(FIRST, DeleteEntry(target.id)) is not None:
        world.deleted.add(target.id)


def do_mark(world: World, device: Device, step: dict[str, Any]) -> None:
    """Where an action point stands, said in the later meeting's review (which writes the
    whole entry again, and the review into the later meeting's header)."""
    if not (actions := [e for e in visible(device) if e.kind is Capture.ACTION]):
        return
    target = pick(actions, step)
    later = device.store.load(LATER).meeting
    try:
        mark(device.store, (FIRST, target.id), step["status"], in_meeting=later,
             on=device.clock.now().date(), comment="ok" if step["flag"] else "")
    except NotFoundError:
        return
    world.put_again.add(target.id)


def do_header(world: World, device: Device, step: dict[str, Any]) -> None:
    change, value = step["header"], step["text"]

    def mutate(found: Meeting) -> None:
        if change == "goal":
            found.goal = value
        elif change == "case":
            found.case = replace(found.case, title=value)
        elif change == "step":
            found.current_step = step["pick"] % 4
        elif change == "participant" and value not in found.participants:
            found.participants = [*found.participants, value]
        elif change == "protect":
            found.protected_names = [value]

    device.store.apply(FIRST if step["flag"] else LATER, Mutate(mutate))


def do_roster(world: World, device: Device, step: dict[str, Any]) -> None:
    store = device.store
    change = step["roster"]
    extra = sorted(c.name for c in store.communities() if c.name != COMMUNITY)
    if change == "join":
        add_member(store, COMMUNITY, pick(["Eva", "Femke", *PEOPLE], step))
    elif change == "leave":
        members = next(c.members for c in store.communities() if c.name == COMMUNITY)
        if members:
            remove_member(store, COMMUNITY, pick(members, step))
    elif change == "retention":
        set_retention(store, COMMUNITY, pick([None, 30, 365], step))
    elif change == "new":
        store.save_community(Community(world.next_id("Group "), ["Anna"]))
    elif extra and change == "drop":
        store.delete_community(pick(extra, step))
    elif extra and change == "rename":
        new_name = world.next_id("Renamed ")

        def rename(found: Community) -> None:
            found.name = new_name

        store.update_community(pick(extra, step), rename)


CHANGES = {"add": do_add, "edit": do_edit, "delete": do_delete, "mark": do_mark,
           "header": do_header, "roster": do_roster}


# -- what must hold ------------------------------------------------------------------------------


def state_of(store: Store, *, listing: bool = True) -> dict[str, Any]:
    first, later = store.load(FIRST), store.load(LATER)
    return ({"list": [s.to_dict() for s in store.list_meetings()]} if listing else {}) | {
        "meetings": [first.meeting.to_dict(), later.meeting.to_dict()],
        "entries": [e.to_dict() for e in first.entries],
        "later entries": [e.to_dict() for e in later.entries],
        "communities": [c.to_dict() for c in store.communities()],
        "minutes": [render_markdown(first.meeting, first.entries),
                    render_markdown(later.meeting, later.entries)],
    }


def check_converged(world: World, *, running: bool = True, clean: bool = True) -> None:
    engine = world.engine
    engine.exchange()
    for number in range(len(world.devices)):
        engine.notice(number)
    # The engine's own promise first: every folder holds the same files.
    folders = [{name: version.content for name, version in known.items()}
               for known in engine.known]
    assert all(folder == folders[0] for folder in folders)

    states = []
    for device in world.devices:
        stores = [("fresh", device.fresh())]
        if running:
            stores.append(("running", device.store))
        for kind, store in stores:
            # The running store shares its state folder (and index) with the fresh one.
            states.append((kind, device.number, state_of(store, listing=kind == "fresh")))
            if clean and kind == "fresh":
                # Torn transfers were completed: nothing is left to report as damaged (a
                # running store still lists what it met on the way: "since it was opened").
                assert store.problems == [], f"problems on device {device.number}"
    expected = next(state for kind, _, state in states if kind == "fresh")  # has every part
    for kind, number, state in states:
        for part, value in state.items():
            assert value == expected[part], f"{part} differs on {kind} device {number}"

    present = {e["id"] for e in expected["entries"]}
    kept = world.added - world.deleted
    assert kept <= present, f"committed entries missing: {sorted(kept - present)}"
    gone = world.deleted - world.put_again
    assert not (gone & present), f"deleted entries back: {sorted(gone & present)}"
    assert present <= world.added


# -- particular cases ----------------------------------------------------------------------------


def entries_on(device: Device) -> dict[str, Entry]:
    return {e.id: e for e in device.fresh().load(FIRST).entries}


def all_lines(world: World) -> bytes:
    return b"".join(path.read_bytes() for path in world.devices[0].data.rglob("*.jsonl"))


def test_a_change_made_after_seeing_another_wins_whatever_the_clocks_say() -> None:
    with world_of([7200, -3600, 0], twin=False) as world:
        ahead, behind, _third = world.devices
        ahead.store.apply(FIRST, EditEntry("f0", {"text": "ahead's"}))
        world.engine.send(0, 1)
        world.world.advance(1)
        # Two hours behind on the wall clock, but made after seeing ahead's: it wins.
        behind.store.apply(FIRST, EditEntry("f0", {"text": "behind's, later"}))
        # Made without seeing each other's: both kept, as they set different fields.
        ahead.store.apply(FIRST, EditEntry("a0", {"owner": "Chris"}))
        behind.store.apply(FIRST, EditEntry("a0", {"due": date(2027, 1, 1)}))
        # The same field: the later clock wins, and the other value stays in the logs.
        ahead.store.apply(FIRST, SetDetails((("goal", "ahead's goal"),)))
        behind.store.apply(FIRST, SetDetails((("goal", "behind's goal"),)))
        world.engine.exchange()
        for device in world.devices:
            entries = entries_on(device)
            assert entries["f0"].text == "behind's, later"
            assert (entries["a0"].owner, entries["a0"].due) == ("Chris", date(2027, 1, 1))
            assert device.fresh().load(FIRST).meeting.goal == "ahead's goal"
        assert b"behind's goal" in all_lines(world)
        check_converged(world)


def test_an_edit_does_not_bring_back_an_entry_deleted_elsewhere() -> None:
    with world_of([0, 0, 0], twin=False) as world:
        first, second, _third = world.devices
        world.world.advance(1)
        assert second.store.apply(FIRST, DeleteEntry("f0")) is not None
        world.deleted.add("f0")
        world.world.advance(1)  # the edit is later, but never saw the entry deleted
        first.store.apply(FIRST, EditEntry("f0", {"text": "still typing"}))
        world.engine.exchange()
        for device in world.devices:
            assert "f0" not in entries_on(device)
        assert b"still typing" in all_lines(world)  # kept in the history all the same
        check_converged(world)


def conflict_copy(world: World) -> tuple[Device, Path]:
    """Device 0's meeting log changed on two laptops at once (its twin, device 2, wrote more
    lines), left by the engine as a conflict copy beside the original on device 0."""
    original, _other, twin = world.devices
    world.world.advance(1)
    twin.store.apply(FIRST, AddEntry(entry("t1", Capture.QUESTION, "from the twin",
                                           twin.clock.now(), author="Dewi")))
    twin.store.apply(FIRST, SetDetails((("goal", "the twin's goal"),)))
    world.world.advance(1)
    original.store.apply(FIRST, AddEntry(entry("o1", Capture.FACT, "from the original",
                                               original.clock.now(), author="Anna")))
    log = original.store.layout.meeting_log(original.store.device, FIRST)
    name = log.name.replace(".jsonl", f".sync-conflict-{CONFLICT_DAY}-120000-ABCDEFG.jsonl")
    copy = log.with_name(name)
    copy.write_bytes(log.read_bytes() + b"".join(
        line + b"\n" for line in twin.store.layout.meeting_log(
            twin.store.device, FIRST).read_bytes().splitlines()
        if line not in log.read_bytes().splitlines()))
    return original, copy


def test_a_conflict_copy_with_extra_lines_is_merged_on_every_device() -> None:
    with world_of([0, 30, 0], twin=True) as world:
        _original, copy = conflict_copy(world)
        world.engine.send(0, 1)  # the original and its copy; the twin's log stays at home
        for device in world.devices[:2]:
            record = device.fresh().load(FIRST)
            assert {"t1", "o1", "a0", "f0"} <= {e.id for e in record.entries}
            assert record.meeting.goal == "the twin's goal"
        assert copy.exists()  # read, never rewritten nor removed
        world.added |= {"t1", "o1"}
        check_converged(world, running=False)  # the twin's log too: one more conflict copy


def test_a_conflict_copy_of_the_communities_log_is_merged() -> None:
    with world_of([0, 0, 0], twin=True) as world:
        original, _other, twin = world.devices
        twin.store.update_community(COMMUNITY, lambda c: c.members.append("Femke"))
        world.world.advance(1)
        original.store.update_community(COMMUNITY, lambda c: setattr(c, "retention_days", 30))
        world.engine.exchange()  # one version wins, the other is kept as a conflict copy
        assert any(".sync-conflict-" in name for name in world.engine.known[0])
        for device in world.devices:
            found = next(c for c in device.fresh().communities() if c.name == COMMUNITY)
            assert "Femke" in found.members and found.retention_days == 30


def test_a_fresh_store_changes_what_a_conflict_copy_holds() -> None:
    with world_of([0, 0, 0], twin=True) as world:
        original, _copy = conflict_copy(world)
        assert "t1" in entries_on(original)
        world.world.advance(1)
        assert original.fresh().apply(FIRST, EditEntry("t1", {"text": "edited"})) is not None
        assert original.fresh().apply(FIRST, DeleteEntry("t1")) is not None
        original.fresh().apply(FIRST, SetDetails((("goal", ""),)))
        assert original.fresh().load(FIRST).meeting.goal == ""


def test_a_running_store_sees_its_log_swapped_for_the_conflicts_winner() -> None:
    with world_of([0, 0, 0], twin=True) as world:
        original, _other, twin = world.devices
        world.world.advance(1)
        original.store.apply(FIRST, AddEntry(entry("o1", Capture.FACT, "one of the original's",
                                                   original.clock.now())))
        twin.store.apply(FIRST, AddEntry(entry("t1", Capture.FACT, "the twin's",
                                               twin.clock.now())))
        assert {"o1", "t1"} & set(entries_on(twin)) == {"t1"}
        world.engine.exchange()  # the longer version (the original's) wins
        assert {"o1", "t1"} <= {e.id for e in twin.store.load(FIRST).entries}


@pytest.mark.slow
@settings(max_examples=examples(300), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(count=st.integers(3, 5), twin=st.booleans(),
       skews=st.lists(st.sampled_from([0, 0, -3600, -2, 1, 90, 7200]), min_size=5,
                      max_size=5),
       steps=st.lists(STEP, max_size=30))
def test_devices_that_exchanged_everything_agree(count: int, twin: bool, skews: list[int],
                                                 steps: list[dict[str, Any]]) -> None:
    with world_of(skews[:count], twin) as world:
        for step in steps:
            world.world.advance(step["advance"])
            if step["what"] == "sync":
                do_sync(world, step)
            else:
                CHANGES[step["what"]](world, world.devices[step["device"] % count], step)
        # A twin may append to a half-copied log of its own: those torn bytes stay a line.
        check_converged(world, running=True, clean=not twin)
        if not twin:
            # One writer per file: the engine never saw one file changed in two places.
            assert world.engine.conflicts == []
