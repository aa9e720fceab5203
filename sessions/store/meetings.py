"""Meetings: their events in every device's log, folded into one meeting with its entries.

A change is one event appended to this device's log of the meeting, under a lock this device's
processes share, after reading what the other logs added since we last looked: so two
processes never lose each other's changes, an edit applies to the entry as it is now, and the
change is on disk (fsynced) when the method returns. Only what changed is written, each part
of the header (a phase run, minutes added, a protected name) and of an action point's history
as a change of its own (``shapes.py``), so laptops that change one meeting offline keep each
other's changes. What it costs does not grow with the meeting: only the new lines are read,
and a line or a few are written.
"""

from __future__ import annotations

import copy
import os
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, TypeVar, cast

from kring.sessions.errors import CorruptFileError, NotFoundError
from kring.sessions.i18n import _
from kring.sessions.model.meeting import Entry, Meeting
from kring.sessions.store.changes import AddEntry, Change, DeleteEntry, EditEntry, MeetingChange
from kring.sessions.store.events import DELETE, HEADER_KEY, HybridClock
from kring.sessions.store.files.atomic import ensure_private_dir
from kring.sessions.store.files.locking import file_lock
from kring.sessions.store.fold import Folded
from kring.sessions.store.layout import (
    Layout,
    Name,
    check_id,
    classify,
    device_folders,
    meeting_what,
)
from kring.sessions.store.logs import Change as Line  # one line of a log: a put or a delete
from kring.sessions.store.logs import LineProblem, Stamp, Stream, stamp_of
from kring.sessions.store.shapes import (
    CHILD,
    ENTRY,
    MEETING,
    Decoded,
    changes_to,
    decode,
    durable,
    encode,
)

R = TypeVar("R")

_REMEMBERED = 16  # meetings whose folded events a store keeps between commits
# What from_dict raises on a record that is not what it should be.
DAMAGE = (KeyError, TypeError, ValueError, AttributeError, AssertionError, IndexError)


@dataclass(slots=True)
class MeetingRecord:
    meeting: Meeting
    entries: list[Entry]  # in the order they were created
    stamp: Stamp  # the version of the logs this was read from; see Store.changed_since


def header_of(state: Folded, path: Path) -> Meeting:
    return _header(state, path, parts=False)[0]


def _header(state: Folded, path: Path, *, parts: bool = True) -> tuple[Meeting, Decoded]:
    """The meeting, and its header as stored (what a change to it is compared with)."""
    record = state.records.get(HEADER_KEY)
    if record is None or not record.alive:
        raise CorruptFileError(path, _("it holds no meeting"), meeting_what(path.stem))
    try:
        decoded = decode(state, HEADER_KEY, record.values, MEETING, parts=parts)
        # A deep copy: the fold keeps these values, and callers may change the meeting's.
        return Meeting.from_dict(copy.deepcopy(decoded.value)), decoded
    except DAMAGE:
        raise CorruptFileError(path, _("the meeting in it is damaged"),
                               meeting_what(path.stem)) from None


def entries_of(state: Folded, kinds: frozenset[str] | None = None) -> list[Entry]:
    """The live entries (of ``kinds`` only, when given: Capture values), in the order they
    were made (ties: the order they were first put)."""
    made: list[tuple[Any, Any, Entry]] = []
    children = state.children
    for key, record in state.live():
        if key == HEADER_KEY or (kinds is not None and record.values.get("kind") not in kinds):
            continue
        if CHILD in key:
            continue  # a part of a record (a phase run, an action point's history)
        values = record.values
        if key in children:
            values = decode(state, key, values, ENTRY, parts=False).value
        try:
            entry = Entry.from_dict(values)
        except DAMAGE:
            continue  # only part of an entry arrived (its put in a torn line): not shown
        made.append((entry.created_at.timestamp(), record.born, entry))
    made.sort(key=lambda item: (item[0], item[1] or ()))
    return [entry for _, _, entry in made]


def entry_dict(entry: Entry) -> dict[str, Any]:
    """An entry's fields as the store compares them: its history always there (``to_dict``
    leaves an empty one out), so that emptying it is a change too."""
    return entry.to_dict() | {"history": [change.to_dict() for change in entry.history]}


