"""Hearing that the data folder changed: another window saved, or a sync engine brought a
laptop's writes.

The OS's own file events (inotify, FSEvents, ReadDirectoryChangesW) through watchfiles, in a
thread: a change is heard within tens of milliseconds and an idle folder costs next to
nothing, however many meetings it holds. Where events cannot be had (watchfiles not
installed, the OS's limit of watches reached, ``WATCHFILES_FORCE_POLLING`` set for a network
mount that sends none) the thread looks at the logs' sizes and times every ``POLL`` seconds
instead. Either way the listener hears the same thing, a ``DataChange``: which meetings' logs
changed, and whether the communities did. Transfers under way (a sync engine's temporary
files) are not changes; a conflict copy is one of its meeting's logs.

The listener is called on the watching thread: it hands the news to its own loop.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from kring.sessions.store.layout import COMMUNITIES_LOG, DEVICES, MEETINGS, Name, classify

POLL = 0.5  # seconds between looks where there are no events: a change shows within a second
_STEP = 50  # ms: events this close together are told as one change (a burst of appends)
_DEBOUNCE = 300  # ms: the longest a burst is held back before it is told
# ms: a quiet this long after starting means the OS watch is in place; idle, the thread wakes
# this often to see whether it is asked to stop
_QUIET = 500


@dataclass(frozen=True)
class DataChange:
    meetings: frozenset[str]  # ids of the meetings whose logs (or their conflict copies) changed
    communities: bool = False
    # Told once, when the watch is in place: anything may have changed between a screen's
    # first look and then (a newcomer's folder made by another window, a sync under way).
    everything: bool = False

    def __bool__(self) -> bool:
        return bool(self.meetings) or self.communities or self.everything

    def concerns(self, meeting_id: str) -> bool:
        return self.everything or meeting_id in self.meetings

    @property
    def any_meeting(self) -> bool:
        return self.everything or bool(self.meetings)


EVERYTHING = DataChange(frozenset(), communities=True, everything=True)


def change_of(paths: Iterable[str | Path]) -> DataChange:
    """What the changed files ``paths`` mean to Kring: logs of meetings, the communities' log;
    anything else (a transfer under way, a stray file, a minutes file) is nothing."""
    meetings: set[str] = set()
    communities = False
    for path in paths:
        name = os.path.basename(path)
        if name == COMMUNITIES_LOG:
            communities = True
            continue
        kind, meeting_id = classify(name)
        if kind in (Name.LOG, Name.CONFLICT) and meeting_id is not None:
            meetings.add(meeting_id)
    return DataChange(frozenset(meetings), communities)


class Mode(Enum):
    EVENTS = "events"
    POLLING = "polling"


Listener = Callable[[DataChange], None]


class FolderWatch:
    """Tells ``listener`` of each change in the data folder ``root`` until ``stop``. A folder
    that does not exist yet (a newcomer's) is waited for."""

    def __init__(self, root: Path, listener: Listener, *, mode: Mode = Mode.EVENTS,
                 poll: float = POLL) -> None:
        self.root = root
        self.listener = listener
        self.mode = mode  # what it asked for; POLLING when events turned out not to work
        self.poll = poll
        self.problem: str | None = None  # why it polls although it asked for events
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kring-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        while not self.root.is_dir():
            if self._stop.wait(self.poll):
                return
        if self.mode is Mode.EVENTS:
            try:
                self._events()
                return
            except Exception as error:  # no watchfiles, no watches left: the folder still counts
                self.problem = f"{type(error).__name__}: {error}"
                self.mode = Mode.POLLING
        self._polling()

    def _events(self) -> None:
        import watchfiles  # here, on the thread: its import is not paid by the first frame

        # The first yield (a change, or a quiet ``_QUIET`` ms) comes once the OS watch is in
        # place: what changed before it is covered by telling EVERYTHING then.
        placed = False
        for changes in watchfiles.watch(
                self.root, watch_filter=None, debounce=_DEBOUNCE, step=_STEP,
                rust_timeout=_QUIET, yield_on_timeout=True, stop_event=self._stop,
                raise_interrupt=False, ignore_permission_denied=True):
            if not placed:
                placed = True
                self._tell(EVERYTHING)
            self._tell(change_of(path for _change, path in changes))

    def _polling(self) -> None:
        seen = _signature(self.root)
        self._tell(EVERYTHING)
        while not self._stop.wait(self.poll):
            now = _signature(self.root)
            if now != seen:
                changed = {path for path in now.keys() | seen.keys()
                           if now.get(path) != seen.get(path)}
                seen = now
                self._tell(change_of(changed))

    def _tell(self, change: DataChange) -> None:
        if change:
            self.listener(change)


def _signature(root: Path) -> dict[str, tuple[int, int]]:
    """Size and time of every log under ``root``: one scandir per device folder, a stat per
    log (cheap next to reading them; only where there are no events)."""
    found: dict[str, tuple[int, int]] = {}
    for folder in _log_folders(root):
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    try:
                        stat = entry.stat()
                    except OSError:  # gone between listing and looking: its absence is seen
                        continue
                    found[entry.path] = (stat.st_size, stat.st_mtime_ns)
        except OSError:
            continue
    return found


def _log_folders(root: Path) -> list[Path]:
    """Each device's folder (its communities' log) and meetings folder."""
    try:
        devices = [entry.path for entry in os.scandir(root / DEVICES) if entry.is_dir()]
    except OSError:
        return []
    return [Path(path) for device in devices for path in (device, os.path.join(device, MEETINGS))]
