"""Files Kring writes for the user outside the data folder: ``--out``, a copied template, a
crash report.

They get the same care as the data folder's own files (0600 in folders made 0700, never
written through a symbolic link, never replacing a device or a folder), but they are not the
store's: no backup is kept and no lock taken. The user interface comes here rather than to
``store.files``, so that how a file is written stays the domain's business.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from kring.sessions.store.files import atomic

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def write_private_file(path: Path, data: bytes, what: str) -> None:
    """Write ``data`` to the file the user named, atomically and readable by the user only.

    Raises WriteRefusedError when a link, folder, pipe or device is there (it is never written
    through or replaced), SaveError when the disk refuses; ``what`` names the file in those
    messages ("the minutes")."""
    atomic.write_user_file(path, data, what)


def ensure_private_folder(folder: Path, what: str) -> None:
    """Make ``folder`` and its missing parents, 0700; an existing folder is left as it is.
    Raises SaveError with a sentence for the user."""
    atomic.ensure_private_dir(folder, what)


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them. Never waits on a
    pipe or reads a device: raises OSError instead, which ``describe_read_error`` puts into
    words."""
    return atomic.read_limited(path, limit)[0]


def describe_read_error(error: OSError) -> str:
    """Why a file could not be read, as the end of a sentence for the user."""
    return atomic.describe_read(error)


def create_new_file(folder: Path, names: Iterable[str], data: bytes) -> Path:
    """Write ``data`` into a new 0600 file in ``folder`` (made 0700 when missing), under the
    first of ``names`` that does not exist yet, and return its path.

    Never replaces or follows anything already there (O_EXCL, O_NOFOLLOW): a report must not
    clobber an earlier one, nor be steered by a planted link. Raises FileExistsError when
    every name is taken, SaveError or OSError when the disk refuses."""
    ensure_private_folder(folder, str(folder))
    for name in names:
        path = folder / name
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC | _NOFOLLOW
                         | _BINARY, atomic.PRIVATE_FILE)
        except FileExistsError:
            continue
        try:
            fchmod = getattr(os, "fchmod", None)  # missing on Windows
            if fchmod is not None:
                fchmod(fd, atomic.PRIVATE_FILE)  # the umask may have taken the owner's bits
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        return path
    raise FileExistsError(str(folder))
