"""The data folder's changes as a Textual signal: screens that show what the folder holds
subscribe, and follow another window or laptop within a second rather than on return.

The watch (``sessions/store/watching.py``) runs on its own thread, started when a screen first
asks for it, after the first frame (its modules are not the first frame's to load); its news
is handed to the app's loop, where the signal is published. A subscriber is called on its own
message queue, and forgotten when it is removed."""

from __future__ import annotations

import asyncio
import contextlib
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.signal import Signal

if TYPE_CHECKING:
    from kring.sessions.store.watching import DataChange, FolderWatch, Mode


class DataWatch:
    """``changed`` is published on the app's loop with each ``DataChange`` of ``root``."""

    def __init__(self, app: App[None], root: Path, *, polling: bool = False) -> None:
        from kring.sessions.store.watching import FolderWatch, Mode

        self.changed: Signal[DataChange] = Signal(app, "data-changed")
        self._loop = asyncio.get_running_loop()
        self._watch: FolderWatch = FolderWatch(
            root, self._heard, mode=Mode.POLLING if polling else Mode.EVENTS)
        self._watch.start()

    @property
    def mode(self) -> Mode:
        """Events, or polling where they were not to be had."""
        return self._watch.mode

    def stop(self) -> None:
        self._watch.stop()

    def _heard(self, change: DataChange) -> None:
        """On the watching thread: never waits for the app (which may be closing)."""
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody is left to tell
            self._loop.call_soon_threadsafe(self.changed.publish, change)


class FollowsData:
    """Mixed into an app on a data folder (``data``): ``data_watch`` watches it from when a
    screen first asks until the app ends. ``watch_by_polling``: without the OS's events, as
    where they cannot be had (tests of that fallback set it)."""

    data: Path
    watch_by_polling = False

    @cached_property
    def data_watch(self) -> DataWatch:
        assert isinstance(self, App)
        return DataWatch(self, self.data, polling=self.watch_by_polling)

    def on_unmount(self) -> None:
        if "data_watch" in self.__dict__:
            self.data_watch.stop()
