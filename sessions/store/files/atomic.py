"""File operations that leave every file either whole-old or whole-new, whatever stops us.

A save writes a temporary file in the same folder, fsyncs it and renames it over the current
one, then fsyncs the folder so the rename itself survives a power cut. Nothing is ever kept open
between saves and nothing is ever written in place. (The logs of what users commit are appended
to instead: ``logfile.py``; this is for whole files: drafts, rescue copies, the user's --out.)
Files are 0600 and folders 0700 whatever the umask: the notes are about pupils.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from kring.sessions.errors import ReadError, SaveError, WriteRefusedError
from kring.sessions.i18n import _

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
TEMP_SUFFIX = ".tmp"
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)  # Windows would otherwise translate newlines
# A FIFO opened for reading waits for a writer, for ever: never wait. For a regular file the
# flag changes nothing. O_NOCTTY: a terminal device named where a file should be must not
# become our controlling terminal.
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_NOCTTY = getattr(os, "O_NOCTTY", 0)
# The largest file Kring reads: a meeting of thousands of entries is a few MB, so anything
# bigger is not ours and reading it would only fill the memory.
MAX_READ = 64 * 1024 * 1024
# Hard links are missing on some filesystems (FAT, some network shares): copy instead there.
_NO_LINKS = {errno.EPERM, errno.EMLINK, errno.EXDEV, errno.ENOTSUP, errno.EOPNOTSUPP}
# Folders cannot be fsynced everywhere (some network and Windows filesystems); the rename is
# then as durable as that filesystem makes it, which is all we can do.
_NO_DIR_SYNC = {errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EBADF, errno.EACCES}


class Stamp(NamedTuple):
    """One version of a file. Every save creates a new inode, so two saves within the same
    clock tick and of the same size still differ here."""

    inode: int
    mtime_ns: int
    size: int


def stamp_of(status: os.stat_result) -> Stamp:
    return Stamp(status.st_ino, status.st_mtime_ns, status.st_size)


def current_stamp(path: Path) -> Stamp | None:
    try:
        return stamp_of(os.stat(path))
    except FileNotFoundError:
        return None


def describe(error: OSError, folder: Path) -> str:
    """A sentence for the user; no traceback, no file content."""
    code = error.errno
    if code == errno.ENOSPC:
        return _("the disk is full.")
    if code == getattr(errno, "EDQUOT", -1):
        return _("your disk quota is used up.")
    if code == errno.EROFS:
        return _("the data folder {folder} is on a read-only disk.").format(folder=folder)
    if code in (errno.EACCES, errno.EPERM):
        return _("no permission to write to {folder}.").format(folder=folder)
    if code == errno.ENOENT:
        return _("the data folder {folder} is missing (was a disk removed?).").format(
            folder=folder)
    if code == errno.EIO:
        return _("the disk reported an error.")
    return _refused(os.strerror(code) if code else type(error).__name__)


def _refused(detail: str) -> str:
    # The system's own words stay as they are: they are what a helper can look up.
    return _("the system refused ({detail}).").format(detail=detail)


def ensure_private_dir(folder: Path, what: str) -> None:
    """Create ``folder`` and any missing parents as 0700. Folders that already exist are left
    alone: ``--data`` may point into a folder the user shares on purpose."""
    missing: list[Path] = []
    probe = folder
    while not probe.is_dir():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for path in reversed(missing):
        try:
            os.mkdir(path, PRIVATE_DIR)
        except FileExistsError:
            continue  # another process made it at the same moment, and chmods it itself
        except OSError as error:
            raise SaveError(what, describe(error, path.parent), error.errno) from error
        os.chmod(path, PRIVATE_DIR)  # mkdir's mode is filtered through the umask


def read_file(path: Path, what: str, *, limit: int = MAX_READ
              ) -> tuple[bytes, Stamp] | None:
    """The whole file and the stamp of exactly that version, or None when there is none.

    The stamp comes from the open descriptor, not a second stat: files are only ever replaced,
    never changed in place, so what we read and what we stamp are the same version. Only a
    regular file of at most ``limit`` bytes is read; anything else (a FIFO, a device, a folder,
    a huge file) raises ReadError without waiting or filling the memory."""
    try:
        raw, status = read_limited(path, limit)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ReadError(what, describe_read(error), error.errno) from error
    return raw, stamp_of(status)


class NotRegularFileError(OSError):
    """A pipe, device or socket where a file should be: never read, since a read could wait
    for ever (a FIFO) or never end (/dev/zero)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(errno.EINVAL, _("it is not a regular file (a pipe, device or socket)"),
                         os.fspath(path))


