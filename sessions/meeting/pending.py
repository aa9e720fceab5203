"""Saves that could not be made yet (disk full, read-only, busy), kept in memory and retried
in order, so nothing typed is dropped while the disk is unwell.

What waits is data a person can read: a live meeting queues its changes (``AddEntry``,
``StartPhase``, ...: ``sessions/store/changes.py``, ``sessions/meeting/changes.py``) and says
how to send one; ``waiting`` lists them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Generic, TypeVar

from kring.sessions.errors import StoreError, TransientError

W = TypeVar("W")


class PendingWrites(Generic[W]):
    """A queue of saves, each sent with ``send``. Sending one must be safe to repeat (the
    store's changes are: adding an entry whose id exists replaces it), because a save that
    failed may have got partway."""

    def __init__(self, send: Callable[[W], object]) -> None:
        self._send = send
        self._waiting: deque[W] = deque()
        self.last_error: StoreError | None = None

    def __len__(self) -> int:
        return len(self._waiting)

    @property
    def waiting(self) -> tuple[W, ...]:
        """What waits, oldest (the next to be tried) first."""
        return tuple(self._waiting)

    def submit(self, save: W) -> bool:
        """Send ``save`` now, behind any saves still waiting (order matters: an edit must not
        overtake the entry it edits). True when it and everything before it are on disk;
        False when it is waiting: ``last_error`` says why."""
        self._waiting.append(save)
        return self.retry()

    def retry(self) -> bool:
        """Send the waiting saves in order until one fails. True when none are left.

        A transient failure (disk full, read-only, busy) keeps the save waiting. Any other
        store error (the file was found broken and set aside) is raised after the save is
        put back, for the caller to deal with; the save is still waiting."""
        while self._waiting:
            save = self._waiting[0]
            try:
                self._send(save)
            except TransientError as error:
                self.last_error = error
                return False
            except StoreError as error:
                self.last_error = error
                raise
            self._waiting.popleft()
        self.last_error = None
        return True

    def drop_all(self) -> int:
        """Forget the waiting saves (the user chose to discard them); how many there were."""
        count = len(self._waiting)
        self._waiting.clear()
        return count
