"""The session store: meetings, drafts and communities, safe against crashes, broken files, a
second Kring on the same laptop and other members' laptops syncing the same folder.

``Store`` is the one face the rest of Kring uses; each job sits in a module of its own:

    events.py, fold.py  what a log line is; how any set of them adds up to one state
    logs.py             reading a thing's logs (every device's) incrementally
    changes.py          a change to a meeting as data (an entry added, the header changed),
                        made by ``apply``, queued by a live meeting while the disk refuses
    meetings.py         meetings: load one, apply a change to it, take a rescue back in
    communities.py      communities and their rosters
    index.py            what lists and cross-meeting views read (digest.py, summary.py)
    migration.py        a data folder in the one-file-per-meeting format, converted
    drafts.py           what each window is still typing

Every change is one event appended to this device's own log, fsynced before the method
returns; no file in the data folder is ever written by two devices, so sync engines carry them
without conflicts, and every device folds the same files into the same state.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from kring.sessions.errors import StoreError
from kring.sessions.i18n import _
from kring.sessions.model.clock import Clock, SystemClock
from kring.sessions.paths import state_dir
from kring.sessions.store.files.atomic import move_aside
from kring.sessions.store.index import MeetingIndex
from kring.sessions.store.layout import (
    COMMUNITIES_WHAT,
    CORRUPT_LABEL,
    Layout,
    draft_what,
    meeting_what,
)
from kring.sessions.store.summary import MeetingSummary

if TYPE_CHECKING:
    # Imported where used. The home screen's first frame lists meetings from the index, which
    # needs none of these: importing them (the meeting model, the logs' readers and writers)
    # before it cost that frame about 30 ms.
    from datetime import date
    from typing import Any

    from kring.sessions.model.community import Community
    from kring.sessions.model.meeting import Entry, Meeting
    from kring.sessions.store.changes import Change
    from kring.sessions.store.communities import Communities
    from kring.sessions.store.digest import MeetingDigest
    from kring.sessions.store.drafts import DraftSlot
    from kring.sessions.store.logs import LineProblem, Stamp
    from kring.sessions.store.meetings import MeetingRecord, Meetings
    from kring.sessions.store.problems import LoadProblem

T = TypeVar("T")
R = TypeVar("R")

__all__ = ["MeetingSummary", "Store"]


class Store:
    """All reading and writing of a data folder by this device. One per process (or test)."""

    def __init__(self, root: Path, clock: Clock | None = None, *, state: Path | None = None,
                 lock_timeout: float = 10.0) -> None:
        self.layout = Layout(Path(root), Path(state) if state is not None else state_dir())
        self.clock: Clock = clock or SystemClock()
        self.lock_timeout = lock_timeout
        # One lock keeps two threads (UI and a worker) from interleaving inside one change.
        self._mutex = threading.RLock()
        self._problems: dict[tuple[str, str], LoadProblem] = {}
        self._logs: tuple[Meetings, Communities] | None = None  # made on first use
        self._own: str | None = None  # this device's id as first read (_own_device)
        self._own_looked = False
        self._index = MeetingIndex(self.layout, lambda: self._meetings, self.clock,
                                   self._mutex, self._unreadable)
        self._migrated = False

    @property
    def _meetings(self) -> Meetings:
        return self._log_keepers()[0]

    @property
    def _communities(self) -> Communities:
        return self._log_keepers()[1]

    def _log_keepers(self) -> tuple[Meetings, Communities]:
        """What reads and writes the logs of meetings and of communities, made when first
        needed (under the lock: a worker thread may be first)."""
        with self._mutex:
            if self._logs is None:
                from kring.sessions.store.communities import Communities
                from kring.sessions.store.events import HybridClock
                from kring.sessions.store.meetings import Meetings

                hybrid = HybridClock(lambda: int(self.clock.now().timestamp() * 1000))
                communities = Communities(self.layout, lambda: self.device, hybrid,
                                          lock_timeout=self.lock_timeout, mutex=self._mutex,
                                          on_lines=self._communities_problems,
                                          own=self._own_device)
                self._logs = (
                    Meetings(self.layout, lambda: self.device, hybrid,
                             lock_timeout=self.lock_timeout, mutex=self._mutex,
                             on_lines=self._lines_problems, purged=communities.purged,
                             own=self._own_device),
                    communities)
            return self._logs

    @functools.cached_property
    def device(self) -> str:
        """This installation's id: the one folder of logs it writes (made on first use)."""
        from kring.sessions.store.device import device_id

        return device_id(self.layout.device_file, int(self.clock.now().timestamp() * 1000))

    def _own_device(self) -> str | None:
        """This installation's id if it has one yet, without making one (reading makes
        nothing): the logs of every other device are made plain as they are read."""
        if "device" in self.__dict__:  # made (or read) since, for a write
            return self.device
        if not self._own_looked:  # once: a read of 5,000 meetings asks 5,000 times
            from kring.sessions.store.device import read_device_id

            self._own_looked = True
            self._own = read_device_id(self.layout.device_file)
        return self._own

    # -- problems ---------------------------------------------------------------------------

    @property
    def problems(self) -> list[LoadProblem]:
        """What could not be read in full since this store was opened."""
        return list(self._problems.values())

    # -- meetings ---------------------------------------------------------------------------

    def create_meeting(self, meeting: Meeting, entries: Iterable[Entry] = ()) -> None:
        """Write a new meeting (with any entries it already has). Safe to retry: for an existing
        meeting this replaces the header and adds or replaces the entries given."""
        self._ready()
        self._meetings.create(meeting, entries)

    def load(self, meeting_id: str) -> MeetingRecord:
        """The meeting as every device's logs add up to now. Raises NotFoundError,
        CorruptFileError (no readable header) or ReadError."""
        self._ready()
        return self._meetings.load(meeting_id)

    def save_meeting(self, meeting: Meeting) -> None:
        """Set the meeting's header (everything but its entries) to ``meeting``: only the
        fields that differ from what is stored now are written."""
        self._ready()
        self._meetings.save(meeting)

    def apply(self, meeting_id: str, change: Change[R]) -> R:
        """Make ``change`` (an entry added, edited or deleted, a phase started, names
        protected: ``changes.py`` and ``sessions/meeting/changes.py``) on the meeting as it is
        now, under the lock, so that another window's or laptop's changes are kept; returns
        what the change returns (an edited entry as saved, the meeting as saved). Safe to
        retry after a SaveError: every change is."""
        self._ready()
        return self._meetings.apply(meeting_id, change)

    def import_rescued(self, path: Path) -> str:
        """Take a rescue copy (``LiveMeeting.rescue``) back in; returns its meeting's id. Per
        entry the newer version wins (by when it was last changed); the header is the copy's
        if it was written after the meeting last changed. Safe to repeat."""
        self._ready()
        return self._meetings.import_rescued(path)

    def list_meetings(self, limit: int | None = None, *, offset: int = 0,
                      in_progress_first: bool = False) -> list[MeetingSummary]:
        """A summary of every readable meeting, newest first (with ``in_progress_first``,
        those still going on above those that ended); ``limit`` of them from ``offset``: a
        page costs the same whatever the number of meetings."""
        self._ready()
        return self._index.summaries(limit, offset=offset, in_progress_first=in_progress_first)

    def meetings_page(self, limit: int | None, offset: int = 0, *, check: bool = True
                      ) -> tuple[list[MeetingSummary], int]:
        """A page of the list as people read it (those in progress first, then the newest):
        ``limit`` summaries from ``offset``, and how many meetings there are in all. Without
        ``check`` the logs are not looked at (a stat each: tens of ms with thousands of
        meetings): the page as the index last saw them, which the caller checks afterwards
        with a checked call."""
        self._ready()
        return self._index.page(limit, offset, check=check)

    def count_meetings(self) -> int:
        """How many readable meetings there are (as many as ``list_meetings()`` lists)."""
        self._ready()
        return self._index.count()

    def digests(self, community: str | None = None, *, open_actions: bool = False,
                journal: bool = False, figures: bool = False) -> list[MeetingDigest]:
        """What cross-meeting views read of each meeting (of one community, matched ignoring
        case and accents), newest first, without opening the meetings; with ``open_actions``
        or ``journal`` only the meetings that have action points still to do, or something
        for the journal; with ``figures`` what the insights read of each too."""
        self._ready()
        return self._index.digests(community, open_actions=open_actions, journal=journal,
                                   figures=figures)

    def meeting_ids(self) -> set[str]:
        """Every meeting some device has a log of, readable or not."""
        return self._meetings.ids()

    def purged(self) -> dict[str, dict[str, Any]]:
        """Meeting id -> its purge record ("before", "on": ISO dates), of every meeting any
        laptop purged. Such a meeting is not listed or opened, whatever lines of it remain."""
        self._ready()
        return self._communities.purged()

    def record_purge(self, meeting_id: str, *, before: date, on: date) -> None:
        """Record, for every laptop the data folder syncs to, that a meeting was purged."""
        self._ready()
        self._communities.record_purge(meeting_id, before=before, on=on)

    def waiting_under_purge(self) -> dict[str, list[Path]]:
        """The logs (and conflict copies) still on disk of meetings that were purged: lines a
        laptop wrote while offline, or a copy a sync engine brought back."""
        self._ready()
        purged = self._communities.purged()
        meetings = self._meetings
        return {meeting_id: meetings.paths(meeting_id, copies=True)
                for meeting_id in sorted(meetings.logged() & set(purged))}

    def meeting_logs(self, meeting_id: str) -> list[Path]:
        """Every file holding the meeting's events: each device's log and conflict copies."""
        return self._meetings.paths(meeting_id, copies=True)

    def forget(self, meeting_id: str) -> None:
        """Forget what this process remembers of a meeting whose logs were removed (purge)."""
        self._meetings.forget(meeting_id)

    def rebuild_index(self) -> int:
        """Build the index afresh from the logs (doctor --repair); returns how many meetings
        it holds."""
        self._ready()
        return self._index.rebuild()

    # -- noticing other processes' and devices' changes -------------------------------------

    def stamp(self, meeting_id: str) -> Stamp:
        """The version of the meeting's logs now (a stat each: cheap enough to poll)."""
        return self._meetings.stamp(meeting_id)

    def changed_since(self, meeting_id: str, stamp: Stamp | None) -> bool:
        return self.stamp(meeting_id) != stamp

    def needs_reload(self, meeting_id: str) -> bool:
        """Whether the logs hold anything this store has not handed out: true after another
        process or device saved, false after our own saves on top of what we last loaded."""
        return self._meetings.needs_reload(meeting_id)

    # -- drafts -----------------------------------------------------------------------------

    def draft_slot(self, meeting_id: str) -> DraftSlot:
        """This window's draft of the meeting, holding what dead windows of it left in
        ``recovered``; ``close()`` it when the window goes. Never raises for a disk that
        refuses: then ``recovered`` is None and ``save`` says why."""
        from kring.sessions.store.drafts import DraftSlot

        self.layout.window_drafts(meeting_id)  # a bad id fails here, not on the first save
        return DraftSlot(self.layout, meeting_id, self.clock, lock_timeout=self.lock_timeout,
                         on_unreadable=self._draft_unreadable)

    # -- communities ------------------------------------------------------------------------

    def communities(self) -> list[Community]:
        """Every community, by name."""
        self._ready()
        return self._communities.all()

    def save_community(self, community: Community) -> None:
        """Add a community or replace the one with the same name."""
        self._ready()
        self._communities.save(community)

    def update_community(self, name: str, mutate: Callable[[Community], T]) -> T:
        """Apply ``mutate`` to the community as it is now (renaming it is allowed)."""
        self._ready()
        return self._communities.update(name, mutate)

    def add_members(self, name: str, members: list[str]) -> Community:
        """Add people to a community's roster, again if they are on it: an addition that a
        removal on another laptop, made without seeing it, does not undo."""
        self._ready()
        return self._communities.add_members(name, members)

    def delete_community(self, name: str) -> Community | None:
        self._ready()
        return self._communities.delete(name)

    # -- the machinery ----------------------------------------------------------------------

    def _ready(self) -> None:
        """Convert a data folder of the older format on first use (after a backup)."""
        if not self._migrated:
            self._migrated = True
            if self.layout.legacy_meetings.is_dir() or self.layout.legacy_communities.exists():
                from kring.sessions.store.migration import migrate_if_needed

                migrate_if_needed(self)

    def _note(self, key: tuple[str, str], what: str, path: Path, reason: str,
              meeting_id: str | None = None, *, partial: bool = False,
              moved_to: Path | None = None) -> None:
        """Remember a problem for ``problems`` (under ``key``: one per file and meeting)."""
        from kring.sessions.store.problems import LoadProblem  # rare: not at start-up

        self._problems[key] = LoadProblem(what, path, reason, meeting_id, partial, moved_to)

    def _lines_problems(self, meeting_id: str, found: list[LineProblem]) -> None:
        for problem in found:
            self._note((meeting_id, str(problem.path)), meeting_what(meeting_id), problem.path,
                       problem.reason, meeting_id, partial=True)

    def _communities_problems(self, found: list[LineProblem]) -> None:
        for problem in found:
            self._note(("", str(problem.path)), _(COMMUNITIES_WHAT), problem.path,
                       problem.reason, partial=True)

    def _unreadable(self, meeting_id: str, error: StoreError) -> None:
        path = getattr(error, "path", self.layout.devices)
        reason = getattr(error, "reason", str(error))
        self._note((meeting_id, ""), meeting_what(meeting_id), Path(path), reason, meeting_id)

    def _draft_unreadable(self, path: Path, error: StoreError, meeting_id: str) -> None:
        """A draft that does not read is set aside (the window holds its lock), never used
        or written over."""
        moved = None
        with contextlib.suppress(OSError):
            moved = move_aside(path, CORRUPT_LABEL, self.clock.now())
        self._note((meeting_id, str(path)), draft_what(meeting_id), path,
                   getattr(error, "reason", str(error)), meeting_id, moved_to=moved)

