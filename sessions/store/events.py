"""Events: the lines of a device's logs, each one change to one record.

A meeting's log holds its header (the record with the empty key) and its entries (keyed by
entry id); a communities log holds communities (keyed by name). Each event sets some fields of
one record (``put`` also makes it exist, ``delete`` makes it gone, ``edit`` only sets fields).

Every event carries a hybrid logical clock reading (``t`` milliseconds, ``c`` a counter) and its
device, which order all events of all devices the same way everywhere: a device never stamps a
change earlier than any change it has seen, so a change made after seeing another's wins over
it, and changes made without seeing each other are ordered by time, then by device id. The
event id (a ULID) makes each event unique: reading a line twice (a log and its conflict copy)
changes nothing.

On disk, one JSON object a line: ``{"c":0,"d":DEVICE,"f":{...},"id":ULID,"k":KEY,"op":"put",
"t":1764250000000}``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from kring.sessions.plain import plain

PUT = "put"
EDIT = "edit"
DELETE = "delete"
OPS = frozenset({PUT, EDIT, DELETE})
HEADER_KEY = ""  # a meeting's header is the record no entry id can name

Order = tuple[int, int, str, str]  # (t, c, device, id): the one order of all events
BEFORE_ALL: Order = (-1, -1, "", "")

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# What a line holding a control character looks like before it is parsed: JSON writes C0
# controls as escapes, C1 controls, DEL and the bidi controls as themselves in UTF-8. A line
# without any of these (nearly every line) is taken as it is, at the cost of one search.
_MAY_STEER = re.compile(
    rb"\\[urtbf]|\x7f|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]")


def ulid(milliseconds: int, randomness: Callable[[int], bytes] = os.urandom) -> str:
    """A ULID: 48 bits of time then 80 random bits, 26 characters that sort by time."""
    value = (milliseconds & ((1 << 48) - 1)) << 80 | int.from_bytes(randomness(10), "big")
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


class Event(NamedTuple):
    # A NamedTuple: a meeting of 20,000 entries makes 20,000 of these on every open, and a
    # tuple is several times cheaper to make than a frozen dataclass.
    id: str
    t: int
    c: int
    device: str
    op: str
    key: str
    fields: dict[str, Any]

    @property
    def order(self) -> Order:
        return (self.t, self.c, self.device, self.id)

    def to_line(self) -> bytes:
        data = {"id": self.id, "t": self.t, "c": self.c, "d": self.device, "op": self.op,
                "k": self.key, "f": self.fields}
        try:
            return json.dumps(data, ensure_ascii=False, separators=(",", ":"),
                              sort_keys=True).encode()
        except UnicodeEncodeError:
            # A lone surrogate (a broken paste, a name decoded with surrogateescape) has no
            # UTF-8: escaped as \\udc80 it still comes back exactly as typed.
            return json.dumps(data, separators=(",", ":"), sort_keys=True).encode()

    @classmethod
    def of(cls, data: object) -> Event | None:
        """The event ``data`` (one parsed line) holds; None when it is not one."""
        if type(data) is not dict:
            return None
        get = data.get
        ident, t, c, device, op, key, fields = (
            get("id"), get("t"), get("c"), get("d"), get("op"), get("k"), get("f"))
        if (type(ident) is str and ident and type(t) is int and type(c) is int
                and type(device) is str and op in OPS and type(key) is str
                and type(fields) is dict):
            return cls(ident, t, c, device, op, key, fields)
        return None


def parse_lines(lines: list[bytes], own: str | None = None
                ) -> tuple[list[Event], list[int]]:
    """The events in ``lines`` and the (0-based) numbers of the lines that are not one.
    Events of any device but ``own`` (None: of every device) are made plain."""
    parsed: list[object] | None = None
    # One parse of the whole batch is several times faster than one per line. Only when every
    # line looks like one object: then no line can join its neighbour into something else.
    if all(line[:1] == b"{" and line[-1:] == b"}" for line in lines):
        try:
            parsed = json.loads(b"[" + b",".join(lines) + b"]")
        except (ValueError, UnicodeDecodeError, RecursionError):
            parsed = None
    if parsed is None or len(parsed) != len(lines):
        parsed = [_parse_one(line) for line in lines]
    made = list(map(Event.of, parsed))
    # Text another device wrote is made plain as it is read (an older Kring, a hand or a
    # hostile laptop may have written escape codes): what the screens show steers no
    # terminal. This device's own log is read as written: the store keeps what it is given.
    for number, line in enumerate(lines):
        event = made[number]
        if event is not None and event.device != own and _MAY_STEER.search(line):
            made[number] = event._replace(fields=_plain_values(event.fields))
    events = [event for event in made if event is not None]
    bad = [number for number, event in enumerate(made) if event is None] \
        if len(events) < len(made) else []
    return events, bad


def _plain_values(value: Any) -> Any:
    """``value`` with every string in it made plain (keys too: a map's keys are names)."""
    if type(value) is str:
        return plain(value)
    if type(value) is list:
        return [_plain_values(item) for item in value]
    if type(value) is dict:
        return {plain(key): _plain_values(item) for key, item in value.items()}
    return value


def _parse_one(line: bytes) -> object:
    try:
        return json.loads(line)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None


class HybridClock:
    """Stamps a device's events: never behind the wall clock, never behind what it has seen."""

    def __init__(self, wall_ms: Callable[[], int]) -> None:
        self.wall_ms = wall_ms
        self.last = (0, 0)

    def observe(self, events: Iterable[Event]) -> None:
        for event in events:
            if (event.t, event.c) > self.last:
                self.last = (event.t, event.c)

    def tick(self) -> tuple[int, int]:
        now = self.wall_ms()
        self.last = (now, 0) if now > self.last[0] else (self.last[0], self.last[1] + 1)
        return self.last
