"""Syncthing as far as Kring can tell, simulated between the data folders of devices on one
machine: whole files, written to a temporary name and renamed, in any order, some only half-way
(a transfer still under way); the newer version wins by version vector, and a file changed on
two devices without either seeing the other's change is kept beside the winner as
``<name>.sync-conflict-<date>-<time>-<device>.jsonl``. Each device has a clock of its own,
off from the world's by a fixed amount."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from kring.sessions.model.clock import FakeClock
from kring.sessions.protocols.templates import load_protocol, protocol_to_data
from kring.sessions.store.facade import Store
from kring.templates import BUILTIN_DIR

PROTOCOL = protocol_to_data(load_protocol(BUILTIN_DIR / "en" / "incident.toml"))
CONFLICT_DAY = "20261127"
# Memory, where there is a memory file system: what is tested here is the merge, not the disk,
# and a thousand fsyncs per example would make the property slow on a busy machine.
SCRATCH = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None


# -- devices and their clocks --------------------------------------------------------------------


@dataclass
class SkewedClock:
    """A laptop's clock: the world's time, off by a fixed amount."""

    world: FakeClock
    skew: timedelta

    def now(self) -> datetime:
        return self.world.current + self.skew


@dataclass
class Device:
    """A laptop: its data folder and state folder, its clock, and a store open on them."""

    number: int
    data: Path
    state: Path
    clock: SkewedClock
    store: Store  # long-running, like an open app: it reads others' changes incrementally

    def fresh(self) -> Store:
        """The same device as a new process (a `kring` command) sees it."""
        return Store(self.data, self.clock, state=self.state)


# -- the sync engine -----------------------------------------------------------------------------

VersionVector = dict[int, int]


@dataclass
class Version:
    vector: VersionVector  # which device changed it how often, as Syncthing counts
    content: bytes


def dominates(a: VersionVector, b: VersionVector) -> bool:
    """Whether ``a`` has seen every change ``b`` has (and is not ``b``)."""
    return a != b and all(a.get(key, 0) >= count for key, count in b.items())


@dataclass
class SyncEngine:
    """Syncthing as far as Kring can tell: whole files, newer (by version vector) wins, a
    conflict copy when two devices changed one file without seeing each other's change."""

    folders: list[Path]
    known: list[dict[str, Version]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    # (size, mtime) of each file as last read, so a scan reads only what changed
    seen: list[dict[str, tuple[int, int]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.known = [{} for _ in self.folders]
        self.seen = [{} for _ in self.folders]

    def notice(self, number: int) -> None:
        """Scan a folder (as the engine's watcher does): files that changed there are new
        local versions."""
        folder = self.folders[number]
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.name.startswith(".syncthing."):
                continue
            relative = path.relative_to(folder).as_posix()
            status = path.stat()
            if self.seen[number].get(relative) == (status.st_size, status.st_mtime_ns):
                continue
            self.seen[number][relative] = (status.st_size, status.st_mtime_ns)
            content = path.read_bytes()
            version = self.known[number].get(relative)
            if version is None or version.content != content:
                vector = dict(version.vector) if version is not None else {}
                vector[number] = vector.get(number, 0) + 1
                self.known[number][relative] = Version(vector, content)

    def send(self, source: int, target: int, names: list[str] | None = None,
             torn: random.Random | None = None) -> bool:
        """Bring ``names`` (all of them: None) from ``source`` to ``target`` where the source
        has a newer version; with ``torn``, each copy stops at a random byte (a transfer
        still under way). Returns whether the target changed."""
        self.notice(source)
        self.notice(target)
        theirs, ours = self.known[source], self.known[target]
        changed = False
        for name in sorted(theirs) if names is None else names:
            offered, held = theirs.get(name), ours.get(name)
            if offered is None:
                continue
            if held is not None and (held.vector == offered.vector
                                     or dominates(held.vector, offered.vector)):
                continue
            if held is None or dominates(offered.vector, held.vector):
                if torn is not None and (held is None or offered.content.startswith(
                        held.content)) and len(offered.content) > len(held.content if held
                                                                     else b"") + 1:
                    base = len(held.content) if held is not None else 0
                    part = offered.content[:torn.randint(base + 1, len(offered.content) - 1)]
                    self._write(target, name, part)
                    # The engine still holds the old version: the rest comes later.
                    ours[name] = Version(held.vector if held is not None else {}, part)
                else:
                    self._write(target, name, offered.content)
                    ours[name] = Version(dict(offered.vector), offered.content)
                changed = True
                continue
            # Changed on both sides: one wins (the longer here), the other is kept aside.
            winner, loser = (offered, held) if (len(offered.content), offered.content) > (
                len(held.content), held.content) else (held, offered)
            copy = self._conflict_name(name)
            self._write(target, copy, loser.content)
            ours[copy] = Version({target: 1}, loser.content)
            merged = {key: max(winner.vector.get(key, 0), held.vector.get(key, 0),
                               offered.vector.get(key, 0))
                      for key in {*winner.vector, *held.vector, *offered.vector}}
            merged[target] = merged.get(target, 0) + 1
            if winner is offered:
                self._write(target, name, winner.content)
            ours[name] = Version(merged, winner.content)
            changed = True
        return changed

    def exchange(self) -> None:
        """Every device sends everything to every other until nothing changes."""
        count = len(self.folders)
        while any([self.send(source, target) for source in range(count)
                   for target in range(count) if source != target]):
            pass

    def _conflict_name(self, name: str) -> str:
        stem = name.removesuffix(".jsonl")
        self.conflicts.append(name)
        return f"{stem}.sync-conflict-{CONFLICT_DAY}-{len(self.conflicts):06d}-ABCDEFG.jsonl"

    def _write(self, number: int, name: str, content: bytes) -> None:
        path = self.folders[number] / name
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".syncthing.{path.name}.tmp")
        temp.write_bytes(content)
        os.replace(temp, path)
        status = path.stat()
        self.seen[number][name] = (status.st_size, status.st_mtime_ns)


class Synced(Protocol):
    """What ``do_sync`` needs of a property test's world: its devices and the engine between
    them."""

    devices: list[Device]
    engine: SyncEngine


def do_sync(world: Synced, step: dict[str, Any]) -> None:
    """One sync as a property test draws it: some of one device's files, in any order, to
    another, now and then stopping part-way."""
    count = len(world.devices)
    source = step["device"] % count
    target = (source + 1 + step["other"] % (count - 1)) % count
    engine = world.engine
    engine.notice(source)
    names = sorted(engine.known[source])
    # Any subset, in any order: a meeting's log may come before or after the community's.
    chosen = list(dict.fromkeys(names[index % len(names)] for index in step["files"]))
    # Now and then each copy stops part-way, as a transfer still under way.
    torn = random.Random(step["pick"]) if step["torn"] == 0 else None
    engine.send(source, target, chosen, torn)
