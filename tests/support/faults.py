"""A disk that refuses: one step of appending to a log (open, write, a short write, fsync, the
folder's fsync) made to fail with an errno, for files under one folder; and a real small disk
filled to the last byte."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest

from kring.sessions.store.files import logfile


class Faults:
    """Makes the operating system refuse one step of appending, for files under one folder.

    The log module calls ``os.open``/``os.write``/``os.fsync`` through the ``os`` module
    (``logfile.os``), as the folder fsync in files/atomic.py does: patching them there
    reaches both."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
        self.folder = os.fspath(folder)
        self.code: int | None = None
        self.stage = ""
        self.fds: dict[int, str] = {}
        self.hit = 0
        real = {name: getattr(logfile.os, name) for name in ("open", "write", "fsync", "close")}

        def refuse(path: str) -> None:
            assert self.code is not None
            self.hit += 1
            raise OSError(self.code, os.strerror(self.code), path)

        def inside(path: Any) -> bool:
            return os.fspath(path).startswith(self.folder)

        def fake_open(path: Any, flags: int, mode: int = 0o777, **kw: Any) -> int:
            if inside(path) and self.hits("open") and flags & os.O_CREAT:
                refuse(os.fspath(path))
            fd = real["open"](path, flags, mode, **kw)
            if inside(path):
                self.fds[fd] = os.fspath(path)
            return fd

        def fake_write(fd: int, data: Any) -> int:
            if fd in self.fds and self.hits("short") and len(data) > 1:
                self.stage = "write"  # half now; the rest is refused
                return int(real["write"](fd, bytes(data)[: len(data) // 2]))
            if fd in self.fds and self.hits("write"):
                refuse(self.fds[fd])
            return int(real["write"](fd, data))

        def fake_fsync(fd: int) -> None:
            if fd in self.fds:
                stage = "dirsync" if os.path.isdir(self.fds[fd]) else "fsync"
                if self.hits(stage):
                    refuse(self.fds[fd])
            real["fsync"](fd)

        def fake_close(fd: int) -> None:
            self.fds.pop(fd, None)
            real["close"](fd)

        for name, fake in (("open", fake_open), ("write", fake_write), ("fsync", fake_fsync),
                           ("close", fake_close)):
            monkeypatch.setattr(logfile.os, name, fake)

    def hits(self, stage: str) -> bool:
        return self.code is not None and self.stage == stage

    def set(self, stage: str, code: int) -> None:
        self.stage, self.code = stage, code

    def clear(self) -> None:
        self.code = None


def fill(disk: Path) -> Path:
    """A file that takes every byte left on ``disk``; unlink it to give the room back."""
    filler = disk / "filler"
    with filler.open("wb", buffering=0) as file:
        for size in (65536, 4096, 1):
            try:
                while True:
                    file.write(b"\0" * size)
            except OSError as error:
                assert error.errno == errno.ENOSPC
    return filler
