"""A store in another process: tests/store_child.py, started by its path, and the lines it
prints, read with a timeout so that a stuck child fails the test instead of hanging it."""

from __future__ import annotations

import os
import select
import time
from pathlib import Path

CHILD = Path(__file__).parent.parent / "store_child.py"


class Lines:
    """Lines from a pipe, with a timeout, so a stuck child fails the test instead of hanging."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = b""

    def next(self, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.fd], [], [], max(left, 0))
            if not ready:
                raise TimeoutError("the child stopped talking")
            chunk = os.read(self.fd, 65536)
            if not chunk:
                raise EOFError("the child closed its output")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode("utf-8")
