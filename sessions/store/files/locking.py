"""A lock between processes on one file, held only around one read-modify-write.

POSIX: ``flock`` on ``<file>.lock``. The kernel drops it when its holder dies, so a crashed
Kring can never leave a lock that blocks the next one; the lock file itself stays (deleting it
on release would let two processes lock two different inodes). This is what filelock does too,
at a twentieth of its cost per acquire, which matters because every keystroke-sized commit
takes it. Elsewhere (Windows) filelock does the work.
"""

from __future__ import annotations

import contextlib
import errno
import os
import random
import time
from pathlib import Path
from types import TracebackType
from typing import Protocol as Interface

from kring.sessions.errors import BusyError, SaveError
from kring.sessions.store.files.atomic import PRIVATE_FILE, describe, ensure_private_dir

LOCK_SUFFIX = ".lock"
_NO_FLOCK = {errno.ENOSYS, errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP}
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

HAS_FLOCK = fcntl is not None  # Windows has none: filelock does the work there


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + LOCK_SUFFIX)


class Lock(Interface):
    def __enter__(self) -> Lock: ...

    def discard(self) -> None: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None: ...


class FlockLock:
    """Exclusive lock on ``<file>.lock``; not re-entrant, one instance per acquisition."""

    def __init__(self, file: Path, what: str, timeout: float = 10.0) -> None:
        self.path = os.fspath(file) + LOCK_SUFFIX  # a str: cheaper than a Path, per commit
        self.what = what
        self.timeout = timeout
        self._fd: int | None = None

    def __enter__(self) -> FlockLock:
        deadline = time.monotonic() + self.timeout
        # Short, jittered polls: the holder may let go for only microseconds between two
        # commits, and a waiter that sleeps long would only get in when it stops.
        pause = 0.0002
        while True:
            fd = self._open()
            try:
                locked = try_flock(fd)
            except OSError as error:
                os.close(fd)
                folder = Path(self.path).parent
                raise SaveError(self.what, describe(error, folder), error.errno) from error
            if locked is None:
                # A filesystem without locks (some FUSE mounts): saving unlocked still never
                # loses this process's words, and refusing to save would.
                self._fd = fd
                return self
            if locked:
                status = os.fstat(fd)
                if status.st_nlink > 0:  # doctor --repair may have removed the file meanwhile
                    if status.st_mode & 0o777 != PRIVATE_FILE:
                        _fix_mode(fd)
                    self._fd = fd
                    return self
            os.close(fd)
            if time.monotonic() >= deadline:
                raise BusyError(self.what)
            time.sleep(pause * random.uniform(0.5, 1.5))
            pause = min(pause * 2, 0.001)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing the last descriptor releases the flock

    def discard(self) -> None:
        """Delete the lock file while holding it, once the file it guards is gone for good, so
        lock files do not pile up. A process that opened it meanwhile sees st_nlink 0 when it
        gets the lock, and starts over on a new file."""
        if self._fd is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.path)

    def _open(self) -> int:
        try:
            try:
                return os.open(self.path, os.O_RDWR | os.O_CREAT | _CLOEXEC, PRIVATE_FILE)
            except FileNotFoundError:
                # Folders are made on first need rather than checked before every commit.
                ensure_private_dir(Path(self.path).parent, self.what)
                return os.open(self.path, os.O_RDWR | os.O_CREAT | _CLOEXEC, PRIVATE_FILE)
        except OSError as error:
            if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                # flock needs no write access: an existing lock file still works on a
                # read-only disk (where nothing gets saved, but broken files are still found).
                with contextlib.suppress(OSError):
                    return os.open(self.path, os.O_RDONLY | _CLOEXEC)
            folder = Path(self.path).parent
            raise SaveError(self.what, describe(error, folder), error.errno) from error


def try_flock(fd: int) -> bool | None:
    """Take the flock of ``fd`` without waiting. True: taken; False: someone holds it; None:
    this filesystem has no locks (some FUSE mounts) or this system no flock (Windows). Any
    other error is raised."""
    if fcntl is None:  # pragma: no cover - Windows
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as error:
        if error.errno in _NO_FLOCK:
            return None
        raise
    return True


def _fix_mode(fd: int) -> None:
    # Someone else's lock file: only its owner may change it, and it still locks.
    with contextlib.suppress(PermissionError):
        os.fchmod(fd, PRIVATE_FILE)


class _FileLockLock:
    """Windows: filelock's msvcrt-based lock."""

    def __init__(self, file: Path, what: str, timeout: float = 10.0) -> None:
        from filelock import FileLock, Timeout

        ensure_private_dir(file.parent, what)
        self._lock = FileLock(lock_path(file), timeout=timeout, mode=PRIVATE_FILE)
        self._timeout = Timeout
        self.what = what

    def __enter__(self) -> _FileLockLock:
        try:
            self._lock.acquire()
        except self._timeout as error:
            raise BusyError(self.what) from error
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._lock.release()

    def discard(self) -> None:
        pass  # filelock manages its own lock files on Windows


def file_lock(file: Path, what: str, timeout: float = 10.0) -> Lock:
    """The lock guarding ``file`` between processes."""
    if fcntl is not None:
        return FlockLock(file, what, timeout)
    return _FileLockLock(file, what, timeout)  # pragma: no cover - Windows


def _open_existing(lock_file: Path) -> int:
    try:
        return os.open(lock_file, os.O_RDWR | _CLOEXEC)
    except OSError as error:
        if error.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise
    # A read-only disk (or someone else's file): flock needs no write access.
    return os.open(lock_file, os.O_RDONLY | _CLOEXEC)


def remove_if_free(lock_file: Path) -> bool:
    """Delete a lock file nobody holds, holding it while we do so that a process that opened
    it meanwhile notices (st_nlink 0) and locks the new file instead. False if it is held."""
    if fcntl is None:  # pragma: no cover - Windows
        return False
    try:
        fd = _open_existing(lock_file)
    except FileNotFoundError:
        return True
    try:
        if not try_flock(fd):  # held, or no locks here to tell
            return False
        os.unlink(lock_file)
        return True
    finally:
        os.close(fd)
