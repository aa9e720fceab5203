"""How the fields of a record merge when devices change them without seeing each other.

``fold.py`` merges a record field by field, the latest change winning: right for a title or a
due date, wrong for a field that holds many things. Two laptops that each add a member to a
roster stored as one list would each write the whole list, and the later list would drop the
other's member. So a field that holds many things is not stored in its record at all: each of
its parts is a record of its own, a *child*, keyed ``PARENT\\nFIELD/TAG``:

- a **set** (a roster, protected names): each value added is a child with a fresh tag; removing
  a value deletes the children its device has seen, so an add made meanwhile elsewhere stays;
- a **sequence** (phase runs, pauses, reviews, consent decisions): each element is a child in
  the order they were first made, its own fields merging one by one (a run ended on one laptop
  and given two minutes on another keeps both), with a shape of its own for its parts;
- a **map** (roles, the case): each key a register of its own;
- a **counter** (minutes added, turns taken): each change is a child holding the difference,
  and the value is their sum, so two "a minute more" make two minutes.

Fields not named in a shape are registers, as before. A record is made whole, in one line (as
an older Kring also wrote every change): a set, sequence or map in its own field is read as
its first parts (tagged ``~N``, or by key for a map), and later changes are children written
beside it. So a record costs one line until it changes, old logs convert as they are read,
and nothing already written is ever rewritten.

``decode`` builds the plain value (what ``to_dict`` gives) from a record and its children;
``encode`` turns the difference between two such values into the changes that make it.
"""

from __future__ import annotations

import difflib
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kring.sessions.store.events import BEFORE_ALL, DELETE, EDIT, PUT
from kring.sessions.store.fold import Folded, Record

Change = tuple[str, str, dict[str, Any]]  # (op, key, fields), as logs.Change
CHILD = "\n"  # no record key a person types or Kring makes holds one: names are single lines
LEGACY = "~"  # tags of the parts a whole-field value (an older Kring's) holds
VALUE = "v"  # the field of a set's, a map's or a plain sequence element's child
DELTA = "d"  # the field of a counter's child


@dataclass(frozen=True, slots=True)
class Shape:
    """Which fields of a record are not plain registers, and how they merge."""

    sets: frozenset[str] = frozenset()
    maps: frozenset[str] = frozenset()
    counters: frozenset[str] = frozenset()
    # Sequence field -> the shape of its elements (None: an element is one plain value).
    sequences: Mapping[str, Shape | None] = field(default_factory=dict)

    def structured(self, name: str) -> bool:
        return (name in self.sets or name in self.maps or name in self.sequences
                or name in self.counters)


PLAIN = Shape()  # every field a register: an element whose fields merge one by one


def child_key(parent: str, name: str, tag: str) -> str:
    return f"{parent}{CHILD}{name}/{tag}"


def new_tag(randomness: Callable[[int], bytes] = os.urandom) -> str:
    return randomness(8).hex()


# -- reading ------------------------------------------------------------------------------------


Part = tuple[str, Any, Mapping[str, Any]]  # (child key, its plain value, its own fields)


@dataclass(slots=True)
class Decoded:
    """A record's plain value, and which child holds each part (to change it later)."""

    value: dict[str, Any]
    parts: dict[str, list[Part]] = field(default_factory=dict)  # field -> its parts


def present(record: Record | None) -> bool | None:
    """Whether a child exists: True or False once a put or delete decided it; None when only
    edits reached it (a part of an older Kring's whole field that was changed, not made)."""
    if record is None or record.alive_by == BEFORE_ALL:
        return None
    return record.alive


def decode(state: Folded, key: str, values: Mapping[str, Any], shape: Shape, *,
           parts: bool = True) -> Decoded:
    """The plain value of the record ``key`` whose own fields are ``values``; without
    ``parts``, only the value (to read, not to change: listing thousands of meetings)."""
    kids = state.children.get(key)
    if not kids and (not parts or not any(shape.structured(name) for name in values)):
        return Decoded(dict(values))  # made whole and never changed since: as written
    by_field: dict[str, list[tuple[Any, str, Record]]] = {}
    for kid in kids or ():
        name = kid[len(key) + 1:].split("/", 1)[0]
        record = state.records[kid]
        by_field.setdefault(name, []).append((record.born or BEFORE_ALL, kid, record))
    for found in by_field.values():
        found.sort(key=lambda item: item[0])
    out = Decoded({name: value for name, value in values.items()
                   if not shape.structured(name) or name in shape.counters})
    for name in shape.counters:
        if name in values or name in by_field:
            out.value[name] = _total(values.get(name), by_field.get(name, ()))
    for name in shape.sets:
        members = _elements(state, key, name, values.get(name), by_field.get(name, ()), None)
        out.parts[name] = members
        if name in values or members:
            unique: list[Any] = []
            for _kid, part, _own in members:
                if part not in unique:
                    unique.append(part)
            out.value[name] = unique
    for name, inner in shape.sequences.items():
        items = _elements(state, key, name, values.get(name), by_field.get(name, ()), inner)
        out.parts[name] = items
        if name in values or items:
            out.value[name] = [part for _kid, part, _own in items]
    for name in shape.maps:
        if name in values or name in by_field:
            out.value[name] = _table(key, name, values.get(name), by_field.get(name, ()))
    return out