class FileTooLargeError(OSError):
    """A file bigger than its kind can sensibly be: read no further."""

    def __init__(self, path: str | os.PathLike[str], limit: int) -> None:
        super().__init__(errno.EFBIG, _("it is larger than {limit}, too large to be Kring's")
                         .format(limit=size_text(limit)), os.fspath(path))
        self.limit = limit


def size_text(size: int) -> str:
    """A size as people read it: 64 MB, 256 KB, 12 bytes."""
    for unit, factor in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= factor:
            return f"{size / factor:.3g} {unit}"
    return f"{size} bytes"


def read_limited(path: str | os.PathLike[str], limit: int) -> tuple[bytes, os.stat_result]:
    """The bytes of the regular file at ``path`` and its status, read through one descriptor.

    Raises FileNotFoundError, IsADirectoryError, NotRegularFileError, FileTooLargeError or
    another OSError; never blocks on a FIFO or device, never reads more than ``limit + 1``
    bytes (a file may grow while it is read)."""
    fd = os.open(path, os.O_RDONLY | _CLOEXEC | _BINARY | _NONBLOCK | _NOCTTY)
    try:
        status = os.fstat(fd)
        if stat.S_ISDIR(status.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), os.fspath(path))
        if not stat.S_ISREG(status.st_mode):
            raise NotRegularFileError(path)
        if status.st_size > limit:
            raise FileTooLargeError(path, limit)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0 and (chunk := os.read(fd, min(left, max(status.st_size + 1, 65536)))):
            chunks.append(chunk)
            left -= len(chunk)
        if left <= 0:
            raise FileTooLargeError(path, limit)
    finally:
        os.close(fd)
    return b"".join(chunks), status


def describe_read(error: OSError) -> str:
    if isinstance(error, NotRegularFileError | FileTooLargeError):
        return f"{error.strerror}."
    if error.errno in (errno.EACCES, errno.EPERM):
        return _("no permission to read it.")
    if error.errno in (errno.EISDIR, errno.ENOTDIR):
        return _("it is a folder, not a file.") if error.errno == errno.EISDIR else \
            _("a part of its path is a file, not a folder.")
    if error.errno == errno.EIO:
        return _("the disk reported an error.")
    if error.errno == errno.ELOOP:
        return _("a symbolic link on its path leads round in a circle (a link loop).")
    return _refused(os.strerror(error.errno) if error.errno else str(error))


