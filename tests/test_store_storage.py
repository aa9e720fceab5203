"""AtomicJSONStorage as a TinyDB storage: it behaves like TinyDB's own, writes atomically,
keeps the previous version, holds no file open, and never treats a broken file as empty."""

from __future__ import annotations

import copy
import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tinydb import Query, TinyDB
from tinydb.storages import MemoryStorage

from kring.sessions.errors import CorruptFileError
from kring.sessions.store.files.migrations import CURRENT, MigrationError, migrate
from kring.sessions.store.storage import AtomicJSONStorage, KringDB, open_db
from tests.budget import examples


def test_stock_tinydb_on_it(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    db = TinyDB(path, storage=AtomicJSONStorage)
    first = db.insert({"name": "Anna's note", "n": 1})
    db.insert({"name": "second", "n": 2})
    db.update({"n": 10}, doc_ids=[first])
    db.upsert({"name": "third", "n": 3}, Query().name == "third")
    db.remove(Query().name == "second")
    assert sorted(doc["n"] for doc in db.all()) == [3, 10]
    on_disk = json.loads(path.read_bytes())
    assert on_disk["_meta"] == {"schema": CURRENT, "kind": "tinydb"}
    assert sorted(doc["n"] for doc in on_disk["_default"].values()) == [3, 10]
    backup = json.loads(Path(f"{path}.bak").read_bytes())  # the version before the last save
    assert sorted(doc["n"] for doc in backup["_default"].values()) == [2, 3, 10]
    assert TinyDB(path, storage=AtomicJSONStorage).get(doc_id=first) == {
        "name": "Anna's note", "n": 10}


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc")
def test_no_file_is_held_open_between_calls(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    db = TinyDB(path, storage=AtomicJSONStorage)
    db.insert({"a": 1})
    db.all()
    open_files = {os.path.realpath(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")
                  if os.path.exists(f"/proc/self/fd/{fd}")}
    assert not any(name.startswith(str(tmp_path)) for name in open_files)


def test_a_missing_file_is_empty_but_a_broken_one_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    assert AtomicJSONStorage(path).read() is None
    assert not path.exists()
    for broken in (b"", b"\x00" * 10, b"{", b'{"_default": {}}'):
        path.write_bytes(broken)
        with pytest.raises(CorruptFileError):
            TinyDB(path, storage=AtomicJSONStorage).insert({"x": 1})
        assert path.read_bytes() == broken  # never written over


def test_text_is_kept_as_typed(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    texts = ["Zoë 😀", "שלום", "e\u0301", "tab\tand\nnewline", "lone \udc80 surrogate"]
    db = TinyDB(path, storage=AtomicJSONStorage)
    for text in texts:
        db.insert({"t": text})
    assert [doc["t"] for doc in TinyDB(path, storage=AtomicJSONStorage).all()] == texts
    assert "Zoë 😀" in path.read_text(encoding="utf-8")  # readable, not \\u-escaped


def test_a_transaction_reads_once_writes_once_and_rolls_back(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    storage = AtomicJSONStorage(tmp_path / "db.json")
    writes: list[int] = []
    real = storage._save
    monkeypatch.setattr(storage, "_save", lambda data, **kw: (writes.append(1), real(data, **kw)))
    with storage.transaction():
        table = open_db(storage).table("t")
        for number in range(10):
            table.insert({"n": number})
    assert len(writes) == 1
    with pytest.raises(RuntimeError), storage.transaction():
        open_db(storage).table("t").truncate()
        raise RuntimeError("changed my mind")
    assert len(writes) == 1
    assert len(KringDB(storage=lambda: AtomicJSONStorage(tmp_path / "db.json")).table("t")) == 10


def test_migrations_run_in_one_place() -> None:
    assert migrate({"a": 1}, "meeting", CURRENT) == {"a": 1}
    with pytest.raises(MigrationError):
        migrate({}, "meeting", 0)


def test_the_migration_hook_is_used_when_reading(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import kring.sessions.store.files.envelope as envelope
    import kring.sessions.store.files.migrations as migrations

    monkeypatch.setattr(migrations, "CURRENT", CURRENT + 1)
    monkeypatch.setattr(envelope, "CURRENT", CURRENT + 1)
    monkeypatch.setitem(migrations._STEPS, CURRENT,
                        lambda data, kind: {"t": {"1": {"upgraded": True}}})
    path = tmp_path / "db.json"
    path.write_text(json.dumps({"_meta": {"schema": CURRENT, "kind": "tinydb"}, "t": {}}))
    assert AtomicJSONStorage(path).read() == {"t": {"1": {"upgraded": True}}}


# A model check of the storage (and the encoder's reuse of unchanged documents): any sequence
# of TinyDB operations leaves on disk exactly what TinyDB's MemoryStorage holds.

values = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=6),
                   st.lists(st.integers(0, 3), max_size=3))
documents = st.dictionaries(st.sampled_from("abc"), values, max_size=3)
operations = st.lists(st.one_of(
    st.tuples(st.just("insert"), st.sampled_from(["t", "u"]), documents),
    st.tuples(st.just("update"), st.sampled_from(["t", "u"]), documents),
    st.tuples(st.just("change-in-place"), st.sampled_from(["t", "u"]), values),
    st.tuples(st.just("remove"), st.sampled_from(["t", "u"]), st.integers(1, 6)),
    st.tuples(st.just("drop"), st.sampled_from(["t", "u"]), st.none()),
), max_size=25)


def apply(db: TinyDB, operation: tuple[str, str, object]) -> None:
    kind, name, argument = operation
    table = db.table(name)
    # Deep copies, one per document: MemoryStorage would otherwise share one list between
    # documents, an aliasing that a file on disk cannot have.
    if kind == "insert":
        table.insert(copy.deepcopy(dict(argument)))  # type: ignore[call-overload]
    elif kind == "update":
        for doc in table.all()[:2]:
            table.update(copy.deepcopy(dict(argument)), doc_ids=[doc.doc_id])  # type: ignore[call-overload]
    elif kind == "change-in-place":
        def change(doc: dict[str, object]) -> None:
            doc["a"] = argument
            if isinstance(doc.get("b"), list):
                doc["b"].append(9)  # type: ignore[union-attr]

        table.update(change)  # type: ignore[arg-type]
    elif kind == "remove":
        table.remove(doc_ids=[argument])  # type: ignore[list-item]
    else:
        db.drop_table(name)


@settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations)
def test_what_is_on_disk_always_matches_what_tinydb_holds(ops: list[tuple[str, str, object]]
                                                          ) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "db.json"
        on_disk, in_memory = TinyDB(path, storage=AtomicJSONStorage), TinyDB(storage=MemoryStorage)
        for operation in ops:
            apply(on_disk, operation)
            apply(in_memory, operation)
            if path.exists():
                data = json.loads(path.read_bytes())
                data.pop("_meta")
                expected = json.loads(json.dumps(in_memory.storage.read() or {}))
                assert data == expected