def _total(base: Any, kids: Any) -> int:
    total = base if type(base) is int else 0
    for _born, _kid, record in kids:
        delta = record.values.get(DELTA)
        if record.alive and type(delta) is int:
            total += delta
    return total


def _table(key: str, name: str, legacy: Any, kids: Any) -> dict[str, Any]:
    table = dict(legacy) if isinstance(legacy, dict) else {}
    start = len(key) + len(name) + 2
    for _born, kid, record in kids:
        try:
            mapped = json.loads(kid[start:])
        except ValueError:
            continue  # not a key Kring wrote: ignored, as a line that is not an event
        if type(mapped) is not str:
            continue
        if record.alive:
            table[mapped] = record.values.get(VALUE)
        elif present(record) is False:
            table.pop(mapped, None)
    return table


def _elements(state: Folded, key: str, name: str, legacy: Any,
              kids: Any, inner: Shape | None) -> list[Part]:
    """The parts of a set or sequence in the order they were made: an older Kring's whole
    value first (as far as later changes left it), then children by their first put."""
    parts: list[Part] = []
    records = state.records
    for index, old in enumerate(legacy if isinstance(legacy, list) else ()):
        kid = child_key(key, name, f"{LEGACY}{index}")
        record = records.get(kid)
        if present(record) is False:
            continue
        base = old if isinstance(old, dict) and inner is not None else {VALUE: old}
        own = base if record is None else {**base, **record.values}
        parts.append((kid, _part(state, kid, own, inner), own))
    legacy_tags = len(key) + len(name) + 2
    for _born, kid, record in kids:
        if record.alive and not kid.startswith(LEGACY, legacy_tags):
            parts.append((kid, _part(state, kid, record.values, inner), record.values))
    return parts


def _part(state: Folded, kid: str, values: Mapping[str, Any], inner: Shape | None) -> Any:
    if inner is None:
        return values.get(VALUE)
    return decode(state, kid, values, inner).value


# -- writing ------------------------------------------------------------------------------------


def encode(key: str, before: Decoded | None, after: Mapping[str, Any], shape: Shape, *,
           state: Folded, tag: Callable[[], str] = new_tag) -> list[Change]:
    """The changes that turn the record ``key`` from ``before`` (None: it does not exist) into
    ``after``. Only what differs is written; a part nobody changed is not touched."""
    if before is None:
        # Made whole, in one line: its parts are read from the whole value as an older
        # Kring's are, and only later changes to them are children of their own. An empty
        # part is left out (most entries never have a history: their lines stay as short).
        return [(PUT, key, {name: value for name, value in after.items()
                            if not (shape.structured(name) and name not in shape.counters
                                    and value in ([], {}))})]
    old = before.value
    changes: list[Change] = []
    edited = {name: value for name, value in after.items()
              if not shape.structured(name) and old.get(name, _MISSING) != value}
    if edited:
        changes.append((EDIT, key, edited))
    for name in shape.counters:
        delta = _number(after.get(name)) - _number(old.get(name))
        if name in after and delta:
            changes.append((PUT, child_key(key, name, tag()), {DELTA: delta}))
    for name in shape.sets:
        if name in after:
            changes += _set_changes(key, name, before.parts.get(name, []), after[name], tag)
    for name in shape.maps:
        if name in after:
            changes += _map_changes(key, name, old.get(name) or {}, after[name])
    for name, inner in shape.sequences.items():
        if name in after:
            changes += _sequence_changes(key, name, before.parts.get(name, []), after[name],
                                         inner, state, tag)
    return changes


_MISSING = object()


def _number(value: Any) -> int:
    return value if type(value) is int else 0


def _set_changes(key: str, name: str, parts: list[Part], wanted: list[Any],
                 tag: Callable[[], str]) -> list[Change]:
    changes: list[Change] = [(DELETE, kid, {}) for kid, part, _own in parts if part not in wanted]
    have = [part for _kid, part, _own in parts]
    for value in wanted:
        if value not in have:
            have.append(value)
            changes.append((PUT, child_key(key, name, tag()), {VALUE: value}))
    return changes


