"""This installation's device id: the name of the one folder of logs it writes.

Made on first use and kept in the state folder, so two users of one laptop, or two state
folders in a test, are two devices; a copied state folder would be the same device writing in
two places, which is the one way to make a sync engine's conflict copy of a log (still read).
"""

from __future__ import annotations

import os
from pathlib import Path

from kring.sessions.errors import SaveError
from kring.sessions.i18n import N_, _
from kring.sessions.store.events import ulid
from kring.sessions.store.files.atomic import (
    PRIVATE_FILE,
    describe,
    ensure_private_dir,
    read_limited,
)
from kring.sessions.store.layout import check_id

_WHAT = N_("the device id")


def device_id(file: Path, milliseconds: int) -> str:
    """The id in ``file``, made now (a ULID) when there is none yet or it is not usable."""
    found = _readable(file)
    if found is not None:
        return found
    made = ulid(milliseconds)
    ensure_private_dir(file.parent, _(_WHAT))
    temp = file.with_name(f".{file.name}.{made}")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        try:
            os.write(fd, made.encode("ascii") + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(temp, file)  # never replaces an id another process made meanwhile
            os.unlink(temp)
        except FileExistsError:
            if _readable(file) or not os.path.isfile(file) or os.path.islink(file):
                os.unlink(temp)  # a pipe, folder or link there is never replaced
            else:
                os.replace(temp, file)  # a damaged id file: a new device from now on
    except OSError as error:
        raise SaveError(_(_WHAT), describe(error, file.parent), error.errno) from error
    found = _readable(file)
    if found is None and not os.path.isfile(file):
        raise SaveError(_(_WHAT), _("it is not a regular file"))
    return found or made


def _readable(file: Path) -> str | None:
    return read_device_id(file)


def read_device_id(file: Path) -> str | None:
    """The id in ``file``; None when there is none or it is not one. Only a small regular
    file is read: a pipe or device there is never waited on."""
    try:
        raw = read_limited(file, 256)[0]
        return check_id(raw.decode("ascii").strip())
    except (OSError, UnicodeError, ValueError):
        return None