def header_dict(meeting: Meeting) -> dict[str, Any]:
    return meeting.to_dict() | {"votes": [vote.to_dict() for vote in meeting.votes]}


class Meetings:
    """The meetings of one data folder, as one process of one device sees them."""

    def __init__(self, layout: Layout, device: Callable[[], str], clock: HybridClock, *,
                 lock_timeout: float, mutex: threading.RLock,
                 on_lines: Callable[[str, list[LineProblem]], None],
                 purged: Callable[[], Collection[str]] = frozenset,
                 own: Callable[[], str | None] | None = None) -> None:
        self.layout = layout
        self.own = own  # this device's id, if it has one yet: see Stream
        # Meetings a laptop purged: their logs may linger (a laptop offline at the time wrote
        # to one, a sync engine brought a copy back) but are never a meeting again.
        self.purged = purged
        self._device = device
        self.on_lines = on_lines
        self.clock = clock
        self.lock_timeout = lock_timeout
        self.mutex = mutex
        self._streams: dict[str, Stream] = {}
        self._known: dict[str, Stamp] = {}  # see needs_reload

    # -- reading -----------------------------------------------------------------------------

    def load(self, meeting_id: str) -> MeetingRecord:
        with self.mutex:
            stream = self.current(meeting_id, copies=True)
            logs = self.paths(meeting_id)
            # Named after any of its logs: reading needs no device id of our own.
            meeting = header_of(stream.state, logs[0])
            stamp = stamp_of(logs)
            self._known[meeting_id] = stamp
            return MeetingRecord(meeting, entries_of(stream.state), stamp)

    def current(self, meeting_id: str, *, copies: bool | list[Path] = False,
                purged: Collection[str] | None = None) -> Stream:
        """The meeting's folded events, caught up with every log and conflict copy. Copies
        are looked for when ``copies`` is true or this process has not read the meeting yet;
        otherwise those found before are read (``copies`` may also list them: the index
        found them already). Raises NotFoundError when no device has a log of it, or it was
        purged (``purged``: the meetings purged, when the caller has read them already, as
        the index has for thousands of meetings at once)."""
        with self.mutex:
            stream = self._stream(meeting_id)
            logs = self.paths(meeting_id)
            if not logs or meeting_id in (self.purged() if purged is None else purged):
                raise NotFoundError(_("There is no meeting {id}.").format(id=meeting_id))
            stream.read(logs + self._copies_to_read(meeting_id, stream, copies))
            self.on_lines(meeting_id, stream.problems())
            return stream

    def _copies_to_read(self, meeting_id: str, stream: Stream,
                        copies: bool | list[Path]) -> list[Path]:
        if isinstance(copies, list):
            return copies
        if copies or not stream.known():
            return self._copies(meeting_id)
        # Listing every device's folder on every change would cost more than the change:
        # between loads, only the copies already found are read again.
        return [path for path in stream.known()
                if classify(path.name)[0] is Name.CONFLICT and path.exists()]

    def paths(self, meeting_id: str, *, copies: bool = False) -> list[Path]:
        check_id(meeting_id)
        found = [folder / f"{meeting_id}.jsonl"
                 for folder in device_folders(self.layout.devices, self.layout.device_meetings)]
        found = [path for path in found if os.path.lexists(path)]
        if copies:
            found += self._copies(meeting_id)
        return found

    def ids(self) -> set[str]:
        """Every meeting some device has a log of, but those purged."""
        return self.logged() - set(self.purged())

    def logged(self) -> set[str]:
        """Every meeting some device has a log of, purged or not."""
        found: set[str] = set()
        for folder in device_folders(self.layout.devices, self.layout.device_meetings):
            try:
                names = os.listdir(folder)
            except OSError:  # gone, not a folder, or unreadable: doctor names the last
                continue
            for name in names:
                kind, meeting_id = classify(name)
                if meeting_id is not None and kind in (Name.LOG, Name.CONFLICT):
                    found.add(meeting_id)
        return found

    def stamp(self, meeting_id: str) -> Stamp:
        return stamp_of(self.paths(meeting_id))

    def needs_reload(self, meeting_id: str) -> bool:
        return meeting_id not in self._known or self.stamp(meeting_id) != self._known[meeting_id]

    # -- changing ----------------------------------------------------------------------------

    def create(self, meeting: Meeting, entries: Iterable[Entry]) -> None:
        with self._change(meeting.id, create=True) as (state, write):
            changes = changes_to(state, HEADER_KEY, header_dict(meeting), MEETING)
            for entry in entries:
                changes += changes_to(state, entry.id, entry_dict(entry), ENTRY)
            write(changes or [durable(HEADER_KEY, header_dict(meeting), MEETING)])

    def save(self, meeting: Meeting) -> None:
        self._update(meeting.id, lambda stored: _become(stored, meeting))

    def apply(self, meeting_id: str, change: Change[R]) -> R:
        """Make ``change`` (``changes.py``) on the meeting as it is stored now, and return what
        it returns. The one way a meeting's entries change, and its header but as a whole
        (``create``, ``save``, a rescue copy taken in)."""
        if isinstance(change, MeetingChange):
            return cast(R, self._update(meeting_id, change.make))
        if not isinstance(change, AddEntry | EditEntry | DeleteEntry):
            raise TypeError(f"not a change the store makes: {change!r}")
        with self._change(meeting_id) as (state, write):
            if isinstance(change, AddEntry):
                _put(state, change.entry, write)
                return cast(R, None)
            if isinstance(change, EditEntry):
                edited = _edit(state, change.entry_id, change.fields, write)
                if edited is None and change.restore is not None:
                    # Deleted meanwhile (in another window): the edit brings it back.
                    _put(state, change.restore, write)
                    edited = change.restore
                return cast(R, edited)
            return cast(R, _delete(state, change.entry_id, write))

    def import_rescued(self, path: Path) -> str:
        from kring.sessions.store.rescue import newer, read_rescue

        meeting, entries, written = read_rescue(path)
        with self._change(meeting.id, create=True) as (state, write):
            changes: list[Line] = []
            header = state.get(HEADER_KEY)
            # The copy's header wins unless the meeting changed on disk after it was written.
            if header is None or self._last_change_ns(meeting.id) <= written:
                changes += changes_to(state, HEADER_KEY, header_dict(meeting), MEETING)
            stored_entries = {entry.id: entry for entry in entries_of(state)}
            for entry in entries:
                stored = stored_entries.get(entry.id)
                if entry != stored and newer(entry, stored):
                    changes += changes_to(state, entry.id, entry_dict(entry), ENTRY)
            if changes:
                write(changes)
        return meeting.id

    # -- the machinery -----------------------------------------------------------------------

    def _update(self, meeting_id: str, make: Callable[[Meeting], None]) -> Meeting:
        """``make`` a change on the header as stored; only what it changed is written, each part
        as its own change (a phase run ended, two minutes added): what another device changed
        meanwhile stays. Returns the meeting as saved."""
        with self._change(meeting_id) as (state, write):
            # Compared with the header as stored, not with the meeting handed to ``make``:
            # a change may alter its nested values (the protocol's phases) in place.
            meeting, decoded = _header(state, self._main(meeting_id))
            read_runs = [run.to_dict() for run in meeting.runs]
            make(meeting)
            if meeting.id != meeting_id:
                raise ValueError("a meeting's id cannot change")
            after = header_dict(meeting)
            after["runs"] = _as_stored(decoded.value.get("runs") or [], read_runs, after["runs"])
            changes = encode(HEADER_KEY, decoded, after, MEETING, state=state)
            if changes:
                write(changes)
        return meeting

    @contextmanager
    def _change(self, meeting_id: str, *, create: bool = False) -> Iterator[
            tuple[Folded, Callable[[list[Line]], None]]]:
        what = meeting_what(meeting_id)
        ensure_private_dir(self.layout.locks, what)
        with self.mutex, file_lock(self.layout.lock(f"meeting-{check_id(meeting_id)}"), what,
                                   self.lock_timeout):
            stream = self._stream(meeting_id)
            before = self._known.get(meeting_id)
            paths = self.paths(meeting_id)
            if (not paths and not create) or meeting_id in self.purged():
                raise NotFoundError(_("There is no meeting {id}.").format(id=meeting_id))
            if paths:
                stream.read(paths + self._copies_to_read(meeting_id, stream, False))
            self.on_lines(meeting_id, stream.problems())
            unchanged = before is not None and stamp_of(paths) == before

            def write(changes: list[Line]) -> None:
                stream.commit(self._main(meeting_id), self.device, changes, what)

            yield stream.state, write
            # Our change sits on top of what we last handed out only if nobody else's came in
            # between (or if there was nothing before it).
            if unchanged or (create and before is None and not paths):
                self._known[meeting_id] = self.stamp(meeting_id)

    def _stream(self, meeting_id: str) -> Stream:
        stream = self._streams.pop(meeting_id, None)
        if stream is None:
            stream = Stream(meeting_what(meeting_id), self.clock, own=self.own)
            if len(self._streams) >= _REMEMBERED:  # forget the longest unused
                del self._streams[next(iter(self._streams))]
        self._streams[meeting_id] = stream  # most recently used last
        return stream

    @property
    def device(self) -> str:
        return self._device()

    def _main(self, meeting_id: str) -> Path:
        return self.layout.meeting_log(self.device, meeting_id)

    def _copies(self, meeting_id: str) -> list[Path]:
        found = []
        for folder in device_folders(self.layout.devices, self.layout.device_meetings):
            try:
                names = sorted(os.listdir(folder))
            except OSError:  # gone, not a folder, or unreadable: doctor names the last
                continue
            found += [folder / name for name in names
                      if classify(name) == (Name.CONFLICT, meeting_id)]
        return found

    def _last_change_ns(self, meeting_id: str) -> int:
        return max((mtime for _, _, mtime in self.stamp(meeting_id)), default=0)

    def forget(self, meeting_id: str) -> None:
        """Drop what this process remembers of a meeting (its logs were removed: purge)."""
        with self.mutex:
            self._streams.pop(meeting_id, None)
            self._known.pop(meeting_id, None)


