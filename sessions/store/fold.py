"""The state a set of events adds up to: the same whatever order they arrive in.

Each record (a meeting's header, an entry, a community) is a set of fields, and each field
holds the value of the latest event (in ``Event.order``) that set it: last writer wins, per
field, so two devices changing different fields of one entry both keep their change. Whether
the record exists is one more such value: ``put`` sets it, ``delete`` clears it, ``edit``
leaves it alone (an edit made on one device does not bring back an entry deleted after it on
another). Taking the latest is commutative and idempotent, so any order of arrival, and any
event read twice, gives the same state. What lost is still in the logs: nothing is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from kring.sessions.store.events import BEFORE_ALL, DELETE, EDIT, PUT, Event, Order


@dataclass(slots=True)
class Record:
    values: dict[str, Any] = field(default_factory=dict)
    set_by: dict[str, Order] = field(default_factory=dict)  # field -> the event that set it
    alive: bool = False
    alive_by: Order = BEFORE_ALL
    born: Order | None = None  # the earliest put: orders records made at the same moment

    def apply(self, event: Event) -> None:
        order = event.order
        if event.op != DELETE:
            set_by, values = self.set_by, self.values
            for name, value in event.fields.items():
                if order > set_by.get(name, BEFORE_ALL):
                    values[name] = value
                    set_by[name] = order
        if event.op != EDIT and order > self.alive_by:
            self.alive = event.op == PUT
            self.alive_by = order
        if event.op == PUT and (self.born is None or order < self.born):
            self.born = order


@dataclass(slots=True)
class Folded:
    """Records by key, and the newest clock reading seen (for ``HybridClock.observe``)."""

    records: dict[str, Record] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)  # event ids, so a copy changes nothing
    # Parent key -> the keys of its parts (``shapes.py``): a roster's members, a meeting's
    # phase runs. Kept as records arrive, so reading a record's parts never scans them all.
    children: dict[str, list[str]] = field(default_factory=dict)

    def apply(self, events: Iterable[Event]) -> int:
        """Apply ``events``; returns how many were new."""
        records, seen = self.records, self.seen
        new = 0
        for event in events:
            if event.id in seen:
                continue
            seen.add(event.id)
            new += 1
            record = records.get(event.key)
            if record is None and event.op == PUT:
                # Most records are put once and never changed: made in one go, not field by
                # field (a meeting of 20,000 entries opens that much faster).
                order = event.order
                records[event.key] = Record(dict(event.fields), dict.fromkeys(event.fields, order),
                                            True, order, order)
                if "\n" in event.key:
                    self._adopt(event.key)
                continue
            if record is None:
                record = records[event.key] = Record()
                if "\n" in event.key:
                    self._adopt(event.key)
            record.apply(event)
        return new

    def _adopt(self, key: str) -> None:
        self.children.setdefault(key[:key.rfind("\n")], []).append(key)

    def live(self) -> Iterator[tuple[str, Record]]:
        return ((key, record) for key, record in self.records.items() if record.alive)

    def get(self, key: str) -> dict[str, Any] | None:
        """A copy of the live record's fields; None when it is not there."""
        record = self.records.get(key)
        return dict(record.values) if record is not None and record.alive else None
