"""A data folder of the one-file-per-meeting format, converted to per-device logs.

On the first use of such a folder: a copy of the old files goes into this device's state folder
(the backup), each meeting and the communities become events in this device's logs, every
converted meeting is read back and compared with its old file, and only then is the old
file moved into ``migrated-v1/`` (kept: ``kring doctor`` compares it again, and it is what a
user would go back to). A file that cannot be read is left where it is
and reported; the others still convert.

The converted events have ids made from the meeting and entry ids, and clock readings from the
entries' own times: two devices converting the same synced folder write the same events, which
fold into one state.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kring.sessions.errors import StoreError
from kring.sessions.i18n import _
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.store.events import HEADER_KEY, PUT, Event
from kring.sessions.store.files.atomic import ensure_private_dir
from kring.sessions.store.files.envelope import read_document
from kring.sessions.store.files.locking import file_lock
from kring.sessions.store.files.logfile import append
from kring.sessions.store.layout import (
    COMMUNITIES_KIND,
    COMMUNITIES_WHAT,
    LEGACY_MEETINGS,
    Layout,
    id_of,
    meeting_what,
)
from kring.sessions.store.meeting_file import MeetingFile, read_meeting_file
from kring.sessions.store.records import COMMUNITIES_TABLE

if TYPE_CHECKING:
    from kring.sessions.store.facade import Store

CONVERTED_DEVICE = "v1"  # the clock tiebreaker of converted events: the same on every device


def legacy_files(layout: Layout) -> list[Path]:
    """The meeting files of the older format still waiting to be converted."""
    try:
        names = sorted(os.listdir(layout.legacy_meetings))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [layout.legacy_meetings / name for name in names if id_of(name) is not None]


def migrate_if_needed(store: Store) -> None:
    layout = store.layout
    if not legacy_files(layout) and not layout.legacy_communities.is_file():
        return
    what = _("the conversion of the data folder")
    ensure_private_dir(layout.locks, what)
    with file_lock(layout.lock("migration"), what, 60.0):
        files = legacy_files(layout)
        if not files and not layout.legacy_communities.is_file():
            return  # another process of this device did it meanwhile
        _backup(layout, files)
        for path in files:
            if _convert_meeting(store, path):
                _retire(path, layout.migrated / LEGACY_MEETINGS)
        if _convert_communities(store):
            _retire(layout.legacy_communities, layout.migrated)
        _move_drafts(layout)


def _convert_meeting(store: Store, path: Path) -> bool:
    got = read_meeting_file(path, id_of(path.name))
    if not isinstance(got, MeetingFile):
        return False  # left in place; doctor names it
    meeting, entries = got.meeting, got.entries
    events = list(meeting_events(meeting, entries))
    log = store.layout.meeting_log(store.device, meeting.id)
    append(log, [event.to_line() for event in events], meeting_what(meeting.id))
    record = store.load(meeting.id)
    return same(record.meeting, record.entries, meeting, entries)


def meeting_events(meeting: Meeting, entries: list[Entry]) -> Iterator[Event]:
    yield _event(meeting.id, HEADER_KEY, meeting.to_dict(), _ms(meeting.created_at), 0)
    for number, entry in enumerate(entries):
        moment = entry.updated_at or entry.created_at
        yield _event(meeting.id, entry.id, entry.to_dict(), _ms(moment), number)


def same(meeting: Meeting, entries: list[Entry], old: Meeting, old_entries: list[Entry]) -> bool:
    return meeting.to_dict() == old.to_dict() and [e.to_dict() for e in entries] == [
        e.to_dict() for e in old_entries]


def _event(scope: str, key: str, fields: dict[str, Any], t: int, c: int,
           op: str = PUT) -> Event:
    digest = hashlib.sha256(f"{scope}/{key}/{op}".encode()).hexdigest()[:26].upper()
    return Event(f"V1{digest}", t, c, CONVERTED_DEVICE, op, key, fields)


def _ms(moment: Any) -> int:
    return int(moment.timestamp() * 1000)


def _convert_communities(store: Store) -> bool:
    layout = store.layout
    try:
        got = read_document(layout.legacy_communities, COMMUNITIES_KIND, _(COMMUNITIES_WHAT))
    except StoreError:
        return False
    if got is None:
        return True
    docs = (got[0].get(COMMUNITIES_TABLE) or {}).values()
    events = [_event("communities", str(doc.get("name")), dict(doc), 0, number)
              for number, doc in enumerate(docs) if isinstance(doc, dict) and doc.get("name")]
    if events:
        append(layout.communities_log(store.device), [e.to_line() for e in events],
               _(COMMUNITIES_WHAT))
    return True


def _backup(layout: Layout, files: list[Path]) -> None:
    target = layout.local / "backup-v1"
    ensure_private_dir(target, _("the backup of the data folder"))
    for path in [*files, layout.legacy_communities]:
        with contextlib.suppress(FileNotFoundError):
            if not (target / path.name).exists():
                shutil.copy2(path, target / path.name)
                os.chmod(target / path.name, 0o600)


def _move_drafts(layout: Layout) -> None:
    """Per-window drafts from the data folder into this device's state folder."""
    with contextlib.suppress(OSError):
        for folder in layout.legacy_drafts.iterdir():
            if folder.is_dir() and id_of(folder.name + ".json") is not None:
                target = layout.window_drafts(folder.name)
                ensure_private_dir(target, _("the drafts"))
                for draft in folder.iterdir():
                    if not (target / draft.name).exists():
                        os.replace(draft, target / draft.name)


def _retire(path: Path, folder: Path) -> None:
    """Move a converted file (and its backup) into ``folder``: kept, never read again by the
    store."""
    ensure_private_dir(folder, _("the converted files"))
    for each in (path, path.with_name(path.name + ".bak")):
        with contextlib.suppress(FileNotFoundError):
            os.replace(each, folder / each.name)
