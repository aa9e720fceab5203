"""Saves that could not be made yet (disk full, read-only, busy), kept in memory and retried
in order, so nothing typed is dropped while the disk is unwell."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from kring.sessions.errors import StoreError, TransientError

Save = Callable[[], object]


class PendingWrites:
    """A queue of saves. Each save must be safe to run twice (the store's are: adding an entry
    whose id exists replaces it), because a save that failed may have got partway."""

    def __init__(self) -> None:
        self._waiting: deque[Save] = deque()
        self.last_error: StoreError | None = None

    def __len__(self) -> int:
        return len(self._waiting)

    def submit(self, save: Save) -> bool:
        """Run ``save`` now, behind any saves still waiting (order matters: an edit must not
        overtake the entry it edits). True when it and everything before it are on disk;
        False when it is waiting: ``last_error`` says why."""
        self._waiting.append(save)
        return self.retry()

    def retry(self) -> bool:
        """Run the waiting saves in order until one fails. True when none are left.

        A transient failure (disk full, read-only, busy) keeps the save waiting. Any other
        store error (the file was found broken and set aside) is raised after the save is
        put back, for the caller to deal with; the save is still waiting."""
        while self._waiting:
            save = self._waiting[0]
            try:
                save()
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