def atomic_write(path: Path, data: bytes, what: str) -> Stamp:
    """Replace ``path`` with ``data`` so that a crash at any moment leaves the old or the new
    file, never a mix. Returns the stamp of the new version. On failure the old file and its
    backup are as they were and no temporary file is left behind."""
    import secrets  # here: start-up only reads, and secrets imports hmac and hashlib

    # Plain strings rather than Paths in here: building Paths cost a tenth of a commit.
    target = os.fspath(path)
    folder, name = os.path.split(target)
    folder = folder or os.curdir  # a bare name ("a.ics") is in the current folder, to sync too
    temp = os.path.join(folder, f".{name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC | _BINARY,
                     PRIVATE_FILE)
    except OSError as error:
        raise SaveError(what, describe(error, Path(folder)), error.errno) from error
    try:
        try:
            _fchmod(fd)
            _write_all(fd, data)
            os.fsync(fd)
            status = os.fstat(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException as error:
        _discard(temp)
        if isinstance(error, OSError):
            raise SaveError(what, describe(error, Path(folder)), error.errno) from error
        raise
    _sync_folder(folder, what)
    return stamp_of(status)


def write_user_file(path: Path, data: bytes, what: str) -> Stamp:
    """Write a file the user named (``--out``) as every other: atomically and 0600, whatever
    the umask. A symbolic link, folder, pipe or device there is refused (WriteRefusedError),
    never written through or replaced: it is not what anyone means by "the file"."""
    problem = _not_replaceable(path)
    if problem is not None:
        raise WriteRefusedError(path, problem)
    return atomic_write(path, data, what)


def _not_replaceable(path: Path) -> str | None:
    if not path.parent.is_dir():
        return _("the folder {folder} does not exist.").format(folder=path.parent)
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        return describe_read(error)
    if stat.S_ISLNK(mode):
        return _("it is a symbolic link; Kring does not write through links. Name the file "
                 "itself.")
    if stat.S_ISDIR(mode):
        return _("it is a folder, not a file.")
    if not stat.S_ISREG(mode):
        return f"{_('it is not a regular file (a pipe, device or socket)')}."
    return None


def move_aside(path: Path, label: str, moment: datetime) -> Path:
    """Rename ``path`` to ``<name>.<label>-<UTC time>`` without ever replacing an existing
    file, and make it private. Raises OSError when the folder does not allow it."""
    base = f"{path.name}.{label}-{moment.strftime('%Y%m%dT%H%M%SZ')}"
    for attempt in range(1000):
        target = path.with_name(base if attempt == 0 else f"{base}-{attempt}")
        try:
            os.link(path, target)  # fails if target exists: rename would silently replace it
        except FileExistsError:
            continue
        except OSError as error:
            if error.errno not in _NO_LINKS:
                raise
            if target.exists():
                continue
            os.rename(path, target)
        else:
            os.unlink(path)
        os.chmod(target, PRIVATE_FILE)
        with contextlib.suppress(SaveError):  # moved either way; the name change may not last
            _sync_folder(path.parent, path.name)
        return target
    # doctor --repair shows this reason when a file cannot be set aside.
    raise FileExistsError(errno.EEXIST, _("too many files set aside"), str(path))


def write_new(folder: Path, base: str, data: bytes, what: str) -> Path:
    """Write ``data`` to a new file ``base`` in ``folder`` (``base-1``, ``base-2``... when
    that is taken), durably and 0600; never replaces a file. Returns its path. For bytes
    taken out of the data folder: the caller removes them there only once this returned, so
    a crash in between leaves them in both places, never in neither."""
    ensure_private_dir(folder, what)
    for attempt in range(1000):
        target = folder / (base if attempt == 0 else f"{base}-{attempt}")
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC | _BINARY,
                         PRIVATE_FILE)
        except FileExistsError:
            continue
        except OSError as error:
            raise SaveError(what, describe(error, folder), error.errno) from error
        try:
            _fchmod(fd)
            _write_all(fd, data)
            os.fsync(fd)
        except OSError as error:
            _discard(os.fspath(target))
            raise SaveError(what, describe(error, folder), error.errno) from error
        finally:
            os.close(fd)
        _sync_folder(folder, what)
        return target
    raise SaveError(what, _("too many files set aside"))


def remove(path: Path) -> bool:
    """Delete a file; False when it was already gone."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        return False
    return True


def _fchmod(fd: int) -> None:
    # O_CREAT's mode goes through the umask, which can only take bits away: an odd one (0o277)
    # would leave a file its owner cannot save over next time. os.fchmod is missing on Windows.
    fchmod = getattr(os, "fchmod", None)
    if fchmod is not None:
        fchmod(fd, PRIVATE_FILE)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _discard(temp: str) -> None:
    with contextlib.suppress(OSError):  # the folder may be read-only now; doctor lists it
        os.unlink(temp)


def _sync_folder(folder: str | Path, what: str) -> None:
    if os.name != "posix":
        return  # Windows cannot open a folder for fsync; its renames are journalled
    try:
        fd = os.open(folder, os.O_RDONLY | _CLOEXEC)
    except OSError as error:
        if error.errno in _NO_DIR_SYNC:
            return
        raise SaveError(what, describe(error, Path(folder)), error.errno) from error
    try:
        os.fsync(fd)
    except OSError as error:
        if error.errno not in _NO_DIR_SYNC:
            raise SaveError(what, describe(error, Path(folder)), error.errno) from error
    finally:
        os.close(fd)
