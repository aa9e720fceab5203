"""Our file format: one JSON object ``{"_meta": {"schema": N, "kind": K}, ...}`` per file.

Reading checks all of it and raises ``CorruptFileError`` with a plain reason, rather than ever
treating a broken file as empty (which the next save would then write over); files of an older
format are migrated in memory, files of a newer one refused. Text is written as UTF-8, not
\\u-escaped, so a file shows names and notes as they were typed.
"""

from __future__ import annotations

import copy
import functools
import itertools
import json
import operator
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from kring.sessions.errors import CorruptFileError, NewerFormatError
from kring.sessions.i18n import _
from kring.sessions.store.files.atomic import Stamp, atomic_write, read_file
from kring.sessions.store.files.migrations import CURRENT, MigrationError, migrate

Tables = dict[str, dict[str, Any]]
Check = Callable[[Tables, Path], None]
META = "_meta"
SCALARS = (str, int, float, bool, type(None))


def decode(raw: bytes, path: Path, kind: str) -> dict[str, Any]:
    """The content of one of our files, without its ``_meta``, migrated to the current format.

    Raises CorruptFileError (with a reason meant for the user) or NewerFormatError."""
    if not raw.strip():
        raise CorruptFileError(path, _("the file is empty"))
    if b"\x00" in raw:
        # Two whole sentences rather than one with a part filled in: a translation may need
        # to word them differently.
        raise CorruptFileError(path, _(
            "the file holds only zero bytes, as a write cut off by a power cut leaves it"
        ) if not raw.strip(b"\x00") else _(
            "part of the file is zero bytes, as a write cut off by a power cut leaves it"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CorruptFileError(path, _("the file is not text")) from None
    try:
        data: object = json.loads(text)
    except json.JSONDecodeError as error:
        raise CorruptFileError(path, _json_reason(error, text, len(raw))) from None
    except (ValueError, RecursionError):  # absurdly long numbers, absurdly deep nesting
        raise CorruptFileError(path, _("the file is not valid JSON")) from None
    if not isinstance(data, dict) or not isinstance(data.get(META), dict):
        raise CorruptFileError(path, _("it is not a Kring file"))
    meta = data.pop(META)
    if meta.get("kind") != kind:
        # The kind is the file-format key ("meeting", "draft"): shown as it is in the file.
        raise CorruptFileError(path, _("it is not a Kring {kind} file").format(kind=kind))
    version = meta.get("schema")
    if type(version) is not int:
        raise CorruptFileError(path, _("its format version is missing"))
    if version > CURRENT:
        raise NewerFormatError(path, version, CURRENT)
    if version < CURRENT:
        try:
            data = migrate(data, kind, version)
        except MigrationError:
            raise CorruptFileError(path, _("its format version {version} is unknown").format(
                version=version)) from None
    return data


def _json_reason(error: json.JSONDecodeError, text: str, size: int) -> str:
    # A cut-off file fails at (or, for a string, from somewhere before) its very end.
    if error.pos >= len(text.rstrip()) - 1 or error.msg.startswith("Unterminated string"):
        return _("the file ends too early, as if cut off after {size} bytes").format(size=size)
    return _("the file is not valid JSON (error at character {position})").format(
        position=error.pos)


def encode_document(kind: str, data: Mapping[str, Any]) -> bytes:
    """A plain (non-TinyDB) file: its ``_meta`` first, so a human reading it sees it first."""
    return _dumps({META: _meta(kind), **data}) + b"\n"


def read_document(path: Path, kind: str, what: str) -> tuple[dict[str, Any], Stamp] | None:
    got = read_file(path, what)
    if got is None:
        return None
    raw, stamp = got
    return decode(raw, path, kind), stamp


def write_document(path: Path, kind: str, data: Mapping[str, Any], what: str) -> Stamp:
    return atomic_write(path, encode_document(kind, data), what)


def check_tables(data: dict[str, Any], path: Path) -> Tables:
    """The tables' shape (as TinyDB wrote it, before the logs): table name -> {document id
    (digits) -> document (object)}."""
    for table in data.values():
        if not isinstance(table, dict):
            raise CorruptFileError(path, _("its tables are damaged"))
        for doc_id, doc in table.items():
            if not isinstance(doc, dict) or not doc_id.isdigit():
                raise CorruptFileError(path, _("its tables are damaged"))
    return data


def _meta(kind: str) -> dict[str, Any]:
    return {"schema": CURRENT, "kind": kind}


def _dumps(value: Any) -> bytes:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (from a strange paste) is not UTF-8; escaped it still round-trips.
        return json.dumps(value, separators=(",", ":"), allow_nan=False).encode("ascii")


class DocEncoder:
    """Encodes tables of documents, re-encoding only the documents that changed since last time.

    A document's encoded text is reused while the document equals the snapshot taken when it
    was encoded (a shallow copy for flat documents such as entries, a deep copy otherwise), so
    changes made in place are seen too. The one blind spot is a value changing between numbers
    Python calls equal (1, 1.0, True): documents here never change a value's type. The loops
    over documents run in C (map, compress): a Python loop over 200 entries would cost a fifth
    of the whole commit.
    """

    def __init__(self) -> None:
        # table name -> (document id -> snapshot, document id -> '"id":{...}' as bytes)
        self._known: dict[str, tuple[dict[str, Any], dict[str, bytes]]] = {}

    def encode(self, kind: str, tables: Tables) -> bytes:
        parts = [_meta_bytes(kind)]
        for name, table in tables.items():
            ids = list(table)  # always strings: JSON keys
            docs = list(table.values())
            snapshots, texts = self._known.setdefault(name, ({}, {}))
            kept = list(map(snapshots.get, ids))
            for position in itertools.compress(range(len(ids)), map(operator.ne, kept, docs)):
                doc, doc_id = docs[position], ids[position]
                flat = all(isinstance(value, SCALARS) for value in doc.values())
                snapshots[doc_id] = dict(doc) if flat else copy.deepcopy(doc)
                texts[doc_id] = _key_bytes(doc_id) + _dumps(doc)
            if len(texts) != len(ids):  # documents were removed: forget them
                snapshots = {doc_id: snapshots[doc_id] for doc_id in ids}
                texts = {doc_id: texts[doc_id] for doc_id in ids}
                self._known[name] = (snapshots, texts)
            parts += (b",", _key_bytes(name), b"{", b",".join(map(texts.__getitem__, ids)), b"}")
        for name in set(self._known) - set(tables):
            del self._known[name]
        parts.append(b"}\n")
        return b"".join(parts)


@functools.cache
def _meta_bytes(kind: str) -> bytes:
    return b'{"' + META.encode() + b'":' + _dumps(_meta(kind))


@functools.lru_cache(maxsize=4096)
def _key_bytes(key: str) -> bytes:
    return _dumps(key) + b":"
