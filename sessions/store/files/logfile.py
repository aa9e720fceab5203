"""Append-only files of lines: the one way the store writes what users commit.

A log is only ever appended to, by one device, one whole line per write, each followed by an
fsync before the call returns. So a crash can at worst leave the last line torn (no newline at
its end): readers ignore such a line and say so, and the next append first ends it with a
newline, so the torn bytes stay a line of their own and never spoil the line after them.

Nothing here knows what the lines mean (``events.py`` does).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from kring.sessions.errors import ReadError, SaveError, WriteRefusedError
from kring.sessions.i18n import _
from kring.sessions.store.files.atomic import (
    MAX_READ,
    PRIVATE_FILE,
    FileTooLargeError,
    _fchmod,
    _sync_folder,
    _write_all,
    describe,
    describe_read,
    ensure_private_dir,
    read_limited,
)

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
NEWLINE = b"\n"
_UNSYNCED: set[str] = set()  # logs made by this process whose folder fsync failed so far


@dataclass(frozen=True, slots=True)
class Chunk:
    """What a read from ``offset`` found: whole lines, and where the next read starts."""

    lines: list[bytes]  # without their newlines
    end: int  # the offset just after the last whole line
    torn: bool  # bytes after the last newline: a line still being written, or cut by a crash
    restarted: bool = False  # the file was shorter than ``offset``: these lines are from 0


def append(path: Path, lines: list[bytes], what: str) -> int:
    """Append ``lines`` (no newline in any) in one write and make them durable; returns the
    file's new size. Creates the file (0600, its folder 0700) on first use. Raises SaveError
    when the disk refuses, WriteRefusedError when something other than a regular file is at
    ``path``."""
    assert not any(NEWLINE in line for line in lines)
    created = not os.path.lexists(path)
    if created:
        ensure_private_dir(path.parent, what)
    try:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | _CLOEXEC | _NOFOLLOW
                     | _BINARY | _NONBLOCK, PRIVATE_FILE)
    except OSError as error:
        if os.path.islink(path) or os.path.isdir(path):
            raise WriteRefusedError(path, _("it is not a regular file")) from error
        raise SaveError(what, describe(error, path.parent), error.errno) from error
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise WriteRefusedError(path, _("it is not a regular file"))
        if created:
            _fchmod(fd)
        prefix = b"" if status.st_size == 0 or _ends_with_newline(fd, status.st_size) \
            else NEWLINE
        try:
            _write_all(fd, prefix + NEWLINE.join(lines) + NEWLINE)
            os.fsync(fd)
            size = os.fstat(fd).st_size
        except OSError as error:
            raise SaveError(what, describe(error, path.parent), error.errno) from error
    finally:
        os.close(fd)
    if created or os.fspath(path) in _UNSYNCED:
        # The new name is as durable as its first line. Until its folder's fsync worked, no
        # later append counts as saved either: it would be lost with the name.
        _UNSYNCED.add(os.fspath(path))
        _sync_folder(path.parent, what)
        _UNSYNCED.discard(os.fspath(path))
    return size


def read_from(path: Path, offset: int, what: str, *, limit: int = MAX_READ,
              tail: bytes = b"") -> Chunk | None:
    """The whole lines after ``offset``; None when the file is not there. Never waits on a
    pipe or reads a device (ReadError), never reads more than ``limit`` bytes.

    ``tail`` is what the file held just before ``offset`` when it was last read: when it holds
    something else there now, the file was replaced by another version (a sync engine renames
    the version it received over the old one), and it is read again from the start
    (``restarted``)."""
    try:
        fd = os.open(path, os.O_RDONLY | _CLOEXEC | _BINARY | _NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ReadError(what, describe_read(error), error.errno) from error
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise ReadError(what, _("it is not a regular file."))
        if status.st_size > limit:
            raise ReadError(what, describe_read(FileTooLargeError(path, limit)))
        # Shorter than what we read before, or other bytes where our last line was: replaced
        # by another version. Read it again from the start, and say so.
        restarted = status.st_size < offset or (
            bool(tail) and os.pread(fd, len(tail), offset - len(tail)) != tail)
        start = 0 if restarted else offset
        os.lseek(fd, start, os.SEEK_SET)
        data = _read_all(fd, status.st_size - start)
    except OSError as error:
        raise ReadError(what, describe_read(error), error.errno) from error
    finally:
        os.close(fd)
    last = data.rfind(NEWLINE)
    whole = data[: last + 1]
    return Chunk(whole.split(NEWLINE)[:-1], start + last + 1, last + 1 < len(data), restarted)


@dataclass(frozen=True, slots=True)
class Whole:
    """All of a log: its whole lines, the bytes after the last newline, and the version of
    the file they are (to see, before it goes, that nothing was added meanwhile)."""

    lines: list[bytes]  # without their newlines
    torn: bytes  # a line cut off, or still being written: b"" when the file ends in one
    status: os.stat_result

    @property
    def data(self) -> bytes:
        """The file's bytes, exactly."""
        return b"".join(line + NEWLINE for line in self.lines) + self.torn


def read_whole(path: Path, what: str, *, limit: int = MAX_READ) -> Whole | None:
    """The whole log at ``path``, torn end and all; None when there is none. Only a regular
    file is read (ReadError otherwise), never more than ``limit`` bytes."""
    try:
        data, status = read_limited(path, limit)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ReadError(what, describe_read(error), error.errno) from error
    last = data.rfind(NEWLINE)
    return Whole(data[: last + 1].split(NEWLINE)[:-1], data[last + 1:], status)


def unchanged(path: Path, status: os.stat_result) -> bool:
    """Whether ``path`` is still the version ``status`` describes: same file, same size,
    same modification time (a sync engine or another Kring may have added to it)."""
    try:
        now = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    return (now.st_ino, now.st_size, now.st_mtime_ns) == (
        status.st_ino, status.st_size, status.st_mtime_ns)


def _read_all(fd: int, size: int) -> bytes:
    chunks: list[bytes] = []
    while size > 0 and (chunk := os.read(fd, size)):
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _ends_with_newline(fd: int, size: int) -> bool:
    return os.pread(fd, 1, size - 1) == NEWLINE
