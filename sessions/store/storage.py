"""A TinyDB storage that saves atomically and never writes over a broken file.

TinyDB's stock JSONStorage rewrites its file in place (seek, write, truncate): a crash midway
leaves a file that will not load. ``AtomicJSONStorage`` goes through ``sessions.atomic``
instead, keeps no file open between calls, and reads with ``sessions.envelope``.

A commit has to cost little more than the write+fsync itself, even for a meeting with hundreds
of entries, so the storage remembers the bytes it last read or wrote with their parsed form, and
the encoded text of each unchanged document: if the file on disk still holds exactly those
bytes, parsing them again would only reproduce what it has.
"""

from __future__ import annotations

import copy
import operator
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from kring.sessions.store.files.atomic import Stamp, atomic_write, read_file
from kring.sessions.store.files.envelope import (
    SCALARS,
    Check,
    DocEncoder,
    Tables,
    check_tables,
    decode,
)

_UNSET: Any = object()


class AtomicJSONStorage(Storage):
    """A TinyDB storage that never leaves a half-written file and never overwrites a broken one.

    ``read()`` opens, reads and closes the file each time (None when it does not exist; raises
    CorruptFileError when it exists but cannot be used). ``write()`` replaces it atomically,
    keeping the previous version as ``<name>.bak``.

    Inside ``with storage.transaction():`` the file is read once and written once at the end,
    so one TinyDB operation, or several, cost one fsync; the caller holds the file's lock around
    it. Between transactions the parsed file is kept and handed out again while the bytes on
    disk are still exactly those it was parsed from (or written as), so a commit does not pay
    for parsing what it wrote itself. Whatever a transaction changes in it, it must write.
    """

    def __init__(self, path: str | Path, kind: str = "tinydb", *, what: str | None = None,
                 keep_backup: bool = True, check: Check | None = None) -> None:
        self.path = Path(path)
        self.kind = kind
        self.what = what or self.path.name
        self.keep_backup = keep_backup
        self.check = check
        self.stamp: Stamp | None = None  # of the version last read or written
        self._raw: bytes | None = None
        self._tables: Tables | None = None
        self._encoder = DocEncoder()
        self._in_transaction = False
        self._buffer: Any = _UNSET
        self._dirty = False

    def read(self) -> Tables | None:
        if self._buffer is not _UNSET:
            return self._buffer  # type: ignore[no-any-return]
        if not self._in_transaction:
            return self._load(reuse=False)
        self._buffer = self._load(reuse=True)
        return self._buffer  # type: ignore[no-any-return]

    def write(self, data: Tables) -> None:
        if self._in_transaction:
            self._buffer, self._dirty = data, True
        else:
            self._save(data, remember=False)

    @contextmanager
    def transaction(self) -> Iterator[AtomicJSONStorage]:
        if self._in_transaction:
            raise RuntimeError("transactions do not nest")
        self._in_transaction, self._buffer, self._dirty = True, _UNSET, False
        try:
            yield self
            if self._dirty:
                self._save(self._buffer, remember=True)
        except BaseException:
            self.forget()  # the parsed copy may hold changes that never reached the disk
            raise
        finally:
            self._in_transaction, self._buffer, self._dirty = False, _UNSET, False

    def forget(self) -> None:
        """Drop the parsed copy of the file; the next read parses it again."""
        self._raw = self._tables = None

    def _load(self, *, reuse: bool) -> Tables | None:
        # The parsed copy is reused only inside transactions, whose callers (the store) never
        # keep references into it: outside, read() hands out fresh objects as JSONStorage does.
        got = read_file(self.path, self.what)
        if got is None:
            self.stamp = None
            self.forget()
            return None
        raw, self.stamp = got
        if raw == self._raw and self._tables is not None:
            if reuse:
                return self._tables
        else:
            self.forget()
        tables = check_tables(decode(raw, self.path, self.kind), self.path)
        if self.check is not None:
            self.check(tables, self.path)
        if reuse:
            self._raw, self._tables = raw, tables
        return tables

    def _save(self, data: Tables, *, remember: bool) -> None:
        self.forget()
        raw = self._encoder.encode(self.kind, data)
        self.stamp = atomic_write(self.path, raw, self.what, keep_backup=self.keep_backup)
        if remember:
            self._raw, self._tables = raw, data


class FreshTable(Table):
    """A table that trusts nothing it computed before: another process may have changed the
    file since. No query cache, and the next document id is worked out on every insert."""

    def __init__(self, storage: Storage, name: str, cache_size: int = 0,
                 persist_empty: bool = False) -> None:
        super().__init__(storage, name, cache_size=cache_size, persist_empty=persist_empty)

    def _get_next_id(self) -> int:
        self._next_id = None
        return int(super()._get_next_id())

    # The three methods below are the commit path for entries. Table's own insert/update go
    # through _update_table, which converts every document id to int and back: for a meeting
    # of 200 entries that alone costs a tenth of a commit. These touch one document.

    def find(self, field: str, value: Any) -> int | None:
        """The id of the first document whose ``field`` equals ``value``."""
        docs = (self._storage.read() or {}).get(self.name) or {}
        try:
            values = list(map(operator.itemgetter(field), docs.values()))  # a C loop
        except KeyError:
            values = [doc.get(field) for doc in docs.values()]
        try:
            position = values.index(value)
        except ValueError:
            return None
        return int(list(docs)[position])

    def put(self, document: Mapping[str, Any], doc_id: int | None = None) -> int:
        """Store ``document`` under ``doc_id`` (replacing what is there), or under a new id."""
        tables = self._storage.read() or {}
        table = tables.setdefault(self.name, {})
        if doc_id is None:
            doc_id = _next_id(table)
        # A copy, so that nothing the caller keeps can change what is stored (deep only where
        # needed: entries are flat, and they are what a commit is made of).
        flat = all(isinstance(value, SCALARS) for value in document.values())
        table[str(doc_id)] = dict(document) if flat else copy.deepcopy(dict(document))
        self._storage.write(tables)
        self.clear_cache()
        return doc_id

    def drop(self, doc_id: int) -> dict[str, Any] | None:
        """Remove one document and return it; None if there is none by that id."""
        tables = self._storage.read() or {}
        removed = (tables.get(self.name) or {}).pop(str(doc_id), None)
        if removed is not None:
            self._storage.write(tables)
            self.clear_cache()
        return removed


class KringDB(TinyDB):
    table_class = FreshTable


def _next_id(table: dict[str, Any]) -> int:
    """A new document id: one more than the last, which is the largest (new ids go at the end)
    unless someone reordered the file. Only if that id is taken is a full scan worth it."""
    if not table:
        return 1
    candidate = int(next(reversed(table))) + 1
    if str(candidate) in table:
        candidate = max(map(int, table)) + 1
    return candidate


def open_db(storage: AtomicJSONStorage) -> KringDB:
    """A TinyDB on an existing storage object (TinyDB wants a factory)."""
    return KringDB(storage=lambda: storage)


def table_of(db: KringDB, name: str) -> FreshTable:
    found = db.table(name)
    assert isinstance(found, FreshTable)
    return found