Write = Callable[[list[Line]], None]


def _put(state: Folded, entry: Entry, write: Write) -> None:
    changes = changes_to(state, entry.id, entry_dict(entry), ENTRY)
    write(changes or [durable(entry.id, entry_dict(entry), ENTRY)])


def _edit(state: Folded, entry_id: str, changes: Mapping[str, object],
          write: Write) -> Entry | None:
    """Only the fields that change are written (marking an action point done writes its status
    and its history's new step, never its due date). None if the entry is not there."""
    record = state.records.get(entry_id) if entry_id != HEADER_KEY else None
    if record is None or not record.alive or CHILD in entry_id:
        return None
    decoded = decode(state, entry_id, record.values, ENTRY)
    stored = Entry.from_dict(decoded.value)
    edited = replace(stored, **changes)  # type: ignore[arg-type]
    if edited.id != entry_id:
        raise ValueError("an entry's id cannot change")
    if edited != stored:
        written = encode(entry_id, decoded, entry_dict(edited), ENTRY, state=state)
        if written:
            write(written)
    return edited


def _delete(state: Folded, entry_id: str, write: Write) -> Entry | None:
    record = state.records.get(entry_id) if entry_id != HEADER_KEY else None
    if record is None or not record.alive or CHILD in entry_id:
        return None
    write([(DELETE, entry_id, {})])
    try:
        return Entry.from_dict(decode(state, entry_id, record.values, ENTRY).value)
    except DAMAGE:
        return None


def _as_stored(stored: list[Any], read: list[Any], wanted: list[Any]) -> list[Any]:
    """``wanted``'s runs, those the change left as they were read given as they are stored.
    Reading ends a run that a later run (another laptop's) followed (``model.meeting.settled``);
    written back, that end would be a change nobody made, and could win over the real end
    the run's own laptop gives it."""
    return [stored[index] if index < len(stored) and index < len(read) and run == read[index]
            else run for index, run in enumerate(wanted)]


def _become(stored: Meeting, wanted: Meeting) -> None:
    for item in fields(Meeting):
        setattr(stored, item.name, getattr(wanted, item.name))
