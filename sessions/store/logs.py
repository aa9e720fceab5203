"""One thing's logs (a meeting's, or the communities'), read incrementally into one state.

Each device writes its own log of a thing; a ``Stream`` reads all of them, and any conflict
copy a sync engine made of one, into one ``Folded`` state, remembering how far it read each
file: catching up after another process or device wrote reads only the new lines. Lines that
are not events, and a torn last line, are skipped and reported, never fatal.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kring.sessions.errors import ReadError
from kring.sessions.i18n import _, ngettext
from kring.sessions.store.events import Event, HybridClock, parse_lines, ulid
from kring.sessions.store.files.atomic import describe_read
from kring.sessions.store.files.logfile import append, read_from
from kring.sessions.store.fold import Folded

Change = tuple[str, str, dict[str, Any]]  # (op, key, fields): one event before it is stamped
Stamp = tuple[tuple[str, int, int], ...]  # (path, size, mtime_ns) of each file, sorted
_TAIL = 63  # bytes of the last line read that must still be there (with its newline)


@dataclass(frozen=True, slots=True)
class LineProblem:
    """Lines of one file that were skipped."""

    path: Path
    lines: tuple[int, ...]  # 1-based numbers of lines that are not events
    torn: bool  # the file ends in the middle of a line

    @property
    def reason(self) -> str:
        parts = []
        if self.lines:
            shown = ", ".join(str(number) for number in self.lines[:5])
            more = "…" if len(self.lines) > 5 else ""
            parts.append(ngettext(
                "{count} line could not be read (line {lines}{more}) and was skipped",
                "{count} lines could not be read (lines {lines}{more}) and were skipped",
                len(self.lines)).format(count=len(self.lines), lines=shown, more=more))
        if self.torn:
            parts.append(_("its last line was cut off (a crash, or a copy still under way) "
                           "and is ignored"))
        return "; ".join(parts) + "."


@dataclass(slots=True)
class _Cursor:
    offset: int = 0
    lines: int = 0  # whole lines read so far, for the line numbers in problems
    bad: list[int] = field(default_factory=list)
    torn: bool = False
    tail: bytes = b""  # the last bytes read, to notice the file replaced by another version


class Stream:
    """The folded events of a set of files, kept up to date by reading only what is new."""

    def __init__(self, what: str, clock: HybridClock,
                 own: Callable[[], str | None] | None = None) -> None:
        self.what = what
        self.clock = clock
        # This device's id: its own events are read as written (the app made them plain as
        # they were typed), every other device's are made plain as they are read.
        self.own = own
        self.state = Folded()
        self._cursors: dict[str, _Cursor] = {}

    def read(self, paths: list[Path]) -> list[Event]:
        """Read what is new in ``paths``; returns the new events (already applied)."""
        new: list[Event] = []
        for path in paths:
            key = os.fspath(path)
            cursor = self._cursors.get(key)
            if cursor is None:
                cursor = self._cursors[key] = _Cursor()
            chunk = read_from(path, cursor.offset, self.what, tail=cursor.tail)
            if chunk is None:
                continue
            if chunk.restarted:
                # Shorter than what we read of it: replaced (an older copy, a restore). What it
                # held may not be on disk any more, and a fold cannot take events back out:
                # fold every file again, as a process starting now would, so that the same
                # files give the same state here as there. (Fresh cursors start at 0, so this
                # cannot happen again in the call below.)
                self.state = Folded()
                self._cursors.clear()
                return self.read(paths)
            events, bad = parse_lines(chunk.lines, self.own() if self.own else None)
            cursor.bad.extend(cursor.lines + number + 1 for number in bad)
            cursor.lines += len(chunk.lines)
            cursor.offset, cursor.torn = chunk.end, chunk.torn
            if chunk.lines:
                cursor.tail = chunk.lines[-1][-_TAIL:] + b"\n"
            if events:
                self.clock.observe(events)
                if self.state.apply(events):
                    new.extend(events)
        return new

    def commit(self, path: Path, device: str, changes: list[Change], what: str) -> None:
        """Stamp ``changes`` (op, key, fields) as this device's events, append them to its log
        ``path`` in one durable write, and apply them: the one way a change is made. The
        caller holds the log's lock (so it is a change on top of what this stream read)."""
        events = []
        for op, key, fields in changes:
            t, c = self.clock.tick()
            events.append(Event(ulid(t), t, c, device, op, key, fields))
        size = append(path, [event.to_line() for event in events], what)
        self._wrote(path, events, size)

    def _wrote(self, path: Path, events: list[Event], size: int) -> None:
        """Our own append of ``events`` to ``path``, which is now ``size`` bytes: applied
        without reading them back (we held the lock, so nothing else came in between)."""
        cursor = self._cursors.setdefault(os.fspath(path), _Cursor())
        self.state.apply(events)
        if cursor.torn:
            # The append ended the torn bytes with a newline: they are a line now, and may
            # even be a whole event (only the newline was cut). Read on from where we were,
            # as any other reader will (our own events again: known by id, no change), so that
            # this process and every other see the same lines and the same line numbers.
            return
        cursor.offset = size
        cursor.lines += len(events)
        if events:
            cursor.tail = events[-1].to_line()[-_TAIL:] + b"\n"

    def problems(self) -> list[LineProblem]:
        return [LineProblem(Path(key), tuple(cursor.bad), cursor.torn)
                for key, cursor in sorted(self._cursors.items()) if cursor.bad or cursor.torn]

    def known(self) -> list[Path]:
        """Every file read so far (logs and conflict copies)."""
        return [Path(key) for key in self._cursors]


def stamp_of(paths: list[Path]) -> Stamp:
    """The version of a set of files: one stat each, cheap enough to poll."""
    found: list[tuple[str, int, int]] = []
    for path in paths:
        try:
            status = os.stat(path)
        except FileNotFoundError:
            continue
        except OSError as error:
            raise ReadError(str(path), describe_read(error), error.errno) from error
        found.append((os.fspath(path), status.st_size, status.st_mtime_ns))
    return tuple(sorted(found))
