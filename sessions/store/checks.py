"""What a usable file looks like: the store checks every file it parses, doctor every file it
finds. A file that fails is reported with a reason for the user, never half-used."""

from __future__ import annotations

from pathlib import Path

from kring.sessions.errors import CorruptFileError
from kring.sessions.i18n import _
from kring.sessions.model.community import Community
from kring.sessions.model.meeting import Entry
from kring.sessions.store.files.envelope import Check, Tables, check_tables, decode
from kring.sessions.store.layout import COMMUNITIES_KIND, MEETING_KIND
from kring.sessions.store.records import (
    COMMUNITIES_TABLE,
    ENTRIES_TABLE,
    MEETING_TABLE,
    meeting_header,
)

# What from_dict raises on a document that is not what it should be.
_DAMAGE = (KeyError, TypeError, ValueError, AttributeError, AssertionError, IndexError)


def check_meeting(tables: Tables, path: Path, meeting_id: str | None = None) -> None:
    """Raise CorruptFileError unless ``tables`` hold one whole meeting (with that id)."""
    header = tables.get(MEETING_TABLE)
    if not header or len(header) != 1:
        raise CorruptFileError(path, _("it holds no meeting"))
    try:
        meeting = meeting_header(tables)
        meeting.summary_dict()
    except _DAMAGE as error:
        raise CorruptFileError(path, _("the meeting in it is damaged{detail}").format(
            detail=_detail(error))) from None
    if meeting_id is not None and meeting.id != meeting_id:
        raise CorruptFileError(path, _("it holds a different meeting than its name says"))
    for doc in tables.get(ENTRIES_TABLE, {}).values():
        try:
            if not isinstance(doc.get("id"), str) or not isinstance(doc.get("text"), str):
                raise TypeError
            Entry.from_dict(doc)
        except _DAMAGE as error:
            raise CorruptFileError(path, _("an entry in it is damaged{detail}").format(
                detail=_detail(error))) from None


def check_communities(tables: Tables, path: Path) -> None:
    try:
        for doc in tables.get(COMMUNITIES_TABLE, {}).values():
            Community.from_dict(doc)
    except _DAMAGE as error:
        raise CorruptFileError(path, _("a community in it is damaged{detail}").format(
            detail=_detail(error))) from None


def check_file(raw: bytes, path: Path, kind: str) -> None:
    """Raise UnreadableError unless ``raw`` is a usable file of this kind."""
    checks: dict[str, Check] = {MEETING_KIND: check_meeting, COMMUNITIES_KIND: check_communities}
    if kind in checks:
        check_with(raw, path, kind, checks[kind])
    else:
        decode(raw, path, kind)


def check_with(raw: bytes, path: Path, kind: str, check: Check | None) -> None:
    tables = check_tables(decode(raw, path, kind), path)
    if check is not None:
        check(tables, path)


def _detail(error: BaseException) -> str:
    # Field names are ours; values could be anyone's words, so they never go in a message.
    if isinstance(error, KeyError) and error.args and isinstance(error.args[0], str):
        return _(" (the field {field} is missing)").format(field=repr(error.args[0]))
    return ""
