"""Meetings, entries and communities as TinyDB documents, and back.

A meeting file holds two tables: ``meeting`` (one document, the header) and ``entries`` (one
document per entry; the entry's own ``id`` field is its identity, TinyDB's document id only
keeps creation order). The communities file holds one table, ``communities``, keyed by name.
"""

from __future__ import annotations

import copy
from typing import Any

from kring.sessions.model.community import Community
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.store.files.envelope import Tables
from kring.sessions.store.storage import KringDB, table_of

MEETING_TABLE = "meeting"
ENTRIES_TABLE = "entries"
COMMUNITIES_TABLE = "communities"


def meeting_header(tables: Tables | None) -> Meeting:
    (doc,) = (tables or {})[MEETING_TABLE].values()
    # A deep copy: the storage may hand the same parsed objects out again.
    return Meeting.from_dict(copy.deepcopy(doc))


def record_of(tables: Tables) -> tuple[Meeting, list[Entry]]:
    """The meeting and its entries in the order they were made (ties: the order saved)."""
    numbered = [
        (int(doc_id), Entry.from_dict(doc))
        for doc_id, doc in tables.get(ENTRIES_TABLE, {}).items()
    ]
    numbered.sort(key=lambda pair: (pair[1].created_at.timestamp(), pair[0]))
    return meeting_header(tables), [entry for _, entry in numbered]


def find(db: KringDB, table: str, field: str, value: Any) -> int | None:
    return table_of(db, table).find(field, value)


def find_entry(db: KringDB, entry_id: str) -> int | None:
    return find(db, ENTRIES_TABLE, "id", entry_id)


def put_header(db: KringDB, meeting: Meeting) -> None:
    existing = (db.storage.read() or {}).get(MEETING_TABLE) or {}
    table_of(db, MEETING_TABLE).put(meeting.to_dict(), int(next(iter(existing), 1)))


def put_entry(db: KringDB, entry: Entry) -> None:
    """Add the entry, or replace the one with its id."""
    table_of(db, ENTRIES_TABLE).put(entry.to_dict(), find_entry(db, entry.id))


def drop_entry(db: KringDB, entry_id: str) -> Entry | None:
    doc_id = find_entry(db, entry_id)
    removed = None if doc_id is None else table_of(db, ENTRIES_TABLE).drop(doc_id)
    return None if removed is None else Entry.from_dict(removed)


def get_community(db: KringDB, name: str) -> Community | None:
    doc_id = find(db, COMMUNITIES_TABLE, "name", name)
    if doc_id is None:
        return None
    return Community.from_dict(dict(db.table(COMMUNITIES_TABLE).get(doc_id=doc_id) or {}))


def put_community(db: KringDB, community: Community, old_name: str) -> None:
    """Save the community in place of the one called ``old_name`` (or as a new one)."""
    table_of(db, COMMUNITIES_TABLE).put(
        community.to_dict(), find(db, COMMUNITIES_TABLE, "name", old_name))


def drop_community(db: KringDB, name: str) -> Community | None:
    doc_id = find(db, COMMUNITIES_TABLE, "name", name)
    removed = None if doc_id is None else table_of(db, COMMUNITIES_TABLE).drop(doc_id)
    return None if removed is None else Community.from_dict(removed)
