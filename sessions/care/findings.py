"""What ``kring doctor`` finds in a data folder: one ``Finding`` per file, of a ``Kind`` that
says whether repair can do something about it, gathered in a ``DoctorReport``."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from kring.sessions.errors import StoreError, UnreadableError, unreadable
from kring.sessions.store.files.atomic import describe


class Kind(StrEnum):
    UNREADABLE = "unreadable"  # a log that cannot be read at all (permissions, not a file)
    SKIPPED_LINES = "skipped-lines"  # lines of a log that are not events: skipped, rest used
    CONFLICT_COPY = "conflict-copy"  # a sync engine's copy of this device's log: taken in
    CONFLICT_ELSEWHERE = "conflict-elsewhere"  # ... of another device's log: read, left
    SYNC_TEMP = "sync-temp"  # a transfer the sync engine has not finished
    STRAY = "stray"  # a file Kring did not write, in a log folder: left alone
    NOT_CONVERTED = "not-converted"  # a meeting file of the older format that stays unread
    NOT_CONVERTED_FULLY = "not-converted-fully"  # converted, but records missing: redone
    OPEN_PERMISSIONS = "open-permissions"  # others could read the notes: made private
    READ_ONLY = "read-only"  # nothing can be saved in the data folder: nothing is repaired
    STATE_INSIDE = "state-inside"  # the state folder would be synced: the user moves it
    RESCUED = "rescued"  # a rescue copy written when saving failed: taken back in
    UNCHECKED = "unchecked"  # a part of the folder could not be looked at
    EMPTY_LOG = "empty-log"  # this device's log of 0 bytes (a failed first save): removed
    EMPTY_ELSEWHERE = "empty-elsewhere"  # another device's, of a meeting read from others
    NO_MEETING = "no-meeting"  # this device's log of a meeting no log has a header of: kept
    NO_MEETING_ELSEWHERE = "no-meeting-elsewhere"  # ... another device's: its owner's to tidy
    PURGED_LINES = "purged-lines"  # this device's lines of a purged meeting: removed
    PURGED_ELSEWHERE = "purged-elsewhere"  # ... another device's: its owner's to remove
    SYMLINK = "symlink"  # a symbolic link among the logs: never written through
    CLOCK_AHEAD = "clock-ahead"  # a device stamps events far ahead of this clock


# What ``doctor --repair`` can do something about (in this device's own files only).
REPAIRABLE = frozenset({Kind.CONFLICT_COPY, Kind.NOT_CONVERTED_FULLY, Kind.OPEN_PERMISSIONS,
                        Kind.RESCUED, Kind.EMPTY_LOG, Kind.NO_MEETING, Kind.PURGED_LINES})
# What only a person can set right: Kring may not, or cannot, and commands keep warning (or
# a folder cannot be saved in, or a clock makes one laptop win every race) until someone does.
NEEDS_PERSON = frozenset({Kind.UNREADABLE, Kind.NOT_CONVERTED, Kind.READ_ONLY,
                          Kind.STATE_INSIDE, Kind.UNCHECKED, Kind.NO_MEETING_ELSEWHERE,
                          Kind.PURGED_ELSEWHERE, Kind.SYMLINK, Kind.CLOCK_AHEAD})
# Findings that are only information: nothing is lost, nothing to do here (another device's
# copies, a transfer under way, lines skipped while the rest reads).
INFO = frozenset(set(Kind) - REPAIRABLE - NEEDS_PERSON)


@dataclass(frozen=True, slots=True)
class Finding:
    kind: Kind
    path: Path
    detail: str  # a sentence for the user; names meetings by id only

    @property
    def repairable(self) -> bool:
        return self.kind in REPAIRABLE

    @property
    def needs_person(self) -> bool:
        return self.kind in NEEDS_PERSON


@dataclass(slots=True)
class DoctorReport:
    root: Path
    findings: list[Finding] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)  # what repair did, one sentence each
    failed: list[str] = field(default_factory=list)  # repairs that could not be done

    @property
    def healthy(self) -> bool:
        """Nothing that needs repair (information such as set-aside files may remain)."""
        return not any(finding.repairable for finding in self.findings)

    @property
    def needs_person(self) -> bool:
        """Something only a person can set right."""
        return any(finding.needs_person for finding in self.findings)

    @property
    def exit_status(self) -> int:
        """0 when all is in order: nothing to repair, nothing for a person to do and no repair
        that failed (information may remain); 1 otherwise. After a repair the same rule holds
        for what is left: a repair that fixed everything exits 0."""
        return 1 if self.failed or not self.healthy or self.needs_person else 0

    def of(self, kind: Kind) -> list[Finding]:
        return [finding for finding in self.findings if finding.kind is kind]


def sentence(what: str, error: StoreError) -> str:
    """Why ``what`` is unusable, in the words the store's problem list uses."""
    if isinstance(error, UnreadableError):
        return unreadable(what, error.reason)
    return error.message


def reason_of(error: BaseException) -> str:
    if isinstance(error, StoreError):
        return error.message
    if isinstance(error, OSError):
        return describe(error, Path(error.filename or ".").parent) if error.errno else \
            type(error).__name__
    return type(error).__name__