def _map_changes(key: str, name: str, old: Mapping[str, Any],
                 new: Mapping[str, Any]) -> list[Change]:
    changes: list[Change] = [(DELETE, child_key(key, name, json.dumps(mapped)), {})
                             for mapped in old if mapped not in new]
    for mapped, value in new.items():
        if mapped not in old or old[mapped] != value:
            changes.append((PUT, child_key(key, name, json.dumps(mapped)), {VALUE: value}))
    return changes


def _sequence_changes(key: str, name: str, parts: list[Part], wanted: list[Any],
                      inner: Shape | None, state: Folded,
                      tag: Callable[[], str]) -> list[Change]:
    """Elements kept in place are compared field by field; the rest are made or deleted.
    Which are kept is what a diff of the two lists says (usually: all, and some appended)."""
    matcher = difflib.SequenceMatcher(a=[_canonical(part) for _kid, part, _own in parts],
                                      b=[_canonical(value) for value in wanted], autojunk=False)
    plan: list[tuple[int | None, Any]] = []  # each wanted element: the part it keeps, or None
    deleted: list[int] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        paired = i2 - i1 if op == "equal" else min(i2 - i1, j2 - j1) if op == "replace" else 0
        plan += [(i1 + offset, wanted[j1 + offset]) for offset in range(paired)]
        deleted += range(i1 + paired, i2)
        plan += [(None, value) for value in wanted[j1 + paired:j2]]
    # Parts read in the order they were made: a part kept after a new one would read before
    # it, so from the first new one on, every part is made anew, in the order wanted.
    first_new = next((n for n, (kept, _value) in enumerate(plan) if kept is None), len(plan))
    for n in range(first_new, len(plan)):
        kept, value = plan[n]
        if kept is not None:
            deleted.append(kept)
            plan[n] = (None, value)
    changes: list[Change] = [(DELETE, parts[index][0], {}) for index in sorted(deleted)]
    for kept, value in plan:
        if kept is not None:
            kid, part, own = parts[kept]
            changes += _element_change(kid, part, own, value, inner, state, tag)
            continue
        kid = child_key(key, name, _own_tag(value) or tag())
        if inner is None or not isinstance(value, dict):
            changes.append((PUT, kid, {VALUE: value}))
        else:
            changes += encode(kid, None, value, inner, state=state, tag=tag)
    return changes


def _element_change(kid: str, old: Any, own: Mapping[str, Any], new: Any, inner: Shape | None,
                    state: Folded, tag: Callable[[], str]) -> list[Change]:
    if inner is None or not isinstance(new, dict) or not isinstance(old, dict):
        return [] if old == new else [(EDIT, kid, {VALUE: new})]
    return encode(kid, decode(state, kid, own, inner), new, inner, state=state, tag=tag)


def _own_tag(value: Any) -> str | None:
    """An element that carries its own id (a consent decision) is a child by that id."""
    ident = value.get("id") if isinstance(value, dict) else None
    if type(ident) is str and ident and CHILD not in ident and "/" not in ident:
        return ident
    return None


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


# -- the records Kring keeps ----------------------------------------------------------------------
# One row per record: a field not named here is a register (the latest change wins).

RUN = Shape(sets=frozenset({"passed"}), counters=frozenset({"extra_seconds", "turn"}),
            sequences={"pauses": None})
MEETING = Shape(sets=frozenset({"participants", "protected_names"}),
                maps=frozenset({"roles", "case", "plan"}),
                sequences={"runs": RUN, "reviews": PLAIN, "votes": PLAIN, "amended_at": None})
ENTRY = Shape(sequences={"history": PLAIN})
# Dismissed words are a set: two laptops dismissing different words offline keep both.
COMMUNITY = Shape(sets=frozenset({"members", "dismissed"}), sequences={"decisions": PLAIN})


def changes_to(state: Folded, key: str, after: Mapping[str, Any], shape: Shape) -> list[Change]:
    """The changes that make the record ``key`` exist as ``after``, whatever it is now: not
    there, there, or deleted (then it is put again, its parts compared with what it had)."""
    record = state.records.get(key)
    if record is None:
        return encode(key, None, after, shape, state=state)
    changes = encode(key, decode(state, key, record.values, shape), after, shape, state=state)
    if record.alive:
        return changes
    # Its counters stay sums of their children: the difference is among ``changes``.
    own = {name: value for name, value in after.items() if not shape.structured(name)}
    return [(PUT, key, own), *(change for change in changes if change[1] != key)]


def durable(key: str, value: Mapping[str, Any], shape: Shape) -> Change:
    """A change that changes nothing: the record's own fields as they are. Written when a save
    is asked for again and finds its lines already in the log: they may be there from a write
    whose fsync failed, so a save that says it is done writes (and syncs) once more."""
    return (EDIT, key, {name: part for name, part in value.items()
                        if not shape.structured(name)})
