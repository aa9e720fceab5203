"""The parts of a record (sessions/store/shapes.py): what ``encode`` writes, ``decode`` reads
back, and two devices' changes to one record made from the same start both stay."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kring.sessions.store.events import Event, ulid
from kring.sessions.store.fold import Folded
from kring.sessions.store.shapes import Shape, decode, encode
from tests.support.budget import examples

INNER = Shape(sets=frozenset({"p"}), counters=frozenset({"k"}), sequences={"z": None})
SHAPE = Shape(sets=frozenset({"s"}), maps=frozenset({"m"}), counters=frozenset({"n"}),
              sequences={"q": INNER, "w": None})
KEY = "rec"


class Device:
    """Stamps changes as one device's events, each later than the last."""

    def __init__(self, name: str, start: int = 0) -> None:
        self.name, self.t = name, start

    def events(self, changes: list[tuple[str, str, dict[str, Any]]]) -> list[Event]:
        made = []
        for op, key, fields in changes:
            self.t += 1
            made.append(Event(ulid(self.t), self.t, 0, self.name, op, key, fields))
        return made


def read(state: Folded) -> dict[str, Any]:
    """The record's value, its empty parts filled in (a new record's line leaves them out,
    and the model's ``from_dict`` reads them as empty)."""
    value = {"s": [], "m": {}, "q": [], "w": []} | decode(
        state, KEY, state.records[KEY].values, SHAPE).value
    value["q"] = [{"p": [], "z": []} | part for part in value["q"]]
    return value


def same(value: dict[str, Any]) -> dict[str, Any]:
    """A value as the comparison sees it: a set inside a sequence's element in any order.
    Elements carry no id of their own, so two alike may swap which holds a change, and a
    set's order follows its element's."""
    return value | {"q": [part | {"p": sorted(part["p"])} for part in value["q"]]}


def write(state: Folded, device: Device, after: dict[str, Any]) -> None:
    record = state.records[KEY]
    before = decode(state, KEY, record.values, SHAPE)
    state.apply(device.events(encode(KEY, before, after, SHAPE, state=state)))


words = st.text(alphabet="abcxyz é😀\n/~", min_size=1, max_size=4)
inner = st.fixed_dictionaries({"r": words, "p": st.lists(words, unique=True, max_size=3),
                               "k": st.integers(-3, 3), "z": st.lists(words, max_size=3)})
records = st.fixed_dictionaries({
    "title": words, "s": st.lists(words, unique=True, max_size=4),
    "m": st.dictionaries(words, words, max_size=3), "n": st.integers(-5, 5),
    "q": st.lists(inner, max_size=3), "w": st.lists(words, max_size=3)})


@st.composite
def changed(draw: st.DrawFn, before: dict[str, Any]) -> dict[str, Any]:
    """A later value as the app makes them: parts kept in their order (each maybe changed),
    some dropped, new ones after them."""
    def sequence(old: list[Any], element: st.SearchStrategy[Any]) -> list[Any]:
        kept = [draw(st.one_of(st.just(item), element)) for item in old
                if draw(st.booleans())]
        return kept + draw(st.lists(element, max_size=2))

    def unique(old: list[str]) -> list[str]:
        # A set's order is the order its values were first added: a value dropped is not
        # added back in the same change (no screen does that).
        kept = [item for item in old if draw(st.booleans())]
        return kept + [w for w in draw(st.lists(words, unique=True, max_size=2))
                       if w not in old]

    def part(old: dict[str, Any]) -> dict[str, Any]:
        return {"r": draw(st.one_of(st.just(old["r"]), words)), "p": unique(old["p"]),
                "k": draw(st.integers(-3, 3)), "z": sequence(old["z"], words)}

    kept_q = [part(item) for item in before["q"] if draw(st.booleans())]
    return {"title": draw(st.one_of(st.just(before["title"]), words)),
            "s": unique(before["s"]), "m": draw(st.dictionaries(words, words, max_size=3)),
            "n": draw(st.integers(-5, 5)),
            "q": kept_q + draw(st.lists(inner, max_size=2)), "w": sequence(before["w"], words)}


@settings(max_examples=examples(200), deadline=None)
@given(st.data(), records)
def test_what_is_written_reads_back_as_it_was_meant(data: st.DataObject,
                                                    first: dict[str, Any]) -> None:
    state, device = Folded(), Device("a")
    state.apply(device.events(encode(KEY, None, first, SHAPE, state=state)))
    assert same(read(state)) == same(first)
    value = first
    for _ in range(3):
        value = data.draw(changed(value))
        write(state, device, value)
        assert same(read(state)) == same(value)


def test_two_devices_changes_to_different_parts_both_stay() -> None:
    state, a, b = Folded(), Device("a"), Device("b")
    start = {"title": "T", "s": ["Anouk", "Bram"], "m": {"facilitator": "Anouk"}, "n": 0,
             "q": [{"r": "first", "p": [], "k": 0, "z": []}], "w": []}
    history = a.events(encode(KEY, None, start, SHAPE, state=state))
    state.apply(history)

    def change(device: Device, mutate: Any) -> list[Event]:
        alone = Folded()
        alone.apply(history)
        before = decode(alone, KEY, alone.records[KEY].values, SHAPE)
        after = mutate({**before.value, "q": [dict(part) for part in before.value["q"]]})
        return device.events(encode(KEY, before, after, SHAPE, state=alone))

    def on_a(value: dict[str, Any]) -> dict[str, Any]:
        value["s"] = ["Anouk", "Bram", "Chantal"]  # adds a member
        value["m"] = {"facilitator": "Anouk", "scribe": "Bram"}
        value["n"] = 2
        value["q"][0]["k"] = 1
        value["q"] = [*value["q"], {"r": "second", "p": [], "k": 0, "z": []}]
        return value

    def on_b(value: dict[str, Any]) -> dict[str, Any]:
        value["s"] = ["Anouk", "Dev"]  # takes Bram off, adds Dev
        value["m"] = {"facilitator": "Eva"}
        value["n"] = 1
        value["q"][0]["r"] = "renamed"
        value["q"][0]["k"] = 2
        value["title"] = "U"
        return value

    from_a, from_b = change(a, on_a), change(b, on_b)
    results = []
    for order in ((from_a, from_b), (from_b, from_a)):
        merged = Folded()
        merged.apply(history)
        for events in order:
            merged.apply(events)
        results.append(read(merged))
    assert results[0] == results[1]
    value = results[0]
    assert sorted(value["s"]) == ["Anouk", "Chantal", "Dev"]  # both adds, B's removal
    assert value["m"] == {"facilitator": "Eva", "scribe": "Bram"}  # per key
    assert value["n"] == 3  # both differences added up
    assert value["title"] == "U"
    (first, second) = value["q"]
    assert (first["r"], first["k"], second["r"]) == ("renamed", 3, "second")
