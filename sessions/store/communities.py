"""Communities and their rosters: events in each device's communities log, keyed by name.

A change is written as events appended to this device's log under a lock, after catching up
with every device's log, like a meeting's (``meetings.py``): only what changed, each member
and each consent decision a part of its own (``shapes.py``), so laptops that change one
roster offline keep each other's changes. A rename is the old name deleted and the new one
put, in one write. The log also holds the purge records every laptop honours (``PURGED``).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from kring.sessions.errors import NotFoundError, StoreError
from kring.sessions.i18n import _
from kring.sessions.model.community import Community
from kring.sessions.store.events import DELETE, PUT, HybridClock
from kring.sessions.store.files.atomic import ensure_private_dir
from kring.sessions.store.files.locking import file_lock
from kring.sessions.store.layout import (
    COMMUNITIES_LOG,
    COMMUNITIES_WHAT,
    LOG,
    Layout,
    Name,
    check_id,
    classify,
    device_folders,
)
from kring.sessions.store.logs import Change, LineProblem, Stream
from kring.sessions.store.meetings import DAMAGE
from kring.sessions.store.shapes import (
    CHILD,
    COMMUNITY,
    VALUE,
    Decoded,
    changes_to,
    child_key,
    decode,
    durable,
    encode,
    new_tag,
)

T = TypeVar("T")
PURGED = CHILD + "purged/"  # + meeting id: a purge record, a part of no community


def communities_copies(device_folder: Path) -> list[Path]:
    """Conflict copies a sync engine made of a device's communities log: read like it."""
    try:
        names = sorted(os.listdir(device_folder))
    except OSError:  # gone, not a folder, or unreadable: doctor names the last
        return []
    return [device_folder / name for name in names
            if classify(name) == (Name.CONFLICT, COMMUNITIES_LOG.removesuffix(LOG))]


class Communities:
    def __init__(self, layout: Layout, device: Callable[[], str], clock: HybridClock, *,
                 lock_timeout: float, mutex: threading.RLock,
                 on_lines: Callable[[list[LineProblem]], None],
                 own: Callable[[], str | None] | None = None) -> None:
        self.on_lines = on_lines
        self.layout = layout
        self.device = device
        self.clock = clock
        self.lock_timeout = lock_timeout
        self.mutex = mutex
        self.stream = Stream(_(COMMUNITIES_WHAT), clock, own=own)

    def all(self) -> list[Community]:
        """Every community, by name."""
        with self.mutex:
            self._catch_up()
            found = []
            state = self.stream.state
            for name, record in state.live():
                if CHILD in name:
                    continue  # a part of a community (a member, a consent decision)
                try:
                    found.append(Community.from_dict(
                        decode(state, name, record.values, COMMUNITY, parts=False).value))
                except DAMAGE:
                    continue  # reported by doctor; the others still list
        return sorted(found, key=lambda community: community.name.casefold())

    def save(self, community: Community) -> None:
        value = community.to_dict()
        with self._locked():
            self._write(changes_to(self.stream.state, community.name, value, COMMUNITY)
                        or [durable(community.name, value, COMMUNITY)])

    def update(self, name: str, mutate: Callable[[Community], T]) -> T:
        """Only what ``mutate`` changed is written, each member and each consent decision
        as its own change: what another laptop added meanwhile stays."""
        with self._locked():
            state = self.stream.state
            decoded = self._decoded(name)
            if decoded is None or CHILD in name:
                raise NotFoundError(_("There is no such community."))
            community = Community.from_dict(decoded.value)
            before = community.to_dict()
            result = mutate(community)
            after = community.to_dict()
            if community.name != name:
                if self._decoded(community.name) is not None:
                    raise ValueError("another community already has that name")
                self._write([(DELETE, name, {}),
                             *changes_to(state, community.name, after, COMMUNITY)])
            elif after != before:
                changes = encode(name, decoded, after, COMMUNITY, state=state)
                if changes:
                    self._write(changes)
        return result

    def delete(self, name: str) -> Community | None:
        with self._locked():
            decoded = self._decoded(name)
            if decoded is None:
                return None
            self._write([(DELETE, name, {})])
            return Community.from_dict(decoded.value)

    def add_members(self, name: str, members: list[str]) -> Community:
        """Add ``members`` to the roster as new parts, whether or not they are on it already:
        someone added again while another laptop, not knowing, removes them, stays (a remove
        takes off only the additions its laptop had seen)."""
        with self._locked():
            if self._decoded(name) is None or CHILD in name:
                raise NotFoundError(_("There is no such community."))
            self._write([(PUT, child_key(name, "members", new_tag()), {VALUE: member})
                         for member in members])
            decoded = self._decoded(name)
            assert decoded is not None
            return Community.from_dict(decoded.value)

    # -- purges ------------------------------------------------------------------------------

    def purged(self) -> dict[str, dict[str, Any]]:
        """Meeting id -> its purge record: every meeting any laptop purged. Kept in the
        communities log so that it travels with the sync engine to laptops that were offline
        (and may still hold lines of the meeting, or write some)."""
        with self.mutex:
            # A communities log that cannot be read (a FIFO, a folder where it should be) is
            # reported where communities are read; meetings still read without it.
            with contextlib.suppress(StoreError):
                self._catch_up()
            state = self.stream.state
            found = {}
            for key in state.children.get("", ()):
                record = state.records[key]
                if record.alive and key.startswith(PURGED):
                    found[key.removeprefix(PURGED)] = dict(record.values)
            return found

    def record_purge(self, meeting_id: str, *, before: date, on: date) -> None:
        """Say, for every laptop, that ``meeting_id`` was purged (with the date it was purged
        before, and the day): written before its files go, so a crash in between leaves
        lines that ``doctor`` names, never a meeting that comes back."""
        check_id(meeting_id)
        with self._locked():
            self._write([(PUT, PURGED + meeting_id, {"meeting": meeting_id,
                                                     "before": before.isoformat(),
                                                     "on": on.isoformat()})])

    def _decoded(self, name: str) -> Decoded | None:
        state = self.stream.state
        record = state.records.get(name)
        if record is None or not record.alive:
            return None
        return decode(state, name, record.values, COMMUNITY)

    # -- the machinery -----------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """The process's mutex, then the device's lock, then a catch-up with every log."""
        what = _(COMMUNITIES_WHAT)
        ensure_private_dir(self.layout.locks, what)
        with self.mutex, file_lock(self.layout.lock("communities"), what, self.lock_timeout):
            self._catch_up()
            yield

    def _catch_up(self) -> None:
        paths: list[Path] = []
        for folder in device_folders(self.layout.devices,
                                     lambda device: self.layout.devices / check_id(device)):
            paths.append(folder / COMMUNITIES_LOG)
            paths += communities_copies(folder)
        self.stream.read(paths)
        self.on_lines(self.stream.problems())

    def _write(self, changes: list[Change]) -> None:
        device = self.device()
        self.stream.commit(self.layout.communities_log(device), device, changes,
                           _(COMMUNITIES_WHAT))
