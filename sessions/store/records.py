"""Meetings and entries as whole-file documents (rescue copies, and data folders of Kring
before per-device logs), and back.

A meeting file holds two tables: ``meeting`` (one document, the header) and ``entries`` (one
document per entry; the entry's own ``id`` field is its identity, the document number only
keeps creation order). The communities file held one table, ``communities``.
"""

from __future__ import annotations

import copy

from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.store.files.envelope import Tables

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
